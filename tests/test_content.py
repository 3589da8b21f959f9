"""The shipped guides: coverage of the catalog and the facts a later edit must not lose."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT
from wispgate_connectors.catalog import load_catalog

FACTS = Path(__file__).parent / "facts"
CATALOG = load_catalog(PROJECT)
FEATURED = {"mikrotik", "uisp", "calix", "smartolt", "stripe", "quickbooks-online", "whatsapp-cloud", "zabbix"}


def page_text(site: Path, cid: str) -> str:
    soup = BeautifulSoup((site / "integrations" / f"{cid}.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    return " ".join(article.get_text(" ").split()).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def test_catalog_has_no_problems():
    assert CATALOG.problems == []


def test_catalog_covers_every_domain_and_use_case():
    assert len(CATALOG.connectors) >= 20
    for key in CATALOG.domains:
        assert CATALOG.by_domain(key), f"no connector in domain {key}"
    for key in CATALOG.use_cases:
        assert CATALOG.by_use_case(key), f"no connector for use case {key}"


def test_featured_connectors_are_exactly_the_strategic_ones():
    assert {c.id for c in CATALOG.featured()} == FEATURED


@pytest.mark.parametrize("cid", sorted(CATALOG.connectors))
def test_guide_is_complete(cid):
    c = CATALOG.connectors[cid]
    assert len(c.failures) >= 4, "at least four failure points"
    assert c.validation and c.prerequisites and c.flow and c.fields
    assert c.example is not None, "an example configuration block"
    assert c.related, "related resources"
    assert c.verified is not None, "verified against a vendor version"
    assert (
        any(r.url and r.url.startswith("https://") for r in c.related)
        or any(s.url.startswith("https://") for s in c.sources)
        or cid in {"outbound-webhooks", "field-dispatch"}
    ), "a link to the vendor's documentation"


@pytest.mark.parametrize("cid", sorted(CATALOG.connectors))
def test_guide_names_its_sources(cid):
    c = CATALOG.connectors[cid]
    assert len(c.sources) >= 3, "at least three sources"
    assert all(s.url.startswith("https://") for s in c.sources)
    assert any("failure" in s.covers.lower() for s in c.sources), "a source that covers the failure points"


@pytest.mark.parametrize("cid", sorted(CATALOG.connectors))
def test_facts_survive_in_the_built_page(site, cid):
    facts_file = FACTS / f"{cid}.txt"
    assert facts_file.exists(), f"tests/facts/{cid}.txt lists the facts this guide must keep"
    facts = [line.strip() for line in facts_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(facts) >= 4
    text = page_text(site, cid)
    missing = [fact for fact in facts if fact not in text]
    assert missing == []


@pytest.mark.parametrize(
    "cid,facts",
    [
        (
            "mikrotik",
            [
                "Mikrotik-Rate-Limit",
                "rx-rate/tx-rate",
                "vendor 14988",
                "UDP 1812",
                "1813",
                "/radius incoming set accept=yes port=3799",
                "RFC 5176 defines 3799",
            ],
        ),
        ("stripe", ["Stripe-Signature", "whsec_", "300"]),
        ("whatsapp-cloud", ["X-Hub-Signature-256", "hub.challenge", "hub.verify_token"]),
        ("zabbix", ["apiinfo.version", "Authorization: Bearer", "-32600"]),
    ],
)
def test_named_facts_of_featured_guides(site, cid, facts):
    text = page_text(site, cid)
    assert [f for f in facts if f not in text] == []


def test_concept_pages_linked_from_guides_exist():
    docs = {r.doc for c in CATALOG.connectors.values() for r in c.related if r.doc}
    for doc in docs:
        assert (PROJECT / f"{doc}.md").exists(), doc
    assert {
        "concepts/subscriber-model",
        "concepts/package-policy-mapping",
        "concepts/billing-policies",
        "concepts/payment-reconciliation",
        "concepts/webhook-security",
    } <= {p.relative_to(PROJECT).with_suffix("").as_posix() for p in (PROJECT / "concepts").glob("*.md")}


def test_troubleshooting_index_lists_every_failure_point(site):
    soup = BeautifulSoup((site / "catalog/troubleshooting.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select(".wg-trouble-index > dt")) == sum(len(c.failures) for c in CATALOG.connectors.values())
