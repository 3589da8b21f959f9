"""``make livehtml``: the live preview, which stops cleanly and says when its port is taken.

``python -m wispgate_connectors.live --host H --port P -- <sphinx-autobuild arguments>``

The Makefile ``exec``s this module, so the PID it prints is the make recipe's own.  It runs
sphinx-autobuild (its builds made by :mod:`.warm`, or with ``--cold`` a new process each) in a
process group of its own and stops the whole group (sphinx-autobuild
and any build it is running) on Ctrl+C, on SIGTERM or SIGHUP to that PID, and when its parent
(``make``) goes away: no orphan is left serving the port.  A taken port is one line naming
``PORT=``, before anything starts.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

#: seconds sphinx-autobuild gets to stop after SIGTERM before the group is killed
GRACE = 10.0


def port_taken(host: str, port: int) -> bool:
    """True when something already listens on (host, port)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def taken_message(host: str, port: int) -> str:
    return (
        f"make livehtml: port {port} on {host} is taken, probably by another live preview. Stop that one "
        f"(Ctrl+C in its terminal, or kill the PID it printed), or use another port: make livehtml PORT={port + 1}"
    )


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole group, SIGKILL to what is left after :data:`GRACE` seconds."""
    for sig, wait in ((signal.SIGTERM, GRACE), (signal.SIGKILL, 5.0)):
        if not _group_alive(proc.pid):
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _group_alive(proc.pid):
            proc.poll()  # reap the leader, so the group can empty
            time.sleep(0.05)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def run(host: str, port: int, command: list[str]) -> int:
    if port_taken(host, port):
        print(taken_message(host, port), file=sys.stderr, flush=True)
        return 2
    parent = os.getppid()
    stopping: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    pid = os.getpid()
    print(
        f"live preview on http://{host}:{port}/ (PID {pid}); stop it with Ctrl+C, or: kill {pid}",
        flush=True,
    )
    # its own group: one signal stops sphinx-autobuild and the build it may be running
    proc = subprocess.Popen(command, start_new_session=True)
    try:
        while not stopping:
            try:
                code = proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                if os.getppid() != parent:  # make was killed: do not outlive it
                    stopping.append(0)
                continue
            if _group_alive(proc.pid):
                stop_group(proc)
            return code
    finally:
        if proc.returncode is None or _group_alive(proc.pid):
            stop_group(proc)
    print("live preview stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wispgate_connectors.live")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--autobuild", default=str(Path(sys.executable).with_name("sphinx-autobuild")))
    parser.add_argument(
        "--cold", action="store_true", help="plain sphinx-autobuild: a new Python process for every build"
    )
    parser.add_argument("args", nargs=argparse.REMAINDER, help="after --: sphinx-autobuild's arguments")
    args = parser.parse_args(argv)
    rest = args.args[1:] if args.args[:1] == ["--"] else args.args
    # warm: sphinx-autobuild's server, each build forked from a process that imported Sphinx (warm.py)
    start = [args.autobuild] if args.cold else [sys.executable, "-m", "wispgate_connectors.warm", "serve"]
    return run(args.host, args.port, [*start, "--host", args.host, "--port", str(args.port), *rest])


if __name__ == "__main__":
    sys.exit(main())
