"""The live preview's builds, from a process that has already imported Sphinx and the extension.

sphinx-autobuild starts ``python -m sphinx build`` for every edit. At 1,000 connectors
Python's start and its imports were a fifth of a one-page rebuild (bench/README.md).
Here a *zygote* process imports the build's modules once and forks a child per build.
Each child runs the same ``sphinx build`` command line a fresh process would, from a
copy of the zygote's memory: no state passes from one build to the next, so a preview
build writes the pages a cold build would (tests/test_warm.py compares them).

The zygote learns what to import from its builds: each child sends back the names of
the modules it imported, and the zygote imports them after replying. It then unpickles
the environment and the extension's caches the build left, and parses its search index,
while the writer reads the page; the next child takes them only if their files are
unchanged (``state.read_ahead``).
When the extension's code or ``conf.py`` changes, what it imported is stale: that build
runs in a new interpreter, and the zygote starts again on the new code.

Memory: the zygote holds what it read ahead (about the size of one build's environment),
and each child shares it until it writes to it.

``python -m wispgate_connectors.warm serve <sphinx-autobuild arguments>`` is the live
preview (``make livehtml``, through :mod:`.live`); ``zygote --socket S -- <sphinx
arguments>`` is the builder on its own, which the benchmark drives.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: how long a build request waits for the zygote to accept it (it imports for about a second)
CONNECT_WAIT = 60.0
MODULE = "wispgate_connectors.warm"
#: the modules a zygote imports before its first build: the rest it learns
FIRST_IMPORTS = ("sphinx.cmd.build", "sphinx.application", "wispgate_connectors.extension")


def code_files(confdir: Path) -> list[Path]:
    """Files whose change makes the zygote's imports stale: the extension's code and ``conf.py``."""
    return sorted([confdir / "conf.py", *Path(__file__).parent.glob("*.py")])


def stamps(paths: Sequence[Path]) -> dict[str, Any]:
    from .safety import stat_stamp

    return {str(path): stat_stamp(path) for path in paths}


def _parsed(sphinx_args: Sequence[str]) -> Any:
    from sphinx.cmd.build import get_parser

    return get_parser().parse_args(list(sphinx_args))


def confdir_of(sphinx_args: Sequence[str]) -> Path:
    """The folder of ``conf.py``: ``-c`` when given, else the source folder."""
    args = _parsed(sphinx_args)
    return Path(args.confdir or args.sourcedir).resolve()


def doctreedir_of(sphinx_args: Sequence[str]) -> Path:
    args = _parsed(sphinx_args)
    return Path(args.doctreedir or Path(args.outputdir, ".doctrees")).resolve()


def outdir_of(sphinx_args: Sequence[str]) -> Path:
    return Path(_parsed(sphinx_args).outputdir).resolve()


# --- compiled templates ----------------------------------------------------------------------


def keep_compiled_templates(app: Sphinx) -> None:
    """``builder-inited``: Jinja keeps the compiled theme templates beside the doctrees.

    Every build process compiled furo's templates again (about a tenth of a second, a twentieth
    of a one-page rebuild at N = 1,000).  Jinja's own file cache checks each template's source
    before using what it kept; its folder is named after what else shapes the compiled code.
    """
    import hashlib

    import jinja2

    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, jinja2.Environment) or environment.bytecode_cache is not None:
        return
    shape = repr((type(environment).__qualname__, sorted(environment.extensions), jinja2.__version__))
    folder = Path(app.doctreedir) / "wispgate-templates" / hashlib.sha1(shape.encode()).hexdigest()[:12]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only doctree folder: compile as before
        return
    environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def setup_warm(app: Sphinx) -> None:
    app.connect("builder-inited", keep_compiled_templates)


# --- the zygote -------------------------------------------------------------------------------


def _import_quietly(names: Sequence[str]) -> None:
    """Import what earlier builds imported; a module that fails here is left to the build."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for name in names:
            if name in sys.modules or name.startswith("__"):
                continue
            try:
                importlib.import_module(name)
            except BaseException:
                continue


