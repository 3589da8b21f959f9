"""The per-build state: the build's catalog and what the build learned before reading.

One :class:`BuildState` per build, made at ``config-inited`` (on the app, before Sphinx
has an environment) and handed to the ``wg`` domain at ``builder-inited``: nothing of a
build lives in module globals, so two Sphinx applications in one process (the tests)
never see each other's state, and every build starts clean.  The domain holds it as an
attribute, not in its pickled data, so it is neither saved with the environment nor
merged from parallel readers; those are forked after ``builder-inited``, so they inherit
it.  Parsed connectors and secret-scan results are kept between builds in the doctree
folder, keyed by file stamps, so an incremental build re-reads only the YAML that changed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from . import code_version, freshness, safety
from .catalog import Catalog, Layout, load_catalog
from .config import layout as config_layout
from .model import Connector, Marks, connector_class
from .report import Problem, warn
from .secrets import scan_project, secret_examples
from .yamlio import forget_kept

CACHE_FILE = "wispgate-catalog.pickle"


@dataclass
class BuildState:
    """What one build knows beside its environment; read and written through :func:`of`."""

    #: the build's catalog, loaded once at ``builder-inited``
    catalog: Catalog | None = None
    #: (value, message) of markup refusals reported at the start of this build (lint.py):
    #: the renderer does not repeat them for each page that shows the value
    reported_markup: set[tuple[str, str]] = field(default_factory=set)
    #: (file, line, message) reported by guard.report in this build
    reported_problems: set[tuple[str, int, str]] = field(default_factory=set)
    #: connector id -> the page whose directive documents it, read from the page sources
    #: before reading (so the order Sphinx reads pages in does not matter)
    guide_pages: dict[str, str] = field(default_factory=dict)
    #: messages about unknown connector ids in pages, reported at the start of the build
    unknown_ids: set[str] = field(default_factory=set)
    #: connector id -> the unknown id its own page names instead (writer_rules.misnamed_guides): reported
    #: once, at the page, so the connector's missing page and the links to it are not reported again
    misnamed: dict[str, Any] = field(default_factory=dict)
    #: the settings of the build's configuration (exclude patterns, suffixes...): guard.guard_tree
    settings: dict[str, Any] | None = None
    #: what the build knows of the files in folders of generated pages (safety.generated_plan),
    #: read from the doctree folder at first use; ``known_pages_saved``: as last written there
    known_pages: dict[str, Any] | None = None
    known_pages_saved: dict[str, Any] = field(default_factory=dict)


_APP_ATTRIBUTE = "_wg_build"


def start(app: Sphinx, config: Config) -> None:
    """``config-inited``, before any other handler of the extension: a clean state."""
    setattr(app, _APP_ATTRIBUTE, BuildState())


def of_app(app: Sphinx) -> BuildState:
    """The state of the build ``app`` runs (the one :func:`start` made)."""
    found = getattr(app, _APP_ATTRIBUTE, None)
    if not isinstance(found, BuildState):  # an app that skipped config-inited
        found = BuildState()
        setattr(app, _APP_ATTRIBUTE, found)
    return found


def of(env: BuildEnvironment) -> BuildState:
    """The state of the build reading or writing ``env`` (held by its ``wg`` domain)."""
    from .domain import get_domain

    return get_domain(env).build


#: caches a live preview's zygote read before its next build asked for them (warm.py):
#: path -> (the file's stamp then, what it held); a build forked from it uses an entry only
#: while the file is unchanged
_read_ahead: dict[str, tuple[Any, Any]] = {}


def unpickled(path: Path) -> Any:
    with path.open("rb") as f:
        return pickle.load(f)


def read_ahead(files: dict[Path, Callable[[Path], Any]], release: Callable[[], None] | None = None) -> None:
    """Load each file with its reader now, for the builds this process will fork (warm.py);
    forget the rest. ``release`` runs once what changed is forgotten, before it is read again."""
    stamps = {str(path): safety.stat_stamp(path) for path in files}
    for key in [key for key, (stamp, _) in _read_ahead.items() if stamps.get(key) != stamp]:
        del _read_ahead[key]
    if release is not None:
        release()
    for path, read in files.items():
        stamp = stamps[str(path)]
        if stamp is None or str(path) in _read_ahead:
            continue
        try:
            _read_ahead[str(path)] = (stamp, read(path))
        except Exception:
            continue


def taken_ahead(path: Path) -> Any:
    """What :func:`read_ahead` loaded from ``path``, if the file is still the one it read;
    given once (a second reader gets its own copy from the file)."""
    hit = _read_ahead.pop(str(path), None)
    return hit[1] if hit is not None and hit[0] == safety.stat_stamp(path) else None


def read_cache(path: Path) -> dict[str, Any]:
    """A cache the extension keeps beside the doctrees; empty when missing, partial or
    written by other code (every cache is keyed on :func:`code_version`)."""
    try:
        cache = taken_ahead(path)
        if cache is None:
            cache = unpickled(path)
        return cache if isinstance(cache, dict) and cache.get("version") == code_version() else {}
    except Exception:  # a missing, partial or old cache is simply rebuilt
        return {}


def write_cache(path: Path, cache: dict[str, Any], lazy: bool = False) -> None:
    """Write a cache atomically (a killed build never leaves half of one); a cache that
    cannot be written (a full disk) costs the next build time, nothing else.

    ``lazy``: connector records are written as their summary and the bytes of the whole
    record (:class:`_LazyPickler`), so reading the cache does not rebuild a thousand records.
    """
    cache["version"] = code_version()
    tmp = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            pickler = _LazyPickler(f, protocol=pickle.HIGHEST_PROTOCOL) if lazy else None
            if pickler is not None:
                pickler.dump(cache)
            else:
                pickle.dump(cache, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _summary_value(value: Any) -> bool:
    """Kept in a lazy record's summary: plain values (id, name, domain, status, ids of others)."""
    if isinstance(value, tuple):
        return all(isinstance(v, str) for v in value)
    return value is None or isinstance(value, (str, int, float))


