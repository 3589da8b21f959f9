"""Hostile values in connector data come out as inert text, or are refused with a
warning naming the YAML file and line; nothing in them runs, links to a script or
leaks a file of the machine that builds the site.

One copy of the basic root, with the real site's MyST extensions, holds every case: a
connector of its own (a copy of alpha with the case's values), built once.  Each test
reads its connector's pages and warnings; two tests read every page of the build and
check that every warning names the file of the case it is about.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOTS, make_project_app, warnings_of

#: the real site's MyST extensions (conf.py), so ':::' fences and '{...}' attributes parse
CONF_EXTRA = '\nmyst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]\n'
ALPHA = "data/connectors/alpha.yaml"

#: where a case puts its value: (the line of alpha.yaml that holds it, the line warnings name).
#: Warnings name the line of the entry the value belongs to: ``overview:`` for its
#: ``what``, the ``- symptom:`` line of a failure for its ``fix``.
SLOTS = {
    "what": ("  what: ", "overview:"),
    "summary": ("summary: ", "summary: "),
    "fix": ("    fix: ", "  - symptom: "),
    "cause": ("    cause: ", "  - symptom: "),
    "description": ("    description: Source address", "  - name: NAS IP"),
    "name": ("name: ", "name: "),
}
PASSWD_MARK = re.compile(r"root:[^:\n]*:0:0:")
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.I)


def put(text: str, slot: str, value: str) -> tuple[str, int]:
    """Replace the value on the slot's line by ``value`` (JSON is valid YAML).

    Return the new text and the line warnings about the value name.
    """
    holds, named = SLOTS[slot]
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(holds))
    key = lines[at].split(":", 1)[0]
    lines[at] = f"{key}: {json.dumps(value)}\n"
    entry = max(i for i, line in enumerate(lines[: at + 1]) if line.startswith(named))
    return "".join(lines), entry + 1


#: one connector per case, all built together (a copy of alpha with the case's values): the
#: values of a case land in its own file, guide, cards and commissioning sheet
CASES: dict[str, dict[str, str]] = {}

UNSMART = str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def case(cid: str, **values: str) -> str:
    CASES[cid] = values
    return cid


#: attributes whose value is a link
LINKING = ("href", "src", "action", "formaction", "xlink:href", "srcset")
#: the extension's own notices (vendor change, status, re-verification): expected admonitions
NOTICES = {"wg-unavailable", "wg-change-notice", "wg-status-notice", "wg-stale-notice"}


class Scan(HTMLParser):
    """What :func:`assert_inert` refuses on a page, read with the tokenizer BeautifulSoup's
    ``html.parser`` uses, without building a tree: every page of the build is read once."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name, self.found, self.ids = name, [], set()
        self.script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for attr, value in attrs:
            value = value or ""
            if attr == "id":
                self.ids.add(value)
            if attr.startswith("on") and ("alert" in value or "msgbox" in value):
                self.found.append(f"{tag} {attr}={value!r}")
            if attr in LINKING and BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)):
                self.found.append(f"{tag} {attr}={value!r}")
        if tag == "img" and any(attr == "onerror" for attr, _ in attrs):
            self.found.append("img onerror")
        classes = {c for attr, value in attrs if attr == "class" for c in (value or "").split()}
        # Sphinx's own "please activate JavaScript" box is on the search page
        if tag == "div" and "admonition" in classes and not classes & NOTICES and self.name != "search.html":
            self.found.append(f"admonition {sorted(classes)}")
        if tag == "script":
            self.script = [dict(attrs).get("src") or ""]

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            if "alert" in "".join(self.script):
                self.found.append(f"script {''.join(self.script)[:80]!r}")
            self.script = None


