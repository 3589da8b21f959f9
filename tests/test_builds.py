"""Incremental, parallel and non-HTML builds, and MyST/rST parity."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from conftest import ROOTS, make_project_app, warnings_of

REGRESSION = Path(__file__).parent / "regression"
#: pages of the basic root that list connectors
LISTINGS = [
    "catalog",
    "catalog/domains/network-aaa",
    "catalog/domains/payments-finance",
    "catalog/matrix",
    "catalog/matrix/network-aaa",
    "catalog/matrix/payments-finance",
    "catalog/troubleshooting",
    "catalog/troubleshooting/network-aaa",
    "catalog/troubleshooting/payments-finance",
    "catalog/use-cases/billing-automation",
    "catalog/use-cases/subscriber-auth",
    "index",
]


def build(src: Path, **kwargs):
    """Build once; return (app, docnames re-read)."""
    app, read, _ = build_and_write(src, **kwargs)
    return app, read


def build_and_write(src: Path, **kwargs):
    """Build once; return (app, docnames re-read, pages of the project written)."""
    app = make_project_app(src, **kwargs)
    read: list[str] = []
    written: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.connect("html-page-context", lambda app, page, *args: written.append(page))
    try:
        app.build()
    finally:
        app.cleanup()  # unregisters nodes and directives before the next app
    return app, sorted(read), sorted(w for w in written if w in app.env.found_docs)


@pytest.fixture
def src(tmp_path) -> Path:
    dest = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # make the change visible to mtime checks on coarse file systems
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_card_field_edit_rewrites_listing_pages_without_rereading_them(built_basic):
    src = built_basic
    edit(src / "data/connectors/beta.yaml", "summary: Beta summary.", "summary: Beta takes cards.")
    app, read, written = build_and_write(src)
    # cards are built while writing: the listings that show beta's cards are re-written,
    # not re-read; not the other domain's or use case's page, nor the matrix
    assert read == ["integrations/beta"]
    assert written == [
        "catalog/domains/payments-finance",
        "catalog/use-cases/billing-automation",
        "index",
        "integrations/beta",
    ]
    assert "Beta takes cards." in (app.outdir / "index.html").read_text()
    assert "Beta takes cards." in (app.outdir / "catalog/domains/payments-finance.html").read_text()
    use_case = (app.outdir / "catalog/use-cases/billing-automation.html").read_text()
    assert "Beta takes cards." in use_case and "Beta summary." not in use_case
    # the complexity shows on cards and in the matrix of beta's domain, which is read
    edit(src / "data/connectors/beta.yaml", "complexity: low", "complexity: medium")
    app, read, written = build_and_write(src)
    assert read == ["catalog/matrix/payments-finance", "integrations/beta"]
    # (and Sphinx re-writes the matrix page, whose toctree holds the part re-read)
    assert written == [
        "catalog/domains/payments-finance",
        "catalog/matrix",
        "catalog/matrix/payments-finance",
        "catalog/use-cases/billing-automation",
        "index",
        "integrations/beta",
    ]
    soup = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    beta = [card for card in soup.select(".wg-card") if "Beta" in card.select_one(".sd-card-title").get_text()]
    assert beta and all("Medium complexity" in card.get_text(" ") for card in beta)
    # featured is not a field cards show, but it changes which cards a listing holds
    featured = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser").select(".wg-cards")[0]
    assert "Alpha" in featured.get_text(" ") and "Beta" not in featured.get_text(" ")
    edit(src / "data/connectors/beta.yaml", "complexity: medium", "complexity: medium\nfeatured: true")
    app, read, written = build_and_write(src)
    assert read == ["integrations/beta"] and "index" in written
    featured = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser").select(".wg-cards")[0]
    assert "Beta" in featured.get_text(" ")
    # a failure point shows only on the guide and its domain's troubleshooting page
    edit(src / "data/connectors/beta.yaml", "cause: Wrong key.", "cause: A revoked key.")
    app, read = build(src)
    assert read == ["catalog/troubleshooting/payments-finance", "integrations/beta"]
    assert "A revoked key." in (app.outdir / "catalog/troubleshooting/payments-finance.html").read_text()
    # an edit no listing shows re-reads only the guide
    edit(src / "data/connectors/beta.yaml", "fix: Paste the right key.", "fix: Paste the current key.")
    app, read, written = build_and_write(src)
    assert read == ["integrations/beta"]
    # (Sphinx itself re-writes the pages whose toctree holds the guide)
    assert "catalog/use-cases/billing-automation" not in written
    # the landing filter's count is made when it is written: archiving one re-writes it
    total = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser").select_one("form.wg-filter")
    assert total["data-total"] == "2"
    edit(src / "data/connectors/beta.yaml", "featured: true", "featured: true\nstatus: archived\nreplaced_by: alpha")
    app, read, written = build_and_write(src)
    assert "index" in written
    form = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser").select_one("form.wg-filter")
    assert form["data-total"] == "1" and "Show all 1 connector" in form.get_text()


def test_yaml_edit_rereads_only_its_page(built_basic, basic_first_build):
    src, first = built_basic, basic_first_build
    assert "integrations/alpha" in first.read and warnings_of(first) == []
    app, nothing = build(src)
    assert nothing == []
    edit(src / "data/connectors/alpha.yaml", "Alpha is used on towers.", "Alpha is used on masts.")
    app, read = build(src)
    assert read == ["integrations/alpha"]
    assert "Alpha is used on masts." in (app.outdir / "integrations/alpha.html").read_text()


def test_renamed_connector_updates_links_on_pages_not_reread(built_basic):
    src = built_basic
    edit(src / "data/connectors/alpha.yaml", "name: Alpha Router RADIUS", "name: Alpha Edge RADIUS")
    app, read = build(src)
    # the name shows on cards, so listing pages that show alpha are re-read too; its
    # commissioning sheet is no document in HTML builds, but its page is written again
    assert read == sorted(["integrations/alpha", *(p for p in LISTINGS if not p.endswith("payments-finance"))])
    sheet = BeautifulSoup((app.outdir / "commissioning/alpha.html").read_text(), "html.parser")
    assert sheet.select_one("article h1").get_text(" ", strip=True).startswith("Commissioning sheet: Alpha Edge RADIUS")
    # pages that only link to alpha are re-written with the new name
    for page in ("roles", "roles_rst", "concept"):
        html = (app.outdir / f"{page}.html").read_text()
        links = [
            a.get_text(" ", strip=True)
            for a in BeautifulSoup(html, "html.parser").select("article a[href$='#connector-alpha']")
        ]
        assert "Alpha Edge RADIUS" in links and "Alpha Router RADIUS" not in links, (page, links)


def test_taxonomy_edit_rereads_connector_pages(built_basic):
    src = built_basic
    edit(src / "data/use-cases.yaml", "title: Subscriber Auth", "title: Subscriber Authentication")
    app, read = build(src)
    assert read == sorted(["integrations/alpha", "integrations/beta", *LISTINGS])
    assert "Subscriber Authentication" in (app.outdir / "integrations/alpha.html").read_text()


def test_readiness_edit_rereads_pages_that_show_it(built_basic):
    src = built_basic
    edit(src / "data/readiness.yaml", "Common post item.", "Changed post item.")
    app, read = build(src)
    assert read == ["concept", "integrations/alpha", "integrations/beta"]


def html_files(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}


def test_parallel_build_equals_serial(tmp_path, basic_first_build):
    serial = basic_first_build  # the basic root's serial first build, as it left it
    parallel_src = tmp_path / "b"
    shutil.copytree(ROOTS / "test-basic", parallel_src)
    parallel, _ = build(parallel_src, freshenv=True, parallel=2)
    assert warnings_of(serial) == [] and warnings_of(parallel) == []
    a, b = html_files(serial.outdir), html_files(parallel.outdir)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    # the domain data merged from the workers is complete
    assert sorted(parallel.env.get_domain("wg").connectors) == ["alpha", "beta"]


def test_text_builder_degrades_sections(tmp_path, src):
    app, _ = build(src, buildername="text", freshenv=True)
    assert warnings_of(app) == []
    text = (app.outdir / "integrations/alpha.txt").read_text()
    for title in (
        "Overview",
        "Key configuration fields",
        "Implementation flow",
        "Common failure points",
        "Version notes",
    ):
        assert title in text
    # tabs become titled blocks
    assert "Required (2)" in text and "Optional (1)" in text
    assert "NAS IP" in text and "Mode" in text
    assert "1. Create the NAS" in text  # the text writer numbers every list


def connector_sections(doctree: nodes.document) -> str:
    """The generated part of a page, as a stable pseudo-XML string."""
    out = []
    for section in doctree.findall(nodes.section):
        if (
            "wg-section" in section["classes"]
            and section.parent is not None
            and "wg-section" not in section.parent.get("classes", [])
        ):
            out.append(section.pformat())
    return "".join(out)


def test_myst_and_rst_pages_give_the_same_doctree(tmp_path, basic_first_build):
    rst_src = tmp_path / "rst"
    shutil.copytree(ROOTS / "test-basic", rst_src)
    (rst_src / "integrations/alpha.md").unlink()
    (rst_src / "integrations/alpha.rst").write_text(
        "Alpha Router RADIUS\n===================\n\n.. connector:: alpha\n"
    )
    rst_app, _ = build(rst_src, freshenv=True)
    assert warnings_of(rst_app) == []
    # the MyST page as the basic root's first build read it (Sphinx's pickled doctree)
    with (basic_first_build.kept / "_build" / "doctrees" / "integrations" / "alpha.doctree").open("rb") as f:
        md = connector_sections(pickle.load(f))
    rst = connector_sections(rst_app.env.get_doctree("integrations/alpha"))
    assert md and md == rst
    regression = REGRESSION / "alpha_sections.xml"
    if os.environ.get("WG_REGEN") or not regression.exists():
        regression.parent.mkdir(exist_ok=True)
        regression.write_text(md, encoding="utf-8")
    assert md == regression.read_text(encoding="utf-8"), "run with WG_REGEN=1 to accept a deliberate change"


def test_catalog_cache_survives_corruption_and_follows_edits(built_basic):
    from wispgate_connectors.state import CACHE_FILE

    src = built_basic
    cache = src / "_build" / "doctrees" / CACHE_FILE
    assert cache.exists()
    cache.write_bytes(b"not a pickle")  # e.g. a build killed while writing an older version
    edit(src / "data/connectors/beta.yaml", "complexity: low", "complexity: extreme")
    app, _ = build(src)
    assert any("beta.yaml:7: WARNING: complexity: expected one of low, medium, high" in w for w in warnings_of(app))
    edit(src / "data/connectors/beta.yaml", "complexity: extreme", "complexity: low")
    app, read = build(src)
    assert warnings_of(app) == [] and "integrations/beta" in read


def test_an_edit_writes_a_delta_of_the_catalog_cache_and_a_broken_delta_is_ignored(built_basic, monkeypatch):
    """A YAML edit re-pickles the edited file's entry, not the whole cache; past the limit,
    or when a file is deleted, the whole cache is written again and the delta goes."""
    from wispgate_connectors import state

    src = built_basic
    cache = src / "_build" / "doctrees" / state.CACHE_FILE
    delta = cache.with_suffix(".delta")
    whole = cache.read_bytes()
    edit(src / "data/connectors/beta.yaml", "summary: Beta summary.", "summary: Beta takes cards.")
    app, read = build(src)
    assert cache.read_bytes() == whole and delta.exists()
    assert "Beta takes cards." in (app.outdir / "index.html").read_text()
    # a build with nothing new writes neither
    written = delta.read_bytes()
    build(src)
    assert cache.read_bytes() == whole and delta.read_bytes() == written
    # a broken delta is ignored: the edited file is read again and the page is the same
    delta.write_bytes(b"not a pickle")
    edit(src / "data/connectors/beta.yaml", "summary: Beta takes cards.", "summary: Beta takes checks.")
    app, _ = build(src)
    assert warnings_of(app) == [] and "Beta takes checks." in (app.outdir / "index.html").read_text()
    # past the limit the whole cache is written and the delta removed
    monkeypatch.setattr(state, "DELTA_MAX", 0)
    edit(src / "data/connectors/beta.yaml", "summary: Beta takes checks.", "summary: Beta summary.")
    build(src)
    assert cache.read_bytes() != whole and not delta.exists()


def test_moving_a_connector_rereads_both_domain_pages(built_basic):
    src = built_basic
    edit(src / "data/connectors/beta.yaml", "domain: payments-finance", "domain: network-aaa")
    app, read = build(src)
    assert {"catalog/domains/network-aaa", "catalog/domains/payments-finance"} <= set(read)
    names = {
        page: [
            t.get_text(strip=True)
            for t in BeautifulSoup((app.outdir / f"{page}.html").read_text(), "html.parser").select(
                "article .wg-card .sd-card-title"
            )
        ]
        for page in ("catalog/domains/network-aaa", "catalog/domains/payments-finance")
    }
    assert "Beta Payments" in names["catalog/domains/network-aaa"]
    assert "Beta Payments" not in names["catalog/domains/payments-finance"]


def test_guide_added_after_its_data_turns_card_names_into_links(src):
    """A writer may add the YAML first: cards show the name, then link once the page exists.

    (A new guide also changes the left navigation, which re-writes every page; the
    cards' own digest covers it without relying on that.)
    """
    page = src / "integrations/beta.rst"
    text = page.read_text(encoding="utf-8")
    page.unlink()

    def beta_card_links(app) -> list[str]:
        soup = BeautifulSoup((app.outdir / "catalog/use-cases/billing-automation.html").read_text(), "html.parser")
        cards = [c for c in soup.select(".wg-card") if "Beta" in c.select_one(".sd-card-title").get_text()]
        assert cards
        return [a["href"] for c in cards for a in c.select("a.sd-stretched-link")]

    app, _ = build(src, freshenv=True)
    assert any("connector 'beta' has no page" in w for w in warnings_of(app))
    assert beta_card_links(app) == []
    page.write_text(text, encoding="utf-8")
    app, read, written = build_and_write(src)
    # the use-case page is not re-read (nothing it reads changed), only re-written
    assert "catalog/use-cases/billing-automation" not in read
    assert "catalog/use-cases/billing-automation" in written
    assert beta_card_links(app) == ["../../integrations/beta.html#connector-beta"]


def test_cards_link_to_the_page_that_documents_the_connector(src):
    """A guide need not live at integrations/<id>: cards follow the connector directive."""
    (src / "integrations/beta.rst").rename(src / "integrations/payments-beta.rst")
    edit(src / "index.md", "integrations/beta\n", "integrations/payments-beta\n")
    app, _ = build(src, freshenv=True)
    assert warnings_of(app) == []
    soup = BeautifulSoup((app.outdir / "catalog/use-cases/billing-automation.html").read_text(), "html.parser")
    links = [
        a["href"]
        for card in soup.select(".wg-card")
        if "Beta" in card.select_one(".sd-card-title").get_text()
        for a in card.select("a.sd-stretched-link")
    ]
    assert links == ["../../integrations/payments-beta.html#connector-beta"]


def test_two_apps_in_one_process_keep_their_own_state(tmp_path):
    """What a build learns before reading (state.py) belongs to that build: an app set up
    while another one waits to build neither clears nor replaces the other's."""
    misspelled, clean = tmp_path / "a", tmp_path / "b"
    shutil.copytree(ROOTS / "test-basic", misspelled)
    shutil.copytree(ROOTS / "test-basic", clean)
    edit(misspelled / "integrations/alpha.md", "{connector} alpha", "{connector} alpah")
    first = make_project_app(misspelled, freshenv=True)
    second = make_project_app(clean, freshenv=True)  # its config-inited and builder-inited come after first's
    try:
        first.build()
        second.build()
    finally:
        second.cleanup()
        first.cleanup()
    # several apps alive at once re-register docutils nodes and directives: not ours
    mine = [w for w in warnings_of(first) if "is already registered" not in w]
    assert [re.sub(r"^.*?(integrations/alpha\.md)", r"\1", w) for w in mine] == [
        "integrations/alpha.md:3: WARNING: unknown connector id 'alpah': no data/connectors/alpah.yaml "
        "(did you mean 'alpha'?) [wispgate.reference]"
    ]
    assert [w for w in warnings_of(second) if "is already registered" not in w] == []


def sheet_pages_written(src: Path, **kwargs) -> tuple[object, list[str]]:
    """Build once; return (app, the commissioning sheet pages whose file was written)."""
    folder = src / "_build/html/commissioning"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")} if folder.is_dir() else {}
    time.sleep(0.01)  # a file written again gets a later time stamp, even on coarse clocks
    app = make_project_app(src, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}
    return app, sorted(f"commissioning/{name[:-5]}" for name, t in after.items() if before.get(name) != t)


def test_sheet_pages_are_written_when_what_they_show_changes(src):
    """HTML builds write each sheet as a page of its own, not as a document, and write it again
    only when the sheet, its neighbours or the frame every page shares changed."""
    app, written = sheet_pages_written(src)
    assert written == ["commissioning/alpha", "commissioning/beta"]
    assert not any(doc.startswith("commissioning/") for doc in app.env.found_docs)
    assert not (app.outdir / "_sources/commissioning").exists()
    sheet = BeautifulSoup((app.outdir / "commissioning/alpha.html").read_text(), "html.parser")
    assert sheet.select_one("article h1").get_text(" ", strip=True).startswith("Commissioning sheet: Alpha")
    assert sheet.select_one(".wg-sheet-check").get_text(" ", strip=True).startswith("☐ Counters")
    assert sheet.select_one(".wg-sheet-intro a")["href"] == "../integrations/alpha.html"
    assert sheet.select_one(".table-wrapper.wg-sheet-values")  # furo's wrapper, as on a document
    guide = BeautifulSoup((app.outdir / "integrations/alpha.html").read_text(), "html.parser")
    assert guide.select_one(".wg-sheet-link a")["href"] == "../commissioning/alpha.html"

    app, written = sheet_pages_written(src)
    assert written == []  # nothing changed: no sheet page written
    edit(src / "data/connectors/alpha.yaml", "expect: accepts rise.", "expect: accepts and accounting rise.")
    app, written = sheet_pages_written(src)
    assert written == ["commissioning/alpha"]
    assert "accepts and accounting rise" in (app.outdir / "commissioning/alpha.html").read_text()
    # the frame changed (here the project's name, in every page's title): every sheet is written again
    app, written = sheet_pages_written(src, confoverrides={"project": "Renamed Guide"})
    assert written == ["commissioning/alpha", "commissioning/beta"]
    assert "Renamed Guide" in (app.outdir / "commissioning/beta.html").read_text()
    # an archived connector has no sheet: its page goes, and the index and the guide stop linking it
    edit(src / "data/connectors/beta.yaml", "complexity: low", "complexity: low\nstatus: archived\nreplaced_by: alpha")
    app, written = sheet_pages_written(src, confoverrides={"project": "Renamed Guide"})
    assert not (app.outdir / "commissioning/beta.html").exists()
    assert "commissioning/beta.html" not in (app.outdir / "integrations/beta.html").read_text()


@pytest.mark.parametrize(("builder", "suffix"), [("text", "txt"), ("epub", "xhtml")])
def test_offline_builders_keep_sheets_as_documents(src, builder, suffix):
    """ePub and text have no pages of their own: a sheet is a document there, in the book's contents."""
    app = make_project_app(src, buildername=builder, freshenv=True)
    app.build()
    app.cleanup()
    assert "commissioning/alpha" in app.env.found_docs
    text = (app.outdir / f"commissioning/alpha.{suffix}").read_text()
    assert "Counters" in text and "Sign-off" in text


def test_dirhtml_writes_sheet_pages_at_their_folder_urls(src):
    app = make_project_app(src, buildername="dirhtml", freshenv=True)
    app.build()
    app.cleanup()
    sheet = BeautifulSoup((app.outdir / "commissioning/alpha/index.html").read_text(), "html.parser")
    assert sheet.select_one(".wg-sheet-intro a")["href"] == "../../integrations/alpha/"
    guide = BeautifulSoup((app.outdir / "integrations/alpha/index.html").read_text(), "html.parser")
    assert guide.select_one(".wg-sheet-link a")["href"] == "../../commissioning/alpha/"


def test_the_catalog_read_from_its_cache_equals_a_fresh_load(built_basic, tmp_path):
    """The cache keeps each connector as a summary and the bytes of its whole record, loaded at
    first use: what a build reads from it (values, and every line a message points at) is what
    reading the YAML again gives, and a cache written from partly loaded records too."""
    from wispgate_connectors import state

    src = built_basic
    doctrees = tmp_path / "doctrees"
    fresh, fresh_secrets = state.load(src)
    state.load(src, doctrees)  # writes the cache
    cached, cached_secrets = state.load(src, doctrees)
    assert cached_secrets == fresh_secrets and cached.problems == fresh.problems
    for cid, want in fresh.connectors.items():
        got = cached.connectors[cid]
        assert got.line_of("summary") == want.line_of("summary")  # a top-level line: no load
        assert [got.line_of(*path) for path in want.marks] == [want.line_of(*path) for path in want.marks]
        assert got.line_of("fields", 99, "example") == want.line_of("fields", 99, "example")
        assert got == want and got.path == want.path
    # one connector loaded, the others not: the whole cache written again, then read
    edit(src / "data/connectors/beta.yaml", "complexity: low", "complexity: medium")
    (src / "data/connectors/alpha.yaml").rename(src / "data/connectors/alpha.yaml.off")
    state.load(src, doctrees)
    (src / "data/connectors/alpha.yaml.off").rename(src / "data/connectors/alpha.yaml")
    again, _ = state.load(src, doctrees)
    assert again.connectors == state.load(src)[0].connectors
