"""The real site builds reproducibly: twice, in parallel, after an interrupted build,
and incrementally into a stale _build after the data changed.

Every build runs on a copy of the project taken once per module, so edits made
to the working tree while the tests run cannot make two builds differ.  The copy
leaves out .venv, _build, node_modules, .git, caches and the generated folders
catalog/domains and catalog/use-cases (the build writes them again at
builder-inited; copying them would be harmless too).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import PROJECT, run_sphinx

COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    "_build",
    "node_modules",
    ".git",
    ".pytest_cache",
    ".hypothesis",
    "__pycache__",
    "test-artifacts",
    "bench",
    "tests",
)
GENERATED = ("catalog/domains", "catalog/use-cases")

#: Files of the output folder that Sphinx itself may vary between two builds of the
#: same sources.  With Sphinx 9.0.4 there are none: .buildinfo holds only hashes of
#: the configuration and tags, searchindex.js and objects.inv are written in sorted
#: order, and _static/ is copied byte for byte.  What does vary lives outside the
#: output folder, in the doctree folder (-d): environment.pickle records read times
#: and absolute source paths, so doctrees are not compared.
VARYING: frozenset[str] = frozenset()


def snapshot_of(dest: Path) -> Path:
    shutil.copytree(PROJECT, dest, ignore=COPY_IGNORE)
    for folder in GENERATED:
        shutil.rmtree(dest / folder, ignore_errors=True)
    return dest


def files(out: Path, pattern: str = "*") -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob(pattern)) if p.is_file()}


def build(src: Path, out: Path, *args: str) -> Path:
    result = run_sphinx(out, *args, srcdir=src)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return out


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def pages_and_catalog(out: Path) -> dict[str, bytes]:
    return {**files(out, "*.html"), "catalog.json": (out / "catalog.json").read_bytes()}


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return snapshot_of(tmp_path_factory.mktemp("repro") / "src")


@pytest.fixture(scope="module")
def clean(source) -> Path:
    """A clean serial build of the copy: the reference every other build is compared with."""
    return build(source, source.parent / "clean")


def test_two_clean_builds_are_byte_identical(source, clean):
    again = build(source, source.parent / "again")
    a, b = files(clean), files(again)
    assert {"index.html", "catalog.json", "sitemap.xml", "integrations/mikrotik.html"} <= a.keys()
    # sheet pages are no documents in HTML builds, but the sitemap lists them as it lists guides
    assert b"/commissioning/mikrotik.html</loc>" in a["sitemap.xml"]
    assert a.keys() == b.keys()
    assert [name for name in differing(a, b) if name not in VARYING] == []


def test_parallel_build_equals_serial(source, clean):
    parallel = build(source, source.parent / "parallel", "-j", "2")
    a, b = pages_and_catalog(clean), pages_and_catalog(parallel)
    assert len(a) > 40 and a.keys() == b.keys()
    assert differing(a, b) == []


# --- a build killed while it writes pages ------------------------------------------------


@pytest.fixture(scope="module")
def interrupted(source, clean):
    """Kill a build part-way through writing pages, then build again into the same folders."""
    out = source.parent / "interrupted"
    total = len(files(clean, "*.html"))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            "-d",
            str(out.parent / f".doctrees-{out.name}"),
            str(source),
            str(out),
        ],
        cwd=source,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # its own process group: sphinx-sitemap starts a multiprocessing Manager process,
        # which would outlive a SIGKILL of the build alone
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if out.exists() and len(list(out.rglob("*.html"))) >= 5:
                break
            time.sleep(0.002)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be interrupted"
    left = len(list(out.rglob("*.html")))
    assert 0 < left < total and not (out / "catalog.json").exists(), (left, total)
    rebuild = run_sphinx(out, srcdir=source)
    return out, rebuild


def test_interrupted_build_recovers_its_pages(clean, interrupted):
    out, _ = interrupted
    a, b = pages_and_catalog(clean), pages_and_catalog(out)
    assert a.keys() == b.keys()  # complete
    assert differing(a, b) == []  # and no half-written or stale page


def test_interrupted_build_recovers_search_index_and_sitemap(clean, interrupted):
    out, rebuild = interrupted
    assert rebuild.returncode == 0, rebuild.stderr
    a, b = files(clean), files(out)
    assert differing(a, b) == []


# --- a stale _build after data changes ----------------------------------------------------

NEW_SUMMARY = "Stale check: the rewritten MikroTik summary."
NEW_CAUSE = "Stale check: the rewritten cause of the first MikroTik failure."
REMOVED, NEW, NEW_NAME = "genieacs", "acme-fleet", "Acme Fleet Stale Check"
#: pages that list connectors
LISTINGS = (
    "index.html",
    "catalog/matrix/network-aaa.html",
    "catalog/domains/network-aaa.html",
    "catalog/whats-new.html",
    "catalog/troubleshooting/network-aaa.html",
)


def text_of(html: bytes) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")


def touch_later(path: Path) -> None:
    """Make an edit visible to mtime checks on coarse file systems."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def catalog_ids(out: Path) -> list[str]:
    return [c["id"] for c in json.loads((out / "catalog.json").read_text(encoding="utf-8"))["connectors"]]


