"""Complete sphinx-sitemap's list on incremental builds, in a reproducible order."""

from __future__ import annotations

import queue
from typing import Any

from sphinx.application import Sphinx

from . import state
from .navigation import uses_navigation
from .sheets import sheet_doc, sheet_ids, writes_sheet_pages


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """sphinx-sitemap lists only the pages written by this build: add the others.

    Its queue is filled in write order, which differs between serial and ``-j``
    builds, so the links are also sorted for reproducible output.
    """
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or not uses_navigation(app):
        return
    from sphinx_sitemap import add_html_link

    unique: dict[str, Any] = {}
    while True:  # what the written pages put in
        try:
            link, lastmod = links.get_nowait()
        except queue.Empty:
            break
        unique[link] = lastmod

    class Collect(list[Any]):
        put = list.append

    # every page, through sphinx-sitemap's own rules, into a local list (the queue is a
    # separate process: one round trip per page)
    app.sitemap_links = local = Collect()  # type: ignore[attr-defined]
    try:
        for doc in sorted(app.env.found_docs):
            add_html_link(app, doc, None, None, None)
        if writes_sheet_pages(app.builder):  # pages of their own, not documents
            for cid in sheet_ids(state.catalog(app.env)):
                add_html_link(app, sheet_doc(app.config, cid), None, None, None)
    finally:
        app.sitemap_links = links  # type: ignore[attr-defined]
    for link, lastmod in local:
        unique.setdefault(link, lastmod)
    for link in sorted(unique):
        links.put((link, unique[link]))


def setup_sitemap(app: Sphinx) -> None:
    # before sphinx-sitemap writes its file (priority 500)
    app.connect("build-finished", complete_sitemap, priority=400)
