"""Connector cards and grids, and the landing filter form.

A grid of connector cards is a placeholder (:class:`wg_cards`) while pages are
read, and becomes sphinx-design cards when the page is written
(:class:`FillCards`, a post-transform), as ``sphinx.ext.todo`` fills its lists.
A card edit then re-writes the catalog pages without re-reading them, and the
read transforms never walk a thousand cards.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.shared import PassthroughTextElement, create_component, is_component

from . import markup, state
from .catalog import Catalog, Connector
from .domain import DOMAIN
from .render import badge, complexity_badge, connector_link

STRETCHED = ("sd-stretched-link", "sd-hide-link-text")


def text_para(text: str, classes: tuple[str, ...] = ()) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=list(classes))


def stretched(ref: addnodes.pending_xref) -> addnodes.pending_xref:
    """Make a reference cover its whole card once resolved (see :class:`LinkClasses`)."""
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

    def run(self, **kwargs) -> None:
        for ref in self.document.findall(nodes.reference):
            for child in ref.children:
                if isinstance(child, nodes.Element) and "link_classes" in child:
                    ref["classes"].extend(c for c in child["link_classes"] if c not in ref["classes"])
                    del child["link_classes"]


# --- the landing filter ------------------------------------------------------------------


class wg_filter(nodes.General, nodes.Element):  # noqa: N801
    """The landing filter form: HTML only, hidden until the script shows it."""


def visit_filter_html(self, node: wg_filter) -> None:
    def options(pairs) -> str:
        return "".join(f'<option value="{self.attval(k)}">{self.encode(t)}</option>' for k, t in pairs)

    target = self.attval(node["target"])
    self.body.append(
        f'<form class="wg-filter" data-target="{target}" role="search" hidden '
        'aria-label="Filter connectors" onsubmit="return false">'
        '<label class="wg-filter-search">Search '
        '<input type="search" name="q" placeholder="Vendor, type or keyword" autocomplete="off"></label>'
        f'<label>Domain <select name="domain"><option value="">All domains</option>{options(node["domains"])}</select></label>'
        f'<label>Use case <select name="use-case"><option value="">All use cases</option>{options(node["use_cases"])}</select></label>'
        '<label>Complexity <select name="complexity"><option value="">Any complexity</option>'
        f'{options((c, c.capitalize()) for c in ("low", "medium", "high"))}</select></label>'
        '<button type="reset">Clear</button>'
        '<p class="wg-filter-count" aria-live="polite"></p>'
        "</form>"
    )
    raise nodes.SkipNode



# --- components -------------------------------------------------------------------------


def card(title: list[nodes.Node], body: list[nodes.Node], footer: list[nodes.Node],
         link: nodes.Element, classes: tuple[str, ...] = ()) -> nodes.container:
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


def grid(items: list[nodes.Node], columns: str = "1 2 2 3", classes: tuple[str, ...] = ()) -> nodes.container:
    from sphinx_design.grids import gutter_option, row_columns_option

    container = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", *classes])
    row = create_component("grid-row", ["sd-row", *row_columns_option(columns), *gutter_option("3")])
    row.extend(items)
    container += row
    return container


def grid_item(child: nodes.Node, classes: tuple[str, ...] = ()) -> nodes.container:
    return create_component("grid-item", ["sd-col", "sd-d-flex-row", *classes], children=[child])


# --- connector cards, built while writing ------------------------------------------------


class wg_cards(nodes.General, nodes.Element):  # noqa: N801
    """Where a grid of connector cards goes: ``scope`` (see ``Catalog.scoped``),
    ``featured_first``, ``limit`` and ``compact`` say which cards and how."""


def placeholder(scope: str | None, *, compact: bool = False, featured_first: bool = False,
                limit: int | None = None, classes: tuple[str, ...] = (), ids: tuple[str, ...] = ()) -> wg_cards:
    return wg_cards(scope=scope, compact=compact, featured_first=featured_first, limit=limit,
                    grid_classes=list(classes), ids=list(ids))


class CardMaker:
    """Connector cards for one page being written, with their links resolved."""

    def __init__(self, env: BuildEnvironment, builder: Builder, document: nodes.document, docname: str) -> None:
        self.env, self.builder, self.document, self.docname = env, builder, document, docname
        self.catalog: Catalog = state.catalog(env)
        self.domain = env.get_domain(DOMAIN)

    def members(self, node: wg_cards) -> list[Connector]:
        members = self.catalog.scoped(node["scope"])
        if node["featured_first"]:
            members = sorted(members, key=lambda c: not c.featured)
        return members[: node["limit"]] if node["limit"] else members

    def link(self, c: Connector) -> nodes.Element:
        """The card's link to its guide; the name as plain text while the guide has no page."""
        pending = connector_link(c.id, c.name, self.docname)
        # the domain knows which page documents the connector, wherever it lives
        ref = self.domain.resolve_xref(self.env, self.docname, self.builder, "connector", c.id, pending, pending[0])
        if ref is None:
            return nodes.inline(c.name, c.name)
        ref["classes"].extend(STRETCHED)
        return ref

    def connector_card(self, c: Connector, compact: bool) -> nodes.container:
        """Name, vendor, summary, type, complexity, key prerequisite, use-case tags."""
        where = f"{c.path}:{c.line_of('summary')}"
        meta = nodes.paragraph("", "", badge(c.type, "info", outline=True, extra=("wg-type",)), nodes.Text(" "),
                               complexity_badge(c.complexity), classes=["wg-card-meta"])
        body: list[nodes.Node] = [
            text_para(c.vendor, ("wg-card-vendor",)),
            nodes.paragraph("", "", *markup.inline(c.summary, self.document, where), classes=["wg-card-summary"]),
            meta,
        ]
        if not compact:
            n = len(c.prerequisites)
            prereq = f"{n} prerequisite{'s' if n != 1 else ''}; first: "
            first = markup.inline(c.prerequisites[0], self.document, f"{c.path}:{c.line_of('prerequisites')}")
            body.append(nodes.paragraph("", "", nodes.Text(prereq), *first, classes=["wg-card-prereq"]))
        footer: list[nodes.Node] = []
        for key in c.use_cases:
            uc = self.catalog.use_cases.get(key)
            footer += [badge(uc.title if uc else key, "primary", outline=True, extra=("wg-use-case",)), nodes.Text(" ")]
        made = card([nodes.Text(c.name)], body, footer[:-1], self.link(c), classes=("wg-card",))
        made.source, made.line = str(self.env.srcdir / c.path), c.line_of("id")
        return made

    def grid(self, node: wg_cards) -> nodes.Element:
        items = []
        for c in self.members(node):
            filters = (f"wg-d-{c.domain}", f"wg-c-{c.complexity}", *(f"wg-u-{u}" for u in c.use_cases))
            items.append(grid_item(self.connector_card(c, node["compact"]), ("wg-card-item", *filters)))
        if not items:
            return text_para("No connectors yet.", ("wg-empty",))
        made = grid(items, classes=("wg-cards", *node["grid_classes"]))
        made["ids"] = list(node["ids"])
        return made


