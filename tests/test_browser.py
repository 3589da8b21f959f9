"""End-to-end tests in headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT

pytestmark = pytest.mark.browser
# Debian's chromium here; hosted CI may point WG_CHROMIUM at the Chrome its runners ship.
CHROMIUM = os.environ.get("WG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT / "test-artifacts"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser tests; `make test` installs it")
    pytest.skip("Debian's chromium is not installed (`make test` installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all(
        "form.wg-filter ~ .wg-cards .wg-card-item:not([hidden]) .sd-card-title",
        "els => els.map(e => e.textContent.trim())",
    )


def test_filter_narrows_and_clears(page, served_site):
    page.goto(f"{served_site}/index.html")
    form = page.locator("form.wg-filter")
    assert form.is_visible()
    everything = visible_cards(page)
    assert len(everything) >= 20
    page.select_option("form.wg-filter select[name=domain]", "payments-finance")
    payments = visible_cards(page)
    assert 0 < len(payments) < len(everything)
    assert "Stripe Payments & Webhooks" in payments or any("Stripe" in n for n in payments)
    assert not any("MikroTik" in n for n in payments)
    assert "of" in page.locator(".wg-filter-count").inner_text()
    assert "domain=payments-finance" in page.url
    page.select_option("form.wg-filter select[name=complexity]", "high")
    assert len(visible_cards(page)) <= len(payments)
    page.click("form.wg-filter button[type=reset]")
    page.wait_for_function("document.querySelectorAll('.wg-card-item[hidden]').length === 0")
    assert visible_cards(page) == everything
    page.fill("form.wg-filter input[name=q]", "mikrotik")
    assert sorted(visible_cards(page)) == ["MikroTik RADIUS & Service Enforcement",
                                           "MikroTik RouterOS API (REST & API-SSL)"]


def test_status_and_data_flow_facets(page, served_site):
    from wispgate_connectors.catalog import load_catalog

    catalog = load_catalog(PROJECT)
    webhook = sorted(c.name for c in catalog.connectors.values() if c.sync.mode == "webhook" and c.status != "archived")
    page.goto(f"{served_site}/index.html")
    everything = visible_cards(page)
    page.select_option("form.wg-filter select[name=sync]", "webhook")
    assert sorted(visible_cards(page)) == webhook and 0 < len(webhook) < len(everything)
    assert "sync=webhook" in page.url
    page.select_option("form.wg-filter select[name=status]", "deprecated")
    deprecated = [c.name for c in catalog.connectors.values() if c.status == "deprecated" and c.sync.mode == "webhook"]
    assert sorted(visible_cards(page)) == sorted(deprecated)
    assert page.locator(".wg-filter-count").inner_text().startswith(f"{len(deprecated)} of")
    page.goto(f"{served_site}/index.html?status=ga&sync=poll")
    polled = sorted(c.name for c in catalog.connectors.values() if c.sync.mode == "poll" and c.status == "ga")
    assert sorted(visible_cards(page)) == polled


def test_filter_state_comes_from_the_address(page, served_site):
    page.goto(f"{served_site}/index.html?use-case=field-communication")
    assert page.locator("form.wg-filter select[name=use-case]").input_value() == "field-communication"
    names = visible_cards(page)
    assert names and not any("MikroTik" in n for n in names)


def test_without_scripts_every_card_shows_and_the_form_stays_hidden(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served_site}/index.html")
    assert not page.locator("form.wg-filter").is_visible()
    total = page.locator("form.wg-filter ~ .wg-cards .wg-card-item").count()
    assert total >= 20 and page.locator("form.wg-filter ~ .wg-cards .wg-card-item:visible").count() == total
    context.close()


def test_field_tabs_switch(page, served_site):
    page.goto(f"{served_site}/integrations/mikrotik.html")
    fields = page.locator("#mikrotik-fields")
    required, optional = fields.locator(".sd-tab-content").nth(0), fields.locator(".sd-tab-content").nth(1)
    assert required.is_visible() and not optional.is_visible()
    fields.locator("label.sd-tab-label", has_text="Optional").click()
    assert optional.is_visible() and not required.is_visible()
    assert "Suspended rate limit" in optional.inner_text()


def test_card_click_opens_its_guide(page, served_site):
    page.goto(f"{served_site}/index.html")
    card = page.locator(".wg-card", has_text="MikroTik RADIUS").first
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    # a reader clicks anywhere on the card: the stretched link covers it
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/integrations/mikrotik.html*")
    assert page.locator("h1").inner_text().startswith("MikroTik RADIUS")


def test_theme_toggle_switches_dark_and_light(page, served_site):
    page.goto(f"{served_site}/index.html")
    themes = []
    for _ in range(3):
        page.locator(".theme-toggle:visible").first.click()
        themes.append(page.evaluate("document.body.dataset.theme"))
    assert {"dark", "light"} <= set(themes)
    page.evaluate("document.body.dataset.theme = 'dark'")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


NEW_PAGES = ["catalog/ports.html", "catalog/compatibility.html", "catalog/outage.html", "catalog/vendor-changes.html"]


@pytest.mark.parametrize("path", ["index.html", "integrations/mikrotik.html", "catalog/matrix.html", *NEW_PAGES])
def test_phone_width_has_no_horizontal_scroll(browser, served_site, path):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{served_site}/{path}")
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert scroll <= client, f"{path}: page is {scroll}px wide in a {client}px viewport"


def test_matrix_sorts_by_complexity(page, served_site):
    page.goto(f"{served_site}/catalog/matrix.html")
    table = page.locator("table.wg-matrix").first
    table.locator("thead th", has_text="Complexity").click()
    ranks = [t.split()[0] for t in table.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    order = {"Low": 1, "Medium": 2, "High": 3}
    assert [order[r] for r in ranks] == sorted(order[r] for r in ranks)


@pytest.mark.parametrize("path", ["index.html", "integrations/mikrotik.html", *NEW_PAGES])
def test_accessibility_scan_has_no_serious_violations(page, served_site, path):
    assert AXE.exists(), "axe-core is missing: `make test` runs npm ci"
    page.goto(f"{served_site}/{path}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("path,name,width", [
    ("index.html", "landing-desktop", 1280), ("index.html", "landing-phone", 390),
    ("integrations/mikrotik.html", "guide-desktop", 1280), ("integrations/mikrotik.html", "guide-phone", 390),
])
def test_screenshots_saved_as_artifacts(browser, served_site, path, name, width):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{served_site}/{path}")
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    context.close()
    assert target.stat().st_size > 10_000


# --- search ------------------------------------------------------------------------------


def search(page, served_site, query: str) -> list[tuple[str, str]]:
    """The search page's results for a query: (link, title shown), best first."""
    from urllib.parse import quote

    page.goto(f"{served_site}/search.html?q={quote(query)}")
    # the summary line is written once every result is listed
    page.wait_for_function("(document.querySelector('#search-results .search-summary') || {}).innerText")
    return [tuple(r) for r in page.eval_on_selector_all(
        "#search-results ul.search li > a", "els => els.map(a => [a.getAttribute('href'), a.textContent])")]


