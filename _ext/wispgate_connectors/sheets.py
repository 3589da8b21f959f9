"""Commissioning sheets: one printable page per connector, and ``validation.json``.

A sheet turns a guide's data into the paper a technician fills in on site: blanks
for every required value (secrets only as "entered: yes / no", never a value),
every validation check as a checkbox with how to run it and what success looks
like, the post-deployment checklist and sign-off lines.  ``validation.json``
carries the same checks with stable ids, so WISPGate or a script can run them and
attach the results to a job.

The HTML builders write each sheet as a page of its own, straight from the catalog
(:func:`sheet_pages`), not as one of Sphinx's documents: a thousand generated
documents doubled what every build reads, pickles and checks, for pages that show
nothing but one connector's data.  A sheet page is written again only when what it
shows, or the frame every page shares, changed.  The other builders (ePub, text,
single page) keep one generated document per sheet, so the sheets are in their
book and their table of contents.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.environment import CONFIG_OK
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from . import markup, safety, state
from .components import (
    doc_link,
    hidden_toctree,
    holding,
    holds_no_components,
    qualified,
    skip_node,
    table,
    text_para,
    texted,
)
from .domain import documented
from .listing import Kind, ListingDirective, Scope, SheetView, has_listing, shown, views
from .memory import between_documents
from .model import SCHEMA_DIR, Connector
from .navigation import navigation, uses_navigation
from .report import Loc, Subtype, warn

BOX = "☐"
VALIDATION_SCHEMA = SCHEMA_DIR / "validation.schema.json"


#: builders that write each sheet as a page of its own rather than as a document
PAGE_BUILDERS = frozenset({"html", "dirhtml"})
#: per builder, the key each sheet page was last written with
PAGES_CACHE = "wispgate-sheets-{builder}.pickle"
#: post-transforms that only handle nodes a sheet never holds (directives', images, object
#: descriptions, ``only``, card and sheet placeholders): modules, and single transforms
NOT_FOR_SHEETS = ("sphinx_design.", "sphinx.domains.c.", "sphinx.domains.cpp.", "sphinx.builders.latex.")
NOT_FOR_SHEETS_NAMED = frozenset(
    {
        "sphinx.transforms.post_transforms.OnlyNodeTransform",
        "sphinx.transforms.post_transforms.PropagateDescDomain",
        "sphinx.transforms.post_transforms.SigElementFallbackTransform",
        "sphinx.transforms.post_transforms.images.ImageDownloader",
        "sphinx.transforms.post_transforms.images.DataURIExtractor",
        "wispgate_connectors.cards.FillCards",
        "wispgate_connectors.sheets.FillSheets",
        "wispgate_connectors.components.LinkClasses",
        "wispgate_connectors.census.NodeCensus",
    }
)
#: post-transforms of code blocks only: a sheet without one (most: data seldom holds code) skips them
CODE_ONLY = frozenset(
    {
        "sphinx.transforms.post_transforms.code.HighlightLanguageTransform",
        "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform",
    }
)
#: the nodes those post-transforms handle
CODE_NODES = (nodes.literal_block, nodes.doctest_block)
#: page metadata of the page that holds the sheets' index
INDEX_MARK = "wispgate-sheets-index"


def _made_from(transform: type) -> set[str]:
    """The names of a post-transform and of the one it is made from (a gated pass)."""
    return {qualified(t) for t in transform.__mro__[:2]}


def _not_for_sheets(transform: type) -> bool:
    """A post-transform of :data:`NOT_FOR_SHEETS` (itself, or one it is made from)."""
    names = _made_from(transform)
    return any(name.startswith(NOT_FOR_SHEETS) for name in names) or bool(names & NOT_FOR_SHEETS_NAMED)


def sheet_doc(config: Config, connector_id: str) -> str:
    return f"{config.wispgate_sheet_pages}/{connector_id}"


def writes_sheet_pages(builder: Builder) -> bool:
    return builder.name in PAGE_BUILDERS


def _commissioned(c: Connector) -> bool:
    return bool(c.status != "archived")  # an archived connector is not set up any more


def sheet_ids(catalog: Any) -> list[str]:
    """The connectors that have a sheet: every one still in service."""
    return [cid for cid, c in catalog.connectors.items() if _commissioned(c)]


def has_sheet(env: Any, connector_id: str) -> bool:
    if writes_sheet_pages(env._app.builder):
        c = state.catalog(env).connectors.get(connector_id)
        return c is not None and _commissioned(c)
    return sheet_doc(env.config, connector_id) in env.found_docs  # generated from sheet_ids


def check_ids(connector_id: str, titles: list[str]) -> list[str]:
    """Stable ids for a connector's checks: its id and a slug of each check's title."""
    out: list[str] = []
    for title in titles:
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "check"
        ident, n = f"{connector_id}.{slug}", 2
        while ident in out:
            ident, n = f"{connector_id}.{slug}-{n}", n + 1
        out.append(ident)
    return out


def blank(classes: tuple[str, ...] = ()) -> list[nodes.Node]:
    """A line to write on: an empty cell that prints as a rule."""
    return [nodes.inline("", "", classes=["wg-blank", *classes])]


class wg_sheet(nodes.General, nodes.Element):
    """Where a connector's sheet goes; filled when the page is written (:class:`FillSheets`)."""


