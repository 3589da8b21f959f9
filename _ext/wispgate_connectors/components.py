"""The shared component kit: badges, tab sets, cards, grids, links and toctrees.

Every page element this extension makes is built from these, as docutils and
sphinx-design nodes, so all builders (HTML, ePub, text) see one vocabulary;
:mod:`.degrade` turns the interactive ones flat for builders that are not
interactive HTML (:func:`offline`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from docutils import nodes
from docutils.transforms import Transform
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.badges_buttons import create_bdg_classes, sd_badge
from sphinx_design.shared import PassthroughTextElement, create_component

__all__ = [
    "COMPLEXITY_COLORS",
    "DESIGN_KINDS",
    "DIRECTIONS",
    "FAIL_MODES",
    "MODES",
    "STATUS",
    "STRETCHED",
    "LinkClasses",
    "admonition",
    "badge",
    "card",
    "complexity_badge",
    "connector_link",
    "doc_link",
    "fail_mode_badge",
    "grid",
    "grid_item",
    "hidden_toctree",
    "holds_no_components",
    "offline",
    "qualified",
    "ports_text",
    "rule_cells",
    "setup_components",
    "skip_node",
    "status_badge",
    "stretched",
    "sync_words",
    "tab_set",
    "table",
    "text_para",
]

COMPLEXITY_COLORS = {"low": "success", "medium": "warning", "high": "danger"}
#: status -> (label, badge colour)
STATUS = {
    "beta": ("Beta", "warning"),
    "ga": ("Generally available", "success"),
    "deprecated": ("Deprecated", "danger"),
    "archived": ("Archived", "secondary"),
}
DIRECTIONS = {"inbound": "Into WISPGate", "outbound": "Out of WISPGate", "both": "Both ways"}
MODES = {
    "push": "pushed by the other side",
    "poll": "polled by WISPGate",
    "webhook": "webhook callbacks",
    "request": "on request, per action",
}
#: fail mode -> (label, badge colour, what it means)
FAIL_MODES = {
    "open": ("Fails open", "success", "subscribers keep their service"),
    "degraded": ("Degrades", "warning", "service continues with less"),
    "closed": ("Fails closed", "danger", "subscribers lose service or cannot pay"),
}


def status_badge(status: str) -> sd_badge:
    label, color = STATUS[status]
    return badge(label, color, extra=("wg-status", f"wg-status-{status}"))


def fail_mode_badge(mode: str) -> sd_badge:
    label, color, _ = FAIL_MODES[mode]
    return badge(label, color, extra=("wg-fail-mode", f"wg-fail-{mode}"))


def sync_words(sync: Any) -> str:
    """ "Both ways; polled by WISPGate every 5m"."""
    mode = MODES[sync.mode] + (f" every {sync.interval}" if sync.interval else "")
    return f"{DIRECTIONS[sync.direction]}; {mode}"


def ports_text(ports: tuple[int | str, ...]) -> str:
    return ", ".join(str(p) for p in ports)


def rule_cells(
    source: str,
    target: str,
    host: str | None,
    protocol: str,
    ports: Sequence[int | str],
    purpose: list[nodes.Node],
    optional: bool,
) -> list[list[nodes.Node]]:
    """One network rule as table cells: from, to (and host), protocol, ports, purpose."""
    to: list[nodes.Node] = [nodes.Text(target)]
    if host:
        to += [nodes.Text(" "), texted(nodes.literal, host)]
    if optional:
        purpose = [nodes.emphasis("Optional: ", "Optional: "), *purpose]
    text = ports_text(tuple(ports))
    return [[nodes.Text(source)], to, [nodes.Text(protocol.upper())], [texted(nodes.literal, text)], purpose]


E = TypeVar("E", bound=nodes.Element)


def holding(node: E, children: Iterable[nodes.Node]) -> E:
    """``node``, just made, with ``children`` appended: what ``Element.extend`` gives.

    For a node with no parent and no document, ``extend`` only sets each child's parent,
    but asks the node for its document once per child, which raises and catches an
    AttributeError each time: 3% of a 1,000-connector build, in the tables and fields.
    """
    kids = list(children)
    # (``node.document`` would raise and catch the very error this avoids)
    if node.parent is not None or getattr(node, "_document", None) is not None or node.children:
        node.extend(kids)  # not just made: docutils' own way, with source and line
        return node
    node.children = kids
    for kid in kids:
        kid.parent = node
    return node


def admonition(kind: str, title: str, body: Sequence[nodes.Node], classes: tuple[str, ...] = ()) -> nodes.admonition:
    """A titled notice; ``kind`` is a docutils admonition class (note, warning, caution...)."""
    return nodes.admonition("", texted(nodes.title, title), *body, classes=[kind, *classes])


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Sequence[nodes.Node]]],
    widths: Sequence[int],
    classes: tuple[str, ...] = (),
) -> nodes.table:
    """A plain table; each cell is a list of inline nodes (one paragraph)."""
    tbl = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += holding(nodes.row(), [holding(nodes.entry(), [nodes.paragraph(h, h)]) for h in headers])
    group += head
    cells = [[holding(nodes.entry(), [holding(nodes.paragraph(), cell)]) for cell in row] for row in rows]
    group += holding(nodes.tbody(), [holding(nodes.row(), row) for row in cells])
    return tbl


#: sphinx-design's classes for a link that covers its whole card
STRETCHED = ("sd-stretched-link", "sd-hide-link-text")


def offline(builder: Builder | type[Builder]) -> bool:
    """Builders that get the flat fallbacks of :mod:`.degrade` (ePub, text, LaTeX, man)."""
    return builder.format != "html" or builder.name.startswith("epub")


def skip_node(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


T = TypeVar("T", bound=nodes.TextElement)


def texted(cls: type[T], text: str, **attributes: Any) -> T:
    """``cls(text, text, **attributes)``, made as :func:`holding` makes a node."""
    return holding(cls(text, **attributes), [nodes.Text(text)] if text else [])


def text_para(text: str, classes: tuple[str, ...] = ()) -> nodes.paragraph:
    return texted(nodes.paragraph, text, classes=list(classes))


def badge(text: str, color: str = "secondary", outline: bool = False, extra: tuple[str, ...] = ()) -> sd_badge:
    return texted(sd_badge, text, classes=[*create_bdg_classes(color, outline), *extra])


def complexity_badge(level: str) -> sd_badge:
    return badge(f"{level.capitalize()} complexity", COMPLEXITY_COLORS[level], extra=("wg-complexity",))


def doc_link(docname: str, contnode: nodes.Node, fromdoc: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "",
        contnode,
        refdomain="std",
        reftype="doc",
        reftarget=f"/{docname}",
        refexplicit=True,
        refwarn=True,
        refdoc=fromdoc,
    )


def connector_link(connector_id: str, name: str, fromdoc: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "",
        texted(nodes.inline, name),
        refdomain="wg",
        reftype="connector",
        reftarget=connector_id,
        refexplicit=True,
        refwarn=True,
        refdoc=fromdoc,
    )


def tab_set(items: Sequence[tuple[str, Sequence[nodes.Node]]], classes: tuple[str, ...] = ()) -> nodes.container:
    """A sphinx-design tab set; other builders show each tab as a titled block."""
    tabs = create_component("tab-set", classes=["sd-tab-set", "wg-tabs", *classes])
    for i, (label, children) in enumerate(items):
        item = create_component("tab-item", classes=["sd-tab-item"], selected=(i == 0))
        item += nodes.rubric(label, label, classes=["sd-tab-label"])
        content = create_component("tab-content", classes=["sd-tab-content"], children=list(children))
        item += content
        tabs += item
    return tabs


#: set on a document that holds references with classes to give (only those are walked)
_HAS_LINK_CLASSES = "wg-link-classes"


def stretched(ref: addnodes.pending_xref, document: nodes.document) -> addnodes.pending_xref:
    """Make a reference cover its whole card once resolved (see :class:`LinkClasses`)."""
    document[_HAS_LINK_CLASSES] = True
    for child in ref.children:
        if isinstance(child, nodes.Element):
            child["link_classes"] = list(STRETCHED)
    return ref


class LinkClasses(SphinxPostTransform):
    """Give resolved references the classes their content asked for.

    Sphinx drops a pending_xref's classes when it resolves it; card links need
    theirs to stretch over the card.
    """

    default_priority = 20

    def run(self, **kwargs: Any) -> None:
        if not self.document.get(_HAS_LINK_CLASSES):  # no walk through pages without such links
            return
        for ref in self.document.findall(nodes.reference):
            for child in ref.children:
                if isinstance(child, nodes.Element) and "link_classes" in child:
                    ref["classes"].extend(c for c in child["link_classes"] if c not in ref["classes"])
                    del child["link_classes"]


def card(
    title: Sequence[nodes.Node],
    body: Sequence[nodes.Node],
    footer: Sequence[nodes.Node],
    link: nodes.Element,
    classes: tuple[str, ...] = (),
) -> nodes.container:
    """A sphinx-design card whose whole area links to ``link``."""
    box = create_component(
        "card", ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", "sd-card-hover", "sd-w-100", *classes]
    )
    card_body = create_component("card-body", ["sd-card-body"])
    heading = create_component("card-title", ["sd-card-title", "sd-font-weight-bold"])
    heading += PassthroughTextElement("", "", *title)
    card_body += heading
    card_body.extend(body)
    box += card_body
    if footer:
        box += create_component("card-footer", ["sd-card-footer"], children=[nodes.paragraph("", "", *footer)])
    box += PassthroughTextElement("", "", link)
    return box


def grid(items: Sequence[nodes.Node], columns: str = "1 2 2 3", classes: tuple[str, ...] = ()) -> nodes.container:
    from sphinx_design.grids import gutter_option, row_columns_option

    container = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", *classes])
    row = create_component("grid-row", ["sd-row", *row_columns_option(columns), *gutter_option("3")])
    row.extend(items)
    container += row
    return container


def grid_item(child: nodes.Node, classes: tuple[str, ...] = ()) -> nodes.container:
    return create_component("grid-item", ["sd-col", "sd-d-flex-row", *classes], children=[child])


def hidden_toctree(
    docname: str,
    entries: list[str],
    caption: str | None = None,
    hidden: bool = True,
    titles: dict[str, str] | None = None,
) -> nodes.compound:
    """A toctree; ``titles`` gives entries a shorter title than their page's."""
    titles = titles or {}
    toctree = addnodes.toctree()
    toctree["parent"] = docname
    toctree["entries"] = [(titles.get(doc), doc) for doc in entries]
    toctree["includefiles"] = list(entries)
    toctree["maxdepth"] = 1
    toctree["caption"] = caption
    toctree["glob"] = False
    toctree["hidden"] = hidden
    toctree["includehidden"] = False
    toctree["numbered"] = 0
    toctree["titlesonly"] = True
    return nodes.compound("", toctree, classes=["toctree-wrapper"])


