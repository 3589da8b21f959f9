"""Sphinx's post-transforms for rare nodes run only on the pages that hold such a node.

Each of Sphinx's passes for C and C++ aliases, ``only`` blocks, images and object
descriptions walks a whole page looking for its node: about 0.5 ms a guide each, 2 s of a
1,000-connector build, on pages that hold none. One census at the start of the
post-transforms notes the node types a page holds, and each of those passes runs only where
its node is. The nodes they look for are made by directives while a page is read, never by
a post-transform, so a census taken before the passes is still true when each runs. The same
walk notes the sphinx-design components for :mod:`.components`' gated passes.

Highlighting (which code block gets which language) walks every node with a visitor, for
the code blocks. With no ``highlight`` directive on a page, every block gets the default
setting: one plain search for the blocks, and Sphinx's visitor applies it to each.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.c import AliasNode as CAlias
from sphinx.domains.cpp import AliasNode as CppAlias
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.code import HighlightLanguageTransform, HighlightLanguageVisitor

from .components import DESIGN_KINDS, NEW_TAB, only_where, qualified

#: post-transforms that act only on nodes of one type, each a full pass over a page
RARE_NODE_PASSES: dict[str, type[nodes.Node]] = {
    "sphinx.domains.c.AliasTransform": CAlias,
    "sphinx.domains.cpp.AliasTransform": CppAlias,
    "sphinx.transforms.post_transforms.OnlyNodeTransform": addnodes.only,
    "sphinx.transforms.post_transforms.images.ImageDownloader": nodes.image,
    "sphinx.transforms.post_transforms.images.DataURIExtractor": nodes.image,
    "sphinx.transforms.post_transforms.PropagateDescDomain": addnodes.desc_signature,
}
HIGHLIGHT_PASS = qualified(HighlightLanguageTransform)
#: the post-transforms that run between the census and the last pass it gates, none of which
#: makes a node of those types: they resolve references, move what a page already holds, or
#: flatten components for offline builders (a test lists them, so a new one is looked at)
BETWEEN = frozenset(
    {
        "sphinx_design.badges_buttons.ButtonRefContentStash",
        "myst_parser.sphinx_ext.myst_refs.MystReferenceResolver",
        "sphinx.transforms.post_transforms.ReferencesResolver",
        "sphinx_design.badges_buttons.ButtonRefContentGraft",
        "sphinx_design.badges_buttons.BadgeRefTooltipGraft",
        "wispgate_connectors.degrade.DegradeForOffline",
        "sphinx.transforms.post_transforms.SigElementFallbackTransform",
    }
)
#: the Python attribute of a page being written: the node types it holds (:class:`NodeCensus`)
_TYPES = "wg_node_types"
#: nodes that change the highlighting setting of the blocks after them
_SETTING_NODES = frozenset({"highlightlang", "start_of_file"})


class NodeCensus(SphinxPostTransform):
    """Note the node types and the sphinx-design components a page holds, in one walk, before
    any pass that looks for one of them (see :func:`.components.gate_design_passes`).

    Each component's pass visits every node with a Python test: about 2 ms a guide, four of
    them, 8 s of a 1,000-connector build on pages that mostly hold none (bench/README.md).
    No pass between the census and theirs makes a component or a new-tab link either.
    """

    # after cards are filled (5), before the first pass it gates (the C alias pass, 9)
    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        elements = list(self.document.findall(nodes.Element))
        kinds = set()
        for node in elements:
            attributes = node.attributes
            if "design_component" in attributes:
                kinds.add(attributes["design_component"])
            if attributes.get(NEW_TAB):
                kinds.add(NEW_TAB)
        setattr(self.document, _TYPES, frozenset(map(type, elements)))
        setattr(self.document, DESIGN_KINDS, frozenset(kinds))


def _holds(document: nodes.document, wanted: type[nodes.Node]) -> bool:
    types = getattr(document, _TYPES, None)
    return types is None or any(issubclass(t, wanted) for t in types)  # no census: the pass runs


class DefaultHighlighting(HighlightLanguageTransform):
    """Sphinx's highlighting pass, without its walk over every node when no node changes the
    setting; its visitor still decides what each code block gets."""

    def apply(self, **kwargs: Any) -> None:
        blocks: list[nodes.literal_block] = []
        for node in self.document.findall(nodes.Element):
            name = type(node).__name__  # the visitor's dispatch is by class name
            if name == "literal_block":
                blocks.append(cast("nodes.literal_block", node))
            elif name in _SETTING_NODES:
                super().apply(**kwargs)
                return
        if blocks:
            visitor = HighlightLanguageVisitor(self.document, self.config.highlight_language)
            visitor.visit_document(self.document)
            for block in blocks:
                visitor.visit_literal_block(block)


DefaultHighlighting.__name__ = DefaultHighlighting.__qualname__ = HighlightLanguageTransform.__name__


def gate_rare_node_passes(app: Sphinx) -> list[str]:
    """Run the passes for rare nodes only on the pages that hold one; the names of the passes
    changed (a test checks all are, so a Sphinx that renames one is noticed)."""
    gated = []
    transforms = app.registry.post_transforms
    for i, transform in enumerate(transforms):
        name = qualified(transform)
        if name in RARE_NODE_PASSES:
            transforms[i] = only_where(transform, functools.partial(_holds, wanted=RARE_NODE_PASSES[name]))
            gated.append(name)
        elif name == HIGHLIGHT_PASS:
            transforms[i] = DefaultHighlighting
            gated.append(name)
    return gated


def setup_census(app: Sphinx) -> None:
    app.add_post_transform(NodeCensus)
    gate_rare_node_passes(app)
