"""The benchmark's measuring code (bench/run.py), on small fake outputs: no build."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import PROJECT

spec = importlib.util.spec_from_file_location("bench_run", PROJECT / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def write(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<html><body>" + "x" * size + "</body></html>")


@pytest.fixture
def output(tmp_path: Path) -> Path:
    write(tmp_path / "index.html", 2048)
    write(tmp_path / "genindex.html", 100)
    # a split listing: its index page and sub-pages are one family
    write(tmp_path / "catalog/ports.html", 1000)
    write(tmp_path / "catalog/ports/network-aaa.html", 5000)
    write(tmp_path / "catalog/ports/payments.html", 3000)
    write(tmp_path / "catalog/domains/network-aaa.html", 4000)
    write(tmp_path / "catalog/whats-new.html", 200)
    write(tmp_path / "catalog-index.json", 1024)
    write(tmp_path / "catalog.json", 3072)
    write(tmp_path / "connectors/a.json", 10)
    write(tmp_path / "connectors/b.json", 900)
    write(tmp_path / "_static/wg-nav.json", 10)
    return tmp_path


def test_page_weights_groups_listing_families(output):
    w = bench.page_weights(output)
    assert set(w["families"]) == {"ports", "domains", "whats-new"}
    ports = w["families"]["ports"]
    assert ports["pages"] == 3
    assert ports["largest"] == "catalog/ports/network-aaa.html"
    assert w["largest_listing"]["family"] == "ports"
    assert w["largest_html"]["page"] == "catalog/ports/network-aaa.html"
    assert w["landing_kb"] > 2
    assert set(w["pages"]) == {"genindex.html"}
    assert w["connector_json"]["files"] == 2 and w["connector_json"]["largest"] == "b.json"
    assert set(w["json"]) == {"catalog-index.json", "catalog.json", "_static/wg-nav.json"}


@pytest.mark.browser
def test_first_view_counts_every_response(output):
    if not bench.chromium():
        pytest.skip("Debian's chromium is not installed")
    (output / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="s.css"></head><body>'
        "<script>fetch('catalog-index.json')</script></body></html>"
    )
    (output / "s.css").write_text("body{color:red}" * 10)
    (output / "favicon.ico").write_bytes(b"")  # so Chromium's favicon request does not 404
    view = bench.first_view(output)
    expected = sum((output / name).stat().st_size for name in ("index.html", "s.css", "catalog-index.json"))
    assert view["total_bytes"] == expected
    assert set(view["by_type"]) >= {"document", "stylesheet", "fetch"}
    assert view["length_mismatches"] == []


def test_ratios_pair_ours_with_the_floor():
    """The floor ratio is the median of the pairs' ratios, not a ratio of medians; the furo
    ratio divides by the median of all of ours' full builds (the first and the paired ones)."""
    row = {
        "serial": {"wall": 100.0},
        "pairs": {"ours": [60.0, 70.0, 90.0], "floor": [50.0, 40.0, 60.0]},
        "baseline": {"wall": 800.0},
    }
    assert bench.over_floor(row) == 1.5  # ratios 1.2, 1.75, 1.5; medians alone would give 70 / 50 = 1.4
    assert bench.ours_wall(row) == 80.0  # median of 100, 60, 70, 90
    assert bench.ours_wall({"serial": {"wall": 100.0}}) == 100.0  # no floor asked for: the first build


def test_the_baseline_is_also_divided_by_ours_just_before_and_after_it():
    """Ours built just before the baseline counts among ours' builds, and the bracketed ratio
    divides the baseline by the mean of that build and the first one after it."""
    row = {
        "serial": {"wall": 100.0},
        "bracket": [70.0, 90.0],
        "pairs": {"ours": [90.0, 60.0, 65.0], "floor": [50.0, 40.0, 60.0]},
        "baseline": {"wall": 800.0},
    }
    assert bench.ours_wall(row) == 70.0  # median of 100, 70, 90, 60, 65
    assert bench.bracketed(row) == 10.0  # 800 / mean(70, 90)
    assert bench.base_ratios(row) == "11.43x; 10.00x"
    assert bench.base_ratios({k: v for k, v in row.items() if k != "bracket"}).endswith("x")
