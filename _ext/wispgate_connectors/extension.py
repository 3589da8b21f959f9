"""Wires the domain, role, directives and build events into Sphinx."""

from __future__ import annotations

import gc
import queue
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import __version__, code_version, state
from .catalog import Subtype
from .directives import DIRECTIVES
from .domain import ConnectorDomain, ConnectorRole, documented
from .guard import setup_guards
from .lint import connector_page_problems
from .markup import WARNING_TYPE
from .navigation import add_static_path, pages_with_new_navigation, setup_navigation, uses_navigation
from .schema_doc import ConnectorSchemaDirective
from .pages import WRITTEN_KINDS, setup_pages

logger = logging.getLogger(__name__)


def report_data_problems(app: Sphinx) -> None:
    catalog, secrets = state.load(app.srcdir, app.doctreedir)
    for p in catalog.problems + secrets:
        logger.warning(p.message, location=f"{p.file}:{p.line}", type=WARNING_TYPE, subtype=p.subtype.value)


def check_pages(app: Sphinx, env: BuildEnvironment) -> None:
    """Checks that need every page read: each connector has one page, related docs exist."""
    # the same rules as `make check` (lint.py), on what the build read
    for p in connector_page_problems(state.catalog(env), documented(env), env.found_docs):
        logger.warning(p.message, location=f"{p.file}:{p.line}", type=WARNING_TYPE, subtype=p.subtype.value)


def _listing_digests(env: BuildEnvironment, keys) -> dict[tuple[str, str | None], str]:
    catalog = state.catalog(env)
    taxonomies = repr((sorted(catalog.domains.items()), sorted(catalog.use_cases.items())))
    pages = documented(env)
    digests = {}
    for kind, scope in keys:
        shown = [] if kind == "taxonomies" else catalog.scoped(scope)
        digest = taxonomies + repr([c.listing_digest(kind) for c in shown])
        if kind in WRITTEN_KINDS:  # cards link to the guide, or show a name while it has none
            digest += repr([pages.get(c.id, ("",))[0] for c in shown])
        digests[(kind, scope)] = digest
    return digests


def _listing_keys(env: BuildEnvironment, written: bool) -> set[tuple[str, str | None]]:
    listings = env.get_domain("wg").listings
    keys = set().union(*listings.values()) if listings else set()
    return {key for key in keys if (key[0] in WRITTEN_KINDS) is written}


def _stale_listings(env: BuildEnvironment, written: bool, before: dict) -> tuple[set[str], dict]:
    """Listing pages that show something changed since the digests ``before``, and the digests now."""
    domain = env.get_domain("wg")
    now = _listing_digests(env, _listing_keys(env, written))
    stale = {key for key, digest in now.items() if before.get(key) != digest}
    return {doc for doc, shown in domain.listings.items() if shown & stale and doc in env.found_docs}, now


