"""Fallbacks for builders that are not interactive HTML (ePub, text, LaTeX, man).

Tabs become titled blocks and card grids become plain lists of links, so the
offline copy reads as a document rather than a broken web page.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.shared import is_component

from .cards import cards_to_list, wg_filter
from .components import offline


class DegradeForOffline(SphinxPostTransform):
    # before sphinx-design turns tab sets into radio inputs (priority 200)
    default_priority = 199

    def is_supported(self) -> bool:
        return offline(self.env._builder_cls)

    def run(self, **kwargs: Any) -> None:
        for form in list(self.document.findall(wg_filter)):
            form.replace_self(form.children)  # the sentence pointing to the domain pages
        for grid in list(self.document.findall(nodes.Element)):
            if not is_component(grid, "grid-container"):
                continue
            if next(grid.findall(lambda n: is_component(n, "card")), None) is not None:
                grid.replace_self(cards_to_list(grid))
        for tabs in list(self.document.findall(nodes.Element)):
            if not is_component(tabs, "tab-set"):
                continue
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


def setup_degrade(app: Sphinx) -> None:
    app.add_post_transform(DegradeForOffline)
