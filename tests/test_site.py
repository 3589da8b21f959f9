"""The real site: builds with warnings as errors, serial and parallel, and every connector gets a guide."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT, run_sphinx

pytestmark = pytest.mark.slow


def sphinx(outdir: Path, *args: str, builder: str = "html") -> subprocess.CompletedProcess:
    return run_sphinx(outdir, *args, builder=builder)


def test_site_builds_with_zero_warnings(site):
    assert (site / "index.html").exists()


def test_parallel_site_build_is_clean_and_identical(site, tmp_path):
    out = tmp_path / "html"
    result = sphinx(out, "-j", "auto")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site)
        assert (out / rel).read_bytes() == page.read_bytes(), rel


def test_every_connector_has_a_guide_with_every_section(site):
    sys.path.insert(0, str(PROJECT / "_ext"))
    from wispgate_connectors.catalog import load_catalog

    catalog = load_catalog(PROJECT)
    assert catalog.problems == []
    for cid, connector in catalog.connectors.items():
        page = BeautifulSoup((site / "integrations" / f"{cid}.html").read_text(), "html.parser")
        title = page.find("h1").get_text().rstrip("¶").strip().replace("\u2019", "'")  # smart quotes
        assert title == connector.name, cid
        for key in (
            "overview",
            "prerequisites",
            "fields",
            "flow",
            "troubleshooting",
            "validation",
            "readiness",
            "versions",
        ):
            assert page.find(id=f"{cid}-{key}") is not None, (cid, key)


def test_epub_builds_clean_with_flat_tabs_and_card_lists(tmp_path):
    import zipfile

    out = tmp_path / "epub"
    result = sphinx(out, builder="epub")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    book = next(out.glob("*.epub"))
    with zipfile.ZipFile(book) as z:
        guide = z.read("integrations/mikrotik.xhtml").decode()
        landing = z.read("index.xhtml").decode()
        names = z.namelist()
    assert "<input" not in guide and "sd-tab-set" not in guide
    assert 'class="wg-tab-title rubric"' in guide and "Required (" in guide
    assert "wg-card-list" in landing and "<form" not in landing
    assert not any(".doctree" in n or "environment.pickle" in n for n in names)


def test_text_build_of_the_site(tmp_path):
    out = tmp_path / "text"
    result = sphinx(out, builder="text")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    guide = (out / "integrations/mikrotik.txt").read_text()
    assert "Key configuration fields" in guide and "Required (" in guide and "Mikrotik-Rate-Limit" in guide
    landing = (out / "index.txt").read_text()
    assert "* **MikroTik RADIUS & Service Enforcement**" in landing


def test_hosted_site_extras(site):
    assert (site / "404.html").exists()
    sitemap = (site / "sitemap.xml").read_text()
    assert "integrations/mikrotik.html" in sitemap and "search.html" not in sitemap
    index = (site / "index.html").read_text()
    assert '<meta property="og:title"' in index and '<meta property="og:url"' in index
    assert "copybutton" in index
    assert not [p for p in (site / "_sources").rglob("*") if p.is_file()]  # no page sources shipped
