"""End-to-end tests in headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import math
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
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
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
    assert sorted(visible_cards(page)) == [
        "MikroTik RADIUS & Service Enforcement",
        "MikroTik RouterOS API (REST & API-SSL)",
    ]


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


NEW_PAGES = [
    "catalog/ports.html",
    "catalog/ports/network-aaa.html",
    "catalog/compatibility/payments-finance.html",
    "catalog/outage/messaging-support.html",
    "catalog/vendor-changes.html",
]


@pytest.mark.parametrize(
    "path", ["index.html", "integrations/mikrotik.html", "catalog/matrix/network-aaa.html", *NEW_PAGES]
)
def test_phone_width_has_no_horizontal_scroll(browser, served_site, path):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{served_site}/{path}")
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert scroll <= client, f"{path}: page is {scroll}px wide in a {client}px viewport"


def test_matrix_sorts_by_complexity(page, served_site):
    page.goto(f"{served_site}/catalog/matrix/network-aaa.html")
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
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize(
    "path,name,width",
    [
        ("index.html", "landing-desktop", 1280),
        ("index.html", "landing-phone", 390),
        ("integrations/mikrotik.html", "guide-desktop", 1280),
        ("integrations/mikrotik.html", "guide-phone", 390),
    ],
)
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
    return [
        tuple(r)
        for r in page.eval_on_selector_all(
            "#search-results ul.search li > a", "els => els.map(a => [a.getAttribute('href'), a.textContent])"
        )
    ]


def is_listing(link: str) -> bool:
    """The landing page and the catalog pages (domain, use-case and catalog listings); not the export's docs."""
    path = link.split("#")[0]
    return path == "index.html" or (path.startswith("catalog/") and path != "catalog/export.html")


FREERADIUS, MIKROTIK = "integrations/freeradius.html", "integrations/mikrotik.html"


@pytest.mark.parametrize(
    "query,guides",
    [
        ("3799", [FREERADIUS, MIKROTIK]),  # CoA port
        ("1812", [FREERADIUS, MIKROTIK]),  # RADIUS port
        ("7547", ["integrations/genieacs.html"]),  # CWMP port
        ("1032", ["integrations/mpesa-daraja.html"]),  # M-Pesa result code
        ("500.001.1001", ["integrations/mpesa-daraja.html"]),  # Daraja error code
        ("sk_test_", ["integrations/stripe.html"]),
        ("X-Paystack-Signature", ["integrations/paystack.html"]),
        ("Message-Authenticator", [FREERADIUS, MIKROTIK]),
    ],
)
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
        "Object.fromEntries(Search._index.docnames.map((d, i) => [d + '.html', Search._index.titles[i]]))"
    )
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
    texts = [
        "UDP 3799 and 1812/1813",
        "keys starting sk_test_",
        "the X-Paystack-Signature header",
        "TR-069 7.16",
        "ResultCode 1032 or 500.001.1001",
        "Signatures verified",
        "InternetGatewayDevice.ManagementServer.URL",
        "api_keys naïve Café 2²",
        "Mikrotik-Rate-Limit, Access-Request",
    ]
    page.goto(f"{served_site}/search.html")
    queried = page.evaluate(
        """texts => texts.map(text => {
        const stemmer = new Stemmer();
        return splitQuery(text).map(t => t.toLowerCase()).filter(t => !stopwords.has(t)).map(t => stemmer.stemWord(t));
    })""",
        texts,
    )
    for text, terms in zip(texts, queried, strict=True):
        indexed = {language.stem(w).lower() for w in language.split(text)}
        assert terms and set(terms) <= {w for w in indexed if language.word_filter(w)}, (text, terms, indexed)


# --- reader tools (issue 14) -----------------------------------------------------------------------


def catalog_data():
    from wispgate_connectors.catalog import load_catalog

    return load_catalog(PROJECT)


