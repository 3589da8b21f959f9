"""Landing page, catalog pages and catalog.json, built from the data."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT, ROOTS, make_project_app, warnings_of


def page(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


GAMMA = (
    (ROOTS / "test-basic/data/connectors/beta.yaml")
    .read_text()
    .replace("id: beta", "id: gamma")
    .replace("name: Beta Payments", "name: Gamma Alerts")
    .replace("domain: payments-finance", "domain: network-aaa")
    .replace("use_cases: [billing-automation]", "use_cases: [subscriber-auth]")
    .replace("complexity: low", "complexity: high")
)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """The basic root plus a connector added only as data and a page: it must appear everywhere."""
    src = tmp_path_factory.mktemp("catalog") / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    (src / "data/connectors/gamma.yaml").write_text(GAMMA)
    (src / "integrations/gamma.md").write_text("# Gamma Alerts\n\n```{connector} gamma\n```\n")
    app = make_project_app(src, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings_of(app) == []
    return app


def card_names(container) -> list[str]:
    return [c.select_one(".sd-card-title").get_text(strip=True) for c in container.select(".wg-card")]


def test_hero_counts_equal_the_data(small_site):
    hero = page(small_site, "index").select_one(".wg-hero")
    assert hero.select_one(".wg-count-connectors .wg-stat-number").get_text() == "3"
    assert hero.select_one(".wg-count-domains .wg-stat-number").get_text() == "2"
    assert hero.select_one(".wg-count-sections .wg-stat-number").get_text() == "13"


def test_domain_cards_with_counts_and_links(small_site):
    cards = page(small_site, "index").select(".wg-domain-card")
    got = [
        (
            c.select_one(".sd-card-title").get_text(strip=True),
            c.select_one(".wg-domain-count").get_text(),
            c.select_one("a.sd-stretched-link")["href"],
        )
        for c in cards
    ]
    assert got == [
        ("Network & AAA", "2 connectors", "catalog/domains/network-aaa.html"),
        ("Payments & Finance", "1 connector", "catalog/domains/payments-finance.html"),
    ]
    assert "Routers and RADIUS." in words(cards[0])


def test_featured_cards_first_and_linked(small_site):
    grids = page(small_site, "index").select(".wg-cards")
    featured = grids[0]
    assert card_names(featured) == ["Alpha Router RADIUS"]
    link = featured.select_one("a.sd-stretched-link")
    assert link["href"] == "integrations/alpha.html#connector-alpha"


def test_card_shows_guide_metadata(small_site):
    card = page(small_site, "index").select(".wg-cards")[0].select_one(".wg-card")
    assert card.select_one(".wg-type").get_text() == "RADIUS NAS"
    assert card.select_one(".wg-complexity").get_text() == "Medium complexity"
    assert "2 prerequisites; first: Reachable on UDP 1812." in words(card.select_one(".wg-card-prereq"))
    assert [b.get_text() for b in card.select(".wg-use-case")] == ["Subscriber Auth", "Billing Automation"]
    assert card.select_one(".wg-card-vendor").get_text() == "AlphaNet"


def test_use_case_tabs_list_exactly_their_connectors(small_site):
    tabs = page(small_site, "index").select_one(".wg-use-case-tabs")
    labels = [label.get_text(strip=True) for label in tabs.select("label")]
    assert labels == ["Subscriber Auth (2)", "Billing Automation (2)"]
    panels = tabs.select(".sd-tab-content")
    assert card_names(panels[0]) == ["Alpha Router RADIUS", "Gamma Alerts"]
    assert card_names(panels[1]) == ["Alpha Router RADIUS", "Beta Payments"]


def test_all_connectors_filter_holds_no_card_and_points_to_the_domain_pages(small_site):
    """The whole catalog is rendered by the script from catalog-index.json (issue 16): the page
    holds the form, an empty list, the count from the build and a sentence for no-script readers."""
    index = page(small_site, "index")
    form = index.select_one("form.wg-filter")
    assert form.has_attr("hidden") and form["data-total"] == "3"
    assert form.select_one("button.wg-filter-all").get_text() == "Show all 3 connectors"
    results = index.find(id=form["data-target"])
    assert results.has_attr("hidden") and results.select("li") == []
    # the only cards on the landing are the featured grid (1) and the use-case tabs (2 + 2)
    assert len(index.select(".wg-card-item")) == 5
    assert not results.find_parent(class_="wg-cards") and not results.select(".wg-card")
    noscript = results.find_next_sibling("noscript")
    assert "every connector is on the domain pages listed below" in words(noscript)
    browse = index.select_one("ul.wg-browse")  # catalog-browse, after the filter: no script needed
    assert [a["href"] for a in browse.select("a")] == [
        "catalog/domains/network-aaa.html",
        "catalog/domains/payments-finance.html",
    ]
    assert [o["value"] for o in form.select("select[name=domain] option")] == ["", "network-aaa", "payments-finance"]
    assert [o["value"] for o in form.select("select[name=use-case] option")] == [
        "",
        "subscriber-auth",
        "billing-automation",
    ]
    badges = json.loads(form["data-badges"])
    assert badges["complexity"]["high"][0] == "High complexity" and "wg-complexity" in badges["complexity"]["high"][1]
    assert set(badges["status"]) == {"beta", "deprecated"}


def index_rows(data: dict) -> list[dict]:
    """catalog-index.json's rows as objects with their defaults, as wispgate.js reads them."""
    out = []
    for row in data["connectors"]:
        c = dict(zip(data["fields"], row, strict=False))
        c.setdefault("status", "ga")
        c.setdefault("after", [])
        c.setdefault("url", data["url_template"].replace("{id}", c["id"]))
        out.append(c)
    return out


