"""Commissioning sheets: one printable page per connector, and ``validation.json``.

A sheet turns a guide's data into the paper a technician fills in on site: blanks
for every required value (secrets only as "entered: yes / no", never a value),
every validation check as a checkbox with how to run it and what success looks
like, the post-deployment checklist and sign-off lines.  ``validation.json``
carries the same checks with stable ids, so WISPGate or a script can run them and
attach the results to a job.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import markup, state
from .components import doc_link, hidden_toctree, skip_node, table, text_para
from .domain import documented
from .listing import Kind, ListingDirective, Scope, SheetView, has_listing, views
from .model import SCHEMA_DIR, Connector
from .report import Loc, Subtype, warn

BOX = "☐"
VALIDATION_SCHEMA = SCHEMA_DIR / "validation.schema.json"


def sheet_doc(config: Config, connector_id: str) -> str:
    return f"{config.wispgate_sheet_pages}/{connector_id}"


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

    def md(self, text: str, v: SheetView, line: int) -> list[nodes.Node]:
        return markup.inline(text, self.document, Loc(v.path, line))

    def section(self, key: str, title: str, children: list[nodes.Node]) -> nodes.section:
        ident = f"sheet-{key}"
        return nodes.section(
            "", nodes.title(title, title), *children, ids=[ident], names=[ident], classes=["wg-sheet-section"]
        )

    def sheet(self, v: SheetView) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        guide = documented(self.env).get(v.id, (v.docname,))[0]
        name: nodes.Node = nodes.inline(v.name, v.name)
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
                            [[nodes.strong(label, label)], blank()]
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
            rows.append([[nodes.strong(f.name, f.name)], where, value])
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
            details += field("Run", markup.block(check.how, self.document, Loc(v.path, check.line)))
            details += field("Success looks like", markup.block(check.expect, self.document, Loc(v.path, check.line)))
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
                            [[nodes.strong(who, who)], blank(), blank(), blank()]
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


def field(label: str, body: list[nodes.Node]) -> nodes.field:
    return nodes.field("", nodes.field_name(label, label), nodes.field_body("", *body))


class SheetsIndexDirective(ListingDirective):
    """``catalog-sheets``: every commissioning sheet, by domain."""

    kind = Kind.ids

    def run(self) -> list[nodes.Node]:
        shown = self.listed()
        out: list[nodes.Node] = []
        docs = []
        for key, d in self.catalog.domains.items():
            members = [c for c in shown if c.domain == key]
            if not members:
                continue
            lst = nodes.bullet_list(classes=["wg-sheet-index"])
            for c in members:
                doc = sheet_doc(self.config, c.id)
                if doc in self.env.found_docs:
                    docs.append(doc)
                    lst += nodes.list_item(
                        "", nodes.paragraph("", "", doc_link(doc, nodes.inline(c.name, c.name), self.env.docname))
                    )
            out += [nodes.rubric(d.title, d.title), lst]
        if docs:
            out.append(hidden_toctree(self.env.docname, docs))
        return out


def sheet_link(env: Any, c: Connector, fromdoc: str) -> nodes.paragraph | None:
    """The link from a guide's validation section to its sheet, when the sheet exists."""
    doc = sheet_doc(env.config, c.id)
    if doc not in env.found_docs:
        return None
    label = "Printable commissioning sheet"
    return nodes.paragraph(
        "",
        "",
        doc_link(doc, nodes.inline(label, label), fromdoc),
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
                "sheet": uri(sheet) if sheet in app.env.found_docs else None,
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
    app.connect("build-finished", export_validation)
