"""Edit this page opens a guide's YAML file; Report a problem opens a pre-filled issue (forge.py)."""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOTS, make_project_app, warnings_of

REPO = "https://github.com/wispgate/integration-guide"


def build(tmp_path, **overrides):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    app = make_project_app(src, freshenv=True, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


@pytest.fixture(scope="module")
def forge_app(tmp_path_factory):
    """The basic root built once with a repository URL (not the whole site: not ``slow``)."""
    return build(
        tmp_path_factory.mktemp("forge"), wispgate_repository_url=REPO, html_baseurl="https://docs.example.org/"
    )


def soup(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def edit_link(app, page: str) -> str | None:
    link = soup(app, page).select_one(".edit-this-page a")
    return link["href"] if link else None


def test_edit_this_page_opens_the_data_a_page_is_made_from(forge_app):
    assert warnings_of(forge_app) == []
    assert edit_link(forge_app, "integrations/alpha") == f"{REPO}/edit/main/data/connectors/alpha.yaml"
    assert edit_link(forge_app, "integrations/beta") == f"{REPO}/edit/main/data/connectors/beta.yaml"
    assert edit_link(forge_app, "catalog/domains/network-aaa") == f"{REPO}/edit/main/data/domains.yaml"
    assert edit_link(forge_app, "catalog/use-cases/subscriber-auth") == f"{REPO}/edit/main/data/use-cases.yaml"
    assert edit_link(forge_app, "commissioning/alpha") == f"{REPO}/edit/main/data/connectors/alpha.yaml"
    assert edit_link(forge_app, "concept") == f"{REPO}/edit/main/concept.md"  # a hand-written page: itself


def issue(href: str) -> tuple[str, str]:
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPO}/issues/new"
    query = parse_qs(parts.query)
    return query["title"][0], query["body"][0]


def test_each_section_and_the_guide_have_a_prefilled_report_link(forge_app):
    page = soup(forge_app, "integrations/alpha")
    fields = page.select_one("#alpha-fields")
    title, body = issue(fields.select_one(".wg-report-section a")["href"])
    assert title == "Alpha Router RADIUS: Key configuration fields"
    assert body.splitlines()[:5] == [
        "Guide: Alpha Router RADIUS (alpha)",
        "Page: https://docs.example.org/integrations/alpha.html",
        "Section: Key configuration fields",
        "Verified against: AlphaOS 7.16 (checked 2026-11-01)",
        "Data file: data/connectors/alpha.yaml",
    ]
    guide = [a for a in page.select(".wg-report a") if a.get_text() == "Report a problem with this guide"]
    assert len(guide) == 1
    title, body = issue(guide[0]["href"])
    assert title == "Alpha Router RADIUS: problem in the guide" and "Section: (which section?" in body
    # one link per generated section, on the guide only
    from wispgate_connectors.sections import SECTION_KEYS

    shown = [key for key in SECTION_KEYS if page.select_one(f"section#alpha-{key}")]
    assert len(page.select(".wg-report-section")) == len(shown) > 10
    assert not soup(forge_app, "concept").select(".wg-report")
    beta = soup(forge_app, "integrations/beta").select_one("#beta-fields .wg-report-section a")
    assert "Verified against: not verified yet" in issue(beta["href"])[1]


def test_no_repository_no_links(basic_app):
    app = basic_app  # the basic root sets no repository
    assert edit_link(app, "integrations/alpha") is None
    assert not soup(app, "integrations/alpha").select(".wg-report")


def test_gitlab_and_unknown_forges(tmp_path):
    app = build(tmp_path / "gl", wispgate_repository_url="https://gitlab.com/wispgate/guide")
    assert (
        edit_link(app, "integrations/alpha")
        == "https://gitlab.com/wispgate/guide/-/edit/main/data/connectors/alpha.yaml"
    )
    href = soup(app, "integrations/alpha").select_one(".wg-report-section a")["href"]
    assert href.startswith("https://gitlab.com/wispgate/guide/-/issues/new?issue%5Btitle%5D=")
    other = build(tmp_path / "other", wispgate_repository_url="https://git.example.org/guide")
    assert any("wispgate_repository_url = 'https://git.example.org/guide'" in w for w in warnings_of(other))
    assert edit_link(other, "integrations/alpha") is None
