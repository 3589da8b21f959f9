"""Catalog pages built from the data: landing blocks, domain and use-case pages,
the comparison matrix, what's new, the troubleshooting index and catalog.json.

Every directive here is a *listing*: it shows many connectors, so its page is
recorded in the domain and re-read when what listings show changes (see
``extension.listing_pages_to_reread``), not on every YAML edit.  Connector cards
are built as the page is written (:mod:`.cards`): a card edit only re-writes.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx_design.shared import create_component

from . import markup, state
from .cards import filter_node, placeholder, wg_cards
from .components import (
    badge,
    card,
    complexity_badge,
    connector_link,
    fail_mode_badge,
    grid,
    grid_item,
    hidden_toctree,
    rule_cells,
    status_badge,
    stretched,
    tab_set,
    table,
    text_para,
    texted,
)
from .domain import DOMAIN, documented
from .generate import SPLIT, WHATS_NEW, domain_doc, note_years, split_doc, use_case_doc
from .listing import ALL, IdView, Kind, ListingDirective, Scope, part_count
from .report import Loc, Subtype, warn
from .sections import SECTIONS


class CatalogDirective(ListingDirective):
    """Helpers for the catalog's listing directives."""

    abstract = True

    def cards(self, scope: Scope, **options: Any) -> wg_cards:
        """Connector cards, filled in when the page is written."""
        self.note_listing(Kind.cards, scope)
        node = placeholder(scope, **options)
        self.set_source_info(node)
        return node

    def connector_ref(self, c: IdView, name: str | None = None) -> nodes.Node:
        """A link to a connector's guide; plain text while its page does not exist yet.

        The missing page is reported once, at the YAML file; listings need not repeat it.
        """
        name = name or c.name
        if c.docname not in self.env.found_docs:
            return texted(nodes.inline, name)
        return connector_link(c.id, name, self.env.docname)

    def doc_ref(self, docname: str, children: list[nodes.Node]) -> addnodes.pending_xref:
        return addnodes.pending_xref(
            "",
            *children,
            refdomain=DOMAIN,
            reftype="page",
            reftarget=docname,
            refexplicit=True,
            refwarn=True,
            refdoc=self.env.docname,
        )

    def unknown(self, what: str) -> None:
        warn(Subtype.reference, what, self.get_location())

    def part(self) -> int:
        return int(self.options.get("part", 1))

    def pages_line(self, label: str, docs: list[tuple[str, str]], current: str | None = None) -> nodes.paragraph:
        """``label: 1–100 · 101–200``, linking every part but the current page."""
        para = nodes.paragraph("", "", nodes.Text(f"{label}: "), classes=["wg-parts-line"])
        for i, (text, doc) in enumerate(docs):
            if i:
                para += nodes.Text(" · ")
            para += texted(nodes.strong, text) if doc == current else self.doc_ref(doc, [texted(nodes.inline, text)])
        return para

    def parts_item(self, title: str, note: str, docs: list[tuple[str, str]]) -> nodes.list_item:
        """``Title (note)``, linking the first part, and a line linking every part when there are more."""
        para = nodes.paragraph(
            "", "", self.doc_ref(docs[0][1], [texted(nodes.inline, title)]), nodes.Text(f" ({note})")
        )
        item = nodes.list_item("", para)
        if len(docs) > 1:
            item += self.pages_line("Pages", docs)
        return item

    def part_labels(self, total: int) -> list[str]:
        """``1–100``, ``101–200``...: the connectors (or notes) each part holds, in page order."""
        size = self.config.wispgate_listing_page_size
        return [f"{k * size + 1}–{min(total, (k + 1) * size)}" for k in range(part_count(total, size))]


# --- landing blocks -------------------------------------------------------------------