def is_listing(link: str) -> bool:
    """The landing page and the catalog pages (domain, use-case and catalog listings); not the export's docs."""
    path = link.split("#")[0]
    return path == "index.html" or (path.startswith("catalog/") and path != "catalog/export.html")


FREERADIUS, MIKROTIK = "integrations/freeradius.html", "integrations/mikrotik.html"


@pytest.mark.parametrize("query,guides", [
    ("3799", [FREERADIUS, MIKROTIK]),  # CoA port
    ("1812", [FREERADIUS, MIKROTIK]),  # RADIUS port
    ("7547", ["integrations/genieacs.html"]),  # CWMP port
    ("1032", ["integrations/mpesa-daraja.html"]),  # M-Pesa result code
    ("500.001.1001", ["integrations/mpesa-daraja.html"]),  # Daraja error code
    ("sk_test_", ["integrations/stripe.html"]),
    ("X-Paystack-Signature", ["integrations/paystack.html"]),
    ("Message-Authenticator", [FREERADIUS, MIKROTIK]),
])
def test_search_finds_numbers_codes_headers_and_identifiers(page, served_site, query, guides):
    links = [link.split("#")[0] for link, _ in search(page, served_site, query)]
    assert set(guides) <= set(links), links
    assert links[0].startswith("integrations/"), links


@pytest.mark.parametrize("query", ["CoA", "PPPoE", "1812", "RADIUS"])
def test_search_ranks_guides_above_the_listing_pages(page, served_site, query):
    links = [link for link, _ in search(page, served_site, query)]
    guides = [i for i, link in enumerate(links) if link.startswith("integrations/")]
    listings = [i for i, link in enumerate(links) if is_listing(link)]
    assert guides and listings, links  # the listing pages repeat the guides' cards
    assert max(guides) < min(listings), links
    if query == "CoA":
        assert MIKROTIK in links


def test_search_for_a_listing_page_title_finds_that_page_first(page, served_site):
    assert search(page, served_site, "Network & AAA")[0] == ("catalog/domains/network-aaa.html", "Network & AAA")


@pytest.mark.parametrize("query", ["mikrotik", "Africa's Talking", "stripe", "Network & AAA", "webhook"])
def test_search_shows_each_page_once_with_its_title_as_written(page, served_site, query):
    results = search(page, served_site, query)
    pages = [link.split("#")[0] for link, _ in results]
    assert results and len(pages) == len(set(pages)), pages
    titles = page.evaluate(
        "Object.fromEntries(Search._index.docnames.map((d, i) => [d + '.html', Search._index.titles[i]]))")
    for link, shown in results:
        title = titles[link.split("#")[0]]
        assert shown == title or shown.startswith(f"{title} > "), (link, shown)
        assert "&amp;" not in shown and "&#" not in shown, shown
    if query == "mikrotik":
        assert ("integrations/mikrotik.html", "MikroTik RADIUS & Service Enforcement") in results


def test_search_query_terms_are_the_index_terms(page, served_site):
    """The page's splitter and stemmer make, from a query, terms the build indexes from the same text."""
    from wispgate_connectors.search import OperatorSearch

    language = OperatorSearch({})
    texts = ["UDP 3799 and 1812/1813", "keys starting sk_test_", "the X-Paystack-Signature header", "TR-069 7.16",
             "ResultCode 1032 or 500.001.1001", "Signatures verified", "InternetGatewayDevice.ManagementServer.URL",
             "api_keys naïve Café 2²", "Mikrotik-Rate-Limit, Access-Request"]
    page.goto(f"{served_site}/search.html")
    queried = page.evaluate("""texts => texts.map(text => {
        const stemmer = new Stemmer();
        return splitQuery(text).map(t => t.toLowerCase()).filter(t => !stopwords.has(t)).map(t => stemmer.stemWord(t));
    })""", texts)
    for text, terms in zip(texts, queried, strict=True):
        indexed = {language.stem(w).lower() for w in language.split(text)}
        assert terms and set(terms) <= {w for w in indexed if language.word_filter(w)}, (text, terms, indexed)