def test_planner_builds_one_plan_from_the_address(page, served_site):
    catalog = catalog_data()
    page.goto(f"{served_site}/catalog/planner.html?c=whatsapp-cloud,stripe,mikrotik")
    page.wait_for_selector(".wg-plan-order li")
    # network and AAA first, then payments, then messaging: not the order in the address
    assert page.locator(".wg-plan-order li").all_inner_texts() == [
        catalog.connectors[c].name for c in ("mikrotik", "stripe", "whatsapp-cloud")
    ]
    rules = page.locator(".wg-plan-rules tbody tr").all_inner_texts()
    expected = sum(len(catalog.connectors[c].network) for c in ("mikrotik", "stripe", "whatsapp-cloud"))
    assert len(rules) == expected
    assert any("1812, 1813" in r and "MikroTik" in r for r in rules)
    assert any("api.stripe.com" in r for r in rules)
    checklist = page.locator(".wg-plan-checklist").first.inner_text()
    for item in catalog.readiness["pre_deployment"]:
        assert checklist.count(item.split(" (")[0][:40]) == 1
    own = page.locator(".wg-planner-output h4").all_inner_texts()
    assert own == [
        catalog.connectors[c].name for c in ("mikrotik", "stripe", "whatsapp-cloud") if catalog.connectors[c].readiness
    ]
    outage = page.locator(".wg-plan-outage li").all_inner_texts()
    ranks = {"closed": 0, "degraded": 1, "open": 2}
    modes = [catalog.connectors[c].outage.fail_mode for c in ("mikrotik", "stripe", "whatsapp-cloud")]
    assert len(outage) == 3 and [ranks[m] for m in sorted(modes, key=ranks.get)] == sorted(ranks[m] for m in modes)
    # unpicking one updates the plan and the address, with readable commas
    page.uncheck("input[value=stripe]")
    page.wait_for_function("document.querySelectorAll('.wg-plan-order li').length === 2")
    assert page.url.endswith("?c=mikrotik,whatsapp-cloud")
    # Markdown for a ticket
    page.click("[data-action=markdown]")
    markdown = page.get_attribute(".wg-planner", "data-markdown")
    assert markdown.startswith("# Implementation plan") and "| From | To | Protocol | Ports |" in markdown
    assert "Stripe" not in markdown.split("## Firewall rules")[0]


def test_planner_order_and_merge_logic(page, served_site):
    """The ordering and merging run in the reader's browser for any picks, so they live in
    JavaScript and are tested here, on fixtures, through the module's own functions."""
    page.goto(f"{served_site}/catalog/planner.html")
    page.wait_for_function("window.wgPlanner !== undefined")
    index = {
        "domains": [{"key": "net", "title": "Net"}, {"key": "pay", "title": "Pay"}],
        "readiness": {"pre_deployment": ["Common."], "post_deployment": []},
        "connectors": [
            {"id": "z-pay", "name": "A pay", "domain": "pay", "after": [], "url": "z"},
            {"id": "radius", "name": "Radius", "domain": "net", "after": ["acs"], "url": "r"},
            {"id": "acs", "name": "Zeta ACS", "domain": "net", "after": ["radius"], "url": "a"},
            {"id": "olt", "name": "OLT", "domain": "net", "after": ["acs"], "url": "o"},
        ],
    }
    order = page.evaluate(
        "([index, ids]) => wgPlanner.order(index, ids).map(c => c.id)", [index, ["z-pay", "olt", "radius", "acs"]]
    )
    # domains first; within one, 'after' before name order; a cycle ends instead of looping
    assert order[-1] == "z-pay" and order.index("acs") < order.index("olt")
    assert sorted(order) == ["acs", "olt", "radius", "z-pay"]
    details = {
        "radius": {
            "prerequisites": ["One `secret`."],
            "network": [{"from": "NAS", "to": "WISPGate", "protocol": "udp", "ports": [1812], "purpose": "Auth."}],
            "readiness": {"pre_deployment": ["Own radius item."]},
            "outage": {"fail_mode": "closed", "subscribers": "x"},
        },
        "acs": {
            "prerequisites": ["One secret."],
            "network": [{"from": "NAS", "to": "WISPGate", "protocol": "udp", "ports": [1812], "purpose": "Same rule."}],
            "readiness": {},
            "outage": {"fail_mode": "open", "subscribers": "y"},
        },
    }
    plan = page.evaluate(
        "([index, details]) => wgPlanner.merge(index, wgPlanner.order(index, ['acs', 'radius']), details)",
        [index, details],
    )
    assert len(plan["prerequisites"]) == 1 and sorted(plan["prerequisites"][0]["from"]) == ["Radius", "Zeta ACS"]
    assert len(plan["rules"]) == 1 and len(plan["rules"][0]["from"]) == 2
    assert plan["common"] == ["Common."] and [o["name"] for o in plan["own"]] == ["Radius"]
    assert [o["mode"] for o in plan["outage"]] == ["closed", "open"]


