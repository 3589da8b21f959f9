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


def current_names(domain: str | None = None, **where) -> list[str]:
    """Names of the connectors the landing filter lists (not archived), in index order."""
    from wispgate_connectors.catalog import load_catalog

    return [
        c.name
        for c in load_catalog(PROJECT).sorted()
        if c.status != "archived"
        and (domain is None or c.domain == domain)
        and all((c.sync.mode if k == "sync" else getattr(c, k)) == v for k, v in where.items())
    ]


def listed(page) -> list[str]:
    """The names the landing filter lists, once it has rendered."""
    page.wait_for_selector(".wg-filter-results:not([hidden])")
    return page.eval_on_selector_all(".wg-results .wg-result-name", "els => els.map(e => e.textContent.trim())")


def json_requests(page) -> list[str]:
    """Every JSON file the page asks for, as the page goes (a list that grows)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.url.split("?")[0].endswith(".json") else None)
    return seen


def test_landing_fetches_no_json_before_interaction(page, served_site):
    asked = json_requests(page)
    page.goto(f"{served_site}/index.html", wait_until="networkidle")
    assert page.locator("form.wg-filter").is_visible()
    assert asked == []  # neither catalog-index.json nor a group's navigation file
    assert page.locator(".wg-result").count() == 0 and page.locator(".wg-card-item .wg-card").count() > 0
    page.fill("form.wg-filter input[name=q]", "mikrotik")
    assert sorted(listed(page)) == ["MikroTik RADIUS & Service Enforcement", "MikroTik RouterOS API (REST & API-SSL)"]
    assert [u.rsplit("/", 1)[-1] for u in asked] == ["catalog-index.json"]
    assert "q=mikrotik" in page.url


def test_filter_narrows_and_clears(page, served_site):
    everything = current_names()
    page.goto(f"{served_site}/index.html")
    page.click(f"form.wg-filter button.wg-filter-all >> text=Show all {len(everything)} connectors")
    assert listed(page) == everything[:60]
    assert page.locator(".wg-filter-count").inner_text() == f"{len(everything)} connectors"
    assert not page.locator("button.wg-filter-all").is_visible()
    page.select_option("form.wg-filter select[name=domain]", "payments-finance")
    payments = current_names("payments-finance")
    assert listed(page) == payments and 0 < len(payments) < len(everything)
    assert page.locator(".wg-filter-count").inner_text() == f"{len(payments)} of {len(everything)} connectors"
    assert "domain=payments-finance" in page.url
    page.select_option("form.wg-filter select[name=complexity]", "high")
    assert listed(page) == current_names("payments-finance", complexity="high")
    page.click("form.wg-filter button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('.wg-result').length === {min(60, len(everything))}")
    assert listed(page) == everything[:60] and "domain=" not in page.url
    # every result links its guide, with its type and complexity as on the cards
    first = page.locator(".wg-result").first
    assert first.locator("a").evaluate("a => a.href") == f"{served_site}/integrations/africas-talking.html"
    assert first.locator(".wg-type").count() == 1 and "complexity" in first.locator(".wg-complexity").inner_text()


def test_status_and_data_flow_facets(page, served_site):
    total = len(current_names())
    page.goto(f"{served_site}/index.html")
    page.select_option("form.wg-filter select[name=sync]", "webhook")
    webhook = current_names(sync="webhook")
    assert listed(page) == webhook and 0 < len(webhook) < total
    assert "sync=webhook" in page.url
    page.select_option("form.wg-filter select[name=status]", "deprecated")
    deprecated = current_names(sync="webhook", status="deprecated")
    page.wait_for_function(f"document.querySelectorAll('.wg-result').length === {len(deprecated)}")
    assert listed(page) == deprecated
    assert page.locator(".wg-filter-count").inner_text().startswith(f"{len(deprecated)} of")
    if deprecated:
        assert page.locator(".wg-result .wg-status").first.inner_text() == "Deprecated"
    else:
        assert page.locator(".wg-results-none").is_visible()
    page.goto(f"{served_site}/index.html?status=ga&sync=poll")
    assert listed(page) == current_names(sync="poll", status="ga")


def test_filter_state_comes_from_the_address(page, served_site):
    page.goto(f"{served_site}/index.html?use-case=field-communication")
    assert page.locator("form.wg-filter select[name=use-case]").input_value() == "field-communication"
    names = listed(page)
    assert names and not any("MikroTik" in n for n in names)


def test_filter_lists_a_thousand_matches_sixty_at_a_time(page, served_site):
    """A big catalog stays light: the first 60 matches, then 60 more per "Show more"."""
    fields = ["id", "name", "domain", "use_cases", "type", "complexity", "sync", "status", "after", "url"]
    rows = [
        [f"c-{i:04d}", f"Connector {i:04d} <b>", "network-aaa", ["subscriber-auth"], "RADIUS NAS", "low", "poll"]
        for i in range(1000)
    ]
    index = {
        "version": 2,
        "project": "x",
        "url_template": "integrations/{id}.html",
        "data_template": "connectors/{id}.json",
        "fields": fields,
        "domains": [{"key": "network-aaa", "title": "Network & AAA"}],
        "use_cases": [{"key": "subscriber-auth", "title": "Subscriber Auth"}],
        "readiness": {},
        "connectors": rows,
    }
    page.route("**/catalog-index.json", lambda route: route.fulfill(json=index))
    page.goto(f"{served_site}/index.html")
    page.click("form.wg-filter button.wg-filter-all")
    assert len(listed(page)) == 60
    assert page.locator(".wg-filter-count").inner_text() == "1000 connectors; the first 60 are listed"
    # names are text, never markup
    assert page.locator(".wg-result b").count() == 0 and listed(page)[0] == "Connector 0000 <b>"
    more = page.locator(".wg-results-more button")
    assert more.inner_text() == "Show 60 more (940 not shown)"
    more.click()
    assert page.locator(".wg-result").count() == 120
    # the keyboard lands on the first new result
    assert page.evaluate("document.activeElement.textContent") == "Connector 0060 <b>"
    page.fill("form.wg-filter input[name=q]", "connector 09")
    assert len(listed(page)) == 60 and page.locator(".wg-filter-count").inner_text().startswith("100 of 1000")


@pytest.mark.parametrize("width", [1280, 375])
def test_filter_results_pass_the_accessibility_scan(browser, served_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    def with_statuses(route):
        # the site's guides are all generally available: give two a status, so its badges are scanned
        index = route.fetch().json()
        for row, status in zip(index["connectors"], ("beta", "deprecated"), strict=False):
            row[7:8] = [status]
        route.fulfill(json=index)

    page.route("**/catalog-index.json", with_statuses)
    page.goto(f"{served_site}/index.html")
    page.click("form.wg-filter button.wg-filter-all")
    assert listed(page) and page.locator(".wg-result .wg-status").all_inner_texts() == ["Beta", "Deprecated"]
    serious = serious_violations(page)
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert serious == [] and scroll <= client


def test_without_scripts_the_form_stays_hidden_and_a_sentence_links_the_domain_pages(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served_site}/index.html")
    assert not page.locator("form.wg-filter").is_visible()
    assert not page.locator(".wg-filter-results").is_visible()
    sentence = page.locator("p.wg-filter-noscript")
    assert sentence.is_visible() and "is on the domain pages" in sentence.inner_text()
    browse = page.locator("ul.wg-browse")
    assert browse.is_visible() and browse.locator("a").first.get_attribute("href").startswith("catalog/domains/")
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


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", ["index.html", "integrations/mikrotik.html", *NEW_PAGES])
def test_accessibility_scan_has_no_serious_violations(page, served_site, path):
    assert AXE.exists(), "axe-core is missing: `make test` runs npm ci"
    page.goto(f"{served_site}/{path}")
    assert serious_violations(page) == []


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
    serious = serious_violations(page)
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert serious == [] and scroll <= client, (serious, scroll, client)


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
    # a reader narrows the catalog, then prints: the form does not print, the matches print
    # as listed, and every grid and every use-case tab prints whole
    page.select_option("form.wg-filter select[name=domain]", "payments-finance")
    payments = listed(page)
    page.emulate_media(media="print")
    assert not page.locator("form.wg-filter").is_visible()
    assert page.locator(".wg-result:visible").count() == len(payments) > 0
    assert page.locator(".wg-card-item:visible").count() == total
    assert page.locator("article .sd-tab-content:not(:visible)").count() == 0
    assert (
        page.locator("article label.sd-tab-label:visible").count() == page.locator("article label.sd-tab-label").count()
    )
    pages = print_a4(page, "landing-print")
    assert 4 <= pages <= 25, pages


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


# --- navigation data, loaded only when a reader needs it (issue 16) ---------------------------


def windowed_group(page) -> str:
    """The data-wg-nav of a sidebar group shortened to a window (its "All N" link)."""
    return page.eval_on_selector(
        ".sidebar-tree ul[data-wg-nav]:has(.wg-nav-all)", "ul => ul.getAttribute('data-wg-nav')"
    )


def test_navigation_json_is_fetched_when_a_shortened_group_is_opened(page, served_site):
    asked = json_requests(page)
    page.goto(f"{served_site}/index.html", wait_until="networkidle")
    assert asked == []
    group = windowed_group(page)
    lst = page.locator(f'.sidebar-tree ul[data-wg-nav="{group}"]')
    assert not lst.is_visible()
    # "All N in <group>": the window's link names how many the group holds
    everyone = int(lst.locator(".wg-nav-all").text_content().split()[1])
    page.locator(f'.sidebar-tree li:has(> ul[data-wg-nav="{group}"]) > label').click()
    page.wait_for_selector(f'.sidebar-tree ul[data-wg-nav="{group}"][data-wg-filled]')
    # only that group's file (navigation.group_file), not the whole tree
    own = lst.get_attribute("data-wg-nav-file")
    assert [u.split("/_static/", 1)[-1] for u in asked] == [own]
    assert lst.is_visible() and lst.locator(".wg-nav-all").count() == 0
    assert lst.locator("li").count() == everyone > 7
    # another group brings its own file; opening the first again asks for nothing
    others = page.locator(".sidebar-tree li:has(> ul[data-wg-nav]:not([data-wg-filled]) .wg-nav-all) > label")
    if others.count():
        others.first.click()
        page.wait_for_function("document.querySelectorAll('.sidebar-tree ul[data-wg-filled]').length === 2")
        assert len(asked) == 2 and asked[1] != asked[0]


def test_navigation_json_is_fetched_at_load_when_the_current_group_is_shortened(page, served_site):
    page.goto(f"{served_site}/index.html")
    group = windowed_group(page)
    asked = json_requests(page)
    page.goto(f"{served_site}/{group}", wait_until="networkidle")
    lst = page.locator(f'.sidebar-tree ul[data-wg-nav="{group}"]')
    page.wait_for_selector(f'.sidebar-tree ul[data-wg-nav="{group}"][data-wg-filled]')
    assert [u.split("/_static/", 1)[-1] for u in asked] == [lst.get_attribute("data-wg-nav-file")]


# --- an anchor on a family page that was split into parts --------------------------------------


PARTS_INDEX = {
    "version": 2,
    "project": "parts",
    "url_template": "integrations/{id}.html",
    "data_template": "connectors/{id}.json",
    "fields": ["id", "name", "domain", "use_cases", "type", "complexity", "sync", "status", "after", "url"],
    "domains": [{"key": "net", "title": "Net"}, {"key": "pay", "title": "Pay"}],
    "use_cases": [],
    "readiness": {},
    # index order: by name; the domains interleave; an archived one takes its place in the
    # cut into parts (listing.Scope.members) but is on no page
    "connectors": [
        ["n1", "A", "net", [], "T", "low", "poll"],
        ["p1", "B", "pay", [], "T", "low", "poll"],
        ["n2", "C", "net", [], "T", "low", "poll"],
        ["gone", "D", "net", [], "T", "low", "poll", "archived"],
        ["n3", "E", "net", [], "T", "low", "poll"],
        ["n4", "F", "net", [], "T", "low", "poll", "beta"],
        ["p2", "G", "pay", [], "T", "low", "poll"],
        ["n5", "H", "net", [], "T", "low", "poll"],
    ],
}


@pytest.fixture
def parts_site(tmp_path):
    """A hand-made family page with data-wg-parts (page size 2), its part pages and an index."""
    import functools
    import http.server
    import json
    import threading

    static = PROJECT / "_ext/wispgate_connectors/static"
    (tmp_path / "_static").mkdir()
    shutil.copyfile(static / "wispgate.js", tmp_path / "_static/wispgate.js")
    (tmp_path / "catalog-index.json").write_text(json.dumps(PARTS_INDEX))
    page = (
        '<!doctype html><html data-content_root="{root}"><head><title>{title}</title>'
        '<script defer src="{root}_static/wispgate.js"></script></head><body><h1>{title}</h1>{body}</body></html>'
    )
    holder = '<div class="wg-parts" data-wg-parts="ports" data-wg-base="catalog/ports/" data-wg-page-size="2"></div>'
    (tmp_path / "catalog/ports").mkdir(parents=True)
    (tmp_path / "catalog/ports.html").write_text(
        page.format(root="../", title="Ports", body=holder + '<p id="ports-n1">kept here</p>')
    )
    (tmp_path / "catalog/plain.html").write_text(page.format(root="../", title="Plain", body="<p>no parts</p>"))
    for name in ("net", "net--2", "net--3", "pay"):
        (tmp_path / f"catalog/ports/{name}.html").write_text(page.format(root="../../", title=name, body=""))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "connector,part",
    [("n2", "net"), ("n3", "net--2"), ("n4", "net--3"), ("n5", "net--3"), ("p2", "pay")],
)
def test_anchor_of_a_split_page_goes_to_its_part(page, parts_site, connector, part):
    page.goto(f"{parts_site}/catalog/ports.html#ports-{connector}")
    page.wait_for_url(f"**/catalog/ports/{part}.html#ports-{connector}")
    assert page.locator("h1").inner_text() == part


@pytest.mark.parametrize("hash_", ["#ports-n1", "#ports-gone", "#ports-nobody", "#other-n5", "#ports-..%2Fx"])
def test_anchor_redirect_leaves_the_page_when_it_has_the_anchor_or_no_part_does(page, parts_site, hash_):
    page.goto(f"{parts_site}/catalog/ports.html{hash_}", wait_until="networkidle")
    assert page.url.endswith(f"/catalog/ports.html{hash_}")


def test_anchor_on_the_real_ports_page_goes_to_the_domain_page(page, served_site):
    page.goto(f"{served_site}/catalog/ports.html#ports-mikrotik")
    page.wait_for_url("**/catalog/ports/network-aaa.html#ports-mikrotik")
    assert page.locator("#ports-mikrotik").count() == 1


def test_anchor_redirect_is_inert_without_data_wg_parts(page, parts_site):
    asked = json_requests(page)
    page.goto(f"{parts_site}/catalog/plain.html#ports-n5", wait_until="networkidle")
    assert page.url.endswith("/catalog/plain.html#ports-n5") and asked == []
