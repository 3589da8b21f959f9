"""`make linkcheck` with the project's real link-check settings, against a local server.

The test root (tests/roots/test-linkcheck) copies every ``linkcheck_*`` setting from
the project's conf.py and only drops the loopback ignore pattern.  Each test writes
pages whose links point at an HTTP server on 127.0.0.1 and runs a real linkcheck
build in a subprocess, with the Makefile's options (-W --keep-going -n).  Those tests
wait for the server's slow and rate-limited answers (and linkcheck's threads): they are
``slow``; the probe, the settings and the links from data are checked in the fast lane.
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
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import PROJECT, ROOTS, sphinx_main

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


#: the tests that wait for the vendor site below: a 1 s Retry-After, a 1 s timeout, linkcheck's threads
SERVED = pytest.mark.slow


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
    args = ["-b", "linkcheck", "-W", "--keep-going", "-n", "-N", "-d", str(tmp_path / "doctrees"), *options]
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", *args, str(src), str(out)],
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


@SERVED
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


@SERVED
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


@SERVED
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


@SERVED
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


# --- links from data, no network, one connector -------------------------------------------------

INVALID = "https://wispgate-test.invalid"  # RFC 2606: never resolves, with or without a network


def test_links_from_data_are_reported_at_their_yaml_line(tmp_path):
    """Not at the guide's page with the YAML's line number: at the YAML file and the address's line."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    alpha = src / "data/connectors/alpha.yaml"
    text = alpha.read_text(encoding="utf-8").replace("https://example.com/manual", f"{INVALID}/manual")
    alpha.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"    url: {INVALID}/manual") + 1
    (src / "concept.md").write_text(f"# Concept\n\nA [page link]({INVALID}/page).\n", encoding="utf-8")
    with (src / "conf.py").open("a") as conf:
        conf.write('\nlinkcheck_ignore = [r"https://([a-z]+\\.)?example\\.com/.*"]\nlinkcheck_retries = 1\n')
    proc = sphinx_main("-b", "linkcheck", "-q", "-n", "-d", str(tmp_path / "dt"), str(src), str(tmp_path / "out"))
    assert re.search(
        rf"data/connectors/alpha\.yaml:{line}: WARNING: broken link: {re.escape(INVALID)}/manual", proc.stderr
    ), proc.stderr
    assert re.search(rf"concept\.md:3: WARNING: broken link: {re.escape(INVALID)}/page", proc.stderr), proc.stderr
    entries = {
        e["uri"]: e for e in map(json.loads, (tmp_path / "out/output.json").read_text(encoding="utf-8").splitlines())
    }
    assert (entries[f"{INVALID}/manual"]["filename"], entries[f"{INVALID}/manual"]["lineno"]) == (
        "data/connectors/alpha.yaml",
        line,
    )
    assert entries[f"{INVALID}/page"]["filename"] == "concept.md"
    assert f"data/connectors/alpha.yaml:{line}: [broken] {INVALID}/manual" in (tmp_path / "out/output.txt").read_text()


def probe(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wispgate_connectors.links", "probe", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(PROJECT / "_ext"), "PATH": os.environ.get("PATH", ""), **env},
        timeout=60,
    )


def test_no_network_is_one_line_up_front(tmp_path):
    """The hosts the data links to do not resolve: one line, in seconds, before any build."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    for name in ("alpha.yaml", "beta.yaml"):
        path = src / "data/connectors" / name
        path.write_text(re.sub(r"https://[\w.]+", INVALID, path.read_text(encoding="utf-8")), encoding="utf-8")
    started = time.monotonic()
    result = probe(src)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "make linkcheck: no network: no public address for wispgate-test.invalid (DNS); nothing was checked. "
        "Run make linkcheck where the vendors' sites are reachable"
    ]
    assert time.monotonic() - started < 15
    # behind a proxy, local DNS says nothing: the link check runs
    assert probe(src, HTTPS_PROXY="http://proxy.invalid:3128").returncode == 0
    missing = probe(src, "--id", "nope")
    assert missing.returncode == 2 and "no connector 'nope'" in missing.stdout


def test_make_linkcheck_takes_one_connector():
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/.docs-installed", "-C", str(PROJECT), "linkcheck", "ID=stripe"],
        capture_output=True,
        text=True,
    )
    commands = result.stdout
    assert 'wispgate_connectors.links probe --id "stripe"' in commands
    assert re.search(r"-b linkcheck \. _build/linkcheck integrations/stripe\.md", commands), commands
