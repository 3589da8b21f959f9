"""Issue 16's structure at scale: 300 generated connectors (bench/generate.py), the real
site's pages and settings.  No page grows with the catalog unless its job is to list
everything, and those are cut into parts; without scripts every guide is two clicks
from the landing page; a card edit re-writes exactly the pages that show the card.

Speed targets live in bench/, not here: these tests check sizes and structure only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from test_builds import build_and_write, edit

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))
from generate import make_project

pytestmark = pytest.mark.slow  # builds a site of 300 guides

N = 300
PAGE_SIZE = 100  # the default wispgate_listing_page_size
KB = 1024
#: issue 16's limits at N = 1,000, which must hold at any size
LANDING_LIMIT, LISTING_LIMIT, INDEX_LIMIT = 300 * KB, 400 * KB, 200 * KB


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    src = make_project(tmp_path_factory.mktemp("scale") / "src", N)
    app, _, _ = build_and_write(src, freshenv=True)
    return src, Path(app.outdir)


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def listing_pages(out: Path) -> list[Path]:
    return sorted((out / "catalog").rglob("*.html"))


def test_landing_and_every_listing_page_stay_under_their_limits(scaled):
    _, out = scaled
    assert (out / "index.html").stat().st_size < LANDING_LIMIT
    heavy = {p.relative_to(out).as_posix(): p.stat().st_size // KB for p in listing_pages(out)}
    assert [name for name, size in heavy.items() if size * KB >= LISTING_LIMIT] == [], heavy
    assert (out / "catalog-index.json").stat().st_size < INDEX_LIMIT * N / 1000


def test_no_page_holds_more_than_a_page_of_connectors(scaled):
    """What keeps pages light at any N: cards and rows per page are bounded, not the bytes of this N."""
    _, out = scaled
    landing = soup(out, "index.html")
    assert len(landing.select("article .wg-card")) <= 12 + 4 * 12  # featured, and the use-case tabs' limit
    for page in listing_pages(out):
        article = soup(out, page.relative_to(out).as_posix()).select_one("article")
        guides = {
            a["href"].split("#")[0].rsplit("/", 1)[-1] for a in article.select("a[href*='integrations/synthetic-']")
        }
        assert len(guides) <= PAGE_SIZE, (page, len(guides))


def content_links(out: Path, rel: str) -> set[str]:
    """The pages a page's content links to, from the site root: what a reader without
    scripts can follow (the sidebar is left out: on a big catalog it shows a few guides
    per domain and fills in the rest with a script)."""
    page = soup(out, rel)
    for aside in page.select(".sidebar-drawer, .toc-drawer, script"):
        aside.decompose()
    found = set()
    for a in page.select("a[href]"):
        target = urlsplit(urljoin(f"https://site/{rel}", a["href"]))
        if target.netloc == "site" and target.path.endswith(".html"):
            found.add(target.path.lstrip("/"))
    return found


def test_every_guide_is_two_clicks_from_the_landing_without_scripts(scaled):
    _, out = scaled
    first = content_links(out, "index.html")
    reached = set(first)
    for rel in sorted(first):
        if (out / rel).is_file():
            reached |= content_links(out, rel)
    assert {f"integrations/synthetic-{i:04d}.html" for i in range(N)} - reached == set()


def test_card_edit_rewrites_exactly_the_pages_showing_the_card(scaled):
    src, out = scaled
    cid = "synthetic-0001"
    guide = f"integrations/{cid}"
    edit(src / f"data/connectors/{cid}.yaml", "for `subscriber` sync", "for `subscriber` and `device` sync")
    app, read, written = build_and_write(src)
    assert read == [guide]
    # the pages whose cards link to the guide, found in the output itself
    showing = set()
    for page in [out / "index.html", *listing_pages(out)]:
        doc = soup(out, page.relative_to(out).as_posix())
        if any(cid in a.get("href", "") for a in doc.select("article .wg-card a")):
            showing.add(page.relative_to(out).with_suffix("").as_posix())
    assert showing, "the connector shows on no card"
    assert set(written) == showing | {guide}
    for page in showing:
        cards = [
            c
            for c in soup(out, f"{page}.html").select("article .wg-card")
            if c.find("a", href=lambda h: h and cid in h)
        ]
        assert all("for subscriber and device sync" in " ".join(c.get_text(" ").split()) for c in cards), page
    index = json.loads((out / "catalog-index.json").read_text(encoding="utf-8"))
    assert len(index["connectors"]) == N