class Pages(dict):
    """Page name -> its BeautifulSoup, parsed when a test first reads it."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out

    def __missing__(self, name: str) -> BeautifulSoup:
        soup = self[name] = BeautifulSoup((self.out / name).read_text(encoding="utf-8"), "html.parser")
        return soup


class Built:
    """The basic root with every case's connector, built once (with the real site's MyST syntax)."""

    def __init__(self, root: Path, app, lines: dict[str, dict[str, int]]):
        self.root, self.out, self.lines = root, Path(app.outdir), lines
        self.warnings = warnings_of(app)
        self.pages = Pages(self.out)
        self.scans: dict[str, Scan] = {}
        for path in sorted(self.out.rglob("*.html")):
            name = path.relative_to(self.out).as_posix()
            self.scans[name] = scan = Scan(name)
            scan.feed(path.read_text(encoding="utf-8"))
            scan.close()

    def text(self, page: str, selector: str = "article") -> str:
        found = self.pages[page].select(selector)
        assert found, (page, selector)
        return " ".join(el.get_text() for el in found)

    def loc(self, cid: str, slot: str) -> str:
        return f"{path_of(cid)}:{self.lines[cid][slot]}: WARNING: "

    def of(self, cid: str) -> list[str]:
        """The warnings about the case's own file."""
        return [w for w in self.warnings if f"{path_of(cid)}:" in w]

    @property
    def ids(self) -> set[str]:
        """Every element id on every page."""
        return {i for scan in self.scans.values() for i in scan.ids}


def path_of(cid: str) -> str:
    return f"data/connectors/{cid}.yaml"


def guide(cid: str) -> str:
    return f"integrations/{cid}.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("injection") / "src"
    shutil.copytree(ROOTS / "test-basic", root)
    (root / "conf.py").write_text((root / "conf.py").read_text() + CONF_EXTRA)
    base = (root / ALPHA).read_text(encoding="utf-8")
    lines: dict[str, dict[str, int]] = {}
    for n, (cid, values) in enumerate(sorted(CASES.items())):
        text = base.replace("id: alpha\n", f"id: {cid}\n").replace("name: Alpha Router RADIUS", f"name: Case {n}")
        lines[cid] = {}
        for slot, value in values.items():
            text, lines[cid][slot] = put(text, slot, value)
        (root / path_of(cid)).write_text(text, encoding="utf-8")
        (root / "integrations" / f"{cid}.md").write_text(f"# Case {n}\n\n```{{connector}} {cid}\n```\n")
    # role links to every case, beside the roles page's own
    roles = root / "roles.md"
    roles.write_text(
        roles.read_text() + "\nCases: " + ", ".join(f"{{connector}}`{cid}`" for cid in sorted(CASES)) + ".\n"
    )
    app = make_project_app(root, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(root, app, lines)


def assert_inert(built: Built, pages: list[str] | None = None) -> None:
    """Nothing on these pages (every page by default) runs or points at a script: no script
    or event handler naming ``alert``/``msgbox``, no link to a script scheme, no ``<img onerror>``,
    no admonition but the extension's notices (:class:`Scan`)."""
    names = pages or sorted(built.scans)
    assert set(names) <= set(built.scans), set(names) - set(built.scans)
    assert {name: built.scans[name].found for name in names if built.scans[name].found} == {}


def case_pages(cid: str) -> list[str]:
    """The pages made from a case's file alone: its guide and its commissioning sheet."""
    return [guide(cid), f"commissioning/{cid}.html"]


def connector_json(built: Built, cid: str) -> dict:
    data = json.loads((built.out / "catalog.json").read_text(encoding="utf-8"))
    return next(c for c in data["connectors"] if c["id"] == cid)


TAGS = case(
    "tags",
    what=f"Before {SCRIPT} after.\n\nAnd {IMG} too.",
    summary=f"Cards show {SCRIPT} and {IMG} as text.",
    fix=f"Fix {SCRIPT}",
    description=f"Source {IMG}",
)


def test_script_and_img_tags_are_text_everywhere(built):
    assert built.of(TAGS) == []  # inline HTML is shown as text, which needs no warning
    assert_inert(built, case_pages(TAGS))
    page = built.text(guide(TAGS))
    for shown in (f"Before {SCRIPT} after.", f"And {IMG} too.", f"Fix {SCRIPT}", f"Source {IMG}"):
        assert shown in page
    # the summary is shown on every card: the landing page, domain and use-case pages
    for listing in ("index.html", "catalog/domains/network-aaa.html", "catalog/use-cases/subscriber-auth.html"):
        cards = [p.get_text() for p in built.pages[listing].select(".wg-card-summary")]
        assert f"Cards show {SCRIPT} and {IMG} as text." in cards, (listing, cards)
    assert connector_json(built, TAGS)["summary"] == f"Cards show {SCRIPT} and {IMG} as text."


BLOCK = '<div onclick="alert(1)">\n<script>alert(1)</script>\n<iframe src="javascript:alert(1)"></iframe>\n</div>'
RAW_HTML = case("raw-html-block", what=f"Intro.\n\n{BLOCK}\n\nOutro.", fix=BLOCK)


def test_raw_html_block_is_shown_as_code(built):
    assert_inert(built, case_pages(RAW_HTML))
    page = built.pages[guide(RAW_HTML)]
    assert page.find("iframe") is None
    shown = [pre.get_text() for pre in page.select("article pre")]
    assert sum(BLOCK in text for text in shown) == 2, shown


SCRIPT_LINKS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "<vbscript:msgbox(1)>",
    "[x](file:///etc/passwd)",
]
LINK_CASES = {
    value: case(f"script-link-{i}", what=value, summary=value.splitlines()[0]) for i, value in enumerate(SCRIPT_LINKS)
}