#: sphinx-design's HTML post-transforms, each a full pass over a page for one kind of component
DESIGN_PASSES = {
    "sphinx_design.dropdown.DropdownHtmlTransform": "dropdown",
    "sphinx_design.aside.AsideHtmlTransform": "aside",
    "sphinx_design.tabs.TabSetHtmlTransform": "tab-set",
}
#: sphinx-design's ``doctree-resolved`` pass over a page for links that open a new tab
NEW_TAB_PASS = "sphinx_design.extension._resolve_new_tab_refs"
NEW_TAB = "sd_new_tab"
#: the Python attribute of a page being written: the components it holds (noted by
#: :class:`.census.NodeCensus`, in its walk over the page)
DESIGN_KINDS = "wg_design_kinds"


def holds_no_components(document: nodes.document) -> None:
    """Mark a page built without sphinx-design components (a commissioning sheet), so no
    component's pass visits it."""
    setattr(document, DESIGN_KINDS, frozenset())


def _held(document: nodes.Node, kind: str) -> bool:
    kinds = getattr(document, DESIGN_KINDS, None)
    return kinds is None or kind in kinds  # not taken: the pass runs, as it would without this


def only_where(transform: type[Transform], holds: Callable[[nodes.document], bool]) -> type[Transform]:
    """``transform``, applied only to the pages ``holds`` says need it; named as it is."""

    class OnlyWhereHeld(transform):  # type: ignore[valid-type,misc]
        def apply(self, **kwargs: Any) -> None:
            if holds(self.document):
                super().apply(**kwargs)

    OnlyWhereHeld.__name__ = OnlyWhereHeld.__qualname__ = transform.__name__
    OnlyWhereHeld.__module__ = __name__
    return OnlyWhereHeld


def qualified(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"


def gate_design_passes(app: Sphinx) -> list[str]:
    """Run sphinx-design's per-component passes only on the pages that hold the component;
    the names of the passes gated (a test checks all are, so a new sphinx-design is noticed)."""
    gated = []
    registry = app.registry
    for i, transform in enumerate(registry.post_transforms):
        kind = DESIGN_PASSES.get(qualified(transform))
        if kind is not None:
            registry.post_transforms[i] = only_where(transform, functools.partial(_held, kind=kind))
            gated.append(qualified(transform))
    for listener in list(app.events.listeners.get("doctree-resolved", ())):
        if qualified(listener.handler) == NEW_TAB_PASS:
            handler = listener.handler

            def new_tabs(app: Sphinx, doctree: nodes.document, docname: str, handler: Any = handler) -> None:
                if _held(doctree, NEW_TAB):
                    handler(app, doctree, docname)

            app.disconnect(listener.id)
            app.connect("doctree-resolved", new_tabs, priority=listener.priority)
            gated.append(NEW_TAB_PASS)
    return gated


def setup_components(app: Sphinx) -> None:
    app.add_post_transform(LinkClasses)
    gate_design_passes(app)