class HeroDirective(CatalogDirective):
    """Live counts: connectors, integration domains, implementation sections per guide."""

    kind = Kind.ids

    def run(self) -> list[nodes.Node]:
        self.listed()
        catalog = self.catalog
        stats = [
            (len(catalog.connectors), "Connectors", "wg-count-connectors"),
            (len(catalog.domains), "Integration domains", "wg-count-domains"),
            (len(SECTIONS), "Implementation sections per guide", "wg-count-sections"),
        ]
        items = []
        for number, label, cls in stats:
            box = create_component("wg-stat", ["wg-stat", cls])
            box += nodes.paragraph(
                "",
                "",
                nodes.strong(str(number), str(number), classes=["wg-stat-number"]),
                nodes.Text(" "),
                nodes.inline(label, label, classes=["wg-stat-label"]),
            )
            items.append(box)
        return [create_component("wg-hero", ["wg-hero"], children=items)]


class DomainsDirective(CatalogDirective):
    """The integration domains as cards, each with its description and connector count."""

    kind = Kind.ids

    def run(self) -> list[nodes.Node]:
        self.listed()
        catalog = self.catalog
        items = []
        for key, d in catalog.domains.items():
            n = len(catalog.by_domain(key))
            link = stretched(
                self.doc_ref(domain_doc(self.config, key), [texted(nodes.inline, d.title)]), self.state.document
            )
            count = f"{n} connector{'s' if n != 1 else ''}"
            box = card(
                [nodes.Text(d.title)],
                [text_para(d.description)],
                [badge(count, "secondary", extra=("wg-domain-count",))],
                link,
                classes=("wg-domain-card", f"wg-domain-{key}"),
            )
            self.set_source_info(box)
            items.append(grid_item(box))
        return [grid(items, columns="1 2 2 4", classes=("wg-domains",))]


class CardsDirective(CatalogDirective):
    """Connector cards: all, featured, or those of one domain or use case.

    With ``:filter:``, the whole catalog's filter instead, filled by the script (the
    other options do not apply).
    """

    option_spec = {
        "featured": directives.flag,
        "domain": directives.unchanged,
        "use-case": directives.unchanged,
        "filter": directives.flag,
        "compact": directives.flag,
        "limit": directives.positive_int,  # at most this many cards (the first by name)
    }

    kind = Kind.taxonomies  # the filter and the checks below are made while reading; cards when written

    def scope(self) -> Scope:
        return Scope(
            featured="featured" in self.options,
            domain=self.options.get("domain"),
            use_case=self.options.get("use-case"),
        )

    def run(self) -> list[nodes.Node]:
        self.note_listing(Kind.taxonomies, ALL)
        catalog = self.catalog
        for option, known in (("domain", catalog.domains), ("use-case", catalog.use_cases)):
            key = self.options.get(option)
            if key is not None and key not in known:
                self.unknown(f"unknown {option} '{key}'")
        target = f"wg-cards-{self.env.new_serialno('wg-cards')}"
        if "filter" in self.options:
            # the whole catalog, rendered by wispgate.js from catalog-index.json: no card in the
            # page (issue 16); the count of current connectors is made when the page is written
            self.note_listing(Kind.cards, ALL)
            return [filter_node(catalog, target)]
        compact = "compact" in self.options
        return [self.cards(self.scope(), compact=compact, limit=self.options.get("limit"), ids=(target,))]


class BrowseDirective(CatalogDirective):
    """Every domain page and each of its parts: the way to every connector without scripts,
    in two clicks from the landing page, whatever the size of the catalog."""

    kind = Kind.ids

    def run(self) -> list[nodes.Node]:
        self.listed()
        catalog = self.catalog
        lst = nodes.bullet_list(classes=["wg-parts", "wg-browse"])
        for key, d in catalog.domains.items():
            total = len(catalog.by_domain(key))
            docs = [(lbl, domain_doc(self.config, key, k + 1)) for k, lbl in enumerate(self.part_labels(total))]
            lst += self.parts_item(d.title, f"{total} connector{'s' if total != 1 else ''}", docs)
        return [lst]