def test_planner_without_scripts_says_what_it_does(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served_site}/catalog/planner.html")
    text = page.locator("article").inner_text()
    context.close()
    assert "The planner needs scripts" in text and "catalog" in text


@pytest.mark.parametrize(
    "pasted,connector",
    [
        ("Packet does not contain required Message-Authenticator attribute.", "freeradius"),
        ('{"ResultCode": 1032, "ResultDesc": "Request cancelled by user"}', "mpesa-daraja"),
        ("HTTP/1.1 202 Task queued but not processed", "genieacs"),
    ],
)
def test_error_lookup_puts_the_right_failure_first(page, served_site, pasted, connector):
    name = catalog_data().connectors[connector].name
    page.goto(f"{served_site}/catalog/troubleshooting.html")
    page.fill("#wg-lookup-text", pasted)
    page.wait_for_selector(".wg-lookup-result")
    first = page.locator(".wg-lookup-result").first
    assert name in first.locator(".wg-lookup-connector").inner_text()
    assert "Cause:" in first.inner_text() and "Fix:" in first.inner_text()
    assert first.locator("a").get_attribute("href").endswith(f"{connector}.html#{connector}-troubleshooting")


def test_error_lookup_says_when_nothing_matches(page, served_site):
    page.goto(f"{served_site}/catalog/troubleshooting.html")
    page.fill("#wg-lookup-text", "zzqx plorf wibble")
    page.wait_for_function("document.querySelector('.wg-lookup-status').textContent.includes('No failure point')")
    assert page.locator(".wg-lookup-result").count() == 0
    assert page.locator(".wg-lookup-status a").get_attribute("href") == "#troubleshooting-index"


def test_commissioning_sheet_prints_every_check_and_no_secret(page, served_site):
    c = catalog_data().connectors["stripe"]
    page.goto(f"{served_site}/commissioning/stripe.html")
    page.emulate_media(media="print")
    checks = page.locator(".wg-sheet-check:visible")
    assert checks.count() == len(c.validation)
    text = page.locator("article").inner_text()
    rows = page.locator("table.wg-sheet-values tbody tr").all_inner_texts()
    assert len(rows) == len(c.required_fields)
    for f, row in zip(c.required_fields, rows, strict=True):
        assert row.startswith(f.name)
        if f.is_secret:  # the secret's row says whether it was entered, and holds no value
            assert "entered: ☐ yes  ☐ no" in row
            assert f.example is None or str(f.example) not in row
    assert "Technician" in text and "Sign-off" in text
    assert not page.locator(".sidebar-drawer").is_visible()