class CommissioningSheetDirective(ListingDirective):
    """``commissioning-sheet <id>``: the sheet of one connector.

    A placeholder while reading, filled from the connector's :class:`~.listing.SheetView`
    when the page is written, as cards are: a data edit re-writes the sheet (when what
    it shows changed) without re-reading it.
    """

    kind = Kind.sheet
    required_arguments = 1

    def scope(self) -> Scope:
        return Scope(connector=self.arguments[0].strip())

    def run(self) -> list[nodes.Node]:
        catalog = self.catalog
        cid = self.arguments[0].strip()
        if cid not in catalog.connectors:
            if cid not in catalog.broken:
                warn(Subtype.reference, f"unknown connector id '{cid}'", self.get_location())
            return []
        self.note_listing(self.kind, self.scope())
        # a sheet is reached from its guide: a site without the sheets' index page is not wrong
        self.env.metadata[self.env.docname]["orphan"] = True
        # the guide is what a search should find: a sheet repeats its checks and fields
        self.env.metadata[self.env.docname]["nosearch"] = True
        node = wg_sheet(connector=cid)
        self.set_source_info(node)
        return [node]


class SheetMaker:
    """The nodes of one sheet, from its view, for the page being written."""

    def __init__(self, env: Any, document: nodes.document, docname: str) -> None:
        self.env, self.document, self.docname = env, document, docname
        #: whether a value gave a code block (only values hold any): the page needs the code post-transforms
        self.has_code = False

    def md(self, text: str, v: SheetView, line: int) -> list[nodes.Node]:
        return self.noted(markup.inline(text, self.document, Loc(v.path, line)))

    def block(self, text: str, v: SheetView, line: int) -> list[nodes.Node]:
        return self.noted(markup.block(text, self.document, Loc(v.path, line)))

    def noted(self, made: list[nodes.Node]) -> list[nodes.Node]:
        if not self.has_code:
            self.has_code = any(
                isinstance(node, CODE_NODES)
                for n in made
                if isinstance(n, nodes.Element)
                for node in n.findall(nodes.Element)
            )
        return made

    def section(self, key: str, title: str, children: list[nodes.Node]) -> nodes.section:
        ident = f"sheet-{key}"
        return nodes.section(
            "", texted(nodes.title, title), *children, ids=[ident], names=[ident], classes=["wg-sheet-section"]
        )

    def sheet(self, v: SheetView) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        guide = documented(self.env).get(v.id, (v.docname,))[0]
        name: nodes.Node = texted(nodes.inline, v.name)
        if guide in self.env.found_docs:  # a guide without its page is reported once, at its data
            name = doc_link(guide, name, self.docname)
        out.append(
            nodes.paragraph(
                "",
                "",
                nodes.Text("Print this sheet and fill it in on site while you follow "),
                name,
                nodes.Text(". Keep it with the job; never write a secret on it."),
                classes=["wg-sheet-intro"],
            )
        )
        out.append(
            self.section(
                "job",
                "Site and job",
                [
                    table(
                        ["", ""],
                        [
                            [[texted(nodes.strong, label)], blank()]
                            for label in ("Site", "Job or ticket", "Technician", "Date")
                        ],
                        [18, 50],
                        classes=("wg-sheet-blanks",),
                    )
                ],
            )
        )
        rows: list[list[list[nodes.Node]]] = []
        for f in v.fields:
            value: list[nodes.Node] = [nodes.Text(f"entered: {BOX} yes  {BOX} no")] if f.secret else blank()
            where = self.md(f.where, v, f.line) if f.where else []
            rows.append([[texted(nodes.strong, f.name)], where, value])
        out.append(
            self.section(
                "values",
                "Values entered in WISPGate",
                [
                    text_para(
                        "Every required field of the connector. Secrets are stored in WISPGate only: tick whether "
                        "one was entered, never write it down."
                    ),
                    table(["Field", "Where to find it", "Value"], rows, [18, 26, 24], classes=("wg-sheet-values",)),
                ],
            )
        )
        checks = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["wg-sheet-checks"])
        for ident, check in zip(check_ids(v.id, [k.check for k in v.checks]), v.checks, strict=True):
            item = nodes.list_item("", ids=[f"check-{ident.replace('.', '-')}"], classes=["wg-sheet-check"])
            item += nodes.paragraph(
                "", "", nodes.Text(f"{BOX} "), *self.md(check.check, v, check.line), classes=["wg-check-title"]
            )
            details = nodes.field_list()
            details += field("Run", self.block(check.how, v, check.line))
            details += field("Success looks like", self.block(check.expect, v, check.line))
            details += field("Result", [nodes.paragraph("", "", *blank())])
            item += details
            checks += item
        out.append(self.section("checks", "Validation checks", [checks]))
        if v.after:
            lst = nodes.bullet_list(classes=["wg-sheet-list"])
            for text in v.after:
                lst += nodes.list_item(
                    "", nodes.paragraph("", "", nodes.Text(f"{BOX} "), *self.md(text, v, v.readiness_line))
                )
            out.append(self.section("after", "After deployment", [lst]))
        out.append(
            self.section(
                "sign-off",
                "Sign-off",
                [
                    table(
                        ["", "Name", "Signature", "Date"],
                        [
                            [[texted(nodes.strong, who)], blank(), blank(), blank()]
                            for who in ("Technician", "Site contact")
                        ],
                        [14, 22, 22, 12],
                        classes=("wg-sheet-signoff",),
                    )
                ],
            )
        )
        return out


