"""Hostile values in connector data come out as inert text, or are refused with a
warning naming the YAML file and line; nothing in them runs, links to a script or
leaks a file of the machine that builds the site.

Each case builds a copy of the basic root, with the real site's MyST extensions,
after putting one value into data/connectors/alpha.yaml, then reads every page
of the built HTML.
"""

from __future__ import annotations

import json
import re
import shutil
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


class Built:
    def __init__(self, root: Path, app, lines: dict[str, int]):
        self.root, self.out, self.lines = root, Path(app.outdir), lines
        self.warnings = warnings_of(app)
        self.pages = {
            p.relative_to(self.out).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in sorted(self.out.rglob("*.html"))
        }

    def text(self, page: str, selector: str = "article") -> str:
        found = self.pages[page].select(selector)
        assert found, (page, selector)
        return " ".join(el.get_text() for el in found)

    def loc(self, slot: str) -> str:
        return f"{ALPHA}:{self.lines[slot]}: WARNING: "


def build_with(tmp_path: Path, **values: str) -> Built:
    root = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", root)
    (root / "conf.py").write_text((root / "conf.py").read_text() + CONF_EXTRA)
    alpha = root / ALPHA
    text, lines = alpha.read_text(encoding="utf-8"), {}
    for slot, value in values.items():
        text, lines[slot] = put(text, slot, value)
    alpha.write_text(text, encoding="utf-8")
    app = make_project_app(root, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(root, app, lines)


def assert_inert(built: Built) -> None:
    """Nothing on any page runs or points at a script, and no file of the machine leaks."""
    for name, soup in built.pages.items():
        for script in soup.find_all("script"):
            assert "alert" not in (script.string or "") + str(script.get("src", "")), (name, script)
        for el in soup.find_all(True):
            for attr, value in el.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                if attr.lower().startswith("on"):
                    assert "alert" not in value and "msgbox" not in value, (name, el)
                if attr.lower() in ("href", "src", "action", "formaction", "xlink:href", "srcset"):
                    cleaned = re.sub(r"[\x00-\x20]", "", value)
                    assert not BAD_SCHEME.match(cleaned), (name, el)
        assert soup.find("img", onerror=True) is None, name
        if name != "search.html":  # Sphinx's own "please activate JavaScript" box
            # the extension's own notices (vendor change, status, re-verification) are expected
            assert not soup.select(
                "div.admonition:not(.wg-unavailable):not(.wg-change-notice)"
                ":not(.wg-status-notice):not(.wg-stale-notice)"
            ), name
    for path in built.out.rglob("*"):
        assert not (path.is_file() and path.name in ("passwd", "conf.py", "alpha.yaml", "beta.yaml")), path
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt", ".inv"):
            assert not PASSWD_MARK.search(path.read_text(encoding="utf-8", errors="replace")), path
    assert not (built.out / "_downloads").exists() or not any((built.out / "_downloads").rglob("*.*"))
    assert not (built.out / "_images").exists()
    # catalog.json is strict JSON (no NaN) and keeps every value as a plain string
    data = json.loads(
        (built.out / "catalog.json").read_text(encoding="utf-8"),
        parse_constant=lambda c: pytest.fail(f"catalog.json holds {c}"),
    )
    assert sorted(c["id"] for c in data["connectors"]) == ["alpha", "beta"]


def connector_json(built: Built) -> dict:
    data = json.loads((built.out / "catalog.json").read_text(encoding="utf-8"))
    return next(c for c in data["connectors"] if c["id"] == "alpha")


UNSMART = str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_script_and_img_tags_are_text_everywhere(tmp_path):
    built = build_with(
        tmp_path,
        what=f"Before {SCRIPT} after.\n\nAnd {IMG} too.",
        summary=f"Cards show {SCRIPT} and {IMG} as text.",
        fix=f"Fix {SCRIPT}",
        description=f"Source {IMG}",
    )
    assert built.warnings == []  # inline HTML is shown as text, which needs no warning
    assert_inert(built)
    guide = built.text("integrations/alpha.html")
    for shown in (f"Before {SCRIPT} after.", f"And {IMG} too.", f"Fix {SCRIPT}", f"Source {IMG}"):
        assert shown in guide
    # the summary is shown on every card: the landing page, domain and use-case pages
    for page in ("index.html", "catalog/domains/network-aaa.html", "catalog/use-cases/subscriber-auth.html"):
        cards = [p.get_text() for p in built.pages[page].select(".wg-card-summary")]
        assert f"Cards show {SCRIPT} and {IMG} as text." in cards, (page, cards)
    assert connector_json(built)["summary"] == f"Cards show {SCRIPT} and {IMG} as text."


def test_raw_html_block_is_shown_as_code(tmp_path):
    block = '<div onclick="alert(1)">\n<script>alert(1)</script>\n<iframe src="javascript:alert(1)"></iframe>\n</div>'
    built = build_with(tmp_path, what=f"Intro.\n\n{block}\n\nOutro.", fix=block)
    assert_inert(built)
    guide = built.pages["integrations/alpha.html"]
    assert guide.find("iframe") is None
    shown = [pre.get_text() for pre in guide.select("article pre")]
    assert sum(block in text for text in shown) == 2, shown


@pytest.mark.parametrize(
    "value",
    [
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
    ],
)
def test_script_links_are_not_links(tmp_path, value):
    built = build_with(tmp_path, what=value, summary=value.splitlines()[0])
    assert_inert(built)
    section = built.pages["integrations/alpha.html"].select_one("#alpha-overview-what")
    hrefs = [a.get("href", "") for a in section.find_all("a") if not a.get("class") == ["headerlink"]]
    assert hrefs == [], hrefs
    # markdown-it refuses these schemes itself, so the source stays visible as text
    assert re.search(r"javascript|vbscript|data:|file:", section.get_text(), re.I)


def test_other_schemes_are_refused_with_file_and_line(tmp_path):
    built = build_with(tmp_path, what="[x](ftp://example.com/f) and <ssh://host>", fix="[y](tel:+1555)")
    assert_inert(built)
    for where, scheme in (("what", "ftp"), ("what", "ssh"), ("fix", "tel")):
        expected = f"{built.loc(where)}a '{scheme}:' link is not allowed in connector data; it is shown as text [wispgate.markup]"
        assert expected in built.warnings, built.warnings
    section = built.pages["integrations/alpha.html"].select_one("#alpha-overview-what")
    assert section.find("a", href=re.compile("ftp|ssh")) is None


def test_raw_and_include_directives_are_refused(tmp_path):
    built = build_with(
        tmp_path,
        what="```{raw} html\n<b id=raw-b>RAW</b><script>alert(1)</script>\n```",
        fix="```{include} /etc/passwd\n```\n\n```{eval-rst}\n.. raw:: html\n\n   <b id=rst-b>x</b>\n```",
    )
    assert_inert(built)
    for where, name in (("what", "raw"), ("fix", "include"), ("fix", "eval-rst")):
        expected = f"{built.loc(where)}directive '{{{name}}}' is not allowed in connector data; it is shown as text [wispgate.markup]"
        assert expected in built.warnings, built.warnings
    guide = built.pages["integrations/alpha.html"]
    assert guide.find(id="raw-b") is None and guide.find(id="rst-b") is None
    assert "<b id=raw-b>RAW</b>" in built.text("integrations/alpha.html", "#alpha-overview-what pre")


def test_colon_fence_directive_is_refused(tmp_path):
    built = build_with(
        tmp_path,
        what=":::{admonition} Injected\n:class: danger\nBody text.\n:::",
        fix=":::{raw} html\n<b id=colon-b>x</b>\n:::",
    )
    assert_inert(built)
    expected = (
        f"{built.loc('what')}a ':::' directive is not allowed in connector data; it is shown as text [wispgate.markup]"
    )
    assert expected in built.warnings
    assert any(w.startswith(built.loc("fix")) and "':::' directive" in w for w in built.warnings)
    guide = built.pages["integrations/alpha.html"]
    assert guide.find(id="colon-b") is None
    assert "Body text." in built.text("integrations/alpha.html", "#alpha-overview-what")


@pytest.mark.parametrize("role", ["raw-html", "raw", "download", "include", "eval-rst"])
def test_unsafe_roles_are_refused(tmp_path, role):
    built = build_with(
        tmp_path,
        what=f"See {{{role}}}`/etc/passwd` and {{{role}}}`<b id=role-b>x</b>`.",
        summary=f"Card {{{role}}}`<b id=role-c>x</b>`.",
    )
    assert_inert(built)
    expected = (
        f"{built.loc('what')}role '{{{role}}}' is not allowed in connector data; it is shown as text [wispgate.markup]"
    )
    assert expected in built.warnings, built.warnings
    assert (
        f"{built.loc('summary')}role '{{{role}}}' is not allowed in connector data; it is shown as text [wispgate.markup]"
        in built.warnings
    )
    for soup in built.pages.values():
        assert soup.find(id=re.compile("role-[bc]")) is None
    assert "/etc/passwd" in built.text("integrations/alpha.html", "#alpha-overview-what code")


def test_images_are_refused_and_nothing_is_copied(tmp_path):
    built = build_with(tmp_path, what="![x](/etc/passwd) ![y](../conf.py)", fix="![z](https://example.com/t.png)")
    assert_inert(built)
    assert sum(w.startswith(built.loc("what")) and "an image is not allowed" in w for w in built.warnings) == 2
    assert any(w.startswith(built.loc("fix")) and "an image is not allowed" in w for w in built.warnings)
    assert built.pages["integrations/alpha.html"].select("article img") == []


def test_links_to_files_outside_the_pages_are_refused(tmp_path):
    # MyST would turn these into downloads, copying the file into _build/html/_downloads
    built = build_with(
        tmp_path,
        what="[a](../../../../../../../../../../etc/passwd) [b](../conf.py)",
        fix="[c](../data/connectors/beta.yaml) and [the concept](../concept.md)",
    )
    assert_inert(built)
    for where, target in (
        ("what", "../../../../../../../../../../etc/passwd"),
        ("what", "../conf.py"),
        ("fix", "../data/connectors/beta.yaml"),
    ):
        expected = (
            f"{built.loc(where)}a link to '{target}', a file that is not a page, is not allowed "
            "in connector data; it is shown as text [wispgate.markup]"
        )
        assert expected in built.warnings, built.warnings
    # a link to a page of the site still works
    fix = built.pages["integrations/alpha.html"].select_one("#alpha-troubleshooting")
    assert [a["href"] for a in fix.select("a.reference.internal") if "concept" in a["href"]] == ["../concept.html"]


def test_unresolved_references_in_data_name_the_yaml_file(tmp_path):
    built = build_with(tmp_path, what="{ref}`no-such-label` and {doc}`/etc/passwd` and [m](missing.md)")
    assert_inert(built)
    mine = [w for w in built.warnings if "no-such-label" in w or "/etc/passwd" in w or "missing.md" in w]
    assert len(mine) == 3, built.warnings
    at = str(built.root / ALPHA) + f":{built.lines['what']}: WARNING: "
    assert all(w.startswith(at) for w in mine), mine


@pytest.mark.parametrize(
    "name",
    [
        'Alpha "double" <b>bold</b> &amp; x" onmouseover="alert(1)',
        "Alpha 'single' x' onfocus='alert(1)' autofocus='",
    ],
)
def test_quotes_in_names_stay_inside_attributes(tmp_path, name):
    built = build_with(tmp_path, name=name)
    assert built.warnings == []
    assert_inert(built)
    links = [
        a
        for page in ("index.html", "catalog.html", "roles.html", "catalog/domains/network-aaa.html")
        for a in built.pages[page].select("a[href*='alpha.html']")
    ]
    titled = [a["title"] for a in links if a.has_attr("title")]
    # cards, the matrix and role links carry the name as their title attribute, unchanged
    assert titled and set(titled) == {name}, titled
    for a in links:
        assert not any(attr.startswith("on") or attr == "autofocus" for attr in a.attrs), a
    # shown text goes through Sphinx's smart quotes, like any text of the site
    cards = [t.get_text(strip=True) for t in built.pages["index.html"].select(".wg-card .sd-card-title")]
    assert name in [c.translate(UNSMART) for c in cards], cards
    assert connector_json(built)["name"] == name


def test_catalog_json_keeps_hostile_values_as_plain_strings(tmp_path):
    values = {
        "summary": "A </script><script>alert(1)</script> summary",
        # no U+2028 here any more: invisible characters are refused (test_security.py)
        "description": 'Quote " and \\" and a </script> end tag',
        "what": "```{raw} html\n<b>x</b>\n```",
    }
    built = build_with(tmp_path, **values)
    alpha = connector_json(built)
    assert alpha["summary"] == values["summary"]
    assert alpha["fields"][0]["description"] == values["description"]
    assert "what" not in alpha  # the overview is on the page only


# --- the taxonomies name generated pages -----------------------------------------------


def test_taxonomy_key_cannot_write_outside_the_catalog_folder(tmp_path):
    root = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", root)
    index = (root / "index.md").read_bytes()
    domains = root / "data" / "domains.yaml"
    domains.write_text(domains.read_text().replace("key: payments-finance", "key: ../../index", 1))
    app = make_project_app(root, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = warnings_of(app)
    assert (
        "data/domains.yaml:4: WARNING: [1].key: '../../index' must use only lowercase letters, "
        "digits and single hyphens [wispgate.schema]"
    ) in warnings, warnings
    assert (root / "index.md").read_bytes() == index
    assert sorted(p.name for p in (root / "catalog" / "domains").iterdir()) == ["network-aaa.md"]


def test_taxonomy_title_is_text_on_its_generated_page(tmp_path):
    root = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", root)
    domains = root / "data" / "domains.yaml"
    domains.write_text(domains.read_text().replace("title: Network & AAA", f'title: "Net {SCRIPT}"', 1))
    app = make_project_app(root, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    page = BeautifulSoup((Path(app.outdir) / "catalog/domains/network-aaa.html").read_text(), "html.parser")
    assert not [s for s in page.find_all("script") if "alert" in (s.string or "")]
    assert page.select_one("article h1").get_text().startswith(f"Net {SCRIPT}")
