"""Garbage-collector settings for the long-lived objects of a build.

A build holds hundreds of thousands of nodes for its whole life, and CPython's
default thresholds re-scan them over and over: a fifth of a 300-guide build went
to the collector, and a third of a one-page rebuild of a 1,000-guide site, most
of it while unpickling the environment (bench/README.md).

Documents are read one at a time, and what one leaves behind is garbage once the next
begins: the youngest generation is collected between two documents read (and two
commissioning sheets written), so each object is scanned once, and the doctrees, which live
all build, are frozen as they are made.  Sphinx's own pages are written under the calm
thresholds: a doctree unpickled for its page dies with it, and a young collection between
two pages would move it to the middle generation, which the collector then seldom reaches
(in a trial, a thousand sheets' documents, 200 MB, piled up there).
"""

from __future__ import annotations

import atexit
import gc
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

#: per application: the thresholds to restore
_saved: dict[int, tuple[int, ...]] = {}


#: while Sphinx unpickles the environment and the extension its caches: millions of objects that
#: all live, so a young collection every 50,000 of them only re-scans survivors (half of a
#: one-page rebuild's environment load at N = 1,000, bench/README.md)
LOADING = (2_000_000, 20, 100)
#: while pages are written
CALM = (50_000, 20, 100)
#: while documents are read: a collection between two documents (:func:`between_documents`),
#: and one within a document only when it makes a million objects
READING = (1_000_000, 20, 100)
#: the same in a process that ends with its build (the live preview's, warm.py): a collection
#: there frees objects on pages it shares with the process it was forked from, which copies
#: them (a tenth of a second a collection at N = 1,000); a one-page rebuild allocates less
SHORT_LIVED = (1_000_000, 20, 100)

_short_lived = False


def short_lived() -> None:
    """This process ends with its build: collect rarely, and leave the collector as the build
    set it (restoring the usual thresholds made the next allocation collect)."""
    global _short_lived
    _short_lived = True


def _calm() -> tuple[int, int, int]:
    return SHORT_LIVED if _short_lived else CALM


def calm_collector(app: Sphinx, config: Config) -> None:
    """Collect young objects less often, from before the environment is loaded.

    ``release_memory`` restores the thresholds, so a process running several
    builds (tests, live preview) frees each one.
    """
    _saved.setdefault(id(app), gc.get_threshold())
    gc.set_threshold(*LOADING)


def loaded(app: Sphinx) -> None:
    """``builder-inited``, last: the environment and the catalog are loaded, and live all build.

    Freeze them before the lower threshold makes the next allocation scan them all.
    """
    if id(app) in _saved:
        gc.freeze()
        gc.set_threshold(*_calm())


def start_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Freeze what is loaded; while documents are read, collect between two of them only."""
    _saved.setdefault(id(app), gc.get_threshold())  # a second build of one app: config-inited fired once
    gc.freeze()
    gc.set_threshold(*READING)


def between_documents(*args: Any) -> None:
    """One document is done and the next is not begun: collect what the last one left.

    Only the youngest generation, which holds nothing older than the last document (or the
    last collection): its garbage is freed, and what lives on moves up a generation.  A
    manual collection of an older one would count towards a full collection, which here
    scans the whole frozen environment once it is released (10 s at N = 1,000).
    """
    gc.collect(0)


def next_document(app: Sphinx, docname: str, source: Any) -> None:
    """``source-read``: the last document read lives all build (its doctree is kept for its
    page): freeze it, so no collection scans it again."""
    between_documents()
    gc.freeze()


def settle_memory(app: Sphinx, env: BuildEnvironment) -> None:
    """Freeze the long-lived catalog and environment, so no collection scans them again.

    No full collection first: a read leaves little cyclic garbage (peak memory of a
    300-guide build within 0.5% without it), and at 1,000 guides the collection took 4 s
    to find it.  The youngest generation holds the last document's garbage: it is collected.
    """
    between_documents()
    gc.set_threshold(*_calm())
    gc.freeze()


def release_memory(app: Sphinx, exception: Exception | None) -> None:
    previous = _saved.pop(id(app), None)
    if previous is not None and not _short_lived:
        gc.unfreeze()
        gc.set_threshold(*previous)


def _freeze_at_exit() -> None:
    """Nothing is worth collecting once the process ends: without this, the interpreter's
    own collections while it tears a built site down (a million objects at N = 1,000)
    made the process end 3.5 s after the build did, and a writer's preview waits for it."""
    gc.freeze()


def setup_memory(app: Sphinx) -> None:
    atexit.unregister(_freeze_at_exit)  # once per process, however many builds it runs
    atexit.register(_freeze_at_exit)
    app.connect("config-inited", calm_collector)
    app.connect("builder-inited", loaded, priority=999)
    app.connect("env-before-read-docs", start_reading, priority=900)
    app.connect("source-read", next_document, priority=1)
    app.connect("env-updated", settle_memory, priority=900)
    app.connect("build-finished", release_memory, priority=900)