class FillSheets(SphinxPostTransform):
    """Put each sheet in its placeholder as the page is written (before references resolve)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        if not has_listing(self.env, self.env.docname, Kind.sheet):  # no walk through pages without one
            return
        placeholders = list(self.document.findall(wg_sheet))
        if not placeholders:
            return
        catalog = state.catalog(self.env)
        maker = SheetMaker(self.env, self.document, self.env.docname)
        for node in placeholders:
            found = views(Kind.sheet, Scope(connector=node["connector"]), catalog)
            node.replace_self(maker.sheet(found[0]) if found else [])


def sheet_order(env: Any) -> list[str]:
    """The sheets in the order of the sheets' index (by domain): their previous and next links."""
    catalog = state.catalog(env)
    listed = views(Kind.ids, Scope(), catalog)
    return [v.id for key in catalog.domains for v in listed if v.domain == key and has_sheet(env, v.id)]


def resolve_sheet_link(app: Sphinx, env: Any, node: Any, contnode: nodes.Element) -> nodes.Element | None:
    """``missing-reference``: a link to a sheet page, which is not one of Sphinx's documents."""
    if node.get("refdomain") != "std" or node.get("reftype") != "doc" or not writes_sheet_pages(app.builder):
        return None
    folder, _, cid = node["reftarget"].lstrip("/").rpartition("/")
    if folder != app.config.wispgate_sheet_pages or not has_sheet(env, cid):
        return None
    uri = app.builder.get_relative_uri(node["refdoc"], sheet_doc(app.config, cid))
    text = node.astext()  # as the std domain words a link to a document
    return nodes.reference("", "", nodes.inline(text, text, classes=["doc"]), internal=True, refuri=uri)


