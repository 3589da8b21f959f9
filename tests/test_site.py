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
        assert page.find("h1").get_text().rstrip("¶").strip() == connector.name
        for key in ("overview", "prerequisites", "fields", "flow", "troubleshooting", "validation", "readiness", "versions"):
            assert page.find(id=f"{cid}-{key}") is not None, (cid, key)