def _read_ahead(sphinx_args: Sequence[str]) -> None:
    """Unpickle the environment and the extension's caches, and parse the search index, while
    the writer edits: the next build takes them if their files have not changed."""
    import gc

    from sphinx.application import ENV_PICKLE_FILENAME

    from . import state

    doctreedir = doctreedir_of(sphinx_args)
    pickles = [doctreedir / ENV_PICKLE_FILENAME, *sorted(doctreedir.glob("wispgate-*.pickle"))]
    files: dict[Path, Callable[[Path], Any]] = dict.fromkeys(
        [*pickles, *sorted(doctreedir.glob("wispgate-*.delta"))], state.unpickled
    )
    files[outdir_of(sphinx_args) / SEARCH_INDEX] = _parsed_search_index

    def release() -> None:
        # what was read ahead for the last build holds reference cycles (an environment does), and
        # frozen objects are never collected: without this the zygote grew by one environment a build
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    gc.disable()  # millions of objects that all live: no collection could free one
    try:
        state.read_ahead(files, release)
    finally:
        gc.enable()
        gc.freeze()


#: what the HTML builders call the search index (``StandaloneHTMLBuilder.searchindex_filename``)
SEARCH_INDEX = "searchindex.js"


def _parsed_search_index(path: Path) -> Any:
    from sphinx.search import js_index

    with path.open(encoding="utf-8") as f:
        return js_index.load(f)


def _take_search_index_ahead() -> None:
    """The HTML builder starts from the search index the zygote parsed, if its file is unchanged
    (a tenth of a second of a one-page rebuild at N = 1,000)."""
    from sphinx.search import js_index

    from . import state

    load = js_index.load

    def load_ahead(f: Any) -> Any:
        name = getattr(f, "name", None)
        frozen = state.taken_ahead(Path(name).resolve()) if isinstance(name, str) else None
        return load(f) if frozen is None else frozen

    js_index.load = load_ahead  # type: ignore[method-assign]


def _take_environment_ahead() -> None:
    """Sphinx loads the environment the zygote read ahead, if its file is unchanged."""
    from sphinx.application import Sphinx

    from . import state

    load = Sphinx._load_existing_env

    def load_ahead(self: Sphinx, filename: Path) -> Any:
        env = state.taken_ahead(Path(filename))
        if env is None:
            return load(self, filename)
        try:
            env.setup(self)
        except Exception:
            return load(self, filename)
        self._fresh_env_used = False
        return env

    Sphinx._load_existing_env = load_ahead  # type: ignore[method-assign]


