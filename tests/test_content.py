"""The shipped guides: coverage of the catalog and the facts a later edit must not lose.

Tests marked ``connector`` concern one guide each; ``make test ID=<id>`` runs only those, for
that id (``WG_ID``).  The rules come from ``writer_rules``, so ``make check`` says the same.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT, connector_ids, project_catalog
from wispgate_connectors.links import data_links
from wispgate_connectors.safety import private_url
from wispgate_connectors.writer_rules import FACTS_DIR, facts_file_problems, finished_problems, read_facts

FACTS = PROJECT / FACTS_DIR
IDS = connector_ids()
CONF: dict = {"__file__": str(PROJECT / "conf.py")}
exec(compile((PROJECT / "conf.py").read_text(encoding="utf-8"), str(PROJECT / "conf.py"), "exec"), CONF)
FEATURED = {"mikrotik", "uisp", "calix", "smartolt", "stripe", "quickbooks-online", "whatsapp-cloud", "zabbix"}


def page_text(site: Path, cid: str) -> str:
    soup = BeautifulSoup((site / "integrations" / f"{cid}.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    return " ".join(article.get_text(" ").split()).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def test_catalog_has_no_problems():
    assert project_catalog().problems == []


def test_catalog_covers_every_domain_and_use_case():
    assert len(project_catalog().connectors) >= 20
    for key in project_catalog().domains:
        assert project_catalog().by_domain(key), f"no connector in domain {key}"
    for key in project_catalog().use_cases:
        assert project_catalog().by_use_case(key), f"no connector for use case {key}"


def test_featured_connectors_are_exactly_the_strategic_ones():
    assert {c.id for c in project_catalog().featured()} == FEATURED


def located(problems) -> str:
    return "\n".join(str(p) for p in problems)


@pytest.mark.connector
@pytest.mark.parametrize("cid", IDS)
def test_guide_is_complete(cid):
    """At least four failure points, an example, related resources, three sources (one for the
    failure points) and a verification: the rules ``make check`` prints (writer_rules)."""
    c = project_catalog().connectors[cid]
    assert c.validation and c.prerequisites and c.flow and c.fields
    problems = finished_problems(c)
    assert not problems, "\n" + located(problems)
    assert all(s.url.startswith("https://") for s in c.sources)


@pytest.mark.connector
@pytest.mark.parametrize("cid", IDS)
def test_facts_survive_in_the_built_page(site, cid):
    """tests/facts/<id>.txt: each fact (a line not empty and not starting with '#') is in the page."""
    facts_file = FACTS / f"{cid}.txt"
    if not facts_file.exists():
        pytest.fail(
            f"\n{FACTS_DIR.as_posix()}/{cid}.txt is missing: it lists at least 4 facts the guide must keep, "
            "one per line ('make new' writes one; see 'What CI checks' in the writing guide)"
        )
    problems = facts_file_problems(PROJECT, cid)
    assert not problems, "\n" + located(problems)
    text = page_text(site, cid)
    missing = [
        f"{FACTS_DIR.as_posix()}/{cid}.txt:{fact.line}: '{fact.text}' is not in the text of the built page "
        f"integrations/{cid}.html: copy it exactly as the page shows it (or put it back in the guide)"
        for fact in read_facts(facts_file.read_text(encoding="utf-8"))
        if fact.text not in text
    ]
    assert not missing, "\n" + "\n".join(missing)


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
    docs = {r.doc for c in project_catalog().connectors.values() for r in c.related if r.doc}
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
    listed = 0
    for part in (site / "catalog/troubleshooting").glob("*.html"):
        soup = BeautifulSoup(part.read_text(encoding="utf-8"), "html.parser")
        listed += len(soup.select(".wg-trouble-index > dt"))
    assert listed == sum(len(c.failures) for c in project_catalog().connectors.values() if c.status != "archived")


@pytest.mark.connector
@pytest.mark.parametrize("cid", IDS)
def test_links_can_be_checked(cid):
    """Offline: every link the guide shows from its data is one `make linkcheck` will fetch: an
    https address of a public host, not an example or documentation address it ignores."""
    c = project_catalog().connectors[cid]
    problems = []
    for url, line in data_links(c, frozenset(CONF["myst_enable_extensions"])):
        parts = urlsplit(url)
        if parts.scheme != "https":
            why = "use the https:// address"
        elif not parts.hostname or "." not in parts.hostname:
            why = "not a full host name"
        elif private_url(url) or parts.hostname.endswith((".invalid", ".test", ".example", ".localhost")):
            why = "a private, local or reserved address, never reachable: link the vendor's public page"
        elif any(re.match(pattern, url) for pattern in CONF["linkcheck_ignore"]):
            why = "an example or documentation address, never checked: link the vendor's real page"
        else:
            continue
        problems.append(f"{c.path}:{line}: {url}: {why}")
    assert not problems, "\n" + "\n".join(problems)