@pytest.mark.parametrize("value", SCRIPT_LINKS)
def test_script_links_are_not_links(built, value):
    cid = LINK_CASES[value]
    assert_inert(built, case_pages(cid))
    section = built.pages[guide(cid)].select_one(f"#{cid}-overview-what")
    hrefs = [a.get("href", "") for a in section.find_all("a") if not a.get("class") == ["headerlink"]]
    assert hrefs == [], hrefs
    # markdown-it refuses these schemes itself, so the source stays visible as text
    assert re.search(r"javascript|vbscript|data:|file:", section.get_text(), re.I)


SCHEMES = case("other-schemes", what="[x](ftp://example.com/f) and <ssh://host>", fix="[y](tel:+1555)")


def test_other_schemes_are_refused_with_file_and_line(built):
    assert_inert(built, case_pages(SCHEMES))
    for where, scheme in (("what", "ftp"), ("what", "ssh"), ("fix", "tel")):
        expected = f"{built.loc(SCHEMES, where)}a '{scheme}:' link is not allowed in connector data; it is shown as text [wispgate.markup]"
        assert expected in built.warnings, built.of(SCHEMES)
    section = built.pages[guide(SCHEMES)].select_one(f"#{SCHEMES}-overview-what")
    assert section.find("a", href=re.compile("ftp|ssh")) is None


DIRECTIVES = case(
    "directives",
    what="```{raw} html\n<b id=raw-b>RAW</b><script>alert(1)</script>\n```",
    fix="```{include} /etc/passwd\n```\n\n```{eval-rst}\n.. raw:: html\n\n   <b id=rst-b>x</b>\n```",
)


def test_raw_and_include_directives_are_refused(built):
    assert_inert(built, case_pages(DIRECTIVES))
    for where, name in (("what", "raw"), ("fix", "include"), ("fix", "eval-rst")):
        expected = f"{built.loc(DIRECTIVES, where)}directive '{{{name}}}' is not allowed in connector data; it is shown as text [wispgate.markup]"
        assert expected in built.warnings, built.of(DIRECTIVES)
    page = built.pages[guide(DIRECTIVES)]
    assert page.find(id="raw-b") is None and page.find(id="rst-b") is None
    assert "<b id=raw-b>RAW</b>" in built.text(guide(DIRECTIVES), f"#{DIRECTIVES}-overview-what pre")


COLON = case(
    "colon-fence",
    what=":::{admonition} Injected\n:class: danger\nBody text.\n:::",
    fix=":::{raw} html\n<b id=colon-b>x</b>\n:::",
)


def test_colon_fence_directive_is_refused(built):
    assert_inert(built, case_pages(COLON))
    expected = f"{built.loc(COLON, 'what')}a ':::' directive is not allowed in connector data; it is shown as text [wispgate.markup]"
    assert expected in built.warnings
    assert any(w.startswith(built.loc(COLON, "fix")) and "':::' directive" in w for w in built.warnings)
    page = built.pages[guide(COLON)]
    assert page.find(id="colon-b") is None
    assert "Body text." in built.text(guide(COLON), f"#{COLON}-overview-what")


