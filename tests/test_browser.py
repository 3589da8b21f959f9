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
    chrome = [".sidebar-drawer", ".sidebar-search", ".toc-drawer", ".theme-toggle", ".content-icon-container",
              ".related-pages", ".skip-to-content", ".back-to-top"]
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
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if scheme == "system-dark" else "light")
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
    assert sum(int(v) for v in code[code.index("(") + 1:code.index(")")].split(",")[:3]) > 600, code
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
    assert page.locator("article label.sd-tab-label:visible").count() == page.locator("article label.sd-tab-label").count()
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


PRINTED_PAGES = ["index.html", "integrations/mikrotik.html", "integrations/stripe.html", "catalog/matrix.html",
                 *NEW_PAGES, "catalog/troubleshooting.html", "writing-guide.html", "concepts/webhook-security.html"]


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
        "() => [...document.querySelectorAll('article pre')].filter(p => getComputedStyle(p).whiteSpace !== 'pre-wrap').length")
    closed = page.locator("article .sd-tab-content:not(:visible)").count()
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert too_wide == [], too_wide
    assert nowrap == 0 and closed == 0
    assert scroll <= client