TOOL_PAGES = ["catalog/planner.html?c=mikrotik,stripe", "catalog/troubleshooting.html", "commissioning/mikrotik.html"]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", TOOL_PAGES)
def test_reader_tools_pass_the_accessibility_scan(browser, served_site, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{served_site}/{path}")
    if "planner" in path:
        page.wait_for_selector(".wg-plan-order li")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# --- Print (wispgate-print.css, linked with media="print") ------------------------------
# Emulated print media shows what the print stylesheet does at the browser's width; the
# whole-page checks also lay pages out at the printable width of an A4 sheet, and the
# PDFs are Chromium's own print of the page.

#: the printable width of A4 inside wispgate-print.css's @page margins (210 mm - 2 x 14 mm)
A4_PRINT_WIDTH = 688


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF that Chromium wrote (one uncompressed page object each)."""
    import re

    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


#: the printable height of A4 inside the same margins (297 mm - 15 mm - 16 mm), in CSS pixels
A4_PRINT_HEIGHT = 1005


def print_a4(page, name: str) -> int:
    """Print the page to an A4 PDF kept as a test artifact; its page count.

    The count must be what the content needs: at least its height at the printable width
    over the printable height, and not much more (a page-break rule gone wrong leaves
    pages half empty).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    need = page.evaluate("document.documentElement.scrollHeight") / A4_PRINT_HEIGHT
    target = ARTIFACTS / f"{name}.pdf"
    pdf = page.pdf(path=str(target), format="A4")
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert math.ceil(need) <= pages <= math.ceil(need * 1.4) + 1, f"{pages} pages for {need:.1f} pages of content"
    return pages


def test_print_shows_every_field_tab_under_its_label(page, served_site):
    from wispgate_connectors.catalog import load_catalog

    connector = load_catalog(PROJECT).connectors["mikrotik"]
    optional = [f.name for f in connector.fields if not f.required]
    required = [f.name for f in connector.fields if f.required]
    assert optional and required
    page.goto(f"{served_site}/integrations/mikrotik.html")
    fields = page.locator("#mikrotik-fields")

    def field(name):
        return fields.locator("dt.wg-field", has=page.locator("strong", has_text=name)).first

    # on screen the Optional tab is closed: that is what printing used to lose
    assert not any(field(name).is_visible() for name in optional)
    page.emulate_media(media="print")
    hidden = [name for name in optional + required if not field(name).is_visible()]
    assert hidden == [], f"fields missing from the print: {hidden}"
    labels, panels = fields.locator("label.sd-tab-label"), fields.locator(".sd-tab-content")
    assert labels.count() == panels.count() == 2
    for i, title in enumerate(["Required", "Optional"]):
        label, panel = labels.nth(i), panels.nth(i)
        assert label.is_visible() and panel.is_visible()
        assert label.inner_text().startswith(title)
        # the label prints as a heading above its own panel, full width
        lbox, pbox = label.bounding_box(), panel.bounding_box()
        assert lbox["y"] + lbox["height"] <= pbox["y"] + 1
        assert lbox["width"] > 0.8 * pbox["width"]
    # and so does every other tab set on the page
    assert page.locator("article .sd-tab-content:not(:visible)").count() == 0


def test_print_hides_navigation_and_controls(page, served_site):
    page.goto(f"{served_site}/integrations/mikrotik.html")
    chrome = [
        ".sidebar-drawer",
        ".sidebar-search",
        ".toc-drawer",
        ".theme-toggle",
        ".content-icon-container",
        ".related-pages",
        ".skip-to-content",
        ".back-to-top",
    ]
    # each selector names something that is on the page (and on screen, the sidebar is seen)
    assert all(page.locator(sel).count() for sel in chrome)
    assert page.locator(".sidebar-drawer").is_visible()
    page.emulate_media(media="print")
    shown = [sel for sel in chrome if page.locator(f"{sel}:visible").count()]
    assert shown == [], f"printed: {shown}"
    assert page.locator("article h1").is_visible()
    # the article takes the page's width, with no sidebar column beside it
    article = page.locator("article").bounding_box()
    assert article["x"] < 40 and article["width"] > 0.9 * page.viewport_size["width"]


def test_print_writes_out_external_link_targets(page, served_site):
    page.goto(f"{served_site}/integrations/mikrotik.html")
    after = "a => getComputedStyle(a, '::after').content"
    link = page.locator("article a.reference.external[href^='http']").first
    href = link.get_attribute("href")
    assert link.evaluate(after) == "none"
    page.emulate_media(media="print")
    assert link.evaluate(after) == f'" ({href})"'
    # internal links and heading anchors stay as they are
    assert page.locator("article a.reference.internal").first.evaluate(after) == "none"
    page.goto(f"{served_site}/index.html")
    page.emulate_media(media="print")
    stretched = page.locator("article a.sd-stretched-link").first
    assert "(" not in stretched.evaluate(after)


@pytest.mark.parametrize("scheme", ["theme-dark", "system-dark"])
def test_print_is_light_in_dark_mode(browser, served_site, scheme):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="dark" if scheme == "system-dark" else "light"
    )
    page = context.new_page()
    page.goto(f"{served_site}/integrations/mikrotik.html")
    if scheme == "theme-dark":
        page.evaluate("document.body.dataset.theme = 'dark'")
    else:
        assert page.evaluate("document.body.dataset.theme") == "auto"
    style = "(el, prop) => getComputedStyle(el)[prop]"
    body, h1 = page.locator("body"), page.locator("article h1")
    # the page is dark on screen...
    assert body.evaluate(style, "backgroundColor") != "rgb(255, 255, 255)"
    page.emulate_media(media="print", color_scheme="dark" if scheme == "system-dark" else "light")
    # ...and light on paper: white page, black text, light code blocks, the light badge colours
    assert body.evaluate(style, "backgroundColor") == "rgb(255, 255, 255)"
    assert h1.evaluate(style, "color") == "rgb(0, 0, 0)"
    assert page.locator("article p").first.evaluate(style, "color") == "rgb(0, 0, 0)"
    code = page.locator("article .highlight").first.evaluate(style, "backgroundColor")
    assert sum(int(v) for v in code[code.index("(") + 1 : code.index(")")].split(",")[:3]) > 600, code
    assert page.locator(".sd-badge.wg-type").first.evaluate(style, "color") == "rgb(11, 99, 116)"
    pages = print_a4(page, f"guide-print-{scheme}")
    context.close()
    assert 4 <= pages <= 20


