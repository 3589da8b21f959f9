"""One mistake, one message: the echoes of a problem already reported are not warned again.

A connector whose data has errors (``catalog.broken``) or whose own page names a wrong id
(``BuildState.misnamed``, state.py) is reported once, at the YAML line or at the page's
directive.  Its guide then has no sections, so the links other pages make to it (the
troubleshooting index, the matrix, ``{connector}`` roles in data) would each be reported
as well, in pages the writer never touched.  Those missing references are dropped here.  (The page of a broken
connector is marked orphan by its directive: it is out of the catalog's toctrees until fixed.)
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import state
from .sections import SECTION_KEYS


def _guide_anchor(rest: str) -> bool:
    """What follows ``<id>-`` in the anchors of a guide (render.anchor, readiness_section)."""
    return rest in SECTION_KEYS or rest == "sources" or rest.startswith("readiness-")


def _reported(app: Sphinx) -> set[str]:
    catalog = state.catalog(app.env)
    return {*catalog.broken, *state.of(app.env).misnamed}


def _label_owner(target: str, ids: set[str]) -> str | None:
    """The connector whose guide anchor ``target`` is (``<id>-<section>`` or ``connector-<id>``)."""
    if target.startswith("connector-"):
        return target.removeprefix("connector-")
    # the longest id first: 'mikrotik-api-fields' belongs to mikrotik-api, not mikrotik
    for cid in sorted(ids, key=len, reverse=True):
        rest = target.removeprefix(f"{cid}-")
        if rest != target and _guide_anchor(rest):
            return cid
    return None


def unlinked_echo(app: Sphinx, env: Any, node: nodes.Element, contnode: nodes.Node) -> nodes.Node | None:
    """``missing-reference``: a link to a guide whose problem was reported already shows its
    text, unlinked, without a warning (a ``warn-missing-reference`` handler cannot silence the
    std domain's own "undefined label" warning: Sphinx calls every handler)."""
    reported = _reported(app)
    if not reported:
        return None
    target = str(node.get("reftarget", "")).strip()
    if node.get("refdomain") == "wg" and node.get("reftype") == "connector":
        return contnode if target in reported else None
    if node.get("reftype") == "ref":
        catalog = state.catalog(app.env)
        owner = _label_owner(target.lower(), {*catalog.connectors, *catalog.broken})
        return contnode if owner in reported else None
    return None


def setup_cascade(app: Sphinx) -> None:
    app.connect("missing-reference", unlinked_echo)