ROLES = ["raw-html", "raw", "download", "include", "eval-rst"]
ROLE_CASES = {
    role: case(
        f"role-{role}",
        what=f"See {{{role}}}`/etc/passwd` and {{{role}}}`<b id=role-b>x</b>`.",
        summary=f"Card {{{role}}}`<b id=role-c>x</b>`.",
    )
    for role in ROLES
}


@pytest.mark.parametrize("role", ROLES)
def test_unsafe_roles_are_refused(built, role):
    cid = ROLE_CASES[role]
    assert_inert(built, case_pages(cid))
    message = f"role '{{{role}}}' is not allowed in connector data; it is shown as text [wispgate.markup]"
    assert f"{built.loc(cid, 'what')}{message}" in built.warnings, built.of(cid)
    assert f"{built.loc(cid, 'summary')}{message}" in built.warnings, built.of(cid)
    assert not [i for i in built.ids if re.search("role-[bc]", i)]
    assert "/etc/passwd" in built.text(guide(cid), f"#{cid}-overview-what code")


IMAGES = case("images", what="![x](/etc/passwd) ![y](../conf.py)", fix="![z](https://example.com/t.png)")


def test_images_are_refused_and_nothing_is_copied(built):
    assert_inert(built, case_pages(IMAGES))
    assert sum(w.startswith(built.loc(IMAGES, "what")) and "an image is not allowed" in w for w in built.warnings) == 2
    assert any(w.startswith(built.loc(IMAGES, "fix")) and "an image is not allowed" in w for w in built.warnings)
    assert built.pages[guide(IMAGES)].select("article img") == []
    assert not (built.out / "_images").exists()


# MyST would turn these into downloads, copying the file into _build/html/_downloads
FILES = case(
    "file-links",
    what="[a](../../../../../../../../../../etc/passwd) [b](../conf.py)",
    fix="[c](../data/connectors/beta.yaml) and [the concept](../concept.md)",
)


def test_links_to_files_outside_the_pages_are_refused(built):
    assert_inert(built, case_pages(FILES))
    for where, target in (
        ("what", "../../../../../../../../../../etc/passwd"),
        ("what", "../conf.py"),
        ("fix", "../data/connectors/beta.yaml"),
    ):
        expected = (
            f"{built.loc(FILES, where)}a link to '{target}', a file that is not a page, is not allowed "
            "in connector data; it is shown as text [wispgate.markup]"
        )
        assert expected in built.warnings, built.of(FILES)
    # a link to a page of the site still works
    fix = built.pages[guide(FILES)].select_one(f"#{FILES}-troubleshooting")
    assert [a["href"] for a in fix.select("a.reference.internal") if "concept" in a["href"]] == ["../concept.html"]
    assert not (built.out / "_downloads").exists() or not any((built.out / "_downloads").rglob("*.*"))


UNRESOLVED = case("unresolved", what="{ref}`no-such-label` and {doc}`/etc/passwd` and [m](missing.md)")


def test_unresolved_references_in_data_name_the_yaml_file(built):
    assert_inert(built, case_pages(UNRESOLVED))
    mine = [w for w in built.warnings if "no-such-label" in w or "/etc/passwd" in w or "missing.md" in w]
    mine = [w for w in mine if "is not allowed in connector data" not in w]  # the other cases' refusals
    assert len(mine) == 3, built.warnings
    at = str(built.root / path_of(UNRESOLVED)) + f":{built.lines[UNRESOLVED]['what']}: WARNING: "
    assert all(w.startswith(at) for w in mine), mine


NAMES = [
    'Alpha "double" <b>bold</b> &amp; x" onmouseover="alert(1)',
    "Alpha 'single' x' onfocus='alert(1)' autofocus='",
]
NAME_CASES = {name: case(f"name-{i}", name=name) for i, name in enumerate(NAMES)}


