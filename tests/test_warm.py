"""The live preview's warm builder (warm.py).

Builds forked from the zygote write the pages a cold ``sphinx-build`` writes, after edits
to data and after a change to the extension's code, which is built by the new code in a
new interpreter before the zygote starts again on it.  Runs against a copy of the basic
root with a copy of ``_ext`` (never the project's own files).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_incremental import first_difference, outputs

from conftest import PROJECT, ROOTS, run_sphinx
from wispgate_connectors import warm

OLD = "Alpha is used on towers."
NEW = "Alpha now runs on every rooftop relay."


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    st = path.stat()  # a distinct mtime even on a coarse clock
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


@pytest.mark.slow
def test_warm_builds_write_the_pages_of_a_cold_build(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    ext = src / "_ext"
    shutil.copytree(PROJECT / "_ext", ext, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT / "data" / "schema", src / "data" / "schema")  # the extension reads it there
    env = {**os.environ, "PYTHONPATH": str(ext)}
    args = ["-q", "-b", "html", "-d", str(tmp_path / "doctrees"), ".", str(tmp_path / "warm")]

    with warm.running_zygote(args, cwd=src, env=env) as socket_path:
        assert warm.request_build(socket_path) == {"code": 0, "warm": True}
        learned = (socket_path.parent / "modules").read_text(encoding="utf-8").split()
        assert "furo" in learned, "the zygote did not learn the build's imports"

        edit(src / "data/connectors/alpha.yaml", f"where: {OLD}", f"where: {NEW}")
        assert warm.request_build(socket_path) == {"code": 0, "warm": True}
        assert NEW in (tmp_path / "warm/integrations/alpha.html").read_text(encoding="utf-8")

        # new code: built by a new interpreter, then the zygote is warm again on that code
        (ext / "wispgate_connectors/render.py").open("a", encoding="utf-8").write("\n# changed\n")
        edit(src / "data/connectors/alpha.yaml", f"where: {NEW}", f"where: {OLD}")
        assert warm.request_build(socket_path) == {"code": 0, "warm": False}
        edit(src / "data/connectors/beta.yaml", "name: Beta Payments", "name: Beta Relay Payments")
        assert warm.request_build(socket_path) == {"code": 0, "warm": True}

    cold = run_sphinx(tmp_path / "cold", srcdir=src, env=env)
    assert cold.returncode == 0, cold.stderr
    got, want = with_indexes(tmp_path / "warm"), with_indexes(tmp_path / "cold")
    assert sorted(got) == sorted(want)
    differ = [name for name in want if got[name] != want[name]]
    assert not differ, f"pages that differ: {differ}\n{first_difference(got[differ[0]], want[differ[0]])}"


def with_indexes(outdir: Path) -> dict[str, bytes]:
    """The pages and data files, and the search index and inventory a preview build writes aside."""
    return {**outputs(outdir), **{name: (outdir / name).read_bytes() for name in ("searchindex.js", "objects.inv")}}


#: one build with the finish aside installed, and the inventory made to fail or to warn
ASIDE_BUILD = """
import sys
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.cmd.build import main
from sphinx.util import logging
from wispgate_connectors import warm

def dump_inventory(self):
    if sys.argv[1] == "fail":
        raise OSError("the disk went away")
    logging.getLogger("test").warning("the inventory is odd")

StandaloneHTMLBuilder.dump_inventory = dump_inventory
aside = warm._FinishAside()
aside.install()
try:
    code = main(["-W", "--keep-going", "-q", "-b", "html", *sys.argv[2:]])
finally:
    aside.wait()
sys.exit(code)
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mode", "code", "said"),
    [
        ("fail", 2, "the disk went away"),  # Sphinx's code for a build error
        ("warn", 1, "the inventory is odd"),  # a warning under -W, as in a cold build
    ],
)
def test_what_goes_wrong_aside_is_the_builds(tmp_path, mode, code, said):
    """The search index and inventory are written by a forked process in a preview build: its
    failure fails the build, its warning counts as the build's."""
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    shutil.copytree(PROJECT / "data" / "schema", src / "data" / "schema")
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "_ext")}
    args = ["-d", str(tmp_path / "doctrees"), str(src), str(tmp_path / "out")]
    run = subprocess.run(
        [sys.executable, "-c", ASIDE_BUILD, mode, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == code, run.stderr
    assert said in run.stderr
    assert (tmp_path / "out/searchindex.js").is_file()  # written aside before the inventory went wrong


def test_what_was_read_ahead_for_an_older_build_is_freed(tmp_path):
    """An environment holds reference cycles, and the zygote freezes what it reads ahead: without
    a collection when it reads again, it grew by one environment a build (80 MB at N = 1,000)."""
    import argparse
    import gc
    import pickle
    import weakref

    from wispgate_connectors import state

    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    env = doctrees / "environment.pickle"
    args = ["-b", "html", "-d", str(doctrees), str(tmp_path), str(tmp_path / "out")]

    def write(generation: int) -> None:
        held = argparse.Namespace(generation=generation)
        held.me = held  # a cycle
        env.write_bytes(pickle.dumps(held))
        st = env.stat()
        os.utime(env, ns=(st.st_atime_ns, st.st_mtime_ns + generation * 2_000_000_000))

    try:
        write(1)
        warm._read_ahead(args)
        first = weakref.ref(state._read_ahead[str(env.resolve())][1])
        write(2)
        warm._read_ahead(args)
        assert state._read_ahead[str(env.resolve())][1].generation == 2
        assert first() is None, "the environment read ahead for the older build is still held"
    finally:
        state._read_ahead.clear()
        gc.unfreeze()


def test_no_zygote_is_no_answer(tmp_path):
    """The preview then builds the old way (a new process), instead of waiting for ever."""
    assert warm.request_build(tmp_path / "nothing-listens", wait=0.2) is None


def test_an_ended_zygote_is_no_answer_at_once(tmp_path):
    """Its socket file is left, nobody listens: no waiting for it to come back."""
    import socket
    import time

    path = tmp_path / "socket"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.bind(str(path))
    started = time.monotonic()
    assert warm.request_build(path, wait=30) is None
    assert time.monotonic() - started < 5