def test_catalog_index_validates_and_holds_every_connector(small_site):
    out = small_site.outdir
    data = json.loads((out / "catalog-index.json").read_text())
    schema = json.loads((out / "schema/catalog-index.schema.json").read_text())
    assert data["$schema"] == "schema/catalog-index.schema.json" and data["version"] == 2
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    catalog = json.loads((out / "catalog.json").read_text())
    rows = index_rows(data)
    assert [c["id"] for c in rows] == [c["id"] for c in catalog["connectors"]] == ["alpha", "beta", "gamma"]
    for c, full in zip(rows, catalog["connectors"], strict=True):
        for key in ("name", "domain", "use_cases", "type", "complexity", "url"):
            assert c[key] == full[key], (c["id"], key)
        assert c["status"] == full.get("status", "ga") and c["after"] == full.get("after", [])
        assert c["sync"] == full["sync"]["mode"]
        assert (out / c["url"]).exists()
        assert (out / data["data_template"].replace("{id}", c["id"])).exists()
    assert data["use_cases"] == [{"key": u["key"], "title": u["title"]} for u in catalog["use_cases"]]


def test_catalog_index_rows_leave_out_only_trailing_defaults():
    from types import SimpleNamespace

    from wispgate_connectors.readertools import index_row

    def connector(**kw):
        base = {
            "id": "x",
            "name": "X",
            "domain": "d",
            "use_cases": ("u",),
            "type": "T",
            "complexity": "low",
            "sync": SimpleNamespace(mode="poll"),
            "status": "ga",
            "after": (),
        }
        return SimpleNamespace(**{**base, **kw})

    template = "integrations/{id}.html"
    plain = ["x", "X", "d", ["u"], "T", "low", "poll"]
    assert index_row(connector(), "integrations/x.html", template) == plain
    assert index_row(connector(status="beta"), "integrations/x.html", template) == [*plain, "beta"]
    assert index_row(connector(after=("y",)), "integrations/x.html", template) == [*plain, "ga", ["y"]]
    # a guide on another page: the values before it are written at their default
    assert index_row(connector(), "guides/x.html", template) == [*plain, "ga", [], "guides/x.html"]


@pytest.mark.parametrize(
    "docname,title,members",
    [
        ("catalog/domains/network-aaa", "Network & AAA", ["Alpha Router RADIUS", "Gamma Alerts"]),
        ("catalog/domains/payments-finance", "Payments & Finance", ["Beta Payments"]),
        ("catalog/use-cases/subscriber-auth", "Subscriber Auth", ["Alpha Router RADIUS", "Gamma Alerts"]),
        ("catalog/use-cases/billing-automation", "Billing Automation", ["Alpha Router RADIUS", "Beta Payments"]),
    ],
)
def test_generated_domain_and_use_case_pages(small_site, docname, title, members):
    doc = page(small_site, docname)
    assert doc.find("h1").get_text().rstrip("¶").strip() == title
    assert card_names(doc) == members


