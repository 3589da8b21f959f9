"""Pages to write again without re-reading them (``env-get-updated``).

Sphinx re-writes only the pages it re-read.  Some pages show what changed
elsewhere: links to a renamed connector (the stale-link problem of sphinx-needs
#354), connector cards (built when written, see :mod:`.listing`), the left
navigation; and a build killed while writing leaves pages half done.
"""

from __future__ import annotations

from pathlib import Path

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


def build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        _writing_mark(app).unlink(missing_ok=True)


def setup_incremental(app: Sphinx) -> None:
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("build-finished", build_finished)
