"""The catalog of the current build, loaded once per build in the main process.

Parallel readers are forked after ``builder-inited``, so they inherit it.  Parsed
connectors and secret-scan results are kept between builds in the doctree folder,
keyed by file stamps, so an incremental build re-reads only the YAML that changed.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import code_version, freshness
from .catalog import Catalog, Layout, load_catalog
from .config import layout as config_layout
from .report import Problem, warn
from .secrets import scan_project

CACHE_FILE = "wispgate-catalog.pickle"
_catalogs: dict[Path, Catalog] = {}
#: (value, message) of markup refusals reported at the start of this build (lint.py):
#: the renderer does not repeat them for each page that shows the value
reported_markup: set[tuple[str, str]] = set()
#: (file, line, message) reported by guard.report in this build
reported_problems: set[tuple[str, int, str]] = set()
#: connector id -> the page whose directive documents it, read from the page sources
#: before reading (so the order Sphinx reads pages in does not matter)
guide_pages: dict[str, str] = {}
#: messages about unknown connector ids in pages, reported at the start of the build
unknown_ids: set[str] = set()
#: connector id -> the unknown id its own page names instead (writer_rules.misnamed_guides): reported
#: once, at the page, so the connector's missing page and the links to it are not reported again
misnamed: dict[str, Any] = {}
#: srcdir -> the settings of the build's configuration (exclude patterns, suffixes...)
build_settings: dict[Path, dict[str, Any]] = {}


def _read_cache(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            cache = pickle.load(f)
        return cache if cache.get("version") == code_version() else {}
    except Exception:  # a missing, partial or old cache is simply rebuilt
        return {}


def load(srcdir: Path, cache_dir: Path | None = None, where: Layout | None = None) -> tuple[Catalog, list[Problem]]:
    """The catalog and the secret-scan problems, reusing what did not change."""
    where = where or Layout()
    path = Path(cache_dir) / CACHE_FILE if cache_dir else None
    cache = _read_cache(path) if path else {}
    connectors = cache.setdefault("connectors", {})
    scans = cache.setdefault("secrets", {})
    fresh = cache.get("version") != code_version()
    cache["version"] = code_version()
    before = {name: {k: id(v) for k, v in part.items()} for name, part in (("c", connectors), ("s", scans))}
    catalog = load_catalog(srcdir, connectors, where)
    # the pages the build's configuration makes Sphinx read (guard.guard_tree sets it)
    secrets = scan_project(Path(srcdir), catalog, scans, settings=build_settings.get(Path(srcdir)))
    after = {name: {k: id(v) for k, v in part.items()} for name, part in (("c", connectors), ("s", scans))}
    if path and (fresh or before != after):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(cache, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)  # atomic: a killed build never leaves half a cache
    _catalogs[Path(srcdir)] = catalog
    return catalog, secrets


def layout(env: BuildEnvironment) -> Layout:
    return config_layout(env.config)


def catalog(env: BuildEnvironment) -> Catalog:
    found = _catalogs.get(Path(env.srcdir))
    if found is None:  # a worker started some other way: load it here
        found = load(Path(env.srcdir), where=layout(env))[0]
    return found


def report_data_problems(app: Sphinx) -> None:
    """Load the catalog for this build, date its guides, and report every data problem once."""
    loaded, secrets = load(app.srcdir, app.doctreedir, config_layout(app.config))
    freshness.annotate(loaded, freshness.build_date(), app.config.wispgate_stale_after_days)
    for p in loaded.problems + secrets:
        warn(p.subtype, p.message, p.loc)


def setup_state(app: Sphinx) -> None:
    app.connect("builder-inited", report_data_problems)
