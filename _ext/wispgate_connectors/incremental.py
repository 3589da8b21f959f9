"""Pages to write again without re-reading them (``env-get-updated``).

Sphinx re-writes only the pages it re-read.  Some pages show what changed
elsewhere: links to a renamed connector (the stale-link problem of sphinx-needs
#354), connector cards (built when written, see :mod:`.listing`), the left
navigation; and a build killed while writing leaves pages half done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import get_domain
from .listing import stale_written_pages
from .navigation import pages_with_new_navigation


def _writing_mark(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"wispgate-writing-{app.builder.name}"


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Their links, cards or navigation changed, or everything when the last build was
    killed while writing: Sphinx saves the environment before it writes, so it would
    otherwise skip the pages that never got written in full and keep a search index
    and sitemap of the ones that did.
    """
    docs = set(get_domain(env).docs_to_rewrite())
    # checked after reading, so cards see guides this build added or removed; kept per
    # builder, as each writes its own copy of the pages
    docs.update(stale_written_pages(env, app.builder.name))
    docs.update(pages_with_new_navigation(app, env))
    mark = _writing_mark(app)
    if mark.exists():
        docs.update(env.found_docs)
    else:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
    return sorted(docs)


def guide_state(env: BuildEnvironment) -> dict[str, tuple[str | None, bool]]:
    """Per connector: the page whose directive documents it, and whether ``integrations/<id>``
    exists.  Listings read them (a name is a link or text; a domain page's toctree lists the
    guide), but what they show of each connector (listing.py's views) does not hold them."""
    from . import state

    catalog = state.catalog(env)
    pages = state.of(env).guide_pages
    return {cid: (pages.get(cid), c.docname in env.found_docs) for cid, c in catalog.connectors.items()}


def _reads_guides(kind: Any, scope: Any) -> bool:
    """Whether a listing decides while reading how it shows a connector's guide (its name as a link
    or as text, an entry of a domain page's toctree): every read-time kind, but for the counts of a
    use-case page (pages.py); cards and sheets are built when written, and have their own digest."""
    from .listing import Kind

    return not kind.written and kind is not Kind.taxonomies and not (kind is Kind.ids and scope.use_case)


def listings_of_changed_guides(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: listing pages that show a connector whose guide page appeared, went
    or moved since they were read (a guide written after its data, a misspelled id fixed)."""
    from . import state
    from .listing import Scope

    before: dict[str, tuple[str | None, bool]] | None = getattr(env, "wg_guide_state", None)
    if before is None:
        return []
    now = guide_state(env)
    moved = {cid for cid in before.keys() | now.keys() if before.get(cid) != now.get(cid)}
    if not moved:
        return []
    catalog = state.catalog(env)
    shows: dict[Scope, set[str]] = {}
    out = []
    for doc, keys in get_domain(env).listings.items():
        if doc not in env.found_docs or doc in removed:
            continue
        for kind, scope in keys:
            if not _reads_guides(kind, scope):
                continue
            if scope not in shows:
                shows[scope] = {c.id for c in scope.members(catalog)}
            if shows[scope] & moved:
                out.append(doc)
                break
    return sorted(out)


def toctrees_of_added_or_removed(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: when a page appears or goes, the pages holding a toctree are read again.

    Sphinx drops a toctree entry naming a missing page when it reads the toctree, and never
    reads that page again when the entry's page appears (or goes): the navigation and the
    previous/next links would differ from a clean build's.  Pages come and go rarely, and few
    pages hold toctrees (the root, the domain and use-case pages).
    """
    if not added and not removed:
        return []
    return sorted(doc for doc in env.toctree_includes if doc in env.found_docs and doc not in added)


def remember_guide_state(app: Sphinx, env: BuildEnvironment) -> None:
    env.wg_guide_state = guide_state(env)  # type: ignore[attr-defined]


def build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        _writing_mark(app).unlink(missing_ok=True)


def setup_incremental(app: Sphinx) -> None:
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("env-get-outdated", listings_of_changed_guides)
    app.connect("env-get-outdated", toctrees_of_added_or_removed)
    app.connect("env-updated", remember_guide_state)
    app.connect("build-finished", build_finished)