class _PickleAside:
    """``sphinx.builders``' ``pickle`` in a preview build: the environment is pickled by a
    forked process while this one writes the pages (about 0.4 s of a one-page rebuild at
    N = 1,000, overlapped on the second core), from a copy of it as it was when Sphinx asked.
    :meth:`wait` before the build is reported done; a failed pickle leaves no file, so the
    next build starts from a fresh environment."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self._pending: list[tuple[int, str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def dump(self, obj: Any, file: Any, *args: Any, **kwargs: Any) -> None:
        from sphinx.environment import BuildEnvironment

        if not isinstance(obj, BuildEnvironment):
            self._real.dump(obj, file, *args, **kwargs)
            return
        file.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                self._real.dump(obj, file, *args, **kwargs)
                file.flush()
                code = 0
            finally:
                os._exit(code)
        self._pending.append((pid, str(file.name)))

    def wait(self) -> None:
        for pid, name in self._pending:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                Path(name).unlink(missing_ok=True)
        self._pending.clear()


class _FinishAside:
    """The search index and the inventory in a preview build: written by a forked process while
    this one writes the index pages, the sheets and the ``build-finished`` exports (about a
    quarter of a second of a one-page rebuild at N = 1,000).  Both are complete once the
    pages are written, so the fork is the first of the finishing tasks; the last
    ``build-finished`` listener waits for it, and the build ends as if they were written in
    line: their failure is its error, their warnings count among its warnings."""

    #: the forked process's exit codes besides 0
    FAILED, WARNED = 1, 3

    def __init__(self) -> None:
        self._pid: int | None = None

    def install(self) -> None:
        from sphinx.builders.html import StandaloneHTMLBuilder

        finish = StandaloneHTMLBuilder.finish

        def handle_finish(builder: StandaloneHTMLBuilder) -> None:
            """Done at the start of ``finish`` instead."""

        def finish_aside(builder: StandaloneHTMLBuilder) -> None:
            if type(builder).handle_finish is handle_finish:  # not a builder with dumps of its own (ePub)
                builder.finish_tasks.add_task(self._fork, builder)
                builder.events.connect("build-finished", self._joined, 999)
            finish(builder)

        StandaloneHTMLBuilder.handle_finish = handle_finish  # type: ignore[method-assign,assignment]
        StandaloneHTMLBuilder.finish = finish_aside  # type: ignore[method-assign,assignment]

    def _fork(self, builder: Any) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            self._pid = pid
            return
        code = self.FAILED
        try:
            before = builder._app._warncount  # what Sphinx counts: warnings not suppressed
            builder.dump_search_index()
            builder.dump_inventory()
            code = self.WARNED if builder._app._warncount > before else 0
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)

    def wait(self) -> int:
        pid, self._pid = self._pid, None
        if pid is None:
            return 0
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)

    def _joined(self, app: Sphinx, exception: Exception | None) -> None:
        from sphinx.errors import SphinxError
        from sphinx.util import logging

        code = self.wait()
        if code == self.WARNED:
            logging.getLogger(__name__).warning("writing the search index and the inventory warned (above)")
        elif code and exception is None:
            raise SphinxError("writing the search index or the inventory failed (above)")


def _child(sphinx_args: list[str], report: int) -> None:
    """Run one build as ``python -m sphinx build`` would, send back the modules it imported, exit."""
    before = set(sys.modules)
    code = 2
    try:
        import sphinx.builders
        from sphinx.cmd.build import main

        from . import memory

        memory.short_lived()
        _take_environment_ahead()
        _take_search_index_ahead()
        aside = _PickleAside(vars(sphinx.builders)["pickle"])
        vars(sphinx.builders)["pickle"] = aside
        finish = _FinishAside()
        finish.install()
        try:
            code = main(list(sphinx_args))
        finally:
            aside.wait()
            finish.wait()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            names = sorted(set(sys.modules) - before)
            with os.fdopen(report, "w") as out:
                out.write("\n".join(names))
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        # the build's output is written and closed: skip the interpreter's teardown
        os._exit(code)


def _fork_build(sphinx_args: list[str]) -> tuple[int, list[str]]:
    """One build in a forked child: its exit status and the modules it imported."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        _child(sphinx_args, write)
    os.close(write)
    with os.fdopen(read) as feed:
        names = feed.read().split()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), names


def _cold_build(sphinx_args: list[str]) -> int:
    """A build in a new interpreter: the zygote's own imports are out of date."""
    return subprocess.run([sys.executable, "-m", "sphinx", "build", *sphinx_args], check=False).returncode


def zygote(server: socket.socket, sphinx_args: list[str], learned: Path) -> None:
    """Serve build requests on ``server`` until the parent goes away or the code changes."""
    import gc

    names = learned.read_text(encoding="utf-8").split() if learned.is_file() else []
    _import_quietly([*FIRST_IMPORTS, *names])
    imported_with = stamps(code_files(confdir_of(sphinx_args)))
    gc.freeze()  # the children share these pages instead of copying them on the first collection
    _read_ahead(sphinx_args)
    parent = os.getppid()
    server.settimeout(1.0)
    while os.getppid() == parent:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(None)
            request = conn.makefile("r").readline()
            if not request:
                continue
            stale = stamps(code_files(confdir_of(sphinx_args))) != imported_with
            new: list[str] = []
            if stale:
                code = _cold_build(sphinx_args)
            else:
                code, new = _fork_build(sphinx_args)
                new = [name for name in new if name not in names]
            if new:  # kept for the zygote that starts again after a change of code
                names = sorted({*names, *new})
                learned.write_text("\n".join(names), encoding="utf-8")
            with contextlib.suppress(OSError):
                conn.sendall(f"{json.dumps({'code': code, 'warm': not stale})}\n".encode())
        if stale:
            # start again on the new code, on the same socket: requests wait in its backlog
            os.set_inheritable(server.fileno(), True)
            os.execv(
                sys.executable,
                [
                    sys.executable,
                    "-m",
                    MODULE,
                    "zygote",
                    "--fd",
                    str(server.fileno()),
                    "--learned",
                    str(learned),
                    "--",
                    *sphinx_args,
                ],
            )
        _import_quietly(new)
        _read_ahead(sphinx_args)