#: record keys every build reads of every connector (freshness, cross references, What's new,
#: the reader tools' index, validation.json): kept in the summary although they are records
_SUMMARY_RECORDS = frozenset({"related", "versions", "verified", "sync", "validation", "readiness"})


class _TopMarks(Marks):
    """The lines of a lazy record's top-level keys (what cards and listings point at); the
    line of any deeper value loads the whole record, whose marks then replace these."""

    record: Any = None

    def line(self, path: tuple[Any, ...]) -> int:
        path = tuple(path)
        if len(path) <= 1:  # as Marks.line: a top-level key without a line has the document's
            return self[path] if path in self else self.get((), 1)
        self.record._given  # noqa: B018 (loads the record)
        return self.record.marks.line(path)  # type: ignore[no-any-return]


def _lazy_record(summary: dict[str, Any], whole: bytes, top: dict[tuple[Any, ...], int]) -> Connector:
    """A connector record holding its summary and the lines of its top-level keys; the rest
    is loaded from ``whole`` at first use (model.Record.__getattr__).  Listings, digests,
    cards and page plans of an incremental build read the summary alone, or results kept
    per connector file."""
    cls = connector_class()
    record = cls.__new__(cls)
    record.__dict__.update(summary)
    marks = _TopMarks(top)
    marks.record = record
    record.__dict__["marks"] = marks
    record.__dict__["_lazy"] = whole
    return record  # type: ignore[return-value]


class _LazyPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is not connector_class():
            return NotImplemented
        attrs = obj.__dict__
        top = {k: v for k, v in attrs["marks"].items() if len(k) <= 1}
        whole = attrs.get("_lazy")
        if whole is not None:  # never loaded in this build: written as it was read
            return _lazy_record, ({k: v for k, v in attrs.items() if k not in ("_lazy", "marks")}, whole, top)
        whole = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        summary = {
            k: v
            for k, v in attrs.items()
            if k not in ("_given", "marks") and (k in _SUMMARY_RECORDS or _summary_value(v))
        }
        return _lazy_record, (summary, whole, top)


#: the cache's parts, each a mapping of file -> what was learned from it
_PARTS = ("connectors", "secrets", "examples")
#: re-write the whole cache once the changes since it was written are this many files
DELTA_MAX = 64


def _read_with_delta(path: Path) -> tuple[dict[str, Any], dict[str, Any], set[tuple[str, str]]]:
    """The whole cache, its delta applied; the base as read; the entries the delta gave.

    An edit re-pickles only what changed since the whole cache was written (a delta file
    beside it, bound to that base by a token), not the megabytes of a big catalog.
    """
    base = read_cache(path)
    delta = read_cache(path.with_suffix(".delta")) if base else {}
    if not base or delta.get("base") != base.get("token"):
        delta = {}
    cache = {k: dict(v) if k in _PARTS else v for k, v in base.items()}
    given = set()
    for part in _PARTS:
        for name, entry in delta.get(part, {}).items():
            cache.setdefault(part, {})[name] = entry
            given.add((part, name))
    return cache, base, given