def card_links(out: Path, page: str) -> list[str]:
    return [a["href"] for a in soup(out, page).select("article .wg-card a.sd-stretched-link")]


@pytest.fixture(scope="module")
def stale(tmp_path_factory, source):
    """Build a copy, change its data, build again into the same _build; return (src, out, old texts)."""
    src = tmp_path_factory.mktemp("stale") / "src"
    shutil.copytree(source, src)
    out = build(src, src.parent / "html")
    mikrotik = yaml.safe_load((src / "data/connectors/mikrotik.yaml").read_text(encoding="utf-8"))
    old = {"summary": mikrotik["summary"], "cause": mikrotik["failures"][0]["cause"]}
    assert old["summary"] in text_of((out / "index.html").read_bytes())
    assert REMOVED in catalog_ids(out) and f"../../integrations/{REMOVED}.html#connector-{REMOVED}" in card_links(
        out, "catalog/domains/network-aaa.html"
    )

    # edit a summary and a cause, remove a connector and its page, add one with its page
    mikrotik["summary"], mikrotik["failures"][0]["cause"] = NEW_SUMMARY, NEW_CAUSE
    (src / "data/connectors/mikrotik.yaml").write_text(
        yaml.safe_dump(mikrotik, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    (src / f"data/connectors/{REMOVED}.yaml").unlink()
    (src / f"integrations/{REMOVED}.md").unlink()
    new = (src / "data/connectors/uisp.yaml").read_text(encoding="utf-8")
    new = new.replace("\nid: uisp\n", f"\nid: {NEW}\n", 1)
    new = new.replace("\nname: Ubiquiti UISP (NMS and CRM)\n", f"\nname: {NEW_NAME}\n", 1)
    assert f"id: {NEW}" in new and NEW_NAME in new
    (src / f"data/connectors/{NEW}.yaml").write_text(new, encoding="utf-8")
    (src / f"integrations/{NEW}.md").write_text(f"# {NEW_NAME}\n\n```{{connector}} {NEW}\n```\n", encoding="utf-8")
    for path in (
        src / "data/connectors/mikrotik.yaml",
        src / f"data/connectors/{NEW}.yaml",
        src / f"integrations/{NEW}.md",
    ):
        touch_later(path)
    build(src, out)
    return src, out, old


#: Sphinx leaves the output of a removed page in place
STALE_PAGE = f"integrations/{REMOVED}.html"


def content(html: bytes) -> BeautifulSoup:
    """A page without its site navigation (the left tree, furo's prev/next links)."""
    page = BeautifulSoup(html, "html.parser")
    for nav in page.select(".sidebar-drawer, .toc-drawer, .related-pages, link[rel]"):
        nav.decompose()
    return page


def test_stale_build_folder_shows_only_the_new_data(stale):
    src, out, old = stale
    pages = {name: content(html) for name, html in files(out, "*.html").items() if name != STALE_PAGE}
    shown = {name: " ".join(page.get_text(" ").split()) for name, page in pages.items()}
    assert [n for n, text in shown.items() if old["summary"] in text] == []
    assert [n for n, text in shown.items() if old["cause"] in text] == []
    assert NEW_SUMMARY in shown["index.html"] and NEW_SUMMARY in shown["catalog/domains/network-aaa.html"]
    assert (
        NEW_CAUSE in shown["integrations/mikrotik.html"]
        and NEW_CAUSE in shown["catalog/troubleshooting/network-aaa.html"]
    )

    linking = sorted(n for n, page in pages.items() if page.find(href=lambda h: h and f"{REMOVED}.html" in h))
    assert linking == [], f"pages whose content still links to the removed guide: {linking}"
    assert REMOVED not in catalog_ids(out) and NEW in catalog_ids(out)
    for page in LISTINGS:
        assert "GenieACS" not in shown[page], page
        assert NEW_NAME in shown[page], page
    assert any(f"integrations/{NEW}.html" in href for href in card_links(out, "index.html"))
    assert any(f"integrations/{NEW}.html" in href for href in card_links(out, "catalog/domains/network-aaa.html"))
    matrix = [a.get_text(strip=True) for a in soup(out, "catalog/matrix/network-aaa.html").select("article table a")]
    assert NEW_NAME in matrix and not any("GenieACS" in m for m in matrix)
    assert NEW_NAME in shown[f"integrations/{NEW}.html"]


def test_stale_build_folder_updates_every_navigation_and_the_sitemap(stale):
    src, out, _ = stale
    linking = sorted(
        n for n, html in files(out, "*.html").items() if n != STALE_PAGE and f"{REMOVED}.html".encode() in html
    )
    assert linking == [], f"pages still linking to the removed guide: {linking}"
    nav = soup(out, "writing-guide.html").select_one(".sidebar-tree")
    assert nav.find("a", href=f"integrations/{NEW}.html") is not None
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    listed = {loc.rsplit("/", 1)[-1] for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap)}
    assert f"{NEW}.html" in listed and f"{REMOVED}.html" not in listed and "writing-guide.html" in listed
