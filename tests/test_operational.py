"""Operational data as readers see it: status, compatibility, network rules, limitations,
rollback, outage, sources, freshness and vendor changes, on guides, cards and catalog pages,
in HTML, ePub and text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_builds import build_and_write, edit

from conftest import PROJECT, ROOTS, FirstBuild, make_project_app, run_cli, warnings_of

#: 2026-11-15 and 2028-01-01, 00:00 UTC
BEFORE_STALE, AFTER_STALE = "1763164800", "1830297600"


def soup(app, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    """The text a reader sees, without field-list colon spacing and heading pilcrows."""
    return " ".join(node.get_text(" ").split()).replace(" :", ":").replace(" ¶", "")


DOMAINS = ("network-aaa", "payments-finance")


def ops_root(dest: Path) -> Path:
    """The basic root with a page of the operational catalog pages."""
    shutil.copytree(ROOTS / "test-basic", dest)
    return add_ops_page(dest)


def add_ops_page(dest: Path) -> Path:
    # one domain's part of each split listing, as a writer may embed it on any page
    parts = "".join(
        f"## {title}\n\n" + "".join(f"```{{catalog-{name}}}\n:domain: {key}\n```\n\n" for key in DOMAINS)
        for name, title in (("ports", "Ports"), ("compatibility", "Compatibility"), ("outage", "Outage"))
    )
    (dest / "ops.md").write_text(f"# Operations\n\n{parts}## Vendor changes\n\n```{{catalog-vendor-changes}}\n```\n")
    index = dest / "index.md"
    index.write_text(index.read_text().replace("catalog\n```", "catalog\nops\n```"))
    return dest


@pytest.fixture
def src(tmp_path) -> Path:
    return ops_root(tmp_path / "src")


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> FirstBuild:
    """The root's first build, on 2026-11-15, kept: read by the tests that only read it, put back
    in place for those that edit it and build again."""
    return FirstBuild(tmp_path_factory, "ops", prepare=add_ops_page, env={"SOURCE_DATE_EPOCH": BEFORE_STALE})


@pytest.fixture
def built(first) -> FirstBuild:
    return first


@pytest.fixture
def epoch(monkeypatch):
    def set_to(value: str) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)

    set_to(BEFORE_STALE)
    return set_to


def test_guide_shows_every_operational_fact(built):
    app = built
    assert warnings_of(app) == []
    page = soup(app, "integrations/alpha")
    overview = text_of(page.find(id="alpha-overview"))
    assert "Status: Generally available" in overview
    assert "Available since: WISPGate 2025.03" in overview
    assert "AlphaOS: >= 6.45; tested with 7.16, 6.49" in overview and "require-message-auth" in overview
    assert "Data flow: Both ways; on request, per action" in overview
    rows = [[text_of(td) for td in tr.select("td")] for tr in page.select("#alpha-network table tbody tr")]
    assert rows == [
        ["NAS", "WISPGate RADIUS", "UDP", "1812, 1813", "Authentication and accounting."],
        ["WISPGate", "NAS", "UDP", "3799", "Optional: CoA and Disconnect."],
    ]
    assert page.find(id="alpha-network").find_parent("section")["id"] == "alpha-prerequisites"
    assert text_of(page.select_one("#alpha-limitations li")) == "An address-list change needs a new session."
    rollback = page.find(id="alpha-rollback")
    assert (
        "Restore local secrets" in text_of(rollback)
        and rollback.select_one("pre").get_text().strip() == "/ppp secret enable [find]"
    )
    outage = text_of(page.find(id="alpha-outage"))
    assert "Fail mode: Fails closed: subscribers lose service or cannot pay." in outage
    assert "Subscribers notice: New sessions fail to authenticate" in outage
    assert "When it returns: Sessions reconnect by themselves" in outage
    source = page.select_one("#alpha-sources li a")
    assert source["href"] == "https://alpha.example.com/docs/radius" and "covers fields, failures" in text_of(
        page.find(id="alpha-sources")
    )
    # beta's page leaves prerequisites out; its host shows beside its target on the ports page
    assert "Beta API api.beta.example.com" in text_of(soup(app, "ops").find(id="ports-beta").find_parent("tr"))


def test_vendor_change_after_verification_puts_a_notice_on_the_guide(built):
    app = built
    notice = soup(app, "integrations/alpha").select_one(".wg-change-notice")
    assert notice is not None
    assert text_of(notice).startswith("Verified before AlphaOS 7.17 changed")
    assert "Check: Confirm the RADIUS server signs every reply" in text_of(notice)
    # beta's change has no confirmed date: no notice
    assert soup(app, "integrations/beta").select_one(".wg-change-notice") is None
    changes = soup(app, "ops")
    sections = changes.select("section.wg-vendor-change")
    assert [s["id"] for s in sections] == ["change-alphaos-7-17-auth", "change-beta-api-v3"]
    assert "Released: date not confirmed" in text_of(sections[1])
    assert sections[0].select_one("a[href*='integrations/alpha.html']") is not None


def test_stale_notice_follows_the_build_date_and_incremental_builds(first, epoch, tmp_path):
    assert soup(first, "integrations/alpha").select_one(".wg-stale-notice") is None
    assert not soup(first, "index").select(".wg-card .wg-stale")
    src = first.restore()
    epoch(AFTER_STALE)  # nothing edited: only the date moved on
    app, read, written = build_and_write(src)
    assert "integrations/alpha" in read and "integrations/beta" in read
    notice = soup(app, "integrations/alpha").select_one(".wg-stale-notice")
    assert notice is not None and "last verified on 2026-11-01, 426 days ago" in text_of(notice)
    stale_cards = soup(app, "index").select(".wg-card .wg-stale")
    assert stale_cards and "Needs re-verification" in text_of(stale_cards[0])
    assert "index" in written
    # the same pages as a clean build on that date (in a folder of its own)
    clean, _, _ = build_and_write(src, freshenv=True, builddir=tmp_path / "clean")
    assert clean.outdir != app.outdir
    for page in ("integrations/alpha", "index", "ops"):
        assert (app.outdir / f"{page}.html").read_bytes() == (clean.outdir / f"{page}.html").read_bytes(), page


def test_network_edit_rewrites_the_ports_page_and_the_guide(first, epoch):
    src = first.restore()
    edit(src / "data/connectors/alpha.yaml", "ports: [1812, 1813]", "ports: [1645, 1646]")
    app, read, written = build_and_write(src)
    assert {"integrations/alpha", "ops"} <= set(read)
    assert "catalog/use-cases/billing-automation" not in read
    ports = text_of(soup(app, "ops").find(id="ports-alpha").find_parent("tr"))
    assert "1645, 1646" in ports
    page = soup(app, "ops")
    assert "1812" not in text_of(page.select_one(".wg-ports-table"))
    assert "1645, 1646" in text_of(soup(app, "integrations/alpha").find(id="alpha-network"))


def test_catalog_pages_group_by_domain_with_anchors(built):
    app = built
    page = soup(app, "ops")
    assert page.find(id="ports-alpha") and page.find(id="ports-beta")
    assert page.find(id="compatibility-alpha") and page.find(id="outage-beta")
    compat = text_of(page.find(id="compatibility-alpha").find_parent("tr"))
    assert "AlphaOS" in compat and "7.16, 6.49" in compat and "2026-11-01 against AlphaOS 7.16" in compat
    outage = text_of(page.find(id="outage-beta").find_parent("tr"))
    assert "Degrades" in outage and "Online payment fails" in outage
    # a part shows one domain: its table has no caption, its lead names and links the domain
    assert not page.select(".wg-ports-table caption")
    leads = [text_of(p) for p in page.select(".wg-parts-lead")]
    assert leads[:2] == [
        "Network & AAA , 1 connector. Every domain: Ports and firewall rules.",
        "Payments & Finance , 1 connector. Every domain: Ports and firewall rules.",
    ]


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory):
    """One build of the root where beta is deprecated (replaced by alpha) and alpha was renamed
    from old-alpha, which the roles page still names."""
    src = ops_root(tmp_path_factory.mktemp("lifecycle") / "src")
    edit(
        src / "data/connectors/beta.yaml", "complexity: low", "complexity: low\nstatus: deprecated\nreplaced_by: alpha"
    )
    edit(src / "data/connectors/alpha.yaml", "complexity: medium", "complexity: medium\nrenamed_from: [old-alpha]")
    (src / "roles.md").write_text("# Roles in MyST\n\nOld id: {connector}`old-alpha`.\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", BEFORE_STALE)
        app, _, _ = build_and_write(src, freshenv=True)
    return app


def test_status_on_cards_matrix_and_a_deprecation_banner(lifecycle):
    app = lifecycle
    assert warnings_of(app) == []
    banner = soup(app, "integrations/beta").select_one(".wg-status-notice")
    assert "This connector is deprecated" in text_of(banner)
    assert banner.select_one("a")["href"].endswith("alpha.html#connector-alpha")
    card = [c for c in soup(app, "index").select(".wg-card-item") if "Beta" in text_of(c)][0]
    assert "wg-s-deprecated" in card["class"] and "Deprecated" in text_of(card.select_one(".wg-status"))
    matrix = " ".join(text_of(t) for t in soup(app, "catalog/matrix/payments-finance").select(".wg-matrix"))
    assert "Beta Payments Deprecated" in matrix


def test_archived_connector_leaves_the_grids_and_keeps_a_short_page(src, epoch):
    edit(src / "data/connectors/beta.yaml", "complexity: low", "complexity: low\nstatus: archived\nreplaced_by: alpha")
    (src / "integrations/beta.rst").write_text("Beta Payments\n=============\n\n.. connector:: beta\n")
    app, _, _ = build_and_write(src, freshenv=True)
    assert warnings_of(app) == []
    page = soup(app, "integrations/beta")
    assert "This connector is archived" in text_of(page.select_one(".wg-status-notice"))
    assert page.find(id="beta-overview") and page.find(id="beta-versions")
    assert page.find(id="beta-fields") is None and page.find(id="beta-flow") is None
    assert not [c for c in soup(app, "index").select(".wg-card") if "Beta" in text_of(c)]


def test_renamed_connector_redirects_and_old_ids_resolve(lifecycle):
    app = lifecycle
    assert warnings_of(app) == []
    redirect = (app.outdir / "integrations/old-alpha.html").read_text()
    assert "url=alpha.html" in redirect or "alpha.html" in redirect
    link = soup(app, "roles").select_one("article a.reference")
    assert link["href"].endswith("integrations/alpha.html#connector-alpha") and text_of(link) == "Alpha Router RADIUS"


@pytest.mark.parametrize("builder", ["text", "epub"])
def test_new_sections_in_offline_builders(src, epoch, builder):
    app = make_project_app(src, buildername=builder, freshenv=True)
    app.build()
    app.cleanup()
    # the test root sets no copyright, which only the ePub builder asks for
    assert [w for w in warnings_of(app) if "is already registered" not in w and "for EPUB3" not in w] == []
    if builder == "text":
        text = (app.outdir / "integrations/alpha.txt").read_text()
    else:
        text = BeautifulSoup((app.outdir / "integrations/alpha.xhtml").read_text(), "html.parser").get_text(" ")
    text = " ".join(text.split())
    # table cells wrap in the text builder: check words, not phrases, inside the network table
    for words in (
        "Network and firewall",
        "RADIUS",
        "1812,",
        "CoA",
        "Known limitations",
        "An address-list change needs a new session.",
        "Rollback",
        "Restore local secrets",
        "If this integration is down",
        "Fails closed",
        "Sources",
        "AlphaOS RADIUS manual",
        "Verified before AlphaOS 7.17 changed",
    ):
        assert words in text, words


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`make check` (``main()``, in this process)."""
    return run_cli(*args, env=env)


