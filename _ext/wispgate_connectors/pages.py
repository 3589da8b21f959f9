"""Catalog pages built from the data: landing blocks, domain and use-case pages,
the comparison matrix, what's new, the troubleshooting index and catalog.json.

Every directive here is a *listing*: it shows many connectors, so its page is
recorded in the domain and re-read when what listings show changes (see
``extension.listing_pages_to_reread``), not on every YAML edit.  Connector cards
are built as the page is written (:mod:`.cards`): a card edit only re-writes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component

from . import markup, state
from .cards import (
    FillCards, LinkClasses, card, grid, grid_item, placeholder, stretched, text_para, visit_filter_html, wg_cards,
    wg_filter,
)
from .catalog import SCHEMA_FILE, Catalog, Connector, Subtype
from .domain import DOMAIN, documented
from .guard import write_generated
from .render import SECTIONS, badge, complexity_badge, connector_link, tab_set

logger = logging.getLogger(__name__)

DOMAIN_DIR = "catalog/domains"
USE_CASE_DIR = "catalog/use-cases"
GENERATED_NOTE = "<!-- Generated from data/ at every build; edits here are overwritten. -->\n"


def domain_doc(key: str) -> str:
    return f"{DOMAIN_DIR}/{key}"


def use_case_doc(key: str) -> str:
    return f"{USE_CASE_DIR}/{key}"


# --- generated source files -----------------------------------------------------


def write_generated_pages(app: Sphinx) -> None:
    """One page per domain and per use case, so a new taxonomy entry needs no edit.

    Files are rewritten only when their text changes, so unchanged pages keep
    their mtime and are not re-read.
    """
    catalog = state.catalog(app.env)
    wanted: dict[Path, str] = {}
    for kind, folder, entries in (
        ("domain", DOMAIN_DIR, catalog.domains), ("use-case", USE_CASE_DIR, catalog.use_cases)
    ):
        for key, entry in entries.items():
            wanted[Path(app.srcdir) / folder / f"{key}.md"] = (
                f"{GENERATED_NOTE}# {myst_escape(entry.title)}\n\n```{{catalog-{kind}}} {key}\n```\n"
            )
    # never through a link, never outside the project, never a page it did not write
    write_generated(app, (DOMAIN_DIR, USE_CASE_DIR), wanted, GENERATED_NOTE)


def myst_escape(text: str) -> str:
    """Make data text literal in MyST: CommonMark lets a backslash escape any ASCII punctuation."""
    return _PUNCTUATION.sub(r"\\\g<0>", " ".join(text.split()))


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


# --- node helpers ---------------------------------------------------------------------


def skip_node(self, node) -> None:
    raise nodes.SkipNode


def hidden_toctree(docname: str, entries: list[str], caption: str | None = None, hidden: bool = True) -> nodes.compound:
    toctree = addnodes.toctree()
    toctree["parent"] = docname
    toctree["entries"] = [(None, doc) for doc in entries]
    toctree["includefiles"] = list(entries)
    toctree["maxdepth"] = 1
    toctree["caption"] = caption
    toctree["glob"] = False
    toctree["hidden"] = hidden
    toctree["includehidden"] = False
    toctree["numbered"] = 0
    toctree["titlesonly"] = True
    return nodes.compound("", toctree, classes=["toctree-wrapper"])


#: Listing kinds (what a listing shows of each connector, see ``Connector.listing_digest``:
#: taxonomies, ids, cards, matrix, versions, failures) built when the page is written
#: (:mod:`.cards`): a change to them re-writes the page instead of re-reading it.
WRITTEN_KINDS = frozenset({"cards"})


class ListingDirective(SphinxDirective):
    """Base for directives that list connectors."""

    kind = "ids"

    def scope(self) -> str | None:
        """Which connectors this listing shows (see ``Catalog.scoped``); None for all."""
        return None

    def setup_listing(self) -> Catalog:
        self.note_listing(self.kind, self.scope())
        return state.catalog(self.env)

    def note_listing(self, kind: str, scope: str | None) -> None:
        self.env.get_domain(DOMAIN).note_listing(self.env.docname, kind, scope)

    def cards(self, scope: str | None, **options) -> wg_cards:
        """Connector cards, filled in when the page is written."""
        self.note_listing("cards", scope)
        node = placeholder(scope, **options)
        self.set_source_info(node)
        return node

    def loc(self) -> str:
        return self.get_location()

    def connector_ref(self, c: Connector, name: str | None = None) -> nodes.Node:
        """A link to a connector's guide; plain text while its page does not exist yet.

        The missing page is reported once, at the YAML file; cards need not repeat it.
        """
        name = name or c.name
        if c.docname not in self.env.found_docs:
            return nodes.inline(name, name)
        return connector_link(c.id, name, self.env.docname)

    def doc_ref(self, docname: str, children: list[nodes.Node]) -> addnodes.pending_xref:
        return addnodes.pending_xref(
            "", *children, refdomain=DOMAIN, reftype="page", reftarget=docname,
            refexplicit=True, refwarn=True, refdoc=self.env.docname,
        )


# --- landing blocks -------------------------------------------------------------------


class HeroDirective(ListingDirective):
    """Live counts: connectors, integration domains, implementation sections per guide."""

    kind = "ids"

    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        stats = [
            (len(catalog.connectors), "Connectors", "wg-count-connectors"),
            (len(catalog.domains), "Integration domains", "wg-count-domains"),
            (len(SECTIONS), "Implementation sections per guide", "wg-count-sections"),
        ]
        items = []
        for number, label, cls in stats:
            box = create_component("wg-stat", ["wg-stat", cls])
            box += nodes.paragraph("", "", nodes.strong(str(number), str(number), classes=["wg-stat-number"]),
                                   nodes.Text(" "), nodes.inline(label, label, classes=["wg-stat-label"]))
            items.append(box)
        return [create_component("wg-hero", ["wg-hero"], children=items)]


class DomainsDirective(ListingDirective):
    """The integration domains as cards, each with its description and connector count."""

    kind = "ids"

    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        items = []
        for key, d in catalog.domains.items():
            n = len(catalog.by_domain(key))
            link = stretched(self.doc_ref(domain_doc(key), [nodes.inline(d.title, d.title)]))
            count = f"{n} connector{'s' if n != 1 else ''}"
            box = card([nodes.Text(d.title)], [text_para(d.description)],
                       [badge(count, "secondary", extra=("wg-domain-count",))], link, classes=("wg-domain-card", f"wg-domain-{key}"))
            self.set_source_info(box)
            items.append(grid_item(box))
        return [grid(items, columns="1 2 2 4", classes=("wg-domains",))]


class CardsDirective(ListingDirective):
    """Connector cards: all, featured, or those of one domain or use case; optionally with the filter."""

    option_spec = {
        "featured": directives.flag,
        "domain": directives.unchanged,
        "use-case": directives.unchanged,
        "filter": directives.flag,
        "compact": directives.flag,
    }

    def scope(self) -> str | None:
        parts = ["featured"] if "featured" in self.options else []
        parts += [f"{o}:{self.options[o]}" for o in ("domain", "use-case") if o in self.options]
        return ",".join(parts) or None

    def run(self) -> list[nodes.Node]:
        self.note_listing("taxonomies", None)  # the filter and the checks below are made while reading
        catalog = state.catalog(self.env)
        for option, known in (("domain", catalog.domains), ("use-case", catalog.use_cases)):
            key = self.options.get(option)
            if key is not None and key not in known:
                logger.warning(f"unknown {option} '{key}'", location=self.loc(), type="wispgate", subtype=Subtype.reference.value)
        out: list[nodes.Node] = []
        target = f"wg-cards-{self.env.new_serialno('wg-cards')}"
        if "filter" in self.options:
            form = wg_filter(target=target)
            form["domains"] = [(k, d.title) for k, d in catalog.domains.items()]
            form["use_cases"] = [(k, u.title) for k, u in catalog.use_cases.items()]
            out.append(form)
        out.append(self.cards(self.scope(), compact="compact" in self.options, ids=(target,)))
        return out


class UseCasesDirective(ListingDirective):
    """Connectors grouped by use case, one tab per use case.

    Featured connectors come first; past ``:limit:`` cards a tab links to the
    use-case page, so the landing page stays light as the catalog grows.
    """

    option_spec = {"limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        limit = self.options.get("limit", 12)
        tabs = []
        for key, uc in catalog.use_cases.items():
            n = len(catalog.by_use_case(key))
            label = f"All {n} {uc.title} connectors" if n > limit else "Use-case page"
            intro = nodes.paragraph("", "", nodes.Text(uc.description + " "),
                                    self.doc_ref(use_case_doc(key), [nodes.inline(label, label)]))
            cards = self.cards(f"use-case:{key}", compact=True, featured_first=True, limit=limit)
            tabs.append((f"{uc.title} ({n})", [intro, cards]))
        return [tab_set(tabs, classes=("wg-use-case-tabs",))]


# --- catalog pages ----------------------------------------------------------------------


class DomainPageDirective(ListingDirective):
    """A domain page: description, its connectors as cards, and their place in the navigation."""

    required_arguments = 1
    taxonomy = "domains"

    def members(self, catalog: Catalog, key: str) -> list[Connector]:
        return catalog.by_domain(key)

    def scope(self) -> str | None:
        return f"{'domain' if self.taxonomy == 'domains' else 'use-case'}:{self.arguments[0]}"

    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        key = self.arguments[0]
        entry = getattr(catalog, self.taxonomy).get(key)
        if entry is None:
            logger.warning(f"unknown {self.taxonomy[:-1].replace('_', ' ')} '{key}'", location=self.loc(),
                           type="wispgate", subtype=Subtype.reference.value)
            return []
        members = self.members(catalog, key)
        pages = documented(self.env)
        out: list[nodes.Node] = [text_para(entry.description, ("wg-lead",))]
        n = len(members)
        out.append(text_para(f"{n} connector{'s' if n != 1 else ''}.", ("wg-page-count",)))
        out.append(self.cards(self.scope()))
        if self.taxonomy == "domains":
            # the page found in the sources before reading: guides read after this page count
            docs = [pages.get(c.id, (state.guide_pages.get(c.id, c.docname),))[0] for c in members]
            docs = [d for d in docs if d in self.env.found_docs]
            if docs:
                out.append(hidden_toctree(self.env.docname, docs))
        return out


class UseCasePageDirective(DomainPageDirective):
    taxonomy = "use_cases"

    def members(self, catalog: Catalog, key: str) -> list[Connector]:
        return catalog.by_use_case(key)


class NavigationDirective(ListingDirective):
    """The site's catalog toctrees, in data order: domains, then use cases."""

    kind = "ids"

    option_spec = {"caption": directives.unchanged}
    required_arguments = 1  # domains | use-cases

    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        which = self.arguments[0]
        if which == "domains":
            docs = [domain_doc(k) for k in catalog.domains]
        elif which == "use-cases":
            docs = [use_case_doc(k) for k in catalog.use_cases]
        else:
            logger.warning(f"catalog-toctree takes 'domains' or 'use-cases', not '{which}'", location=self.loc(),
                           type="wispgate", subtype=Subtype.reference.value)
            return []
        return [hidden_toctree(self.env.docname, docs, caption=self.options.get("caption"), hidden=True)]


