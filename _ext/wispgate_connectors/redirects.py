"""Renamed connectors keep working: old pages redirect (sphinx-reredirects), old ids resolve.

A connector lists its former ids in ``renamed_from``; the page each had,
``<page dir>/<old id>``, becomes a redirect to the guide, and ``{connector}`old-id```
links to the guide under its current name.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import state


def add_redirects(app: Sphinx) -> None:
    """After the catalog is loaded: one redirect per former id (``builder-inited``)."""
    catalog = state.catalog(app.env)
    page_dir = state.layout(app.env).page_dir
    redirects = dict(app.config.redirects or {})
    for old, new in sorted(catalog.renamed.items()):
        redirects.setdefault(f"{page_dir}/{old}", f"{new}.html")
    app.config.redirects = redirects


def setup_redirects(app: Sphinx) -> None:
    app.setup_extension("sphinx_reredirects")
    app.connect("builder-inited", add_redirects)
