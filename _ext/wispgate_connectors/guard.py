"""The build's side of the safety rules: the guards and reports around Sphinx's work.

- ``config-inited``: files and folders Sphinx would read unsafely (links leaving the
  project, folder links, FIFOs) are reported and kept out of the build; unsafe
  static files are never copied; private addresses are kept from ``make linkcheck``.
- ``builder-inited``: the rules of :mod:`.lint` that need no rendering, reported at
  every build, so that an incremental build fails when a fresh one would.
- ``env-get-outdated`` / ``env-updated``: pages are re-read when the data they
  depend on changed in content, whatever its time stamp says.
- ``build-finished``: a full disk is one line, not a traceback; pages of deleted
  sources are removed from the output.
"""

from __future__ import annotations

import errno
import queue
import re
import shutil
from collections.abc import Set
from pathlib import Path
from typing import Any, cast

from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import lint, safety, state
from .domain import get_domain
from .report import Problem
from .writer_rules import misnamed_guides

logger = logging.getLogger(__name__)

WARNING_TYPE = "wispgate"
RULES_CACHE = "wispgate-rules.pickle"


def report(app: Sphinx, problems: list[Problem]) -> None:
    """Warn as ``file:line: message [wispgate.<subtype>]``; a problem two checks find
    (a linked folder of generated pages) is reported once per build."""
    reported = state.of_app(app).reported_problems
    fresh = [p for p in problems if (p.file, p.line, p.message) not in reported]
    for p in fresh:
        logger.warning(p.message, location=f"{p.file}:{p.line}", type=WARNING_TYPE, subtype=p.subtype.value)
    reported.update((p.file, p.line, p.message) for p in fresh)


# --- config-inited: what Sphinx must not read ---------------------------------------------------