class MatrixDirective(ListingDirective):
    """Connectors against use cases, with type and complexity: one sortable table per domain."""

    kind = "matrix"

    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        out: list[nodes.Node] = []
        cases = list(catalog.use_cases.items())
        for key, d in catalog.domains.items():
            members = catalog.by_domain(key)
            if not members:
                continue
            headers = ["Connector", "Type", "Complexity", *(u.title for _, u in cases)]
            table = nodes.table(classes=["wg-matrix", "wg-sortable"])
            group = nodes.tgroup(cols=len(headers))
            table += group
            for i in range(len(headers)):
                group += nodes.colspec(colwidth=3 if i == 0 else 1)
            head = nodes.thead()
            head += nodes.row("", *(nodes.entry("", text_para(h)) for h in headers))
            group += head
            body = nodes.tbody()
            for c in members:
                cells = [
                    nodes.entry("", nodes.paragraph("", "", self.connector_ref(c))),
                    nodes.entry("", text_para(c.type)),
                    nodes.entry("", nodes.paragraph("", "", complexity_badge(c.complexity)), classes=[f"wg-sort-{c.complexity}"]),
                ]
                for ukey, _ in cases:
                    mark = "✓" if ukey in c.use_cases else "–"
                    cells.append(nodes.entry("", text_para(mark, ("wg-yes",) if mark == "✓" else ("wg-no",))))
                body += nodes.row("", *cells)
            group += body
            title = nodes.title(d.title, "", self.doc_ref(domain_doc(key), [nodes.Text(d.title)]))
            table.insert(0, title)
            out.append(table)
        return out