@pytest.mark.parametrize("name", NAMES)
def test_quotes_in_names_stay_inside_attributes(built, name):
    cid = NAME_CASES[name]
    assert built.of(cid) == []
    assert_inert(built, case_pages(cid))
    to_guide = re.compile(rf"(^|/){re.escape(cid)}\.html(#|$)")
    links = [
        a
        for page in ("index.html", "catalog.html", "roles.html", "catalog/domains/network-aaa.html")
        for a in built.pages[page].find_all("a", href=to_guide)
    ]
    titled = [a["title"] for a in links if a.has_attr("title")]
    # cards, the matrix and role links carry the name as their title attribute, unchanged
    assert titled and set(titled) == {name}, titled
    for a in links:
        assert not any(attr.startswith("on") or attr == "autofocus" for attr in a.attrs), a
    # shown text goes through Sphinx's smart quotes, like any text of the site
    cards = [t.get_text(strip=True) for t in built.pages["index.html"].select(".wg-card .sd-card-title")]
    assert name in [c.translate(UNSMART) for c in cards], cards
    assert connector_json(built, cid)["name"] == name


JSON_VALUES = {
    "summary": "A </script><script>alert(1)</script> summary",
    # no U+2028 here any more: invisible characters are refused (test_security.py)
    "description": 'Quote " and \\" and a </script> end tag',
    "what": "```{raw} html\n<b>x</b>\n```",
}
JSON = case("catalog-json", **JSON_VALUES)


def test_catalog_json_keeps_hostile_values_as_plain_strings(built):
    # catalog.json is strict JSON (no NaN) and keeps every value as a plain string
    data = json.loads(
        (built.out / "catalog.json").read_text(encoding="utf-8"),
        parse_constant=lambda c: pytest.fail(f"catalog.json holds {c}"),
    )
    assert sorted(c["id"] for c in data["connectors"]) == sorted(["alpha", "beta", *CASES])
    mine = connector_json(built, JSON)
    assert mine["summary"] == JSON_VALUES["summary"]
    assert mine["fields"][0]["description"] == JSON_VALUES["description"]
    assert "what" not in mine  # the overview is on the page only


# --- the build as a whole ------------------------------------------------------------------


def test_no_page_runs_a_script_or_leaks_a_file(built):
    """Every page of the build, the listings that show every case's values included."""
    assert_inert(built)
    for path in built.out.rglob("*"):
        assert not (path.is_file() and path.name in ("passwd", "conf.py", "alpha.yaml", "beta.yaml")), path
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt", ".inv"):
            assert not PASSWD_MARK.search(path.read_text(encoding="utf-8", errors="replace")), path
    assert not (built.out / "_downloads").exists() or not any((built.out / "_downloads").rglob("*.*"))
    assert not (built.out / "_images").exists()


def test_every_warning_is_about_a_case_file(built):
    """Each case's warnings name its own file, so the cases cannot hide each other's."""
    cases = tuple(f"{path_of(cid)}:" for cid in CASES)
    assert [w for w in built.warnings if not re.sub(r"^.*?(data/connectors/)", r"\1", w).startswith(cases)] == []


# --- the taxonomies name generated pages -----------------------------------------------


@pytest.fixture(scope="module")
def taxonomy(tmp_path_factory):
    """One build with both taxonomy edits: a key that walks out of the catalog folder, a title with a script."""
    root = tmp_path_factory.mktemp("taxonomy") / "src"
    shutil.copytree(ROOTS / "test-basic", root)
    index = (root / "index.md").read_bytes()
    domains = root / "data" / "domains.yaml"
    text = domains.read_text()
    text = text.replace("key: payments-finance", "key: ../../index", 1)
    text = text.replace("title: Network & AAA", f'title: "Net {SCRIPT}"', 1)
    domains.write_text(text)
    app = make_project_app(root, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return root, index, app


def test_taxonomy_key_cannot_write_outside_the_catalog_folder(taxonomy):
    root, index, app = taxonomy
    warnings = warnings_of(app)
    assert (
        "data/domains.yaml:4: WARNING: [1].key: '../../index' must use only lowercase letters, "
        "digits and single hyphens [wispgate.schema]"
    ) in warnings, warnings
    assert (root / "index.md").read_bytes() == index
    assert sorted(p.name for p in (root / "catalog" / "domains").iterdir()) == ["network-aaa.md"]


def test_taxonomy_title_is_text_on_its_generated_page(taxonomy):
    _, _, app = taxonomy
    page = BeautifulSoup((Path(app.outdir) / "catalog/domains/network-aaa.html").read_text(), "html.parser")
    assert not [s for s in page.find_all("script") if "alert" in (s.string or "")]
    assert page.select_one("article h1").get_text().startswith(f"Net {SCRIPT}")
