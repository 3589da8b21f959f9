"""Directives that place a connector's generated sections on a page."""

from __future__ import annotations

from typing import cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import freshness, lint, state
from .domain import get_domain, target_id
from .model import Connector
from .render import Renderer, readiness_section
from .report import Subtype, warn
from .sections import SECTIONS


def note_targets(document: nodes.document, section: nodes.section, source: str, line: int | None) -> None:
    """Make every generated section a label, so ``{ref}`mikrotik-fields``` works, and place
    nodes that name no source at the directive.

    Without a source, Sphinx's source workaround logs each generated title with an XML
    dump of it, at every level of logging: a second per 300 guides, for nothing.
    """
    for node in section.findall(nodes.Element):
        if isinstance(node, nodes.section):
            document.note_explicit_target(node, node)
        if node.source is None:
            node.source, node.line = source, line


class ConnectorDirective(SphinxDirective):
    """Emit every standard section of one connector (argument: its id)."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    sections: tuple[str, ...] = tuple(key for key, _ in SECTIONS)

    def load(self) -> Connector | None:
        catalog = state.catalog(self.env)
        cid = self.arguments[0].strip()
        for path in catalog.files[:2]:
            self.env.note_dependency(str(path))
        connector = catalog.connectors.get(cid)
        if connector is not None:
            self.env.note_dependency(str(catalog.root / connector.path))
            return connector
        if cid in catalog.broken:
            # the data problems were reported with their file and line already; the page leaves the
            # catalog's toctrees until they are fixed, which Sphinx must not report as a second problem
            self.env.note_dependency(str(catalog.root / catalog.broken[cid]))
            self.env.metadata[self.env.docname]["orphan"] = True
            return None
        message = lint.unknown_id_message(lint.Use("directive", cid, 0), lint.known_ids(catalog))
        if message not in state.of(self.env).unknown_ids:  # else reported at the start of the build (lint.py)
            warn(Subtype.reference, message, self.get_location())
        return None

    def register(self, connector: Connector) -> list[nodes.Node]:
        """The target, index entries and domain record, once per page."""
        registered = cast("set[str]", self.env.temp_data.setdefault("wg_registered", set()))
        if connector.id in registered:
            return []
        registered.add(connector.id)
        other = get_domain(self.env).note_connector(connector.id, connector.name, self.env.docname)
        if other:
            warn(
                Subtype.duplicate,
                f"connector '{connector.id}' is already documented in {other}; a connector has exactly one page",
                self.get_location(),
            )
        ident = target_id(connector.id)
        target = nodes.target("", "", ids=[ident])
        self.state.document.note_explicit_target(target)
        index = addnodes.index(
            entries=[
                ("single", f"{connector.name} (connector)", ident, "", None),
                ("single", f"{connector.vendor}; {connector.name}", ident, "", None),
            ]
        )
        return [index, target]

    def run(self) -> list[nodes.Node]:
        connector = self.load()
        if connector is None:
            return [self.unavailable()]
        out = self.register(connector)
        freshness.note_read(self.env, self.env.docname, connector.id)
        renderer = Renderer(connector, state.catalog(self.env), self.state.document, self.env.docname)
        sections = self.sections
        if connector.status == "archived" and type(self) is ConnectorDirective:
            # an archived connector's page is a short notice: what it was, its replacement, its history
            sections = ARCHIVED_SECTIONS
        if "readiness" in self.sections and state.catalog(self.env).readiness:
            self.env.note_dependency(str(state.catalog(self.env).root / state.layout(self.env).readiness))
        for key in sections:
            section = renderer.render(key)
            if section is not None:
                note_targets(self.state.document, section, *self.get_source_info())
                out.append(section)
        return out

    def unavailable(self) -> nodes.Node:
        text = f"The guide for '{self.arguments[0]}' could not be generated: its data has errors."
        return nodes.admonition(
            "",
            nodes.title("Guide unavailable", "Guide unavailable"),
            nodes.paragraph(text, text),
            classes=["warning", "wg-unavailable"],
        )


#: what the page of an archived connector keeps
ARCHIVED_SECTIONS = ("overview", "related", "versions")


def section_directive(key: str) -> type[ConnectorDirective]:
    return type(f"Connector_{key}_Directive", (ConnectorDirective,), {"sections": (key,)})


class ReadinessChecklistDirective(ConnectorDirective):
    """The readiness component; with a connector id, adds that connector's own items."""

    required_arguments = 0
    optional_arguments = 1
    sections = ("readiness",)

    def run(self) -> list[nodes.Node]:
        if self.arguments:
            return super().run()
        catalog = state.catalog(self.env)
        self.env.note_dependency(str(catalog.root / state.layout(self.env).readiness))
        section = readiness_section(catalog, self.state.document, None, None, self.get_location())
        note_targets(self.state.document, section, *self.get_source_info())
        return [section]


DIRECTIVES: dict[str, type[SphinxDirective]] = {
    "connector": ConnectorDirective,
    "readiness-checklist": ReadinessChecklistDirective,
    **{f"connector-{key}": section_directive(key) for key, _ in SECTIONS if key != "readiness"},
}


def setup_directives(app: Sphinx) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