def cards_to_list(grid: nodes.Element) -> nodes.bullet_list:
    """The fallback for builders without cards: a list of linked names, each with its card's text."""
    lst = nodes.bullet_list(classes=["wg-card-list"])
    for box in grid.findall(lambda n: is_component(n, "card")):
        refs = [r for r in box.findall(nodes.reference) if set(STRETCHED) & set(r["classes"])]
        title = box.next_node(lambda n: is_component(n, "card-title"))
        body = box.next_node(lambda n: is_component(n, "card-body"))
        para = nodes.paragraph()
        if refs:
            ref = refs[0].deepcopy()
            ref["classes"] = [c for c in ref["classes"] if c not in STRETCHED]
            ref.children = [nodes.strong("", title.astext() if title else ref.astext())]
            para += ref
        elif title is not None:
            para += nodes.strong("", title.astext())
        item = nodes.list_item("", para)
        if body is not None:
            for child in body.children:
                if not is_component(child, "card-title"):
                    item += child.deepcopy()
        footer = box.next_node(lambda n: is_component(n, "card-footer"))
        if footer is not None:
            item += footer.deepcopy().children
        lst += item
    return lst


def offline(builder: Builder) -> bool:
    """Builders that get the flat fallbacks of :mod:`.degrade` (ePub, text, LaTeX, man)."""
    return builder.format != "html" or builder.name.startswith("epub")


class FillCards(SphinxPostTransform):
    """Put the connector cards in their placeholders as the page is written.

    It runs before the other post-transforms, so what the card text holds (a role,
    a link) is resolved as on any page, and other builders get the fallback list.
    """

    default_priority = 5  # before ReferencesResolver (10) and the offline fallbacks (199)

    def run(self, **kwargs) -> None:
        placeholders = list(self.document.findall(wg_cards))
        if not placeholders:
            return
        maker = CardMaker(self.env, self.env._app.builder, self.document, self.env.docname)
        for node in placeholders:
            node.replace_self(maker.grid(node))