def load(
    srcdir: Path,
    cache_dir: Path | None = None,
    where: Layout | None = None,
    settings: dict[str, Any] | None = None,
) -> tuple[Catalog, list[Problem]]:
    """The catalog and the secret-scan problems, reusing what did not change.

    ``settings``: the build configuration's (:attr:`BuildState.settings`), which decide the
    pages Sphinx reads and so the pages the secret scan reads.
    """
    where = where or Layout()
    path = Path(cache_dir) / CACHE_FILE if cache_dir else None
    cache, base, given = _read_with_delta(path) if path else ({}, {}, set())
    connectors = cache.setdefault("connectors", {})
    scans = cache.setdefault("secrets", {})
    cache.setdefault("examples", {})
    before = {part: dict(cache[part]) for part in _PARTS}  # the entries themselves: an id can be reused
    catalog = load_catalog(srcdir, connectors, where)
    examples = _secret_examples(catalog, cache.setdefault("examples", {}))
    try:
        secrets = scan_project(Path(srcdir), catalog, scans, settings=settings, examples=examples)
    finally:
        forget_kept()  # the catalog's parses served the scan: none outlives this load
    if path:
        _save(path, cache, base, given, before)
    return catalog, secrets


def _secret_examples(catalog: Catalog, kept: dict[str, Any]) -> list[Problem]:
    """:func:`.secrets.secret_examples` of the catalog, made again only for a connector whose
    file changed (``kept``: id -> (content key and file, problems), updated in place)."""
    out: list[Problem] = []
    for cid, c in catalog.connectors.items():
        key = (catalog.sources.get(cid), c.path)
        hit = kept.get(cid)
        if hit is None or key[0] is None or hit[0] != key:
            hit = kept[cid] = (key, secret_examples(Catalog(root=catalog.root, connectors={cid: c})))
        out += hit[1]
    for gone in set(kept) - set(catalog.connectors):
        del kept[gone]
    return out


def _save(
    path: Path, cache: dict[str, Any], base: dict[str, Any], given: set[tuple[str, str]], before: dict[str, Any]
) -> None:
    """Write what changed: nothing, a delta of the entries that differ from the base, or all."""
    changed = {(part, k) for part in _PARTS for k, v in cache[part].items() if before[part].get(k) is not v}
    gone = any(k not in cache[part] for part in _PARTS for k in base.get(part, {}))
    dropped = any(k not in cache[part] for part, k in given)
    if not changed and not gone and not dropped and base:
        return
    differ = (changed | given) & {(part, k) for part in _PARTS for k in cache[part]}
    if base and not gone and len(differ) <= DELTA_MAX:
        delta: dict[str, Any] = {"base": base["token"]}
        for part, k in differ:
            delta.setdefault(part, {})[k] = cache[part][k]
        write_cache(path.with_suffix(".delta"), delta, lazy=True)
        return
    cache["token"] = os.urandom(8).hex()  # a delta written for an older base is ignored
    write_cache(path, cache, lazy=True)
    path.with_suffix(".delta").unlink(missing_ok=True)


def layout(env: BuildEnvironment) -> Layout:
    return config_layout(env.config)


def catalog(env: BuildEnvironment) -> Catalog:
    build = of(env)
    if build.catalog is None:  # a worker started some other way: load it here
        build.catalog = load(Path(env.srcdir), where=layout(env), settings=build.settings)[0]
    return build.catalog


def attach(app: Sphinx) -> None:
    """``builder-inited``, first: the environment's ``wg`` domain holds the build's state."""
    from .domain import get_domain

    get_domain(app.env).build = of_app(app)


def report_data_problems(app: Sphinx) -> None:
    """Load the catalog for this build, date its guides, and report every data problem once."""
    build = of_app(app)
    loaded, secrets = load(app.srcdir, app.doctreedir, config_layout(app.config), build.settings)
    build.catalog = loaded
    freshness.annotate(loaded, freshness.build_date(), app.config.wispgate_stale_after_days)
    for p in loaded.problems + secrets:
        warn(p.subtype, p.message, p.loc)


def setup_state(app: Sphinx) -> None:
    # before guard.guard_tree (priority 100), which reports into the state
    app.connect("config-inited", start, priority=0)
    app.connect("builder-inited", attach, priority=0)
    app.connect("builder-inited", report_data_problems)
