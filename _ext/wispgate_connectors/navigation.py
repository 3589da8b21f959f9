"""The left navigation: connectors grouped under their domain (by the generated
domain pages' toctrees), with accessible caption headings."""

from __future__ import annotations

from sphinx.application import Sphinx


def accessible_captions(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    # Sphinx marks toctree captions role="heading" without the aria-level that role requires.
    tree = context.get("furo_navigation_tree")
    if tree and 'role="heading">' in tree:
        context["furo_navigation_tree"] = tree.replace('role="heading">', 'role="heading" aria-level="2">')


def setup_navigation(app: Sphinx) -> None:
    # after furo (priority 500) has put its navigation tree in the context
    app.connect("html-page-context", accessible_captions, priority=900)
