"""`make livehtml`: sphinx-autobuild serves the site and picks up edits to data/.

Runs the real sphinx-autobuild from the venv, with the Makefile's options, against a
copy of tests/roots/test-basic (never the real project), edits a connector's YAML in
the copy and waits for the served page to change.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import PROJECT, ROOTS

AUTOBUILD = PROJECT / ".venv" / "bin" / "sphinx-autobuild"
OLD = "Alpha is used on towers."
NEW = "Alpha now runs on every rooftop relay."
START_DEADLINE = 60.0
UPDATE_DEADLINE = 20.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None
    except http.client.IncompleteRead:  # the page was being rewritten by the build: ask again
        return None


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop(proc: subprocess.Popen) -> bool:
    """Terminate the whole process group (autobuild and any sphinx build it runs).

    True when SIGTERM was enough, False when something had to be killed."""
    clean = True
    if proc.poll() is None or group_alive(proc.pid):
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        clean = False
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    deadline = time.monotonic() + 10
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if group_alive(proc.pid):
        clean = False
        os.killpg(proc.pid, signal.SIGKILL)
    return clean


@pytest.mark.slow
@pytest.mark.parametrize("how", ["warm", "cold"])
def test_livehtml_rebuilds_on_yaml_edit(tmp_path, how):
    """``warm``: what ``make livehtml`` runs (builds forked from a warm process, warm.py);
    ``cold``: plain sphinx-autobuild (``make livehtml COLD=1``)."""
    assert AUTOBUILD.is_file(), "sphinx-autobuild is missing from .venv"
    start = [str(AUTOBUILD)] if how == "cold" else [sys.executable, "-m", "wispgate_connectors.warm", "serve"]
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    yaml_file = src / "data" / "connectors" / "alpha.yaml"
    assert f"where: {OLD}\n" in yaml_file.read_text(encoding="utf-8")

    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT / "_ext"),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    log_path = tmp_path / "autobuild.log"

    # The port is free when chosen but could be taken before uvicorn binds it:
    # start again on a new port if the server says so.
    for attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}/integrations/alpha.html"
        log = log_path.open("w")
        proc = subprocess.Popen(
            [
                *start,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--watch",
                "data",
                "--watch",
                str(PROJECT / "_ext"),
                "--ignore",
                "*/__pycache__/*",
                "--ignore",
                "*/catalog/domains/*",
                "--ignore",
                "*/catalog/use-cases/*",
                "-b",
                "html",
                "-W",
                "--keep-going",
                "-n",
                "-d",
                str(tmp_path / "doctrees"),
                ".",
                str(tmp_path / "html"),
            ],
            cwd=src,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + START_DEADLINE
            page = None
            while time.monotonic() < deadline and proc.poll() is None:
                page = fetch(url)
                if page is not None:
                    break
                time.sleep(0.25)
            if page is None:
                output = log_path.read_text(errors="replace")
                if proc.poll() is not None and "address already in use" in output and attempt < 2:
                    continue
                pytest.fail(f"live preview did not serve {url} within {START_DEADLINE:.0f} s:\n{output}")

            assert OLD in page
            assert NEW not in page

            text = yaml_file.read_text(encoding="utf-8")
            edited = time.monotonic()
            yaml_file.write_text(text.replace(f"where: {OLD}", f"where: {NEW}"), encoding="utf-8")

            deadline = edited + UPDATE_DEADLINE
            while time.monotonic() < deadline:
                page = fetch(url) or ""
                if NEW in page:
                    break
                assert proc.poll() is None, log_path.read_text(errors="replace")
                time.sleep(0.2)
            latency = time.monotonic() - edited
            print(f"\nlive preview showed the YAML edit after {latency:.2f} s")
            assert NEW in page, f"edit not served within {UPDATE_DEADLINE:.0f} s:\n" + log_path.read_text(
                errors="replace"
            )
            assert OLD not in page
            assert proc.poll() is None, "the server stopped after the rebuild"
        finally:
            stopped_cleanly = stop(proc)
            log.close()

        assert stopped_cleanly, "sphinx-autobuild needed SIGKILL:\n" + log_path.read_text(errors="replace")
        assert proc.returncode is not None, "sphinx-autobuild did not exit"
        assert not group_alive(proc.pid), "processes of the live preview outlived it"
        assert fetch(url) is None, "the port still serves after the server stopped"
        break


# --- make livehtml: stopping it, and a taken port ------------------------------------------------


def test_taken_port_is_one_line_naming_another_port():
    """Before anything starts: no server, no build, no traceback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "wispgate_connectors.live", "--port", str(port), "--autobuild", "/bin/false"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(PROJECT / "_ext")},
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"make livehtml: port {port} on 127.0.0.1 is taken, probably by another live preview. Stop that one "
        f"(Ctrl+C in its terminal, or kill the PID it printed), or use another port: make livehtml PORT={port + 1}"
    ]
    assert result.stdout == "" and time.monotonic() - started < 10