def test_print_pdf_of_a_guide(page, served_site):
    page.goto(f"{served_site}/integrations/mikrotik.html")
    pages = print_a4(page, "guide-print")
    # every section, both field tabs and the sources, without the navigation: about ten A4 pages
    assert 6 <= pages <= 16, pages


def test_print_of_the_landing_page(page, served_site):
    page.goto(f"{served_site}/index.html")
    total = page.locator(".wg-card-item").count()
    # a reader narrows the catalog, then prints: the form does not print, so neither does
    # the filter, and every grid and every use-case tab prints whole
    page.select_option("form.wg-filter select[name=domain]", "payments-finance")
    assert page.locator(".wg-card-item:visible").count() < total
    page.emulate_media(media="print")
    assert not page.locator("form.wg-filter").is_visible()
    assert page.locator(".wg-card-item:visible").count() == total
    assert page.locator("article .sd-tab-content:not(:visible)").count() == 0
    assert (
        page.locator("article label.sd-tab-label:visible").count() == page.locator("article label.sd-tab-label").count()
    )
    pages = print_a4(page, "landing-print")
    assert 5 <= pages <= 25, pages


def test_print_opens_dropdowns_and_wraps_code(page, served_site):
    """Pages to come (commissioning sheets, the planner) print whole from the same rules:
    a closed dropdown prints open, a command longer than the page wraps, a notice keeps its title."""
    page.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1000})
    page.goto(f"{served_site}/concepts/webhook-security.html")
    page.evaluate("""() => document.querySelector('article h1').insertAdjacentHTML('afterend', `
      <div class="admonition warning" id="t-notice"><p class="admonition-title">Deprecated</p><p>Use the other one.</p></div>
      <details class="sd-sphinx-override sd-dropdown sd-card sd-mb-3" id="t-dropdown">
        <summary class="sd-summary-title sd-card-header">Details</summary>
        <div class="sd-summary-content sd-card-body"><p id="t-hidden">Printed although closed.</p></div></details>
      <div class="highlight-text notranslate"><div class="highlight"><pre id="t-pre">curl https://api.example.com/${"x/".repeat(80)} -H "Authorization: Bearer ${"0".repeat(120)}"</pre></div></div>`)""")
    assert not page.locator("#t-hidden").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#t-hidden").is_visible()
    assert page.locator("#t-notice .admonition-title").is_visible()
    assert page.locator("#t-pre").evaluate("p => p.scrollWidth <= p.clientWidth")
    article = page.locator("article").bounding_box()
    pre = page.locator("#t-pre").bounding_box()
    assert pre["x"] + pre["width"] <= article["x"] + article["width"] + 1


PRINTED_PAGES = [
    "index.html",
    "integrations/mikrotik.html",
    "integrations/stripe.html",
    "catalog/matrix/network-aaa.html",
    *NEW_PAGES,
    "catalog/troubleshooting.html",
    "catalog/troubleshooting/network-aaa.html",
    "writing-guide.html",
    "concepts/webhook-security.html",
]


@pytest.mark.parametrize("path", PRINTED_PAGES)
def test_print_fits_the_page_width(browser, served_site, path):
    """At an A4 sheet's printable width nothing is cut off: tables, code and grids fit, code wraps."""
    context = browser.new_context(viewport={"width": A4_PRINT_WIDTH, "height": 1000})
    page = context.new_page()
    page.goto(f"{served_site}/{path}")
    page.emulate_media(media="print")
    too_wide = page.evaluate("""() => {
      const article = document.querySelector('article').getBoundingClientRect();
      const out = [];
      for (const el of document.querySelectorAll('article :is(table, pre, .sd-container-fluid, .sd-tab-set, dl, .admonition)')) {
        const box = el.getBoundingClientRect();
        if (box.width && (box.right > article.right + 1 || el.scrollWidth > el.clientWidth + 1))
          out.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right) + ' > ' + Math.round(article.right));
      }
      return out;
    }""")
    nowrap = page.evaluate(
        "() => [...document.querySelectorAll('article pre')].filter(p => getComputedStyle(p).whiteSpace !== 'pre-wrap').length"
    )
    closed = page.locator("article .sd-tab-content:not(:visible)").count()
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert too_wide == [], too_wide
    assert nowrap == 0 and closed == 0
    assert scroll <= client