def _glob_escape(rel: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", rel)


def guard_tree(app: Sphinx, config: Config) -> None:
    """Report unsafe files and folders, and keep Sphinx from reading or copying them.

    Runs before Sphinx looks for pages: a looping folder link would otherwise
    hang its walk, and a page linked to a host file would be published.
    """
    srcdir = Path(app.srcdir)
    settings = safety.settings_from_config(config)
    settings["html_extra_path"] = list(getattr(config, "html_extra_path", []) or [])
    # before Sphinx merges the suffixes extensions registered (MyST's '.md') into the config
    settings["source_suffix"] = sorted({*settings["source_suffix"], *app.registry.source_suffix})
    problems = lint.tree_problems(srcdir, settings)
    report(app, problems)
    bad = [p.file for p in problems]
    if bad:
        config.exclude_patterns = [*config.exclude_patterns, *(_glob_escape(rel) for rel in bad)]
        settings["exclude_patterns"] = [*settings["exclude_patterns"], *(_glob_escape(rel) for rel in bad)]
    state.of_app(app).settings = settings
    if not bad:
        return
    for name in ("html_static_path", "html_extra_path"):
        entries = list(getattr(config, name, []) or [])
        if entries:
            setattr(config, name, [_safe_copy_source(app, entry, bad) for entry in entries])
    for name in ("html_favicon", "html_logo"):
        value = getattr(config, name, None)
        if isinstance(value, str) and value.lstrip("./") in bad:
            setattr(config, name, None)


def _safe_copy_source(app: Sphinx, entry: str, bad: list[str]) -> str:
    """A static folder as Sphinx may copy it: the same files without the refused ones.

    Sphinx copies static folders following every link and with no way to leave
    a file out, so a folder holding a refused file is replaced by a clean copy.
    """
    srcdir = Path(app.srcdir)
    path = Path(app.confdir) / entry
    try:
        rel = path.resolve().relative_to(srcdir.resolve()).as_posix()
    except ValueError:
        return entry  # the extension's own files, or another project's: not ours to judge
    if rel in bad:
        empty = _scratch(app) / "empty"
        empty.mkdir(parents=True, exist_ok=True)
        return str(empty)
    if not any(b.startswith(rel + "/") for b in bad):
        return entry
    clean = _scratch(app) / re.sub(r"[^\w.-]", "_", rel)
    for name, entry_ in safety.walk(path):
        if f"{rel}/{name}" in bad or entry_.is_dir(follow_symlinks=False):
            continue
        target = clean / name
        try:
            data = safety.read_regular(Path(entry_.path), srcdir)
        except safety.UnsafeFile:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return str(clean)


def _scratch(app: Sphinx) -> Path:
    """A folder outside the output (the doctrees may be inside it), removed after the build."""
    import tempfile

    if not hasattr(app, "_wg_scratch"):
        app._wg_scratch = Path(tempfile.mkdtemp(prefix="wispgate-static-"))  # type: ignore[attr-defined]
    return cast(Path, app._wg_scratch)  # type: ignore[attr-defined]


def remove_scratch(app: Sphinx, exception: Exception | None) -> None:
    scratch = getattr(app, "_wg_scratch", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


def ignore_private_links(app: Sphinx, uri: str) -> None:
    """``make linkcheck`` never fetches localhost, private, link-local or cloud-metadata
    addresses (data can hold any URL): such links are reported as ignored."""
    if safety.private_url(uri):
        pattern = re.escape(uri) + r"\Z"
        if pattern not in app.config.linkcheck_ignore:
            app.config.linkcheck_ignore = [*app.config.linkcheck_ignore, pattern]


# --- builder-inited: the rules that need no rendering ---------------------------------------------


def report_rules(app: Sphinx) -> None:
    """Markup refusals, unknown code languages, unknown ids in pages and generated-page
    folders, at every build.  Results are cached per connector and per page content,
    so a build of 1,000 guides re-checks only what changed."""
    build = state.of_app(app)
    catalog = state.catalog(app.env)
    srcdir = Path(app.srcdir)
    settings = safety.settings_from_config(app.config)
    extensions = frozenset(settings["myst_enable_extensions"])
    path = Path(app.doctreedir) / RULES_CACHE
    cache = state.read_cache(path) or {"fresh": True}
    markup = cache.setdefault("markup", {})
    pages_cache = cache.setdefault("pages", {})
    before = (_stamps(markup), _stamps(pages_cache))
    findings: list[tuple[Problem, str]] = []
    for c in catalog.sorted():
        # the content key of the connector's file stands for the record made from it
        source = catalog.sources.get(c.id)
        made_of = repr((source, sorted(extensions))) if source is not None else repr((c, sorted(extensions)))
        key = safety.digest(made_of.encode("utf-8", "surrogatepass"))
        hit = markup.get(c.path)
        if hit is None or hit[0] != key:
            hit = markup[c.path] = (key, lint.connector_markup_findings(c, extensions))
        findings += hit[1]
    for gone in set(markup) - {c.path for c in catalog.connectors.values()}:
        del markup[gone]
    findings += lint.readiness_markup_findings(srcdir, extensions)
    # the renderer does not repeat these for every page that shows the value
    build.reported_markup.update((text, p.message) for p, text in findings)
    pages = lint.scan_pages(srcdir, settings, pages_cache)
    for gone in set(pages_cache) - pages.files:
        del pages_cache[gone]
    build.guide_pages = dict(pages.guides)
    build.misnamed = dict(misnamed_guides(catalog, pages, state.layout(app.env).page_dir))
    uses = lint.use_problems(catalog, pages, build.misnamed)
    build.unknown_ids = {p.message for p in uses}
    report(app, [p for p, _ in findings] + uses + lint.generated_problems(srcdir, catalog, known_pages(app)))
    save_known_pages(app)
    if (_stamps(markup), _stamps(pages_cache)) != before or cache.get("fresh"):
        cache.pop("fresh", None)
        state.write_cache(path, cache)


def _stamps(part: dict[str, Any]) -> dict[str, Any]:
    """What decides whether the cache is written again: content keys, and file stamps if kept."""
    return {name: (entry[0], entry[2] if len(entry) > 2 else None) for name, entry in part.items()}


GENERATED_CACHE = "wispgate-generated.pickle"


def known_pages(app: Sphinx) -> safety.KnownPages:
    """What this build knows of the pages in folders of generated pages (their stamps and
    digests), kept between builds beside the doctrees: an unchanged page is not read again."""
    build = state.of_app(app)
    if build.known_pages is None:
        found = state.read_cache(Path(app.doctreedir) / GENERATED_CACHE).get("pages")
        build.known_pages = dict(found) if isinstance(found, dict) else {}
        build.known_pages_saved = dict(build.known_pages)
    return build.known_pages


def save_known_pages(app: Sphinx) -> None:
    build = state.of_app(app)
    if build.known_pages is not None and build.known_pages != build.known_pages_saved:
        state.write_cache(Path(app.doctreedir) / GENERATED_CACHE, {"pages": build.known_pages})
        build.known_pages_saved = dict(build.known_pages)


def write_generated(app: Sphinx, folders: tuple[str, ...], wanted: dict[Path, str], marker: str) -> None:
    """Write generated pages: only into plain folders of the project, and deleting or
    replacing only pages the generator wrote (their first line is ``marker``)."""
    srcdir = Path(app.srcdir)
    known = known_pages(app)
    by_folder: dict[Path, dict[str, str]] = {}
    for p, text in wanted.items():
        by_folder.setdefault(p.parent, {})[p.name] = text
    for folder in folders:
        mine = by_folder.get(srcdir / folder, {})
        _, deletions, writes = safety.generated_plan(srcdir, folder, mine, marker, known)  # problems: report_rules
        try:
            for path in deletions:
                path.unlink()
            for path, text in writes:
                safety.write_new(path, text)
                # what was just written need not be read again
                safety.know_page(known, f"{folder}/{path.name}", safety.stat_stamp(path), marker, text.encode("utf-8"))
        except OSError as exc:
            stop_on_full_disk(app, exc)
            raise


def suppress_reported_reference(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """An unknown ``{connector}`` id was reported by :func:`report_rules` already."""
    if getattr(domain, "name", None) == "wg" and node.get("reftype") == "connector":
        use = lint.Use("role", str(node.get("reftarget", "")).strip(), 0)
        catalog = state.catalog(app.env)
        if (
            lint.unknown_id_message(use, lint.known_ids(catalog)) in state.of(app.env).unknown_ids
            or use.connector in catalog.broken
        ):
            return True
    return None


# --- re-reading by content ---------------------------------------------------------------------------


def outdated_by_content(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Pages whose data files changed in content since they were read.

    Sphinx compares time stamps, so ``cp -p``, ``rsync -t`` or ``tar x`` of an older
    file would leave a page showing the old data.
    """
    app._wg_removed = set(removed)  # type: ignore[attr-defined]
    before = get_domain(env).content_digests
    if not before:
        return []
    srcdir = Path(env.srcdir)
    now: dict[str, Content] = {}
    stale = []
    skip = set(added) | set(changed) | set(removed)
    for doc, deps in env.dependencies.items():
        if doc in skip:
            continue
        for dep in deps:
            key = str(dep)
            if key not in before:
                continue
            if key not in now:
                now[key] = content_of(Path(dep), srcdir, before[key])
            if now[key][1] != before[key][1]:
                stale.append(doc)
                break
    return sorted(stale)


#: a file's stamp (safety.stat_stamp) and the digest of its content
Content = tuple[safety.Stamp | None, str]


def content_of(path: Path, srcdir: Path, before: Content | None = None) -> Content:
    """The digest of a file, read again only when its stamp moved."""
    stamp = safety.stat_stamp(path)
    if before is not None and stamp is not None and before[0] == stamp:
        return before
    return stamp, safety.file_digest(path, srcdir)


def outdated_by_guides(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Domain pages list their guides in a toctree: when a guide moves to another page,
    the pages of its domain are read again (their cards are only re-written)."""
    before = get_domain(env).guide_pages
    if not before:
        return []
    now = state.of(env).guide_pages
    moved = {cid for cid in before.keys() | now.keys() if before.get(cid) != now.get(cid)}
    catalog = state.catalog(env)
    domains = {catalog.connectors[cid].domain for cid in moved if cid in catalog.connectors}
    if not domains:
        return []
    listings = get_domain(env).listings
    return sorted(
        doc
        for doc, shown in listings.items()
        if doc in env.found_docs and any(scope.domain in domains for _, scope in shown)
    )


def remember_content(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: the content of every data file a page depends on, and which page
    documents each connector."""
    domain = get_domain(env)
    domain.guide_pages = dict(domain.build.guide_pages)
    srcdir = Path(env.srcdir)
    paths = {str(dep) for deps in env.dependencies.values() for dep in deps}
    before = domain.content_digests
    now: dict[str, Content] = {}
    for p in paths:
        known = before.get(p)
        stamp = safety.stat_stamp(Path(p))
        if known is not None and stamp is not None and known[0] == stamp:
            now[p] = known  # inside the project when it was read, and the same file since
        elif safety.inside(p, srcdir):
            now[p] = content_of(Path(p), srcdir, known)
    domain.content_digests = now


# --- build-finished -----------------------------------------------------------------------------------


def _disk_full(exception: BaseException | None) -> bool:
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "[Errno 28]" in str(exception) or "No space left on device" in str(exception):
            return True  # from a parallel process, as text
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def stop_on_full_disk(app: Sphinx, exception: Exception | None) -> None:
    """A full disk: one line, and the build stops (Sphinx would print a traceback
    and ask for a bug report)."""
    if _disk_full(exception):
        where = getattr(exception, "filename", None) or app.outdir
        logger.error(
            f"no space left on the disk while writing {safety.clip(str(where), 120)}: "
            "free some space (or run 'make clean') and build again",
            type=WARNING_TYPE,
            subtype="disk",
        )
        raise SystemExit(2)


def remove_deleted_pages(app: Sphinx, exception: Exception | None) -> None:
    """Sphinx forgets a deleted page but leaves its HTML in the output: remove it."""
    removed: set[str] = getattr(app, "_wg_removed", set())
    if exception is not None or not removed or not hasattr(app.builder, "get_outfilename"):
        return
    outdir = Path(app.outdir)
    for doc in sorted(removed):
        if doc in app.env.found_docs:
            continue
        target = Path(app.builder.get_outfilename(doc))
        if target.is_file() and not target.is_symlink() and safety.inside(target, outdir):
            target.unlink()
            if app.builder.name == "dirhtml" and target.name == "index.html":
                try:
                    target.parent.rmdir()
                except OSError:
                    pass


# --- sphinx-sitemap's manager process -----------------------------------------------------------------


def local_sitemap_queue(app: Sphinx) -> None:
    """sphinx-sitemap starts a ``multiprocessing`` manager process for its queue, which
    outlives a build killed with SIGKILL.  HTML builds list every page again at the end
    (``extension.complete_sitemap``), so a queue in this process serves them, and the
    manager is shut down at once."""
    from .navigation import uses_navigation

    links = getattr(app, "sitemap_links", None)
    manager = getattr(links, "_manager", None)
    if manager is None or not uses_navigation(app):
        return
    app.sitemap_links = queue.Queue()  # type: ignore[attr-defined]
    try:
        manager.shutdown()
    except Exception:  # already gone
        pass


def setup_guards(app: Sphinx) -> None:
    app.connect("config-inited", guard_tree, priority=100)
    app.connect("builder-inited", report_rules, priority=550)
    app.connect("builder-inited", local_sitemap_queue, priority=600)
    app.connect("warn-missing-reference", suppress_reported_reference)
    app.connect("linkcheck-process-uri", ignore_private_links)
    app.connect("env-get-outdated", outdated_by_content)
    app.connect("env-get-outdated", outdated_by_guides)
    app.connect("env-updated", remember_content)
    app.connect("build-finished", stop_on_full_disk, priority=1)
    app.connect("build-finished", remove_deleted_pages)
    app.connect("build-finished", remove_scratch, priority=950)
