"""Shared fixtures: sphinx.testing roots live in tests/roots/test-<name>."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / "roots"
sys.path.insert(0, str(PROJECT / "_ext"))


def _share_compiled_templates() -> None:
    """Compile each Jinja template (furo's pages) once per test process, not once per Sphinx app.

    Jinja's own bytecode cache, kept in memory: keyed by the template and a checksum of its
    source, so what an app renders is unchanged; only the compiling is not repeated for each
    of the many small builds a test process makes.  ``sphinx-build`` in a subprocess is untouched.
    """
    import jinja2
    from sphinx.jinja2glue import BuiltinTemplateLoader

    class Compiled(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.code: dict[str, tuple[str | None, object]] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            found = self.code.get(bucket.key)
            if found is not None and found[0] == bucket.checksum:
                bucket.code = found[1]

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.code[bucket.key] = (bucket.checksum, bucket.code)

    shared = Compiled()
    init = BuiltinTemplateLoader.init

    def init_with_cache(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.environment.bytecode_cache = shared

    BuiltinTemplateLoader.init = init_with_cache


_share_compiled_templates()


def _collect_less_often() -> None:
    """The collector's thresholds a build uses (memory.py), for the whole test process.

    A test process holds many builds' worth of long-lived nodes (fixtures shared by a module),
    which CPython's default thresholds re-scan over and over: a tenth of the fast lane's time.
    Nothing a test checks depends on when garbage is collected.
    """
    import gc

    gc.set_threshold(50_000, 20, 100)


_collect_less_often()


@functools.cache
def project_catalog():
    """The project's own catalog (``data/``), loaded once per test process: read it, never change it."""
    from wispgate_connectors.catalog import load_catalog

    return load_catalog(PROJECT)


def connector_ids() -> list[str]:
    """Every connector file's id (``data/connectors/<id>.yaml``), or only the one of
    ``make test ID=<id>`` (``WG_ID``): read from the file names, so collecting the tests
    does not load the catalog (a file that fails to load fails its tests)."""
    one = os.environ.get("WG_ID")
    return [one] if one else sorted(p.stem for p in (PROJECT / "data" / "connectors").glob("*.yaml"))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def project_copy(tmp_path: Path):
    """Copy a test root to a fresh folder, to edit its files before building."""

    def copy(name: str = "basic") -> Path:
        dest = tmp_path / name
        shutil.copytree(ROOTS / f"test-{name}", dest)
        return dest

    return copy


def warnings_of(app) -> list[str]:
    """The build's warning lines, without colour codes."""
    from sphinx.util.console import strip_colors

    return [line for line in strip_colors(app.warning.getvalue()).splitlines() if line.strip()]


def make_project_app(srcdir: Path, buildername: str = "html", **kwargs):
    """A SphinxTestApp usable from fixtures of any scope."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    kwargs.setdefault("status", StringIO())
    kwargs.setdefault("warning", StringIO())
    return SphinxTestApp(buildername, srcdir=srcdir, **kwargs)


def built_orphan_pages(src: Path, out: Path, pages: dict[str, str]) -> dict[str, str]:
    """Add ``pages`` (name -> MyST) to ``src`` as orphans, build it from scratch without a
    warning, and give each page's HTML."""
    for name, text in pages.items():
        (src / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        (src / f"{name}.md").write_text(f"---\norphan: true\n---\n{text}", encoding="utf-8")
    app = make_project_app(src, builddir=out, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert not [w for w in warnings_of(app) if "WARNING" in w]
    return {name: (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8") for name in pages}


def sphinx_main(*args: str, env: dict[str, str] | None = None):
    """``sphinx-build <args>`` in this process: Sphinx's own ``main()``, with stdout, stderr and
    the exit status as a ``CompletedProcess``, and ``env`` set while it runs (without starting
    Python and importing Sphinx again; :func:`run_sphinx` is the real command)."""
    import contextlib
    import io
    import subprocess

    from sphinx.cmd.build import build_main

    out, err = io.StringIO(), io.StringIO()
    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = build_main(list(args))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(["sphinx-build", *args], code, out.getvalue(), err.getvalue())


class FirstBuild:
    """A copy of the basic root (``prepare`` edits it first) and its first HTML build, made once
    and kept: its sources, doctrees and output as the build left them, time stamps included.

    :meth:`restore` puts that state back in place for a test that edits the root and builds
    again (Sphinx keeps an environment only for the folder it was built in, so it is always the
    same folder); the caches the extension keeps are keyed on content and Sphinx's checks on the
    kept time stamps, so the next build does what it would after a first build of its own.
    ``outdir``, ``warning``, ``config`` and ``env`` read like the app of that build (its output
    from the kept copy).
    """

    def __init__(self, tmp_path_factory, name: str, prepare=None, env: dict[str, str] | None = None):
        self.src = tmp_path_factory.mktemp(name) / "src"
        shutil.copytree(ROOTS / "test-basic", self.src)
        if prepare is not None:
            prepare(self.src)
        read: list[str] = []
        with pytest.MonkeyPatch.context() as mp:
            for key, value in (env or {}).items():
                mp.setenv(key, value)
            app = make_project_app(self.src, freshenv=True)
            app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
            try:
                app.build()
            finally:
                app.cleanup()
        self.read, self.warning, self.config, self.env = sorted(read), app.warning, app.config, app.env
        self.kept = tmp_path_factory.mktemp(f"{name}-kept") / "src"
        shutil.copytree(self.src, self.kept)

    @property
    def outdir(self) -> Path:
        return self.kept / "_build" / "html"

    def restore(self) -> Path:
        shutil.rmtree(self.src)
        shutil.copytree(self.kept, self.src)
        return self.src


@pytest.fixture(scope="session")
def basic_first_build(tmp_path_factory) -> FirstBuild:
    """The basic root's first HTML build, made once per test process."""
    return FirstBuild(tmp_path_factory, "built-basic")


@pytest.fixture(scope="session")
def basic_app(basic_first_build) -> FirstBuild:
    """The basic root's first build, for read-only assertions: its output (kept), warnings,
    configuration and environment."""
    return basic_first_build


@pytest.fixture
def built_basic(basic_first_build) -> Path:
    """The basic root just after its first HTML build (in ``_build/``), put back in place for a
    test that edits it and builds again (:class:`FirstBuild`)."""
    return basic_first_build.restore()


def run_sphinx(
    outdir: Path,
    *args: str,
    builder: str = "html",
    srcdir: Path = PROJECT,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
):
    """sphinx-build in a subprocess, as the Makefile runs it (``timeout``: a hang fails the test)."""
    import subprocess

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-n",
            "-q",
            "-b",
            builder,
            "-d",
            str(outdir.parent / f".doctrees-{outdir.name}"),
            *args,
            str(srcdir),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        cwd=srcdir,
        env=env,
        timeout=timeout,
    )


def run_cli(*args: str, env: dict[str, str] | None = None):
    """``python -m wispgate_connectors <args>`` run in this process: its ``main()``, with stdout,
    stderr and the exit status as a ``CompletedProcess``, without starting Python again.

    As in the subprocess the tests used to start, ``SOURCE_DATE_EPOCH`` (the only variable the
    commands read) is what ``env`` says, or unset.  Each command still runs for real, as
    ``make`` runs it, in at least one test: the ``subprocess`` calls that remain.
    """
    import contextlib
    import io
    import subprocess

    from wispgate_connectors.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    if env and "SOURCE_DATE_EPOCH" in env:
        os.environ["SOURCE_DATE_EPOCH"] = env["SOURCE_DATE_EPOCH"]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's errors
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return subprocess.CompletedProcess(["wispgate_connectors", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def case_root(tmp_path_factory):
    """The project's taxonomies with one connector file slot, ``data/connectors/case.yaml``."""
    root = tmp_path_factory.mktemp("cases")
    shutil.copytree(PROJECT / "data", root / "data", ignore=shutil.ignore_patterns("connectors", "vendor-changes.yaml"))
    (root / "data" / "connectors").mkdir()
    return root


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once per test session with warnings as errors."""
    out = tmp_path_factory.mktemp("site") / "html"
    result = run_sphinx(out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return out


@pytest.fixture(scope="session")
def served_site(site):
    """The built site over HTTP on a free loopback port."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


#: fixtures that build the whole real site (or a copy of it): tests using them are ``slow``
WHOLE_SITE = frozenset({"site", "served_site", "source", "clean", "stale", "interrupted"})


#: the test files that take longest: started first, so that both workers of ``-n 2`` finish
#: together (``--dist loadfile`` hands each worker the next file in collection order, and runs
#: each file on one worker, so a build a module's tests share is built once)
LONGEST_FIRST = (
    "test_security",
    "test_builds",
    "test_injection",
    "test_incremental",
    "test_operational",
    "test_bad_input",
    "test_writers",
    "test_property",
    "test_reference",
    "test_snippets",
)


def pytest_collection_modifyitems(config, items):
    """Mark honestly: a test that builds the whole site is slow, whatever file it lives in.

    ``make test-fast`` runs ``-m "not slow and not browser"``.
    """
    for item in items:
        if WHOLE_SITE & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    first = {name: rank for rank, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: first.get(getattr(getattr(item, "module", None), "__name__", ""), len(first)))