class WhatsNewDirective(ListingDirective):
    """Every connector's version notes merged, newest first."""

    kind = "versions"
    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        entries = sorted(
            ((v.date, c.name.lower(), c, v) for c in catalog.connectors.values() for v in c.versions),
            key=lambda e: e[1],
        )
        entries.sort(key=lambda e: e[0], reverse=True)  # stable: newest first, then by name
        lst = nodes.definition_list(classes=["wg-whats-new"])
        for date, _, c, v in entries:
            term = nodes.term("", "", nodes.Text(f"{date} · "), self.connector_ref(c),
                              nodes.Text(f" {v.version}"))
            items = nodes.bullet_list()
            for change in v.changes:
                items += nodes.list_item("", nodes.paragraph("", "", *markup.inline(change, self.state.document, f"{c.path}:{v.line}")))
            lst += nodes.definition_list_item("", term, nodes.definition("", items))
        return [lst]


class TroubleshootingIndexDirective(ListingDirective):
    """Every failure point of every connector, by symptom, linking to its guide."""

    kind = "failures"
    def run(self) -> list[nodes.Node]:
        catalog = self.setup_listing()
        out: list[nodes.Node] = []
        for key, d in catalog.domains.items():
            members = catalog.by_domain(key)
            if not members:
                continue
            rows = sorted(((f.symptom.lower(), f, c) for c in members for f in c.failures), key=lambda r: r[0])
            sec_id = f"troubleshooting-{key}"
            section = nodes.section("", nodes.title(d.title, d.title), ids=[sec_id], names=[sec_id])
            lst = nodes.definition_list(classes=["wg-trouble-index"])
            for _, f, c in rows:
                loc = f"{c.path}:{f.line}"
                term = nodes.term("", "", *markup.inline(f.symptom, self.state.document, loc))
                where = self.connector_ref(c)
                if isinstance(where, addnodes.pending_xref):
                    where = addnodes.pending_xref(
                        "", nodes.inline(c.name, c.name), refdomain="std", reftype="ref",
                        reftarget=f"{c.id}-troubleshooting", refexplicit=True, refwarn=True, refdoc=self.env.docname,
                    )
                definition = nodes.definition(
                    "", nodes.paragraph("", "", nodes.strong("Connector: ", "Connector: "), where),
                    nodes.paragraph("", "", nodes.strong("Cause: ", "Cause: "), *markup.inline(f.cause, self.state.document, loc)),
                )
                lst += nodes.definition_list_item("", term, definition)
            section += lst
            self.state.document.note_explicit_target(section, section)
            out.append(section)
        return out


