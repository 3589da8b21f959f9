"""Connector cards and grids, and the landing filter.

A grid of connector cards is a placeholder (:class:`wg_cards`) while pages are
read, and becomes sphinx-design cards when the page is written
(:class:`FillCards`, a post-transform), as ``sphinx.ext.todo`` fills its lists.
A card edit then re-writes the catalog pages without re-reading them, and the
read transforms never walk a thousand cards.
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.badges_buttons import create_bdg_classes
from sphinx_design.shared import is_component

from . import markup, state
from .components import (
    COMPLEXITY_COLORS,
    MODES,
    STATUS,
    STRETCHED,
    badge,
    card,
    complexity_badge,
    connector_link,
    grid,
    grid_item,
    skip_node,
    status_badge,
    text_para,
    texted,
)
from .domain import get_domain
from .listing import ALL, CardView, Kind, Scope, has_listing, views
from .report import Loc

# --- the landing filter ------------------------------------------------------------------

#: matches the script renders at once (and then per "Show more"), so a thousand stay light
FILTER_PAGE = 60


class wg_filter(nodes.General, nodes.Element):
    """The landing's whole-catalog filter: the form, an empty list the script fills from
    ``catalog-index.json`` (no card is in the page), and for readers without scripts its
    children, a sentence pointing to the domain pages.  Builders that are not interactive
    HTML keep only the sentence (:mod:`.degrade`)."""


def filter_node(catalog: Any, target: str) -> wg_filter:
    """The filter for the whole catalog.  Without scripts it points to the domain pages,
    which ``catalog-browse`` lists (on the landing, right after it) with each of their parts.

    The count of connectors in the form is made when the page is written, from the cards'
    view (the directive notes that listing), so adding or archiving one re-writes the page.
    """
    para = nodes.paragraph("", "", classes=["wg-filter-noscript"])
    para += nodes.Text("Without scripts the filter is off: every connector is on the domain pages listed below.")
    node = wg_filter("", para, target=target)
    node["domains"] = [(k, d.title) for k, d in catalog.domains.items()]
    node["use_cases"] = [(k, u.title) for k, u in catalog.use_cases.items()]
    return node


def _badges() -> str:
    """The badge classes and words of components.py, for the script's results."""

    def classes(color: str, outline: bool, extra: str) -> str:
        return " ".join([*create_bdg_classes(color, outline), extra])

    return json.dumps(
        {
            "type": classes("info", True, "wg-type"),
            "complexity": {
                k: [f"{k.capitalize()} complexity", classes(color, False, "wg-complexity")]
                for k, color in COMPLEXITY_COLORS.items()
            },
            "status": {
                k: [label, classes(color, False, f"wg-status wg-status-{k}")]
                for k, (label, color) in STATUS.items()
                if k not in ("ga", "archived")  # no badge for ga; archived ones are not listed
            },
        },
        separators=(",", ":"),
    )


def visit_filter_html(self: Any, node: wg_filter) -> None:
    def options(pairs: Any) -> str:
        return "".join(f'<option value="{self.attval(k)}">{self.encode(t)}</option>' for k, t in pairs)

    target = self.attval(node["target"])
    # the connectors a filter can list: the cards' (archived ones are on no listing)
    total = len(views(Kind.cards, ALL, state.catalog(self.builder.env)))
    self.body.append(
        f'<form class="wg-filter" data-target="{target}" data-total="{total}" data-page="{FILTER_PAGE}" '
        f'data-badges="{self.attval(_badges())}" role="search" hidden '
        'aria-label="Filter connectors" onsubmit="return false">'
        '<label class="wg-filter-search">Search '
        '<input type="search" name="q" placeholder="Name, type or keyword" autocomplete="off"></label>'
        '<label>Domain <select name="domain"><option value="">All domains</option>'
        f"{options(node['domains'])}</select></label>"
        '<label>Use case <select name="use-case"><option value="">All use cases</option>'
        f"{options(node['use_cases'])}</select></label>"
        '<label>Complexity <select name="complexity"><option value="">Any complexity</option>'
        f"{options((c, c.capitalize()) for c in ('low', 'medium', 'high'))}</select></label>"
        '<label>Status <select name="status"><option value="">Any status</option>'
        f"{options((k, STATUS[k][0]) for k in ('ga', 'beta', 'deprecated'))}</select></label>"
        '<label>Data flow <select name="sync"><option value="">Any data flow</option>'
        f"{options((k, MODES[k][0].upper() + MODES[k][1:]) for k in MODES)}</select></label>"
        '<p class="wg-filter-actions"><button type="reset">Clear</button> '
        f'<button type="button" class="wg-filter-all">Show all {total} connector{"" if total == 1 else "s"}</button>'
        "</p>"
        '<p class="wg-filter-count" aria-live="polite"></p>'
        "</form>"
        f'<div class="wg-filter-results" id="{target}" hidden>'
        '<ul class="wg-results" aria-label="Matching connectors"></ul>'
        '<p class="wg-results-more" hidden><button type="button">Show more</button></p>'
        "</div>"
        "<noscript>"
    )


def depart_filter_html(self: Any, node: wg_filter) -> None:
    self.body.append("</noscript>")