#: a page a sheet links as its previous or next: (pagename, title)
Neighbour = tuple[str, str] | None


class SheetPages:
    """``html-collect-pages``: each sheet as a page of its own (see the module's docstring).

    A page is written again when its key moved (what the sheet shows, its guide's link,
    its neighbours) or when the frame around it did: the first unchanged page is rendered
    again and compared with its file, which covers the theme, the navigation, the
    configuration and the code at once.  A sheet that went takes its page with it.
    """

    def __init__(self, app: Sphinx) -> None:
        self.app, self.env = app, app.env
        self.builder = cast(StandaloneHTMLBuilder, app.builder)
        self.catalog = state.catalog(app.env)
        self.cache_path = Path(app.doctreedir) / PAGES_CACHE.format(builder=app.builder.name)
        settings = copy(self.builder.docsettings)
        settings.env = app.env
        self.settings = settings
        index = sorted(doc for doc, meta in app.env.metadata.items() if meta.get(INDEX_MARK))
        self.index = index[0] if index else None
        order = sheet_order(app.env)
        self.pagenames = {cid: sheet_doc(app.config, cid) for cid in order}
        self.titles = {cid: f"Commissioning sheet: {self.catalog.connectors[cid].name}" for cid in order}
        pages: list[Neighbour] = [(self.pagenames[cid], self.titles[cid]) for cid in order]
        if self.index:  # the first sheet follows its index, as it did in the index's toctree
            title = self.env.titles[self.index].astext() if self.index in self.env.titles else self.index
            pages.insert(0, (self.index, title))
        first = 1 if self.index else 0
        #: inside :meth:`sheet_post_transforms`: the sheets' post-transforms, with and without those of code
        self.post_transforms: tuple[list[Any], list[Any]] | None = None
        self.near: dict[str, tuple[Neighbour, Neighbour]] = {
            cid: (
                pages[i + first - 1] if i + first else None,
                pages[i + first + 1] if i + first + 1 < len(pages) else None,
            )
            for i, cid in enumerate(order)
        }

    def write(self) -> None:
        before: dict[str, str] = state.read_cache(self.cache_path).get("keys", {})
        keys = {cid: self.key(cid) for cid in self.pagenames}
        for cid in before.keys() - keys.keys():  # archived or removed since
            self.outfile(cid).unlink(missing_ok=True)
        kept = [cid for cid in keys if before.get(cid) == keys[cid] and self.outfile(cid).is_file()]
        if self.env.config_status != CONFIG_OK:  # a setting may change how values render
            kept = []
        if kept and not self.frame_unchanged(kept[0]):
            kept = []
        skip = set(kept)
        # gone while pages are written: a build killed half-way leaves no keys to trust
        self.cache_path.unlink(missing_ok=True)
        with self.sheet_post_transforms():
            for cid in keys:
                if cid not in skip:
                    between_documents()  # the last sheet's document is garbage now, and young
                    self.render(cid)
        state.write_cache(self.cache_path, {"keys": keys})

    @contextmanager
    def sheet_post_transforms(self) -> Iterator[None]:
        """Leave out the post-transforms of nodes a sheet never holds (data cannot use directives
        or images): each walks the whole page, half of a sheet's post-processing."""
        registry = self.app.registry
        every = registry.post_transforms
        kept = [t for t in every if not _not_for_sheets(t)]
        without_code = [t for t in kept if not _made_from(t) & CODE_ONLY]
        registry.post_transforms = kept
        self.post_transforms = (kept, without_code)
        try:
            yield
        finally:
            registry.post_transforms = every
            self.post_transforms = None

    def outfile(self, cid: str) -> Path:
        return Path(self.builder.get_outfilename(sheet_doc(self.app.config, cid)))

    def key(self, cid: str) -> str:
        """What the sheet's page shows: its connector's file (by content key, so an unchanged
        connector is not loaded), the common after-deployment items, its guide and neighbours."""
        c = self.catalog.connectors[cid]
        source = self.catalog.sources.get(cid)
        shows = source if source is not None else shown(views(Kind.sheet, Scope(connector=cid), self.catalog)[0])
        common = tuple(self.catalog.readiness.get("post_deployment", ()))
        guide = documented(self.env).get(cid, (c.docname,))[0]
        linked = guide if guide in self.env.found_docs else None
        return safety.digest(repr((shows, common, linked, self.near[cid])).encode("utf-8", "surrogatepass"))

    def frame_unchanged(self, cid: str) -> bool:
        """Whether one unchanged sheet, rendered again, gives its page byte for byte."""
        with tempfile.TemporaryDirectory() as tmp:
            probe = Path(tmp) / "probe.html"
            self.render(cid, probe)
            return probe.read_bytes() == self.outfile(cid).read_bytes()

    def render(self, cid: str, to: Path | None = None) -> None:
        """Write a sheet's page as Sphinx writes a document's (``write_doc``, ``get_doc_context``)."""
        builder: Any = self.builder
        pagename = self.pagenames[cid]
        if self.index and uses_navigation(self.app):
            navigation(self.app).place(pagename, self.index)
        document = new_document(self.catalog.connectors[cid].path, self.settings)
        title = nodes.title(self.titles[cid], self.titles[cid])
        section = nodes.section(
            "", title, ids=[nodes.make_id(self.titles[cid])], names=[nodes.fully_normalize_name(self.titles[cid])]
        )
        maker = SheetMaker(self.env, document, pagename)
        section += maker.sheet(views(Kind.sheet, Scope(connector=cid), self.catalog)[0])
        document += section
        if self.post_transforms is not None:  # the walk of every node for a code block's language, when there is one
            self.app.registry.post_transforms = self.post_transforms[0 if maker.has_code else 1]
        # what a document gets when written: links resolved, tables wrapped (furo), code highlighted
        holds_no_components(document)  # as NOT_FOR_SHEETS says: not the new-tab links' pass either
        self.env.apply_post_transforms(document, pagename)
        document.settings = builder.docsettings
        builder.secnumbers, builder.fignumbers = {}, {}
        builder.imgpath = relative_uri(builder.get_target_uri(pagename), "_images")
        builder.dlpath = relative_uri(builder.get_target_uri(pagename), "_downloads")
        builder.current_docname = pagename
        visitor = builder.create_translator(document, builder)
        document.walkabout(visitor)

        def link(page: Neighbour) -> dict[str, str] | None:
            if page is None:
                return None
            return {"link": builder.get_relative_uri(pagename, page[0]), "title": html.escape(page[1], quote=False)}

        context = {
            "parents": [],
            "prev": link(self.near[cid][0]),
            "next": link(self.near[cid][1]),
            "title": visitor.encode(self.titles[cid]),  # what render_partial gives a plain title
            "meta": {},
            "body": "".join(visitor.fragment),
            "metatags": "".join(visitor.meta[2:]),
            "rellinks": [],
            "sourcename": "",
            "toc": "",
            "display_toc": False,
            # the page has an edit link (forge.page_links points it at the connector's file)
            "page_source_suffix": ".md",
        }
        builder.handle_page(pagename, context, "page.html", outfilename=str(to) if to else None, event_arg=document)


