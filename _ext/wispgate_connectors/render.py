"""Build docutils and sphinx-design nodes from connector objects.

Nodes are built directly from the data; only the Markdown inside string
values goes through the (sandboxed) MyST parser in :mod:`.markup`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docutils import nodes

from . import freshness, lint, markup
from .components import (
    FAIL_MODES,
    admonition,
    badge,
    complexity_badge,
    connector_link,
    doc_link,
    fail_mode_badge,
    holding,
    rule_cells,
    status_badge,
    sync_words,
    tab_set,
    table,
    texted,
)
from .domain import note_reference
from .model import Catalog, Code, ConfigField, Connector, Step
from .report import Loc
from .sections import SECTIONS
from .sheets import sheet_link
from .state import layout

SECTION_TITLES = dict(SECTIONS)

READINESS_TITLES = {
    "pre_deployment": "Before deployment: readiness checklist",
    "post_deployment": "After deployment: verification checklist",
    "guide_behaviour": "What this guide covers",
}


def anchor(connector_id: str, key: str) -> str:
    return f"{connector_id}-{key}"


def readiness_section(
    catalog: Catalog, document: nodes.document, prefix: str | None, own: Any, location: Loc | str
) -> nodes.section:
    """The readiness component: common items from data/readiness.yaml plus a connector's own."""

    def ident(key: str) -> str:
        return f"{prefix}-{key}" if prefix else f"wg-{key}"

    sec = nodes.section(
        "", ids=[ident("readiness")], names=[ident("readiness")], classes=["wg-section", "wg-readiness"]
    )
    sec += nodes.title(SECTION_TITLES["readiness"], SECTION_TITLES["readiness"])
    for key, title in READINESS_TITLES.items():
        items = [*catalog.readiness.get(key, ()), *(getattr(own, key) if own else ())]
        if not items:
            continue
        name = ident(f"readiness-{key.replace('_', '-')}")
        sub = nodes.section("", texted(nodes.title, title), ids=[name], names=[name], classes=["wg-checklist-section"])
        lst = nodes.bullet_list(classes=["wg-checklist"])
        for text in items:
            lst += nodes.list_item("", markup.paragraph(text, document, location))
        sub += lst
        sec += sub
    return sec


