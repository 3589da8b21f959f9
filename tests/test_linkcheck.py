"""`make linkcheck` with the project's real link-check settings, against a local server.

The test root (tests/roots/test-linkcheck) copies every ``linkcheck_*`` setting from
the project's conf.py and only drops the loopback ignore pattern.  Each test writes
pages whose links point at an HTTP server on 127.0.0.1 and runs a real linkcheck
build in a subprocess, with the Makefile's options (-W --keep-going -n).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from conftest import PROJECT, ROOTS

PAGE = b"""<!doctype html>
<html><head><title>Vendor manual</title></head>
<body><h1>Vendor manual</h1><h2 id="anchor">Setting up RADIUS</h2><p>Text.</p></body></html>
"""


class VendorSite(http.server.BaseHTTPRequestHandler):
    """/ok.html and /other.html exist (ok.html has id="anchor"); /busy.html answers
    429 with Retry-After: 1 the first time, then 200; /slow.html answers after 3 s;
    everything else is 404."""

    hits: Counter  # set per server
    lock: threading.Lock

    def _answer(self, body: bool) -> None:
        path = self.path.split("?")[0]
        with self.lock:
            self.hits[path] += 1
            count = self.hits[path]
        if path == "/slow.html":
            threading.Event().wait(3)
        if path == "/busy.html" and count == 1:
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in ("/ok.html", "/other.html", "/busy.html", "/slow.html"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            if body:
                self.wfile.write(PAGE)
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self._answer(body=True)

    def do_HEAD(self):
        self._answer(body=False)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A fresh vendor site on a free loopback port; yields (base URL, hit counter)."""
    hits: Counter = Counter()
    handler = type("Handler", (VendorSite,), {"hits": hits, "lock": threading.Lock()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def linkcheck(tmp_path: Path, md: str, rst: str, *options: str):
    """Copy the root, write its two pages, run linkcheck; (process, {uri: entry})."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-linkcheck", src)
    (src / "links.md").write_text(md, encoding="utf-8")
    (src / "more-links.rst").write_text(rst, encoding="utf-8")
    out = tmp_path / "linkcheck"
    env = {
        **os.environ,
        "WG_PROJECT": str(PROJECT),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "linkcheck",
            "-W",
            "--keep-going",
            "-n",
            "-N",
            "-d",
            str(tmp_path / "doctrees"),
            *options,
            str(src),
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=src,
        env=env,
        timeout=120,
    )
    report = out / "output.json"
    assert report.is_file(), proc.stdout + proc.stderr
    entries = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines() if line.strip()]
    return proc, {e["uri"]: e for e in entries}, out


def test_root_uses_the_real_settings(monkeypatch):
    """The root's conf.py holds the project's linkcheck_* values, minus the loopback ignore."""
    real: dict = {"__file__": str(PROJECT / "conf.py")}
    exec(compile((PROJECT / "conf.py").read_text(encoding="utf-8"), str(PROJECT / "conf.py"), "exec"), real)
    root: dict = {"__file__": str(ROOTS / "test-linkcheck" / "conf.py")}
    monkeypatch.setenv("WG_PROJECT", str(PROJECT))
    exec(compile((ROOTS / "test-linkcheck" / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec"), root)

    real_keys = {k for k in real if k.startswith("linkcheck_")}
    assert {"linkcheck_timeout", "linkcheck_retries", "linkcheck_anchors", "linkcheck_ignore"} <= real_keys
    assert real_keys == {k for k in root if k.startswith("linkcheck_")}
    for key in real_keys - {"linkcheck_ignore"}:
        assert root[key] == real[key], key
    # The real site must not check loopback examples; the test root must.
    assert any(re.match(p, "http://127.0.0.1:8000/x") for p in real["linkcheck_ignore"])
    assert not any(re.match(p, "http://127.0.0.1:8000/x") for p in root["linkcheck_ignore"])
    assert set(root["linkcheck_ignore"]) < set(real["linkcheck_ignore"])


def test_broken_links_fail_the_check(tmp_path, server):
    base, hits = server
    md = f"""# Links

- [manual]({base}/ok.html) and [its section]({base}/ok.html#anchor)
- [moved page]({base}/missing.html)
- [lost section]({base}/ok.html#no-such-anchor)
- [rate-limited page]({base}/busy.html)
- [example host](https://docs.example.com/radius) and [doc address](http://198.51.100.7/status)
"""
    rst = f"""More links
==========

`Other page <{base}/other.html>`__ and `gone page <{base}/gone.html>`__.
"""
    proc, result, out = linkcheck(tmp_path, md, rst)
    status = {uri: e["status"] for uri, e in result.items()}

    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert status[f"{base}/missing.html"] == "broken"
    assert "404" in result[f"{base}/missing.html"]["info"]
    assert status[f"{base}/gone.html"] == "broken"
    assert status[f"{base}/ok.html#no-such-anchor"] == "broken"
    assert "Anchor 'no-such-anchor' not found" in result[f"{base}/ok.html#no-such-anchor"]["info"]
    # Good links in the same run still pass.
    assert status[f"{base}/ok.html"] == "working"
    assert status[f"{base}/ok.html#anchor"] == "working"
    assert status[f"{base}/other.html"] == "working"
    # 429 + Retry-After is waited out (linkcheck_rate_limit_timeout), not reported broken.
    assert hits["/busy.html"] >= 2
    assert status[f"{base}/busy.html"] == "working"
    # The real ignore patterns for example domains and documentation addresses still apply.
    assert status["https://docs.example.com/radius"] == "ignored"
    assert status["http://198.51.100.7/status"] == "ignored"

    broken = {uri for uri, s in status.items() if s == "broken"}
    assert broken == {f"{base}/missing.html", f"{base}/gone.html", f"{base}/ok.html#no-such-anchor"}
    report = (out / "output.txt").read_text(encoding="utf-8")
    for uri in broken:
        assert uri in report
    assert "broken" in proc.stdout


def test_broken_links_are_warnings_when_quiet(tmp_path, server):
    """With -q, broken links are reported as warnings (and -W fails the run)."""
    base, _ = server
    md = f"# Links\n\n[manual]({base}/ok.html) and [lost]({base}/nothing-here.html)\n"
    rst = f"More links\n==========\n\n`Other <{base}/other.html>`__\n"
    proc, result, _ = linkcheck(tmp_path, md, rst, "-q")
    assert proc.returncode != 0
    assert re.search(
        rf"links\.md:\d+: (WARNING|ERROR): broken link: {re.escape(base)}/nothing-here\.html", proc.stderr
    ), proc.stderr
    assert "ok.html" not in proc.stderr
    assert result[f"{base}/ok.html"]["status"] == "working"


def test_all_good_links_pass(tmp_path, server):
    base, hits = server
    md = f"""# Links

- [manual]({base}/ok.html)
- [its section]({base}/ok.html#anchor)
- [example host](https://docs.example.com/radius)
"""
    rst = f"""More links
==========

`Other page <{base}/other.html>`__ and `section <{base}/ok.html#anchor>`__.
"""
    proc, result, out = linkcheck(tmp_path, md, rst)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    assert {e["status"] for e in result.values()} == {"working", "ignored"}
    assert {uri for uri, e in result.items() if e["status"] == "working"} == {
        f"{base}/ok.html",
        f"{base}/ok.html#anchor",
        f"{base}/other.html",
    }
    assert hits["/ok.html"] >= 1 and hits["/other.html"] >= 1  # really fetched from the server
    assert (out / "output.txt").read_text(encoding="utf-8").strip() == ""


def test_timeouts_are_reported_as_timeouts(tmp_path, server):
    """linkcheck_report_timeouts_as_broken = False: a slow page is 'timeout', not 'broken'
    (timeouts still make the run exit non-zero)."""
    base, _ = server
    md = f"# Links\n\n[slow vendor page]({base}/slow.html)\n"
    rst = f"More links\n==========\n\n`Other <{base}/other.html>`__\n"
    proc, result, _ = linkcheck(tmp_path, md, rst, "-D", "linkcheck_timeout=1")
    assert result[f"{base}/slow.html"]["status"] == "timeout"
    assert result[f"{base}/other.html"]["status"] == "working"
    assert proc.returncode != 0