def sheet_pages(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: writes the sheets itself, so their doctree reaches ``html-page-context``."""
    if writes_sheet_pages(app.builder):
        SheetPages(app).write()
    return []


def field(label: str, body: list[nodes.Node]) -> nodes.field:
    return holding(nodes.field(), [texted(nodes.field_name, label), holding(nodes.field_body(), body)])


class SheetsIndexDirective(ListingDirective):
    """``catalog-sheets``: every commissioning sheet, by domain."""

    kind = Kind.ids

    def run(self) -> list[nodes.Node]:
        shown = self.listed()
        self.env.metadata[self.env.docname][INDEX_MARK] = True
        out: list[nodes.Node] = []
        docs = []
        for key, d in self.catalog.domains.items():
            members = [c for c in shown if c.domain == key]
            if not members:
                continue
            lst = nodes.bullet_list(classes=["wg-sheet-index"])
            for c in members:
                if has_sheet(self.env, c.id):
                    doc = sheet_doc(self.config, c.id)
                    docs.append(doc)
                    lst += nodes.list_item(
                        "", nodes.paragraph("", "", doc_link(doc, texted(nodes.inline, c.name), self.env.docname))
                    )
            out += [texted(nodes.rubric, d.title), lst]
        if docs and not writes_sheet_pages(self.env._app.builder):  # sheet pages are not documents
            out.append(hidden_toctree(self.env.docname, docs))
        return out


def sheet_link(env: Any, c: Connector, fromdoc: str) -> nodes.paragraph | None:
    """The link from a guide's validation section to its sheet, when the sheet exists."""
    if not has_sheet(env, c.id):
        return None
    doc = sheet_doc(env.config, c.id)
    label = "Printable commissioning sheet"
    return nodes.paragraph(
        "",
        "",
        doc_link(doc, texted(nodes.inline, label), fromdoc),
        nodes.Text(": every check with a box to tick, the values to record and sign-off lines."),
        classes=["wg-sheet-link"],
    )


def export_validation(app: Sphinx, exception: Exception | None) -> None:
    """``validation.json`` beside catalog.json: every connector's checks, with stable ids."""
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    catalog = state.catalog(app.env)
    pages = documented(app.env)
    uri = app.builder.get_target_uri
    connectors = []
    for c in catalog.sorted():
        if c.status == "archived":
            continue
        guide = uri(pages.get(c.id, (c.docname,))[0])
        sheet = sheet_doc(app.config, c.id)
        connectors.append(
            {
                "id": c.id,
                "name": c.name,
                "guide": guide,
                "sheet": uri(sheet) if has_sheet(app.env, c.id) else None,
                "checks": [
                    {
                        "id": ident,
                        "check": check.check,
                        "how": check.how,
                        "expect": check.expect,
                        "url": f"{guide}#{c.id}-validation",
                    }
                    for ident, check in zip(check_ids(c.id, [k.check for k in c.validation]), c.validation, strict=True)
                ],
                "post_deployment": [
                    *catalog.readiness.get("post_deployment", ()),
                    *(c.readiness.post_deployment if c.readiness else ()),
                ],
            }
        )
    data = {
        "$schema": "schema/validation.schema.json",
        "version": 1,
        "project": app.config.project,
        "connectors": connectors,
    }
    out = Path(app.outdir)
    (out / "validation.json").write_text(
        json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "schema").mkdir(exist_ok=True)
    shutil.copyfile(VALIDATION_SCHEMA, out / "schema" / VALIDATION_SCHEMA.name)


def setup_sheets(app: Sphinx) -> None:
    skip = (skip_node, None)
    app.add_node(wg_sheet, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(FillSheets)
    app.add_directive("commissioning-sheet", CommissioningSheetDirective)
    app.add_directive("catalog-sheets", SheetsIndexDirective)
    app.connect("missing-reference", resolve_sheet_link)
    app.connect("html-collect-pages", sheet_pages)
    app.connect("build-finished", export_validation)
