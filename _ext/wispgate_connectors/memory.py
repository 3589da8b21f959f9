"""Garbage-collector settings for the long-lived objects of a build.

A build holds hundreds of thousands of nodes for its whole life, and CPython's
default thresholds re-scan them over and over: a fifth of a 300-guide build went
to the collector, and a third of a one-page rebuild of a 1,000-guide site, most
of it while unpickling the environment (bench/README.md).
"""

from __future__ import annotations

import gc
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

#: pages read from which a full collection before freezing pays off
BIG_READ = 50
#: per application: the thresholds to restore, and how many pages this build reads
_saved: dict[int, tuple[int, ...]] = {}
_reads: dict[int, int] = {}


def calm_collector(app: Sphinx, config: Config | None) -> None:
    """Collect young objects less often, from before the environment is loaded.

    ``release_memory`` restores the thresholds, so a process running several
    builds (tests, live preview) frees each one.
    """
    if id(app) not in _saved:
        _saved[id(app)] = gc.get_threshold()
        gc.set_threshold(50_000, 20, 100)


def settle_memory(app: Sphinx, env: BuildEnvironment, *args: Any) -> None:
    """Freeze the long-lived catalog and environment, so no collection scans them again.

    After a big read, collect once first; for a handful of pages the full collection
    costs more than the garbage it would free.
    """
    if args:  # env-before-read-docs: remember how much this build reads
        _reads[id(app)] = len(args[0])
    calm_collector(app, None)  # again for a second build of one app: config-inited fired only once
    if _reads.get(id(app), 0) >= BIG_READ:
        gc.collect()
    gc.freeze()


def release_memory(app: Sphinx, exception: Exception | None) -> None:
    previous = _saved.pop(id(app), None)
    _reads.pop(id(app), None)
    if previous is not None:
        gc.unfreeze()
        gc.set_threshold(*previous)


def setup_memory(app: Sphinx) -> None:
    app.connect("config-inited", calm_collector)
    app.connect("env-before-read-docs", settle_memory, priority=900)
    app.connect("env-updated", settle_memory, priority=900)
    app.connect("build-finished", release_memory, priority=900)