DIRECTIVES = {
    "catalog-hero": HeroDirective,
    "catalog-domains": DomainsDirective,
    "catalog-cards": CardsDirective,
    "catalog-use-cases": UseCasesDirective,
    "catalog-domain": DomainPageDirective,
    "catalog-use-case": UseCasePageDirective,
    "catalog-toctree": NavigationDirective,
    "catalog-matrix": MatrixDirective,
    "catalog-whats-new": WhatsNewDirective,
    "catalog-troubleshooting": TroubleshootingIndexDirective,
}


# --- catalog.json ---------------------------------------------------------------------

CATALOG_SCHEMA = SCHEMA_FILE.with_name("catalog.schema.json")


def export_catalog(app: Sphinx, exception: Exception | None) -> None:
    """Write catalog.json (and the schemas it follows) at the root of every HTML build."""
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    catalog = state.catalog(app.env)
    pages = documented(app.env)
    connectors = []
    for c in catalog.sorted():
        docname = pages.get(c.id, (c.docname,))[0]
        connectors.append({
            "id": c.id, "name": c.name, "vendor": c.vendor, "domain": c.domain, "type": c.type,
            "complexity": c.complexity, "complexity_note": c.complexity_note, "featured": c.featured,
            "summary": c.summary, "use_cases": list(c.use_cases),
            "url": app.builder.get_target_uri(docname),
            "prerequisites": list(c.prerequisites),
            "fields": [
                {k: v for k, v in {
                    "name": f.name, "required": f.required, "type": f.type, "description": f.description,
                    # a secret's default is published like its example: neither goes out
                    "secret": f.secret, "default": None if f.secret else f.default,
                    "example": None if f.secret else f.example,
                    "choices": list(f.choices) or None, "where": f.where,
                }.items() if v is not None}
                for f in c.fields
            ],
            "sections": {key: f"{app.builder.get_target_uri(docname)}#{c.id}-{key}" for key, _ in SECTIONS},
            "versions": [{"version": v.version, "date": v.date, "changes": list(v.changes)} for v in c.versions],
            "verified": {"date": c.verified.date, "against": c.verified.against} if c.verified else None,
        })
    data = {
        "$schema": "schema/catalog.schema.json",
        "version": 1,
        "project": app.config.project,
        "domains": [{"key": k, "title": d.title, "description": d.description,
                     "url": app.builder.get_target_uri(domain_doc(k))} for k, d in catalog.domains.items()],
        "use_cases": [{"key": k, "title": u.title, "description": u.description,
                       "url": app.builder.get_target_uri(use_case_doc(k))} for k, u in catalog.use_cases.items()],
        "connectors": connectors,
    }
    out = Path(app.outdir)
    (out / "catalog.json").write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "schema").mkdir(exist_ok=True)
    for schema in (CATALOG_SCHEMA, SCHEMA_FILE):
        shutil.copyfile(schema, out / "schema" / schema.name)


def setup_pages(app: Sphinx) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_node(
        wg_filter, html=(visit_filter_html, None), text=(skip_node, None), latex=(skip_node, None),
        man=(skip_node, None), texinfo=(skip_node, None),
    )
    # always filled by FillCards; the visitors only keep a stray one harmless
    app.add_node(wg_cards, **{fmt: (skip_node, None) for fmt in ("html", "text", "latex", "man", "texinfo")})
    app.add_post_transform(FillCards)
    from .degrade import DegradeForOffline

    app.add_post_transform(LinkClasses)
    app.add_post_transform(DegradeForOffline)
    app.connect("builder-inited", write_generated_pages)
    app.connect("build-finished", export_catalog)
