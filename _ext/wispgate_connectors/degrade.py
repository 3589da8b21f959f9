"""Fallbacks for builders that are not interactive HTML (ePub, text, LaTeX, man).

Tabs become titled blocks and card grids become plain lists of links, so the
offline copy reads as a document rather than a broken web page.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.shared import is_component

from .pages import STRETCHED, wg_filter


def _cards_to_list(grid: nodes.Element) -> nodes.bullet_list:
    lst = nodes.bullet_list(classes=["wg-card-list"])
    for card in grid.findall(lambda n: is_component(n, "card")):
        refs = [r for r in card.findall(nodes.reference) if set(STRETCHED) & set(r["classes"])]
        title = card.next_node(lambda n: is_component(n, "card-title"))
        body = card.next_node(lambda n: is_component(n, "card-body"))
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
        footer = card.next_node(lambda n: is_component(n, "card-footer"))
        if footer is not None:
            item += footer.deepcopy().children
        lst += item
    return lst


class DegradeForOffline(SphinxPostTransform):
    # before sphinx-design turns tab sets into radio inputs (priority 200)
    default_priority = 199

    def is_supported(self) -> bool:
        builder = self.env._builder_cls
        return builder.format != "html" or builder.name.startswith("epub")

    def run(self, **kwargs) -> None:
        for form in list(self.document.findall(wg_filter)):
            form.parent.remove(form)
        for grid in list(self.document.findall(lambda n: is_component(n, "grid-container"))):
            if next(grid.findall(lambda n: is_component(n, "card")), None) is not None:
                lst = _cards_to_list(grid)
                grid.replace_self(lst)
                lst["classes"] = [c for c in lst["classes"] if not c.startswith("sd-")]
        for tabs in list(self.document.findall(lambda n: is_component(n, "tab-set"))):
            blocks: list[nodes.Node] = []
            for item in tabs.children:
                if not is_component(item, "tab-item"):
                    continue
                label, *content = item.children
                blocks.append(nodes.rubric(label.astext(), label.astext(), classes=["wg-tab-title"]))
                for part in content:
                    blocks.extend(part.children if is_component(part, "tab-content") else [part])
            flat = nodes.container("", *blocks)
            tabs.replace_self(flat)
            flat["classes"] = ["wg-tabs-flat"]
