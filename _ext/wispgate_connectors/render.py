"""Build docutils and sphinx-design nodes from connector objects.

Nodes are built directly from the data; only the Markdown inside string
values goes through the (sandboxed) MyST parser in :mod:`.markup`.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes
from sphinx_design.badges_buttons import create_bdg_classes, sd_badge
from sphinx_design.shared import create_component

from . import lint, markup
from .catalog import Catalog, ConfigField, Connector
from .domain import note_reference

#: (key, title) of every generated section, in page order.  Anchors are
#: ``<connector id>-<key>``: stable, and unique across the site.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("prerequisites", "Prerequisites"),
    ("fields", "Key configuration fields"),
    ("flow", "Implementation flow"),
    ("example", "Example configuration notes"),
    ("troubleshooting", "Common failure points"),
    ("validation", "Validation"),
    ("readiness", "Implementation readiness"),
    ("related", "Related resources"),
    ("versions", "Version notes"),
)
SECTION_TITLES = dict(SECTIONS)

READINESS_TITLES = {
    "pre_deployment": "Before deployment: readiness checklist",
    "post_deployment": "After deployment: verification checklist",
    "guide_behaviour": "What this guide covers",
}

COMPLEXITY_COLORS = {"low": "success", "medium": "warning", "high": "danger"}


def anchor(connector_id: str, key: str) -> str:
    return f"{connector_id}-{key}"


def badge(text: str, color: str = "secondary", outline: bool = False, extra: tuple[str, ...] = ()) -> sd_badge:
    return sd_badge(text, text, classes=[*create_bdg_classes(color, outline), *extra])


def complexity_badge(level: str) -> sd_badge:
    return badge(f"{level.capitalize()} complexity", COMPLEXITY_COLORS[level], extra=("wg-complexity",))


def doc_link(docname: str, contnode: nodes.Node, fromdoc: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", contnode, refdomain="std", reftype="doc", reftarget=f"/{docname}",
        refexplicit=True, refwarn=True, refdoc=fromdoc,
    )
    return ref


def connector_link(connector_id: str, name: str, fromdoc: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline(name, name), refdomain="wg", reftype="connector",
        reftarget=connector_id, refexplicit=True, refwarn=True, refdoc=fromdoc,
    )


def tab_set(items: list[tuple[str, list[nodes.Node]]], classes: tuple[str, ...] = ()) -> nodes.container:
    """A sphinx-design tab set; other builders show each tab as a titled block."""
    tabs = create_component("tab-set", classes=["sd-tab-set", "wg-tabs", *classes])
    for i, (label, children) in enumerate(items):
        item = create_component("tab-item", classes=["sd-tab-item"], selected=(i == 0))
        item += nodes.rubric(label, label, classes=["sd-tab-label"])
        content = create_component("tab-content", classes=["sd-tab-content"], children=children)
        item += content
        tabs += item
    return tabs


def readiness_section(catalog: Catalog, document: nodes.document, prefix: str | None,
                      own: dict, location: str) -> nodes.section:
    """The readiness component: common items from data/readiness.yaml plus a connector's own."""
    def ident(key: str) -> str:
        return f"{prefix}-{key}" if prefix else f"wg-{key}"

    sec = nodes.section("", ids=[ident("readiness")], names=[ident("readiness")], classes=["wg-section", "wg-readiness"])
    sec += nodes.title(SECTION_TITLES["readiness"], SECTION_TITLES["readiness"])
    for key, title in READINESS_TITLES.items():
        items = [*catalog.readiness.get(key, ()), *own.get(key, ())]
        if not items:
            continue
        name = ident(f"readiness-{key.replace('_', '-')}")
        sub = nodes.section("", nodes.title(title, title), ids=[name], names=[name], classes=["wg-checklist-section"])
        lst = nodes.bullet_list(classes=["wg-checklist"])
        for text in items:
            lst += nodes.list_item("", markup.paragraph(text, document, location))
        sub += lst
        sec += sub
    return sec


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Renderer:
    """Renders the sections of one connector into one document."""

    connector: Connector
    catalog: Catalog
    document: nodes.document
    docname: str

    # -- helpers

    def loc(self, line: int) -> str:
        return f"{self.connector.path}:{line}"

    def inline(self, text: str, line: int) -> list[nodes.Node]:
        return markup.inline(text, self.document, self.loc(line))

    def para(self, text: str, line: int, **attrs) -> nodes.paragraph:
        return markup.paragraph(text, self.document, self.loc(line), **attrs)

    def block(self, text: str, line: int) -> list[nodes.Node]:
        return markup.block(text, self.document, self.loc(line))

    def section(self, key: str, title: str | None = None) -> nodes.section:
        ident = anchor(self.connector.id, key)
        title = title or SECTION_TITLES[key]
        sec = nodes.section("", ids=[ident], names=[ident], classes=["wg-section", f"wg-{key}"])
        sec += nodes.title(title, title)
        sec.source, sec.line = self.connector.path, self.connector.line_of(key)
        return sec

    def labelled(self, label: str, children: list[nodes.Node], classes: tuple[str, ...] = ()) -> nodes.field:
        body = nodes.field_body("", *children)
        return nodes.field("", nodes.field_name(label, label), body, classes=list(classes))

    def bullets(self, items, line: int, classes: tuple[str, ...] = ()) -> nodes.bullet_list:
        lst = nodes.bullet_list(classes=list(classes))
        for text in items:
            lst += nodes.list_item("", self.para(text, line))
        return lst

    def code(self, code, classes: tuple[str, ...] = ()) -> nodes.literal_block:
        # an unknown language is reported once per build by lint.py, not by each highlight
        language = code.language if lint.known_lexer(code.language) else "text"
        node = nodes.literal_block(code.text, code.text, language=language, classes=list(classes))
        node.source, node.line = self.connector.path, code.line
        return node

    # -- sections

    def overview(self) -> nodes.section:
        c = self.connector
        sec = self.section("overview")
        what = self.section("overview-what", "What this integration does")
        what.extend(self.block(c.what, c.line_of("overview")))
        where = self.section("overview-where", "Where it is used")
        where.extend(self.block(c.where, c.line_of("overview")))
        facts = nodes.field_list(classes=["wg-facts"])
        facts += self.labelled("Vendor", self.inline(c.vendor, c.line_of("vendor")))
        domain = self.catalog.domains.get(c.domain)
        facts += self.labelled("Domain", [nodes.Text(domain.title if domain else c.domain)])
        facts += self.labelled("Integration type", [badge(c.type, "info", outline=True, extra=("wg-type",))])
        complexity = [complexity_badge(c.complexity)]
        if c.complexity_note:
            complexity += [nodes.Text(" "), *self.inline(c.complexity_note, c.line_of("complexity_note"))]
        facts += self.labelled("Complexity", complexity)
        tags: list[nodes.Node] = []
        for key in c.use_cases:
            uc = self.catalog.use_cases.get(key)
            tags += [badge(uc.title if uc else key, "primary", outline=True, extra=("wg-use-case",)), nodes.Text(" ")]
        facts += self.labelled("Use cases", tags[:-1])
        if c.verified:
            facts += self.labelled("Last verified", [nodes.Text(f"{c.verified.date} against {c.verified.against}")])
        sec += [what, where, facts]
        return sec

    def prerequisites(self) -> nodes.section:
        sec = self.section("prerequisites")
        sec += self.bullets(self.connector.prerequisites, self.connector.line_of("prerequisites"), ("wg-prerequisites",))
        return sec

    def field_entry(self, f: ConfigField) -> nodes.definition_list_item:
        term = nodes.term("", "", nodes.strong(f.name, f.name), classes=["wg-field"] + (["wg-field-secret"] if f.secret else []))
        if f.type != "secret":
            term += [nodes.Text(" "), badge(f.type, "secondary", outline=True, extra=("wg-field-type",))]
        if f.secret:
            term += [nodes.Text(" "), badge("secret", "danger", extra=("wg-secret",))]
        definition = nodes.definition("", self.para(f.description, f.line))
        details = nodes.field_list(classes=["wg-field-details"])
        if f.choices:
            choices: list[nodes.Node] = []
            for value in f.choices:
                choices += [nodes.literal(_value(value), _value(value)), nodes.Text(", ")]
            details += self.labelled("Choices", [nodes.paragraph("", "", *choices[:-1])])
        if f.default is not None:
            details += self.labelled("Default", [nodes.paragraph("", "", nodes.literal(_value(f.default), _value(f.default)))])
        if f.example is not None:
            details += self.labelled("Example", [nodes.paragraph("", "", nodes.literal(_value(f.example), _value(f.example)))])
        if f.where:
            details += self.labelled("Where to find it", [self.para(f.where, f.line)])
        if details.children:
            definition += details
        return nodes.definition_list_item("", term, definition)

    def field_list(self, fields) -> list[nodes.Node]:
        if not fields:
            return [nodes.paragraph("", "None.")]
        return [nodes.definition_list("", *(self.field_entry(f) for f in fields), classes=["wg-fields"])]

    def fields(self) -> nodes.section:
        c = self.connector
        sec = self.section("fields")
        required, optional = c.required_fields, c.optional_fields
        intro = f"{len(required)} required and {len(optional)} optional field{'s' if len(optional) != 1 else ''}"
        intro += ", set on the WISPGate side. Secret fields are stored encrypted and never shown again after saving."
        sec += nodes.paragraph(intro, intro, classes=["wg-fields-summary"])
        sec += tab_set([
            (f"Required ({len(required)})", self.field_list(required)),
            (f"Optional ({len(optional)})", self.field_list(optional)),
        ], classes=("wg-field-tabs",))
        return sec

    def flow(self) -> nodes.section:
        sec = self.section("flow")
        steps = nodes.enumerated_list(enumtype="upperalpha", prefix="", suffix=".", classes=["wg-steps"])
        for step in self.connector.flow:
            item = nodes.list_item("", classes=["wg-step"])
            item += self.para(step.title, step.line, classes=["wg-step-title"])
            item.extend(self.block(step.body, step.line))
            if step.code:
                item += self.code(step.code)
            steps += item
        sec += steps
        return sec

    def example(self) -> nodes.section | None:
        if not self.connector.example:
            return None
        sec = self.section("example")
        sec += self.code(self.connector.example, ("wg-example",))
        return sec

    def troubleshooting(self) -> nodes.section:
        sec = self.section("troubleshooting")
        lst = nodes.definition_list(classes=["wg-failures"])
        for f in self.connector.failures:
            term = nodes.term("", "", *self.inline(f.symptom, f.line), classes=["wg-symptom"])
            definition = nodes.definition()
            details = nodes.field_list()
            details += self.labelled("Cause", [self.para(f.cause, f.line)])
            details += self.labelled("Fix", self.block(f.fix, f.line))
            definition += details
            lst += nodes.definition_list_item("", term, definition)
        sec += lst
        return sec

    def validation(self) -> nodes.section:
        sec = self.section("validation")
        lst = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["wg-checks"])
        for check in self.connector.validation:
            item = nodes.list_item("", classes=["wg-check"])
            item += self.para(check.check, check.line, classes=["wg-check-title"])
            details = nodes.field_list()
            details += self.labelled("Run", self.block(check.how, check.line))
            details += self.labelled("Success looks like", self.block(check.expect, check.line))
            item += details
            lst += item
        sec += lst
        return sec

    def readiness(self) -> nodes.section:
        c = self.connector
        return readiness_section(self.catalog, self.document, c.id, c.readiness, f"{c.path}:{c.line_of('readiness')}")

    def related(self) -> nodes.section | None:
        c = self.connector
        if not c.related:
            return None
        sec = self.section("related")
        lst = nodes.bullet_list(classes=["wg-related"])
        for r in c.related:
            text = nodes.inline(r.title, r.title)
            if r.url:
                link: nodes.Node = nodes.reference(r.title, "", text, refuri=r.url)
            elif r.connector in self.catalog.connectors and \
                    self.catalog.connectors[r.connector].docname in self.document.settings.env.found_docs:
                link = connector_link(r.connector, r.title, self.docname)
                note_reference(self.document.settings.env, self.docname, r.connector)
            elif r.doc and r.doc in self.document.settings.env.found_docs:
                link = doc_link(r.doc, text, self.docname)
            else:  # reported once per build, with its line, by check_pages
                link = text
            link.source, link.line = c.path, r.line
            lst += nodes.list_item("", nodes.paragraph("", "", link))
        sec += lst
        return sec

    def versions(self) -> nodes.section:
        c = self.connector
        sec = self.section("versions")
        if c.verified:
            note = f"Last verified on {c.verified.date} against {c.verified.against}."
            sec += nodes.paragraph(note, note, classes=["wg-verified"])
        lst = nodes.definition_list(classes=["wg-versions"])
        for v in c.versions:
            term = nodes.term("", "", nodes.strong(v.version, v.version), nodes.Text(f" ({v.date})"))
            lst += nodes.definition_list_item("", term, nodes.definition("", self.bullets(v.changes, v.line)))
        sec += lst
        return sec

    def render(self, key: str) -> nodes.section | None:
        return getattr(self, key)()