def _value(value: Any) -> str:
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

    def loc(self, line: int) -> Loc:
        return Loc(self.connector.path, line)

    def inline(self, text: str, line: int) -> list[nodes.Node]:
        return markup.inline(text, self.document, self.loc(line))

    def para(self, text: str, line: int, **attrs: Any) -> nodes.paragraph:
        return markup.paragraph(text, self.document, self.loc(line), **attrs)

    def block(self, text: str, line: int) -> list[nodes.Node]:
        return markup.block(text, self.document, self.loc(line))

    def section(self, key: str, title: str | None = None) -> nodes.section:
        ident = anchor(self.connector.id, key)
        title = title or SECTION_TITLES[key]
        sec = nodes.section("", ids=[ident], names=[ident], classes=["wg-section", f"wg-{key}"])
        sec += texted(nodes.title, title)
        sec.source, sec.line = self.connector.path, self.connector.line_of(key)
        return sec

    def labelled(self, label: str, children: list[nodes.Node], classes: tuple[str, ...] = ()) -> nodes.field:
        body = holding(nodes.field_body(), children)
        return holding(nodes.field(classes=list(classes)), [texted(nodes.field_name, label), body])

    def bullets(self, items: tuple[str, ...], line: int, classes: tuple[str, ...] = ()) -> nodes.bullet_list:
        lst = nodes.bullet_list(classes=list(classes))
        for text in items:
            lst += nodes.list_item("", self.para(text, line))
        return lst

    def code(self, code: Code, classes: tuple[str, ...] = ()) -> nodes.literal_block:
        # an unknown language is reported once per build by lint.py, not by each highlight
        language = code.language if lint.known_lexer(code.language) else "text"
        node = nodes.literal_block(code.body, code.body, language=language, classes=list(classes))
        node.source, node.line = self.connector.path, code.line
        return node

    # -- sections

    def overview(self) -> nodes.section:
        c = self.connector
        sec = self.section("overview")
        what = self.section("overview-what", "What this integration does")
        what.extend(self.block(c.overview.what, c.line_of("overview")))
        where = self.section("overview-where", "Where it is used")
        where.extend(self.block(c.overview.where, c.line_of("overview")))
        facts = nodes.field_list(classes=["wg-facts"])
        facts += self.labelled("Vendor", self.inline(c.vendor, c.line_of("vendor")))
        domain = self.catalog.domains.get(c.domain)
        facts += self.labelled("Domain", [nodes.Text(domain.title if domain else c.domain)])
        facts += self.labelled("Integration type", [badge(c.type, "info", outline=True, extra=("wg-type",))])
        complexity: list[nodes.Node] = [complexity_badge(c.complexity)]
        if c.complexity_note:
            complexity += [nodes.Text(" "), *self.inline(c.complexity_note, c.line_of("complexity_note"))]
        facts += self.labelled("Complexity", complexity)
        tags: list[nodes.Node] = []
        for key in c.use_cases:
            uc = self.catalog.use_cases.get(key)
            tags += [badge(uc.title if uc else key, "primary", outline=True, extra=("wg-use-case",)), nodes.Text(" ")]
        facts += self.labelled("Use cases", tags[:-1])
        facts += self.labelled("Status", [status_badge(c.status)])
        facts += self.labelled("Available since", [nodes.Text(f"WISPGate {c.since}")])
        compat = c.compatibility
        tested = ", ".join(compat.tested)
        facts += self.labelled(
            "Compatibility",
            [
                *self.inline(f"{compat.product}: {compat.supported}", c.line_of("compatibility", "product")),
                nodes.Text(f"; tested with {tested}"),
                *(
                    [nodes.Text(". "), *self.inline(compat.notes, c.line_of("compatibility", "notes"))]
                    if compat.notes
                    else []
                ),
            ],
        )
        facts += self.labelled("Data flow", [nodes.Text(sync_words(c.sync))])
        if c.verified:
            facts += self.labelled("Last verified", [nodes.Text(f"{c.verified.date} against {c.verified.against}")])
        sec += [*self.notices(), what, where, facts]
        return sec

    def notices(self) -> list[nodes.Node]:
        """What a reader must know before following the guide: replaced, out of date, overtaken by a vendor."""
        c = self.connector
        out: list[nodes.Node] = []
        if c.status in ("deprecated", "archived"):
            replacement = self.catalog.connectors.get(c.replaced_by or "")
            name = replacement.name if replacement else (c.replaced_by or "")
            link: nodes.Node = texted(nodes.inline, name)
            if replacement is not None and replacement.docname in self.document.settings.env.found_docs:
                link = connector_link(replacement.id, name, self.docname)
                note_reference(self.document.settings.env, self.docname, replacement.id)
            words = (
                "is deprecated: it still works, but new deployments should use"
                if c.status == "deprecated"
                else "is archived: WISPGate no longer offers it. Use"
            )
            out.append(
                admonition(
                    "warning",
                    "Deprecated" if c.status == "deprecated" else "Archived",
                    [
                        nodes.paragraph("", "", nodes.Text(f"This connector {words} "), link, nodes.Text(".")),
                    ],
                    ("wg-status-notice",),
                )
            )
        state = freshness.of(self.catalog, c.id)
        if state.stale_days is not None and c.verified:
            text = (
                f"This guide was last verified on {c.verified.date}, {state.stale_days} days ago. "
                "Check each step against the vendor's current documentation before relying on it."
            )
            out.append(
                admonition("caution", "Needs re-verification", [nodes.paragraph(text, text)], ("wg-stale-notice",))
            )
        changes = {ch.id: ch for ch in self.catalog.vendor_changes}
        env = self.document.settings.env
        for cid in state.changes:
            ch = changes[cid]
            loc = Loc(layout(env).vendor_changes.as_posix(), ch.line)
            title = f"Verified before {ch.product} {ch.version} changed"
            body = [
                nodes.paragraph("", "", *markup.inline(ch.summary, self.document, loc), classes=["wg-change-summary"]),
                nodes.paragraph(
                    "", "", nodes.strong("Check: ", "Check: "), *markup.inline(ch.action, self.document, loc)
                ),
            ]
            out.append(admonition("caution", title, body, ("wg-change-notice",)))
        return out

    def prerequisites(self) -> nodes.section:
        c = self.connector
        sec = self.section("prerequisites")
        sec += self.bullets(c.prerequisites, c.line_of("prerequisites"), ("wg-prerequisites",))
        network = self.section("network", "Network and firewall")
        intro = (
            "Who opens which connection to whom. Open these before go-live; optional rules are needed only "
            "for the feature their purpose names."
        )
        network += nodes.paragraph(intro, intro)
        endpoints = "concepts/wispgate-endpoints"
        if endpoints in self.document.settings.env.found_docs:
            label = "WISPGate endpoints and network side"
            network += nodes.paragraph(
                "",
                "",
                nodes.Text("WISPGate's side of each connection: "),
                doc_link(endpoints, texted(nodes.inline, label), self.docname),
                nodes.Text("."),
            )
        network += network_table(c, self.inline)
        sec += network
        return sec

    def field_entry(self, f: ConfigField) -> nodes.definition_list_item:
        term = nodes.term(
            "", "", texted(nodes.strong, f.name), classes=["wg-field"] + (["wg-field-secret"] if f.is_secret else [])
        )
        if f.type != "secret":
            term += [nodes.Text(" "), badge(f.type, "secondary", outline=True, extra=("wg-field-type",))]
        if f.is_secret:
            term += [nodes.Text(" "), badge("secret", "danger", extra=("wg-secret",))]
        definition = nodes.definition("", self.para(f.description, f.line))
        details = nodes.field_list(classes=["wg-field-details"])
        if f.choices:
            choices: list[nodes.Node] = []
            for value in f.choices:
                choices += [nodes.literal(_value(value), _value(value)), nodes.Text(", ")]
            details += self.labelled("Choices", [nodes.paragraph("", "", *choices[:-1])])
        if f.default is not None:
            details += self.labelled(
                "Default", [nodes.paragraph("", "", nodes.literal(_value(f.default), _value(f.default)))]
            )
        if f.example is not None:
            details += self.labelled(
                "Example", [nodes.paragraph("", "", nodes.literal(_value(f.example), _value(f.example)))]
            )
        if f.where:
            details += self.labelled("Where to find it", [self.para(f.where, f.line)])
        if details.children:
            definition += details
        return nodes.definition_list_item("", term, definition)

    def field_list(self, fields: tuple[ConfigField, ...]) -> list[nodes.Node]:
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
        sec += tab_set(
            [
                (f"Required ({len(required)})", self.field_list(required)),
                (f"Optional ({len(optional)})", self.field_list(optional)),
            ],
            classes=("wg-field-tabs",),
        )
        return sec

    def steps(self, steps: tuple[Step, ...], enumtype: str, classes: tuple[str, ...]) -> nodes.enumerated_list:
        """Ordered steps: a title, the body and an optional code block each."""
        lst = nodes.enumerated_list(enumtype=enumtype, prefix="", suffix=".", classes=["wg-steps", *classes])
        for step in steps:
            item = nodes.list_item("", classes=["wg-step"])
            item += self.para(step.title, step.line, classes=["wg-step-title"])
            item.extend(self.block(step.body, step.line))
            if step.code:
                item += self.code(step.code)
            lst += item
        return lst

    def flow(self) -> nodes.section:
        sec = self.section("flow")
        sec += self.steps(self.connector.flow, "upperalpha", ())
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
        link = sheet_link(self.document.settings.env, self.connector, self.docname)
        if link is not None:
            sec += link
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

    def limitations(self) -> nodes.section:
        sec = self.section("limitations")
        sec += self.bullets(self.connector.limitations, self.connector.line_of("limitations"), ("wg-limitations",))
        return sec

    def rollback(self) -> nodes.section:
        sec = self.section("rollback")
        sec += self.steps(self.connector.rollback, "arabic", ("wg-rollback",))
        return sec

    def outage(self) -> nodes.section:
        c = self.connector
        o = c.outage
        sec = self.section("outage")
        facts = nodes.field_list(classes=["wg-outage"])
        facts += self.labelled(
            "Fail mode",
            [nodes.paragraph("", "", fail_mode_badge(o.fail_mode), nodes.Text(f": {FAIL_MODES[o.fail_mode][2]}."))],
        )
        facts += self.labelled("Subscribers notice", [self.para(o.subscribers, c.line_of("outage", "subscribers"))])
        facts += self.labelled("Staff notice", [self.para(o.operations, c.line_of("outage", "operations"))])
        facts += self.labelled("When it returns", self.block(o.recovery, c.line_of("outage", "recovery")))
        sec += facts
        return sec

    def readiness(self) -> nodes.section:
        c = self.connector
        return readiness_section(self.catalog, self.document, c.id, c.readiness, Loc(c.path, c.line_of("readiness")))

    def related(self) -> nodes.section | None:
        c = self.connector
        if not c.related and not c.sources:
            return None
        sec = self.section("related")
        if c.related:
            sec += self.related_list()
        if c.sources:
            sources = self.section("sources", "Sources")
            lst = nodes.bullet_list(classes=["wg-sources"])
            for i, source in enumerate(c.sources):
                text = texted(nodes.inline, source.title)
                link = nodes.reference(source.title, "", text, refuri=source.url)
                link.source, link.line = c.path, c.line_of("sources", i, "url")
                covers = self.inline(source.covers, c.line_of("sources", i, "covers"))
                lst += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(": covers "), *covers))
            sources += lst
            sec += sources
        return sec

    def related_list(self) -> nodes.bullet_list:
        c = self.connector
        lst = nodes.bullet_list(classes=["wg-related"])
        for i, r in enumerate(c.related):
            text = texted(nodes.inline, r.title)
            if r.url:
                link: nodes.Node = nodes.reference(r.title, "", text, refuri=r.url)
            elif (
                r.connector in self.catalog.connectors
                and self.catalog.connectors[r.connector].docname in self.document.settings.env.found_docs
            ):
                link = connector_link(r.connector, r.title, self.docname)
                note_reference(self.document.settings.env, self.docname, r.connector)
            elif r.doc and r.doc in self.document.settings.env.found_docs:
                link = doc_link(r.doc, text, self.docname)
            else:  # reported once per build, with its line, by check_pages
                link = text
            # a link check names the line of the address
            link.source, link.line = c.path, c.line_of("related", i, "url") if r.url else r.line
            lst += nodes.list_item("", nodes.paragraph("", "", link))
        return lst

    def versions(self) -> nodes.section:
        c = self.connector
        sec = self.section("versions")
        if c.verified:
            note = f"Last verified on {c.verified.date} against {c.verified.against}."
            sec += nodes.paragraph(note, note, classes=["wg-verified"])
        lst = nodes.definition_list(classes=["wg-versions"])
        for v in c.versions:
            term = nodes.term("", "", texted(nodes.strong, v.version), nodes.Text(f" ({v.date})"))
            lst += nodes.definition_list_item("", term, nodes.definition("", self.bullets(v.changes, v.line)))
        sec += lst
        return sec

    def render(self, key: str) -> nodes.section | None:
        """The section of a key of :data:`SECTIONS`: the method of the same name."""
        method = getattr(self, key.replace("-", "_"), None)
        if method is None:
            raise NotImplementedError(f"SECTIONS names '{key}' but Renderer has no method {key.replace('-', '_')}()")
        return method()  # type: ignore[no-any-return]


def network_table(c: Connector, inline: Any) -> nodes.table:
    """The connector's network rules: from, to (and host), protocol, ports, purpose."""
    rows = [
        rule_cells(
            getattr(rule, "from"),
            rule.to,
            rule.host,
            rule.protocol,
            rule.ports,
            inline(rule.purpose, c.line_of("network", i, "purpose")),
            rule.optional,
        )
        for i, rule in enumerate(c.network)
    ]
    # widths are characters in the text builder; HTML lets the browser size columns
    return table(
        ["From", "To", "Protocol", "Ports", "Purpose"], rows, [10, 16, 8, 10, 26], classes=("wg-network", "wg-sortable")
    )