def test_navigation_groups_connectors_under_their_domain(small_site):
    nav = page(small_site, "catalog/domains/network-aaa").select_one(".sidebar-tree")
    domain_item = [
        li
        for li in nav.select("li")
        if li.find("a", recursive=False) and li.find("a", recursive=False).get_text(strip=True) == "Network & AAA"
    ][0]
    children = [a.get_text(strip=True) for a in domain_item.find("ul").find_all("a")]
    assert children == ["Alpha Router RADIUS", "Gamma Alerts"]
    captions = [c.get_text(strip=True) for c in nav.select(".caption")]
    assert "Integration domains" in captions and "Use cases" in captions


def _shape(markup: str) -> list:
    """Tags, their attributes (classes as a set) and text, in document order."""
    out = []
    for el in BeautifulSoup(markup, "html.parser").find_all(True):
        attrs = {k: (frozenset(v) if k == "class" else v) for k, v in el.attrs.items()}
        out.append((el.name, attrs, el.find(string=True, recursive=False)))
    return out


def test_navigation_markup_is_what_furo_would_make(small_site):
    """Each page's left tree is written in furo's shape directly (no BeautifulSoup pass):
    it must equal what furo's own get_navigation_tree makes of the plain tree."""
    from furo.navigation import get_navigation_tree

    from wispgate_connectors.navigation import Navigation

    app = make_project_app(small_site.srcdir)
    try:
        nav = Navigation(app)
        for doc in sorted(app.env.found_docs):
            assert _shape(nav.page_html(doc, furo=True)) == _shape(get_navigation_tree(nav.page_html(doc))), doc
    finally:
        app.cleanup()
    built = page(small_site, "integrations/gamma").select_one(".sidebar-tree")
    current = built.select("li.current-page")
    assert [li.find("a").get_text(strip=True) for li in current] == ["Gamma Alerts"]
    assert built.select_one("li.has-children.current > input.toctree-checkbox[checked]") is not None


def test_matrix_one_page_per_domain(small_site):
    index = page(small_site, "catalog/matrix")
    links = [(words(a), a["href"]) for a in index.select("ul.wg-parts a")]
    assert links == [
        ("Network & AAA", "matrix/network-aaa.html"),
        ("Payments & Finance", "matrix/payments-finance.html"),
    ]
    assert "(2 connectors)" in words(index.select_one("ul.wg-parts"))
    assert not index.select("table.wg-matrix")  # the index holds links, not rows
    tables = [
        page(small_site, f"catalog/matrix/{key}").select("table.wg-matrix")
        for key in ("network-aaa", "payments-finance")
    ]
    assert [len(t) for t in tables] == [1, 1]
    rows = [[words(td) for td in tr.select("td")] for tr in tables[0][0].select("tbody tr")]
    assert rows == [
        ["Alpha Router RADIUS", "Generally available", "RADIUS NAS", "Medium complexity", "✓", "✓"],
        ["Gamma Alerts", "Generally available", "Payment gateway", "High complexity", "✓", "–"],
    ]
    assert [words(th) for th in tables[0][0].select("thead th")] == [
        "Connector",
        "Status",
        "Type",
        "Complexity",
        "Subscriber Auth",
        "Billing Automation",
    ]
    lead = page(small_site, "catalog/matrix/network-aaa").select_one(".wg-parts-lead")
    assert words(lead) == "Network & AAA , 2 connectors. Every domain: Comparison matrix ."
    assert [a["href"] for a in lead.select("a")] == ["../domains/network-aaa.html", "../matrix.html"]


