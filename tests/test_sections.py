"""The generated sections, as readers see them in the built HTML."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

SECTION_IDS = [
    "alpha-overview",
    "alpha-prerequisites",
    "alpha-fields",
    "alpha-flow",
    "alpha-example",
    "alpha-troubleshooting",
    "alpha-validation",
    "alpha-limitations",
    "alpha-rollback",
    "alpha-outage",
    "alpha-readiness",
    "alpha-related",
    "alpha-versions",
]


def soup(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def built(basic_app):
    return basic_app


def test_builds_without_warnings(built):
    from conftest import warnings_of

    assert warnings_of(built) == []


def test_every_section_in_order_with_stable_anchor(built):
    page = soup(built, "integrations/alpha")
    found = [s["id"] for s in page.select("section[id^=alpha-]") if s["id"] in SECTION_IDS]
    assert found == SECTION_IDS
    titles = [page.find(id=i).find(["h2", "h3"]).get_text(strip=True).rstrip("¶") for i in SECTION_IDS]
    assert titles == [
        "Overview",
        "Prerequisites",
        "Key configuration fields",
        "Implementation flow",
        "Example configuration notes",
        "Common failure points",
        "Validation",
        "Known limitations",
        "Rollback",
        "If this integration is down",
        "Implementation readiness",
        "Related resources",
        "Version notes",
    ]


def test_overview_shows_data(built):
    sec = soup(built, "integrations/alpha").find(id="alpha-overview")
    text = sec.get_text(" ", strip=True)
    assert "Alpha does RADIUS for subscribers." in text
    what = sec.find(id="alpha-overview-what")
    assert what.find("strong").get_text() == "RADIUS"  # markdown in YAML is rendered
    assert "Alpha is used on towers." in text
    assert "AlphaNet" in text and "Network & AAA" in text
    assert sec.select_one(".wg-type").get_text() == "RADIUS NAS"
    assert sec.select_one(".wg-complexity").get_text() == "Medium complexity"
    assert "Easy with clean address plans." in text
    assert [b.get_text() for b in sec.select(".wg-use-case")] == ["Subscriber Auth", "Billing Automation"]
    assert "2026-11-01 against AlphaOS 7.16" in text


def test_prerequisites(built):
    items = soup(built, "integrations/alpha").select("#alpha-prerequisites li")
    assert [li.get_text(strip=True) for li in items] == [
        "Reachable on UDP 1812.",
        "Shared secret: the same on both sides.",
    ]


def test_fields_in_required_and_optional_tabs(built):
    sec = soup(built, "integrations/alpha").find(id="alpha-fields")
    labels = [label.get_text(strip=True) for label in sec.select(".sd-tab-set label")]
    assert labels == ["Required (2)", "Optional (1)"]
    panels = sec.select(".sd-tab-content")
    required = [dt.find("strong").get_text() for dt in panels[0].select("dt.wg-field")]
    optional = [dt.find("strong").get_text() for dt in panels[1].select("dt.wg-field")]
    assert required == ["NAS IP", "Shared secret"] and optional == ["Mode"]
    secret = panels[0].select(".wg-field-secret")
    assert len(secret) == 1 and "secret" in secret[0].select_one(".wg-secret").get_text()
    nas_term = panels[0].select("dt.wg-field")[0]
    nas = nas_term.get_text(" ", strip=True) + " " + nas_term.find_next_sibling("dd").get_text(" ", strip=True)
    assert "ip" in nas_term.select_one(".wg-field-type").get_text()
    assert "192.0.2.1" in nas and "Where to find it" in nas and "/radius print" in nas
    mode = panels[1].get_text(" ", strip=True)
    assert "Choices" in mode and "throttle" in mode and "Default" in mode


def test_flow_is_lettered_with_code(built):
    sec = soup(built, "integrations/alpha").find(id="alpha-flow")
    ol = sec.find("ol")
    assert "upperalpha" in ol["class"]
    steps = ol.find_all("li", recursive=False)
    assert [s.select_one(".wg-step-title").get_text() for s in steps] == ["Create the NAS", "Configure the router"]
    assert "/radius add address=192.0.2.10" in steps[1].find("pre").get_text()


def test_example_troubleshooting_validation(built):
    page = soup(built, "integrations/alpha")
    assert "Auth flow: PPPoE -> Access-Request" in page.find(id="alpha-example").find("pre").get_text()
    fail = page.find(id="alpha-troubleshooting").get_text(" ", strip=True)
    assert "radius timeout" in fail and "Cause" in fail and "Firewall drops UDP 1812." in fail
    assert "Fix" in fail and "Open UDP 1812 and 1813." in fail
    check = page.find(id="alpha-validation").get_text(" ", strip=True)
    assert "Counters" in check and "/radius monitor 0" in check and "accepts rise." in check


def test_readiness_merges_common_and_own_items(built):
    sec = soup(built, "integrations/alpha").find(id="alpha-readiness")
    pre = [li.get_text(strip=True) for li in sec.find(id="alpha-readiness-pre-deployment").select("li")]
    assert pre == ["Common pre item.", "Alpha-specific pre item."]
    assert "Common post item." in sec.find(id="alpha-readiness-post-deployment").get_text()
    assert "Common behaviour item." in sec.find(id="alpha-readiness-guide-behaviour").get_text()
    # without an id: only the common items
    concept = soup(built, "concept").find(id="wg-readiness").get_text()
    assert "Common pre item." in concept and "Alpha-specific" not in concept


def test_related_links_resolve(built):
    links = {a.get_text(strip=True): a["href"] for a in soup(built, "integrations/alpha").select("#alpha-related a")}
    assert links["Beta guide"] == "beta.html#connector-beta"
    assert links["Concept page"] == "../concept.html"
    assert links["Vendor manual"] == "https://example.com/manual"


def test_versions_newest_first(built):
    sec = soup(built, "integrations/alpha").find(id="alpha-versions")
    assert [dt.find("strong").get_text() for dt in sec.select("dt")] == ["1.1", "1.0"]
    assert "Last verified on 2026-11-01 against AlphaOS 7.16." in sec.get_text()


def test_section_directives_keep_writer_prose_between(built):
    page = soup(built, "integrations/beta")
    text = page.get_text(" ", strip=True)
    assert text.index("Writer prose before") < text.index("Beta takes payments.")
    assert text.index("Beta takes payments.") < text.index("Writer prose between") < text.index("The key.")
    assert page.find(id="beta-example") is None  # no example in the data, no empty section
    assert page.find(id="beta-readiness") is not None


@pytest.mark.parametrize("page", ["roles", "roles_rst"])
def test_connector_role_links_by_id_and_shows_name(built, page):
    links = [(" ".join(a.get_text().split()), a["href"]) for a in soup(built, page).select("a.reference.internal")]
    assert ("Alpha Router RADIUS", "integrations/alpha.html#connector-alpha") in links
    assert ("the beta one", "integrations/beta.html#connector-beta") in links
    assert ("Beta Payments", "integrations/beta.html#connector-beta") in links


def test_ref_to_section_anchor(built):
    link = soup(built, "concept").find("a", href="integrations/alpha.html#alpha-fields")
    assert link is not None and link.get_text(strip=True) == "Key configuration fields"


def test_connectors_in_general_index(built):
    index = (built.outdir / "genindex.html").read_text(encoding="utf-8")
    assert "Alpha Router RADIUS (connector)" in index
    assert "integrations/alpha.html#connector-alpha" in index
    assert "AlphaNet" in index


def test_objects_inventory_lists_connectors(built):
    from sphinx.util.inventory import InventoryFile

    inv = InventoryFile.loads((built.outdir / "objects.inv").read_bytes(), uri="")
    assert "alpha" in inv.data["wg:connector"]