# --- asking for a build ------------------------------------------------------------------------


def request_build(path: Path, wait: float = CONNECT_WAIT) -> dict[str, Any] | None:
    """Ask the zygote listening on ``path`` for a build and wait for it.

    ``{"code": exit status, "warm": bool}``, or None when no zygote answers (the caller
    builds the old way).  A zygote listens from its start, before its imports, and keeps
    listening across a restart: no socket yet is worth ``wait`` seconds, a socket nobody
    listens on (the zygote ended) is not."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(str(path))
                s.sendall(b"build\n")
                reply = s.makefile("r").readline()
            return json.loads(reply) if reply else None
        except FileNotFoundError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)
        except OSError:  # refused: the zygote is gone
            return None


@contextlib.contextmanager
def running_zygote(
    sphinx_args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, **popen: Any
) -> Iterator[Path]:
    """A zygote for ``sphinx_args`` in a process of its own (``popen``: more of ``Popen``'s
    arguments); yields its socket's path."""
    folder = Path(tempfile.mkdtemp(prefix="wg-warm-"))
    path = folder / "socket"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            MODULE,
            "zygote",
            "--socket",
            str(path),
            "--learned",
            str(folder / "modules"),
            "--",
            *sphinx_args,
        ],
        cwd=cwd,
        env=env,
        **popen,
    )
    try:
        yield path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()


# --- the live preview --------------------------------------------------------------------------


class WarmBuilder:
    """sphinx-autobuild's builder, asking the zygote for each build; the plain builder (a new
    process) when no zygote answers.  Module-level: sphinx-autobuild pickles it into the
    process that runs each rebuild."""

    def __init__(self, sphinx_args: list[str], *, socket_path: Path, **options: Any) -> None:
        from sphinx_autobuild.build import Builder

        self.cold = Builder(sphinx_args, **options)
        self.socket_path = socket_path

    def __call__(self, *, changed_paths: Sequence[Path]) -> None:
        from sphinx_autobuild.utils import show_message

        if changed_paths:
            shown = [p.as_posix() for p in changed_paths[:5] if p.exists()]
            if shown:
                show_message(f"Detected changes ({', '.join(shown)})")
            show_message("Rebuilding...")
        if self.cold._run_commands(self.cold.pre_build_commands, "pre-build") != 0:
            return
        reply = request_build(self.socket_path)
        if reply is None:
            show_message("the warm builder did not answer: building in a new process")
            self.cold(changed_paths=())
            return
        if reply["code"] != 0:
            print(f"Sphinx exited with exit code: {reply['code']}")
            print(
                "The server will continue serving the build folder, but the contents being served are no "
                "longer in sync with the documentation sources. Please fix the cause of the error above or "
                "press Ctrl+C to stop the server."
            )
        else:
            self.cold._run_commands(self.cold.post_build_commands, "post-build")
        show_message(f"Serving on {self.cold.uri}")


def serve(argv: list[str]) -> int:
    """sphinx-autobuild with ``argv``, its builds made by a zygote."""
    import sphinx_autobuild.__main__ as autobuild

    _, sphinx_args = autobuild._parse_args(list(argv))
    with running_zygote(sphinx_args) as path:
        autobuild.Builder = functools.partial(WarmBuilder, socket_path=path)
        autobuild.main(argv)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:
        return serve(args[1:])
    if args[:1] != ["zygote"] or "--" not in args:
        print(
            f"usage: python -m {MODULE} serve <sphinx-autobuild arguments>\n"
            f"       python -m {MODULE} zygote (--socket PATH | --fd N) --learned FILE -- <sphinx arguments>",
            file=sys.stderr,
        )
        return 2
    split = args.index("--")
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE} zygote")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--socket", type=Path)
    where.add_argument("--fd", type=int, help="a listening socket inherited across a restart")
    parser.add_argument("--learned", type=Path, required=True, help="file of the module names builds imported")
    opts = parser.parse_args(args[1:split])
    sphinx_args = args[split + 1 :]
    if opts.fd is not None:
        server = socket.socket(fileno=opts.fd)
    else:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(opts.socket))
        server.listen(8)
    zygote(server, sphinx_args, opts.learned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
