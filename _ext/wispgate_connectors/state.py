"""The catalog of the current build, loaded once per build in the main process.

Parallel readers are forked after ``builder-inited``, so they inherit it.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.environment import BuildEnvironment

from .catalog import Catalog, load_catalog

_catalogs: dict[Path, Catalog] = {}


def load(srcdir: Path) -> Catalog:
    catalog = load_catalog(srcdir)
    _catalogs[Path(srcdir)] = catalog
    return catalog


def catalog(env: BuildEnvironment) -> Catalog:
    found = _catalogs.get(Path(env.srcdir))
    if found is None:  # a worker started some other way: load it here
        found = load(Path(env.srcdir))
    return found