# --- connector cards, built while writing ------------------------------------------------


class wg_cards(nodes.General, nodes.Element):
    """Where a grid of connector cards goes: ``scope`` (a :class:`~.listing.Scope`),
    ``featured_first``, ``limit`` and ``compact`` say which cards and how."""


def placeholder(
    scope: Scope,
    *,
    compact: bool = False,
    featured_first: bool = False,
    limit: int | None = None,
    classes: tuple[str, ...] = (),
    ids: tuple[str, ...] = (),
) -> wg_cards:
    return wg_cards(
        scope=scope,
        compact=compact,
        featured_first=featured_first,
        limit=limit,
        grid_classes=list(classes),
        ids=list(ids),
    )


class CardMaker:
    """Connector cards for one page being written, with their links resolved.

    A card shows only its :class:`~.listing.CardView`: what makes cards stale is
    exactly what they show.
    """

    def __init__(self, env: BuildEnvironment, builder: Builder, document: nodes.document, docname: str) -> None:
        self.env, self.builder, self.document, self.docname = env, builder, document, docname
        self.catalog = state.catalog(env)
        self.domain = get_domain(env)

    def members(self, node: wg_cards) -> list[CardView]:
        members: list[CardView] = views(Kind.cards, node["scope"], self.catalog)
        if node["featured_first"]:
            members = sorted(members, key=lambda c: not c.featured)
        return members[: node["limit"]] if node["limit"] else members

    def link(self, c: CardView) -> nodes.Element:
        """The card's link to its guide; the name as plain text while the guide has no page."""
        pending = connector_link(c.id, c.name, self.docname)
        # the domain knows which page documents the connector, wherever it lives
        ref = self.domain.resolve_xref(
            self.env, self.docname, self.builder, "connector", c.id, pending, texted(nodes.inline, c.name)
        )
        if ref is None:
            return texted(nodes.inline, c.name)
        ref["classes"].extend(STRETCHED)
        return ref

    def connector_card(self, c: CardView, compact: bool) -> nodes.container:
        """Name, vendor, summary, type, complexity, key prerequisite, use-case tags."""
        meta = nodes.paragraph(
            "",
            "",
            badge(c.type, "info", outline=True, extra=("wg-type",)),
            nodes.Text(" "),
            complexity_badge(c.complexity),
            classes=["wg-card-meta"],
        )
        if c.status != "ga":  # beta and deprecated at a glance
            meta += [nodes.Text(" "), status_badge(c.status)]
        if c.stale_days is not None:
            meta += [nodes.Text(" "), badge("Needs re-verification", "danger", extra=("wg-stale",))]
        body: list[nodes.Node] = [
            text_para(c.vendor, ("wg-card-vendor",)),
            nodes.paragraph(
                "",
                "",
                *markup.inline(c.summary, self.document, Loc(c.path, c.summary_line)),
                classes=["wg-card-summary"],
            ),
            meta,
        ]
        if not compact:
            n = c.prerequisites
            prereq = f"{n} prerequisite{'s' if n != 1 else ''}; first: "
            first = markup.inline(c.first_prerequisite, self.document, Loc(c.path, c.prerequisites_line))
            body.append(nodes.paragraph("", "", nodes.Text(prereq), *first, classes=["wg-card-prereq"]))
        footer: list[nodes.Node] = []
        for key in c.use_cases:
            uc = self.catalog.use_cases.get(key)
            footer += [badge(uc.title if uc else key, "primary", outline=True, extra=("wg-use-case",)), nodes.Text(" ")]
        made = card([nodes.Text(c.name)], body, footer[:-1], self.link(c), classes=("wg-card",))
        made.source, made.line = str(self.env.srcdir / c.path), c.line
        return made

    def grid(self, node: wg_cards) -> nodes.Element:
        items = []
        for c in self.members(node):
            filters = (
                f"wg-d-{c.domain}",
                f"wg-c-{c.complexity}",
                *(f"wg-u-{u}" for u in c.use_cases),
                f"wg-s-{c.status}",
                f"wg-m-{c.sync_mode}",
            )
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


class FillCards(SphinxPostTransform):
    """Put the connector cards in their placeholders as the page is written.

    It runs before the other post-transforms, so what the card text holds (a role,
    a link) is resolved as on any page, and other builders get the fallback list.
    """

    default_priority = 5  # before ReferencesResolver (10) and the offline fallbacks (199)

    def run(self, **kwargs: Any) -> None:
        if not has_listing(self.env, self.env.docname, Kind.cards):  # no walk through pages without cards
            return
        placeholders = list(self.document.findall(wg_cards))
        if not placeholders:
            return
        maker = CardMaker(self.env, self.env._app.builder, self.document, self.env.docname)
        for node in placeholders:
            node.replace_self(maker.grid(node))


def setup_cards(app: Sphinx) -> None:
    app.add_node(
        wg_filter,
        html=(visit_filter_html, depart_filter_html),
        text=(skip_node, None),
        latex=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    # always filled by FillCards; the visitors only keep a stray one harmless
    skip = (skip_node, None)
    app.add_node(wg_cards, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(FillCards)