def project_processes(project) -> list[str]:
    """Processes running in the project copy (the live preview, its server, its builds)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if Path(os.readlink(proc / "cwd")) == project:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append(f"{proc.name}: {command}")
        except OSError:
            continue
    return found


@pytest.fixture
def live(tmp_path):
    """`make livehtml` in a copy of the basic root, started as a terminal would (its own session).

    Yields (make process, the PID the preview printed, its URL, the project folder)."""
    project = (tmp_path / "site").resolve()
    shutil.copytree(ROOTS / "test-basic", project)
    shutil.copytree(PROJECT / "_ext", project / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT / "data" / "schema", project / "data" / "schema")  # the extension reads it there
    shutil.copy(PROJECT / "Makefile", project / "Makefile")
    (project / ".venv").symlink_to(PROJECT / ".venv")
    log_path = tmp_path / "make.log"
    port = free_port()
    with log_path.open("w") as log:
        make = subprocess.Popen(
            # -o: the shared .venv is installed; never re-run pip from a test
            ["make", "-s", "-o", ".venv/.docs-installed", "livehtml", f"PORT={port}"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"},
        )
    url = f"http://127.0.0.1:{port}/integrations/alpha.html"
    deadline = time.monotonic() + START_DEADLINE
    pid = page = None
    while time.monotonic() < deadline and make.poll() is None and page is None:
        found = re.search(r"\(PID (\d+)\); stop it with Ctrl\+C, or: kill \1", log_path.read_text(errors="replace"))
        pid = int(found.group(1)) if found else None
        page = fetch(url) if pid else None
        time.sleep(0.25)
    try:
        assert pid and page, f"make livehtml did not serve {url}:\n" + log_path.read_text(errors="replace")
        yield make, pid, url, project
    finally:
        if make.poll() is None or group_alive(make.pid):
            stop(make)
        for line in project_processes(project):
            os.kill(int(line.split(":")[0]), signal.SIGKILL)


def assert_stopped(make, url, project, how: str) -> None:
    try:
        make.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make livehtml still runs {how}")
    deadline = time.monotonic() + 15
    while project_processes(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert project_processes(project) == [], f"processes left {how}"
    assert fetch(url) is None, f"the port still serves {how}"


@pytest.mark.slow
def test_livehtml_stops_on_sigterm_to_the_pid_it_prints(live):
    make, pid, url, project = live
    os.kill(pid, signal.SIGTERM)
    assert_stopped(make, url, project, "after SIGTERM to the PID it printed")
    assert make.returncode == 0


@pytest.mark.slow
def test_livehtml_stops_on_ctrl_c(live):
    make, pid, url, project = live
    os.killpg(make.pid, signal.SIGINT)  # what a terminal sends to its foreground processes
    assert_stopped(make, url, project, "after Ctrl+C")


@pytest.mark.slow
def test_livehtml_stops_when_make_is_killed(live):
    """The issue's report: `kill <make's PID>` left sphinx-autobuild serving the port."""
    make, pid, url, project = live
    os.kill(make.pid, signal.SIGTERM)
    assert_stopped(make, url, project, "after make itself was killed")