def test_whats_new_newest_first_with_links(small_site):
    entries = page(small_site, "catalog").select(".wg-whats-new > dt")
    got = [words(dt) for dt in entries]
    assert got == [
        "2026-11-01 · Alpha Router RADIUS 1.1",
        "2026-02-01 · Beta Payments 1.0",
        "2026-02-01 · Gamma Alerts 1.0",
        "2026-01-01 · Alpha Router RADIUS 1.0",
    ]
    assert entries[0].find("a")["href"] == "integrations/alpha.html#connector-alpha"


def test_troubleshooting_index_gathers_every_failure(small_site):
    network = page(small_site, "catalog/troubleshooting/network-aaa")
    payments = page(small_site, "catalog/troubleshooting/payments-finance")
    assert len(network.select(".wg-trouble-index > dt")) + len(payments.select(".wg-trouble-index > dt")) == 3
    link = network.find("a", href="../../integrations/alpha.html#alpha-troubleshooting")
    assert link is not None and "Firewall drops UDP 1812." in words(network)
    assert [words(a) for a in page(small_site, "catalog/troubleshooting").select("ul.wg-parts a")] == [
        "Network & AAA",
        "Payments & Finance",
    ]


def test_catalog_json_validates_and_lists_every_connector(small_site):
    data = json.loads((small_site.outdir / "catalog.json").read_text())
    schema = json.loads((small_site.outdir / "schema/catalog.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert [c["id"] for c in data["connectors"]] == ["alpha", "beta", "gamma"]
    alpha = data["connectors"][0]
    assert alpha["url"] == "integrations/alpha.html"
    assert alpha["sections"]["fields"] == "integrations/alpha.html#alpha-fields"
    assert (small_site.outdir / alpha["url"]).exists()
    secret = [f for f in alpha["fields"] if f["name"] == "Shared secret"][0]
    assert secret["secret"] is True and "example" not in secret
    assert (small_site.outdir / "schema/connector.schema.json").exists()


def test_project_catalog_json_schema_is_valid_schema():
    for name in ("catalog", "connector", "catalog-index"):
        jsonschema.Draft202012Validator.check_schema(
            json.loads((PROJECT / f"data/schema/{name}.schema.json").read_text())
        )


@pytest.mark.parametrize("builder", ["html", "text"])
def test_card_text_with_roles_and_links_resolves_on_every_listing(tmp_path, builder):
    """Cards are built as the page is written: the roles and links in their text still resolve."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    beta = src / "data/connectors/beta.yaml"
    beta.write_text(
        beta.read_text().replace(
            "summary: Beta summary.",
            'summary: "Beta hands over to {connector}`alpha`, see [the concept](/concept.md) or [RFC 5176](https://www.rfc-editor.org/rfc/rfc5176)."',
        )
    )
    app = make_project_app(src, buildername=builder, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings_of(app) == []
    if builder == "text":
        text = (app.outdir / "index.txt").read_text(encoding="utf-8")
        assert "Beta hands over to Alpha Router RADIUS, see the concept or RFC 5176." in " ".join(text.split())
        return
    for docname, up in (
        ("index", ""),
        ("catalog/domains/payments-finance", "../../"),
        ("catalog/use-cases/billing-automation", "../../"),
    ):
        summaries = [s for s in page(app, docname).select(".wg-card-summary") if "hands over" in s.get_text()]
        assert summaries, docname
        for summary in summaries:
            hrefs = [a["href"] for a in summary.select("a")]
            assert hrefs == [
                f"{up}integrations/alpha.html#connector-alpha",
                f"{up}concept.html",
                "https://www.rfc-editor.org/rfc/rfc5176",
            ], docname


def test_anchor_owner_is_the_longest_id_that_fits():
    """A label's owner, found by its dashes, is the one trying every id (longest first) finds."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from wispgate_connectors.domain import anchor_owner

    part = st.sampled_from(["a", "b", "mikrotik", "api", "", "x-y"])
    names = st.lists(part, min_size=1, max_size=4).map("-".join)

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.frozensets(names.filter(bool), max_size=6), names)
    def check(ids, target):
        slow = next((cid for cid in sorted(ids, key=len, reverse=True) if target.startswith(f"{cid}-")), None)
        assert anchor_owner(target, ids) == slow

    check()
    assert anchor_owner("mikrotik-api-fields", frozenset({"mikrotik", "mikrotik-api"})) == "mikrotik-api"