class UseCasesDirective(CatalogDirective):
    """Connectors grouped by use case, one tab per use case.

    Featured connectors come first; past ``:limit:`` cards a tab links to the
    use-case page, so the landing page stays light as the catalog grows.
    """

    kind = Kind.ids
    option_spec = {"limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        self.listed()
        catalog = self.catalog
        limit = self.options.get("limit", self.config.wispgate_use_case_tab_limit)
        tabs: list[tuple[str, list[nodes.Node]]] = []
        for key, uc in catalog.use_cases.items():
            n = len(catalog.by_use_case(key))
            label = f"All {n} {uc.title} connectors" if n > limit else "Use-case page"
            intro = nodes.paragraph(
                "",
                "",
                nodes.Text(uc.description + " "),
                self.doc_ref(use_case_doc(self.config, key), [texted(nodes.inline, label)]),
            )
            cards = self.cards(Scope(use_case=key), compact=True, featured_first=True, limit=limit)
            tabs.append((f"{uc.title} ({n})", [intro, cards]))
        return [tab_set(tabs, classes=("wg-use-case-tabs",))]


# --- catalog pages ----------------------------------------------------------------------


class DomainPageDirective(CatalogDirective):
    """A domain page (or one part of it): description, its connectors as cards, and
    their place in the navigation.  The first part holds the navigation of every part."""

    kind = Kind.ids
    required_arguments = 1
    option_spec = {"part": directives.positive_int}
    taxonomy = "domains"

    def scope(self) -> Scope:
        size = self.config.wispgate_listing_page_size
        if self.taxonomy == "domains":
            return Scope(domain=self.arguments[0], part=self.part(), size=size)
        return Scope(use_case=self.arguments[0], part=self.part(), size=size)

    def doc(self, part: int) -> str:
        make = domain_doc if self.taxonomy == "domains" else use_case_doc
        return make(self.config, self.arguments[0], part)

    def run(self) -> list[nodes.Node]:
        catalog = self.catalog
        key = self.arguments[0]
        entry = getattr(catalog, self.taxonomy).get(key)
        if entry is None:
            self.note_listing(Kind.ids, self.scope())
            self.unknown(f"unknown {self.taxonomy[:-1].replace('_', ' ')} '{key}'")
            return []
        whole = self.scope().whole()
        self.note_listing(self.kind, whole)  # the count, the parts and the navigation
        members = whole.members(catalog)
        out: list[nodes.Node] = [text_para(entry.description, ("wg-lead",))]
        n = len(members)
        out.append(text_para(f"{n} connector{'s' if n != 1 else ''}.", ("wg-page-count",)))
        labels = self.part_labels(n)
        docs = [(label, self.doc(k + 1)) for k, label in enumerate(labels)]
        if len(docs) > 1:
            out.append(self.pages_line("Pages", docs, self.env.docname))
        out.append(self.cards(self.scope()))
        if len(docs) > 1:
            out.append(self.pages_line("Pages", docs, self.env.docname))
        if self.part() == 1:
            nav: list[str] = []
            if self.taxonomy == "domains":
                # the page found in the sources before reading: guides read after this page count
                pages = documented(self.env)
                nav = [pages.get(c.id, (state.of(self.env).guide_pages.get(c.id, c.docname),))[0] for c in members]
                nav = [d for d in nav if d in self.env.found_docs]
            later = {doc: f"{entry.title} ({lbl})" for lbl, doc in docs[1:] if doc in self.env.found_docs}
            nav += list(later)
            if nav:
                out.append(hidden_toctree(self.env.docname, nav, titles=later))
        return out


class UseCasePageDirective(DomainPageDirective):
    kind = Kind.ids
    taxonomy = "use_cases"


class NavigationDirective(CatalogDirective):
    """The site's catalog toctrees, in data order: domains, then use cases."""

    kind = Kind.ids
    option_spec = {"caption": directives.unchanged}
    required_arguments = 1  # domains | use-cases

    def run(self) -> list[nodes.Node]:
        self.listed()
        catalog = self.catalog
        which = self.arguments[0]
        if which == "domains":
            docs = [domain_doc(self.config, k) for k in catalog.domains]
        elif which == "use-cases":
            docs = [use_case_doc(self.config, k) for k in catalog.use_cases]
        else:
            self.unknown(f"catalog-toctree takes 'domains' or 'use-cases', not '{which}'")
            return []
        return [hidden_toctree(self.env.docname, docs, caption=self.options.get("caption"), hidden=True)]


class SplitDirective(CatalogDirective):
    """A listing of every connector, cut into part pages by domain (and past the page
    size, into more parts; see :mod:`.generate`).  Without ``:domain:`` it is the index of
    its parts; with it, one part."""

    abstract = True
    #: the page's key in :data:`.generate.SPLIT`
    page: ClassVar[str]
    #: ``#<prefix>-<id>`` anchors on the parts, forwarded from the index page by the script
    anchor_prefix: ClassVar[str] = ""
    option_spec = {"domain": directives.unchanged, "part": directives.positive_int}

    def scope(self) -> Scope:
        key = self.options.get("domain")
        if key is None:
            return ALL
        return Scope(domain=key, part=self.part(), size=self.config.wispgate_listing_page_size)

    def part_body(self) -> list[nodes.Node]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        key = self.options.get("domain")
        if key is None:
            return self.index()
        d = self.catalog.domains.get(key)
        if d is None:
            self.note_listing(self.kind, self.scope())
            self.unknown(f"unknown domain '{key}'")
            return []
        self.note_listing(Kind.ids, self.scope().whole())  # the count and the other parts
        if self.part() > 1 and self.env.docname == split_doc(self.config, self.page, key, self.part()):
            self.env.metadata[self.env.docname]["orphan"] = True  # linked from its first part, not in the navigation
        total = len(self.scope().whole().members(self.catalog))
        docs = [
            (label, split_doc(self.config, self.page, key, k + 1)) for k, label in enumerate(self.part_labels(total))
        ]
        home = f"{self.config.wispgate_listing_pages}/{self.page}"
        title = SPLIT[self.page][1]
        back: nodes.Node = (
            self.doc_ref(home, [texted(nodes.inline, title)]) if home in self.env.found_docs else nodes.Text(title)
        )
        count = f"{total} connector{'s' if total != 1 else ''}"
        out: list[nodes.Node] = [
            nodes.paragraph(
                "",
                "",
                self.doc_ref(domain_doc(self.config, key), [texted(nodes.inline, d.title)]),
                nodes.Text(f", {count}. Every domain: "),
                back,
                nodes.Text("."),
                classes=["wg-parts-lead"],
            )
        ]
        if len(docs) > 1:
            out.append(self.pages_line("Pages", docs, self.env.docname))
        body = self.part_body()
        out += body or [text_para("No connectors in this domain yet.", ("wg-empty",))]
        return out

    def index(self) -> list[nodes.Node]:
        """Every domain with its connector count and a link to each of its parts."""
        self.note_listing(Kind.ids, ALL)
        catalog = self.catalog
        home = f"{self.config.wispgate_listing_pages}/{self.page}"
        if self.env.docname != home:
            warn(
                Subtype.page,
                f"the parts of this listing are generated for the page {home} only: "
                f"put the directive there, or give :domain: to show one domain here",
                self.get_location(),
            )
            return []
        lst = nodes.bullet_list(classes=["wg-parts"])
        nav: list[str] = []
        titles: dict[str, str] = {}
        for key, d in catalog.domains.items():
            total = len(catalog.by_domain(key))
            docs = [
                (lbl, split_doc(self.config, self.page, key, k + 1)) for k, lbl in enumerate(self.part_labels(total))
            ]
            docs = [(lbl, doc) for lbl, doc in docs if doc in self.env.found_docs]
            if not docs:
                continue
            # the navigation holds each domain's first part: it stays the same size as the catalog
            # grows; later parts are reached from here and from the first ("Pages: ...")
            nav.append(docs[0][1])
            titles[docs[0][1]] = d.title
            lst += self.parts_item(d.title, f"{total} connector{'s' if total != 1 else ''}", docs)
        out: list[nodes.Node] = [lst]
        if self.anchor_prefix:
            size = self.config.wispgate_listing_page_size
            base = html.escape(f"{self.config.wispgate_listing_pages}/{self.page}/")
            forward = (
                f'<div class="wg-parts-forward" data-wg-parts="{self.anchor_prefix}" data-wg-base="{base}"'
                f' data-wg-page-size="{size}" hidden></div>'
            )
            out.append(nodes.raw("", forward, format="html"))
        if nav:
            out.append(hidden_toctree(self.env.docname, nav, titles=titles))
        return out


class MatrixDirective(SplitDirective):
    """Connectors against use cases, with type and complexity: a sortable table per domain part."""

    kind = Kind.matrix
    page = "matrix"

    def part_body(self) -> list[nodes.Node]:
        members = self.listed()
        if not members:
            return []
        cases = list(self.catalog.use_cases.items())
        headers = ["Connector", "Status", "Type", "Complexity", *(u.title for _, u in cases)]
        table = nodes.table(classes=["wg-matrix", "wg-sortable"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for i in range(len(headers)):
            group += nodes.colspec(colwidth=3 if i == 0 else 2 if i == 1 else 1)
        head = nodes.thead()
        head += nodes.row("", *(nodes.entry("", text_para(h)) for h in headers))
        group += head
        body = nodes.tbody()
        for c in members:
            cells = [
                nodes.entry("", nodes.paragraph("", "", self.connector_ref(c))),
                nodes.entry("", nodes.paragraph("", "", status_badge(c.status)), classes=[f"wg-sort-{c.status}"]),
                nodes.entry("", text_para(c.type)),
                nodes.entry(
                    "", nodes.paragraph("", "", complexity_badge(c.complexity)), classes=[f"wg-sort-{c.complexity}"]
                ),
            ]
            for ukey, _ in cases:
                mark = "✓" if ukey in c.use_cases else "–"
                cells.append(nodes.entry("", text_para(mark, ("wg-yes",) if mark == "✓" else ("wg-no",))))
            body += nodes.row("", *cells)
        group += body
        return [table]


class WhatsNewDirective(CatalogDirective):
    """Every connector's version notes merged, newest first: the latest on the page
    itself, the rest on one page per year (cut into parts past the page size)."""

    kind = Kind.versions
    option_spec = {"year": directives.unchanged, "part": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        entries = sorted(
            ((v.date, c.name.lower(), c, v) for c in self.listed() for v in c.notes),
            key=lambda e: e[1],
        )
        entries.sort(key=lambda e: e[0], reverse=True)  # stable: newest first, then by name
        size = self.config.wispgate_listing_page_size
        year = self.options.get("year")
        out: list[nodes.Node] = []
        if year is None:
            shown = entries[:size]
        else:
            mine = [e for e in entries if e[0][:4] == year]
            docs = [
                (lbl, split_doc(self.config, WHATS_NEW, year, k + 1))
                for k, lbl in enumerate(self.part_labels(len(mine)))
            ]
            if len(docs) > 1:
                out.append(self.pages_line("Pages", docs, self.env.docname))
            shown = mine[(self.part() - 1) * size : self.part() * size]
        lst = nodes.definition_list(classes=["wg-whats-new"])
        for date, _, c, v in shown:
            term = nodes.term("", "", nodes.Text(f"{date} · "), self.connector_ref(c), nodes.Text(f" {v.version}"))
            if c.status != "ga":
                term += [nodes.Text(" "), status_badge(c.status)]
            items = nodes.bullet_list()
            for change in v.changes:
                items += nodes.list_item(
                    "", nodes.paragraph("", "", *markup.inline(change, self.state.document, Loc(c.path, v.line)))
                )
            lst += nodes.definition_list_item("", term, nodes.definition("", items))
        out.append(lst if shown else text_para("No version notes yet.", ("wg-empty",)))
        if year is None:
            out += self.years()
        return out

    def years(self) -> list[nodes.Node]:
        """Every year's notes, each on its own page(s)."""
        lst = nodes.bullet_list(classes=["wg-parts"])
        nav: list[str] = []
        titles: dict[str, str] = {}
        for year, count in note_years(self.catalog).items():
            docs = [
                (lbl, split_doc(self.config, WHATS_NEW, year, k + 1)) for k, lbl in enumerate(self.part_labels(count))
            ]
            docs = [(lbl, doc) for lbl, doc in docs if doc in self.env.found_docs]
            if not docs:
                continue
            nav += [doc for _, doc in docs]
            titles.update({doc: year if k == 0 else f"{year} ({lbl})" for k, (lbl, doc) in enumerate(docs)})
            lst += self.parts_item(year, f"{count} note{'s' if count != 1 else ''}", docs)
        if not nav:
            return []
        title = "Every note, by year"
        return [
            nodes.rubric(title, title, classes=["wg-years"]),
            lst,
            hidden_toctree(self.env.docname, nav, titles=titles),
        ]


class TroubleshootingIndexDirective(SplitDirective):
    """Every failure point of every connector, by symptom, linking to its guide."""

    kind = Kind.failures
    page = "troubleshooting"

    def part_body(self) -> list[nodes.Node]:
        members = self.listed()
        if not members:
            return []
        rows = sorted(((f.symptom.lower(), f, c) for c in members for f in c.failures), key=lambda r: r[0])
        lst = nodes.definition_list(classes=["wg-trouble-index"])
        for _, f, c in rows:
            loc = Loc(c.path, f.line)
            term = nodes.term("", "", *markup.inline(f.symptom, self.state.document, loc))
            where = self.connector_ref(c)
            if isinstance(where, addnodes.pending_xref):
                where = addnodes.pending_xref(
                    "",
                    texted(nodes.inline, c.name),
                    refdomain="std",
                    reftype="ref",
                    reftarget=f"{c.id}-troubleshooting",
                    refexplicit=True,
                    refwarn=True,
                    refdoc=self.env.docname,
                )
            definition = nodes.definition(
                "",
                nodes.paragraph("", "", nodes.strong("Connector: ", "Connector: "), where),
                nodes.paragraph(
                    "", "", nodes.strong("Cause: ", "Cause: "), *markup.inline(f.cause, self.state.document, loc)
                ),
            )
            lst += nodes.definition_list_item("", term, definition)
        return [lst]


class DomainTablesDirective(SplitDirective):
    """A sortable table per domain part, a row (or rows) per connector, each connector with an anchor."""

    abstract = True
    headers: ClassVar[list[str]]
    widths: ClassVar[list[int]]
    anchor_prefix: ClassVar[str]

    def rows(self, c: Any) -> list[list[list[nodes.Node]]]:
        raise NotImplementedError

    def part_body(self) -> list[nodes.Node]:
        members = self.listed()
        if not members:
            return []
        rows: list[list[list[nodes.Node]]] = []
        for c in members:
            for i, row in enumerate(self.rows(c)):
                first = row[0]
                if i == 0:  # a stable anchor per connector: #<prefix>-<id>
                    first.insert(0, nodes.target("", "", ids=[f"{self.anchor_prefix}-{c.id}"]))
                rows.append(row)
        return [table(self.headers, rows, self.widths, classes=("wg-sortable", f"wg-{self.anchor_prefix}-table"))]


class PortsDirective(DomainTablesDirective):
    """Every network rule of every connector: the firewall page."""

    kind = Kind.network
    headers = ["Connector", "From", "To", "Protocol", "Ports", "Purpose"]
    widths = [14, 10, 14, 8, 10, 22]
    anchor_prefix = "ports"
    page = "ports"

    def rows(self, c: Any) -> list[list[list[nodes.Node]]]:
        return [
            [
                [self.connector_ref(c)],
                *rule_cells(
                    rule.source,
                    rule.target,
                    rule.host,
                    rule.protocol,
                    rule.ports,
                    markup.inline(rule.purpose, self.state.document, Loc(c.path, rule.line)),
                    rule.optional,
                ),
            ]
            for rule in c.rules
        ]


class CompatibilityDirective(DomainTablesDirective):
    """Product, supported range, tested versions and last verification of every connector."""

    kind = Kind.compatibility
    headers = ["Connector", "Status", "Product", "Supported", "Tested with", "Last verified"]
    widths = [14, 10, 10, 14, 10, 16]
    anchor_prefix = "compatibility"
    page = "compatibility"

    def rows(self, c: Any) -> list[list[list[nodes.Node]]]:
        loc = Loc(c.path, c.line)
        verified: list[nodes.Node] = [
            nodes.Text(f"{c.verified[0]} against {c.verified[1]}" if c.verified else "not recorded")
        ]
        if c.stale_days is not None:
            verified += [nodes.Text(" "), badge("Needs re-verification", "danger", extra=("wg-stale",))]
        return [
            [
                [self.connector_ref(c)],
                [status_badge(c.status)],
                markup.inline(c.product, self.state.document, loc),
                markup.inline(c.supported, self.state.document, loc),
                [nodes.Text(", ".join(c.tested))],
                verified,
            ]
        ]


class OutageDirective(DomainTablesDirective):
    """What each connector's outage does to subscribers and staff: the NOC's page."""

    kind = Kind.outage
    headers = ["Connector", "Fail mode", "Subscribers notice", "Staff notice", "When it returns"]
    widths = [14, 10, 18, 18, 18]
    anchor_prefix = "outage"
    page = "outage"

    def rows(self, c: Any) -> list[list[list[nodes.Node]]]:
        loc = Loc(c.path, c.line)
        doc = self.state.document
        return [
            [
                [self.connector_ref(c)],
                [fail_mode_badge(c.fail_mode)],
                markup.inline(c.subscribers, doc, loc),
                markup.inline(c.operations, doc, loc),
                markup.inline(" ".join(c.recovery.split()), doc, loc),
            ]
        ]


class VendorChangesDirective(CatalogDirective):
    """Vendor-side changes, newest first, each linking the guides it affects."""

    kind = Kind.ids

    def run(self) -> list[nodes.Node]:
        shown = {v.id: v for v in self.listed()}
        path = state.layout(self.env).vendor_changes
        self.env.note_dependency(str(self.catalog.root / path))
        out: list[nodes.Node] = []
        for ch in self.catalog.vendor_changes:
            loc = Loc(path.as_posix(), ch.line)
            title = f"{ch.vendor} {ch.product} {ch.version}"
            section = nodes.section(
                "",
                texted(nodes.title, title),
                ids=[f"change-{ch.id}"],
                names=[f"change-{ch.id}"],
                classes=["wg-vendor-change"],
            )
            date = ch.date or "date not confirmed"
            facts = nodes.field_list()
            facts += field("Released", [nodes.paragraph(date, date)])
            facts += field(
                "What changed", [nodes.paragraph("", "", *markup.inline(ch.summary, self.state.document, loc))]
            )
            facts += field("What to do", [nodes.paragraph("", "", *markup.inline(ch.action, self.state.document, loc))])
            guides: list[nodes.Node] = []
            for cid in ch.connectors:
                if cid in shown:
                    guides += [self.connector_ref(shown[cid]), nodes.Text(", ")]
            facts += field("Guides", [nodes.paragraph("", "", *guides[:-1])])
            source = nodes.reference(ch.source.title, "", texted(nodes.inline, ch.source.title), refuri=ch.source.url)
            facts += field("Source", [nodes.paragraph("", "", source)])
            section += facts
            self.state.document.note_explicit_target(section, section)
            out.append(section)
        return out


def field(label: str, body: list[nodes.Node]) -> nodes.field:
    return nodes.field("", texted(nodes.field_name, label), nodes.field_body("", *body))


DIRECTIVES = {
    "catalog-hero": HeroDirective,
    "catalog-domains": DomainsDirective,
    "catalog-cards": CardsDirective,
    "catalog-use-cases": UseCasesDirective,
    "catalog-browse": BrowseDirective,
    "catalog-domain": DomainPageDirective,
    "catalog-use-case": UseCasePageDirective,
    "catalog-toctree": NavigationDirective,
    "catalog-matrix": MatrixDirective,
    "catalog-whats-new": WhatsNewDirective,
    "catalog-troubleshooting": TroubleshootingIndexDirective,
    "catalog-ports": PortsDirective,
    "catalog-compatibility": CompatibilityDirective,
    "catalog-outage": OutageDirective,
    "catalog-vendor-changes": VendorChangesDirective,
}


def setup_pages(app: Sphinx) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