def listing_pages_to_reread(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Catalog pages depend on many connectors, but only on what they show of them.

    Rather than a dependency on every YAML file (which would re-read them on any
    edit), compare a digest per kind and scope of listing (the connectors of one
    domain, the versions of all) with the one of the last read.  Cards are built
    while writing: pages whose cards changed are re-written instead (see
    ``pages_to_rewrite``).
    """
    stale, _ = _stale_listings(env, written=False, before=env.get_domain("wg").data["listing_digest"] or {})
    return sorted(stale - set(removed))


def remember_listings(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: what each listing shows now, for the next build to compare."""
    env.get_domain("wg").data["listing_digest"] = _listing_digests(env, _listing_keys(env, written=False))


def _writing_mark(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"wispgate-writing-{app.builder.name}"


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to write again without re-reading them.

    Their links to renamed connectors, their navigation, or everything when the
    last build was killed while writing: Sphinx saves the environment before it
    writes, so it would otherwise skip the pages that never got written in full
    and keep a search index and sitemap of the ones that did.
    """
    docs = set(env.get_domain("wg").docs_to_rewrite())
    # checked after reading, so cards see guides this build added or removed; kept per
    # builder, as each writes its own copy of the pages
    written = env.get_domain("wg").data["cards_digest"]
    cards, written[app.builder.name] = _stale_listings(env, written=True, before=written.get(app.builder.name, {}))
    docs.update(cards)
    docs.update(pages_with_new_navigation(app, env))
    mark = _writing_mark(app)
    if mark.exists():
        docs.update(env.found_docs)
    else:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
    return sorted(docs)


def build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        _writing_mark(app).unlink(missing_ok=True)


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """sphinx-sitemap lists only the pages written by this build: add the others.

    Its queue is filled in write order, which differs between serial and ``-j``
    builds, so the links are also sorted for reproducible output.
    """
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or not uses_navigation(app):
        return
    from sphinx_sitemap import add_html_link

    unique = {}
    while True:  # what the written pages put in
        try:
            link, lastmod = links.get_nowait()
        except queue.Empty:
            break
        unique[link] = lastmod

    class Collect(list):
        put = list.append

    # every page, through sphinx-sitemap's own rules, into a local list (the queue is a
    # separate process: one round trip per page)
    app.sitemap_links = local = Collect()
    try:
        for doc in sorted(app.env.found_docs):
            add_html_link(app, doc, None, None, None)
    finally:
        app.sitemap_links = links
    for link, lastmod in local:
        unique.setdefault(link, lastmod)
    for link in sorted(unique):
        links.put((link, unique[link]))


def calm_collector(app: Sphinx, config) -> None:
    """Collect young objects less often, from before the environment is loaded.

    A build holds hundreds of thousands of nodes for its whole life, and CPython's
    default thresholds re-scan them over and over: a fifth of a 300-guide build went
    to the collector, and a third of a one-page rebuild of a 1,000-guide site, most
    of it while unpickling the environment (bench/README.md).  ``release_memory``
    restores the thresholds, so a process running several builds (tests, live
    preview) frees each one.
    """
    if not hasattr(app, "_wg_gc_threshold"):
        app._wg_gc_threshold = gc.get_threshold()
        gc.set_threshold(50_000, 20, 100)


def settle_memory(app: Sphinx, env: BuildEnvironment, *args) -> None:
    """Freeze the long-lived catalog and environment, so no collection scans them again.

    After a big read, collect once first; for a handful of pages the full collection
    costs more than the garbage it would free.
    """
    if args:  # env-before-read-docs: remember how much this build reads
        app._wg_reads = len(args[0])
    calm_collector(app, None)  # again for a second build of one app: config-inited fired only once
    if getattr(app, "_wg_reads", 0) >= BIG_READ:
        gc.collect()
    gc.freeze()


#: pages read from which a full collection before freezing pays off
BIG_READ = 50


def release_memory(app: Sphinx, exception: Exception | None) -> None:
    previous = getattr(app, "_wg_gc_threshold", None)
    if previous is not None:
        gc.unfreeze()
        gc.set_threshold(*previous)
        del app._wg_gc_threshold


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    app.add_domain(ConnectorDomain)
    app.add_role("connector", ConnectorRole())
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_directive("connector-schema", ConnectorSchemaDirective)
    app.connect("builder-inited", report_data_problems)
    setup_guards(app)
    app.connect("config-inited", calm_collector)
    app.connect("env-before-read-docs", settle_memory, priority=900)
    app.connect("env-updated", settle_memory, priority=900)
    setup_pages(app)
    setup_navigation(app)
    app.connect("builder-inited", add_static_path)
    app.add_css_file("wispgate.css")
    app.add_js_file("wispgate.js", defer="defer")
    # every build, not only when something was read (env-check-consistency): an unchanged
    # project with a page-less connector fails each time, as `make check` does
    app.connect("env-updated", check_pages)
    app.connect("env-get-outdated", listing_pages_to_reread)
    app.connect("env-updated", remember_listings)
    app.connect("env-get-updated", pages_to_rewrite)
    # before sphinx-sitemap writes its file (priority 500)
    app.connect("build-finished", complete_sitemap, priority=400)
    app.connect("build-finished", build_finished)
    app.connect("build-finished", release_memory, priority=900)
    return {
        "version": __version__,
        "env_version": code_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