def cli_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The same, as `make stale` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "wispgate_connectors", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(PROJECT / "_ext"), "PATH": "/usr/bin:/bin", **(env or {})},
    )


def test_check_stale_lists_guides_and_vendor_conflicts(src):
    result = cli_process("check", "--stale", str(src), env={"SOURCE_DATE_EPOCH": BEFORE_STALE})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/connectors/alpha.yaml:76: verified.date: 2026-11-01 is before AlphaOS 7.17 (2026-11-10, vendor change "
        "'alphaos-7-17-auth'): re-verify the guide against it",
    ]
    result = cli("check", "--stale", str(src), env={"SOURCE_DATE_EPOCH": AFTER_STALE})
    assert result.returncode == 1
    assert "data/connectors/beta.yaml:28: verified.date: last verified never" not in result.stdout
    assert any(
        "alpha.yaml:76: verified.date: last verified 2026-11-01, 426 days ago (the limit is 365)" in line
        for line in result.stdout.splitlines()
    )
    # the normal check and build never fail on age
    assert cli("check", str(src), env={"SOURCE_DATE_EPOCH": AFTER_STALE}).returncode == 0
    # without the vendor change, and on an early date, every guide is current
    (src / "data/vendor-changes.yaml").unlink()
    result = cli("check", "--stale", str(src), env={"SOURCE_DATE_EPOCH": BEFORE_STALE})
    assert result.returncode == 0 and "every guide is current" in result.stderr


def test_vendor_change_naming_an_unknown_connector(src):
    edit(src / "data/vendor-changes.yaml", "connectors: [beta]", "connectors: [beta, gamma]")
    result = cli("check", str(src))
    assert result.returncode == 1
    assert "data/vendor-changes.yaml:17: [1].connectors[1]: unknown connector 'gamma'" in result.stdout.splitlines()


def test_build_date_honours_source_date_epoch(monkeypatch):
    from wispgate_connectors.freshness import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER_STALE)
    assert build_date().isoformat() == "2028-01-01"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == __import__("datetime").datetime.now(__import__("datetime").UTC).date()
    assert os.environ.get("SOURCE_DATE_EPOCH") is None
