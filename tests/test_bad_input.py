"""Bad connector data: a clear file:line message for every defect, never a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, ROOTS, make_project_app, run_cli, sphinx_main, warnings_of

FIXTURES = Path(__file__).parent / "fixtures"


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    """Parse the '.'-separated fixture file into (title, yaml text, expected)."""
    body = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)]
    while body and not body[0].startswith("."):
        body.pop(0)
    blocks, current = [], []
    for line in body:
        if line.rstrip("\n") == ".":
            blocks.append("".join(current))
            current = []
        else:
            current.append(line)
    cases = []
    for i in range(0, len(blocks) - 3, 4):
        _, title, text, expect = blocks[i : i + 4]
        cases.append((title.strip(), text, expect.strip()))
    return cases


CASES = read_cases(FIXTURES / "bad_connectors.txt")


def test_corpus_is_large():
    assert len(CASES) >= 30


@pytest.mark.parametrize("title,text,expect", CASES, ids=[c[0] for c in CASES])
def test_catalog_reports_exact_line_and_message(case_root, title, text, expect):
    from wispgate_connectors.catalog import load_catalog

    (case_root / "data" / "connectors" / "case.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog(case_root)
    got = [f"{p.line}: {p.message}" for p in catalog.problems]
    assert expect in got, f"{title}: {got}"
    if "unknown connector" not in expect:  # a dangling reference keeps the rest of the guide
        assert "case" not in catalog.connectors


def test_non_utf8_bytes(case_root):
    from wispgate_connectors.catalog import load_catalog

    (case_root / "data" / "connectors" / "case.yaml").write_bytes(b"id: case\nname: caf\xe9\n")
    got = [str(p) for p in load_catalog(case_root).problems]
    assert got == ["data/connectors/case.yaml:2: file is not valid UTF-8 (byte 0xe9)"]


def test_yml_extension_is_reported(case_root):
    from wispgate_connectors.catalog import load_catalog

    (case_root / "data" / "connectors" / "case.yaml").unlink(missing_ok=True)
    (case_root / "data" / "connectors" / "other.yml").write_text("id: other\n", encoding="utf-8")
    try:
        got = [str(p) for p in load_catalog(case_root).problems]
    finally:
        (case_root / "data" / "connectors" / "other.yml").unlink()
    assert got == ["data/connectors/other.yml:1: connector files end in .yaml, not .yml; rename it"]


def run_check(root: Path) -> subprocess.CompletedProcess:
    """`make check` (``main()``, in this process)."""
    return run_cli("check", str(root))


def check_process(root: Path) -> subprocess.CompletedProcess:
    """`make check` as the Makefile runs it."""
    return subprocess.run(
        [sys.executable, "-m", "wispgate_connectors", "check", str(root)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(PROJECT / "_ext"), "PATH": "/usr/bin:/bin"},
    )


def test_quick_check_prints_every_problem_and_fails(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    alpha = root / "data" / "connectors" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("required: true\n    type: ip", "required: sometimes\n    type: ip"))
    beta = root / "data" / "connectors" / "beta.yaml"
    beta.write_text(beta.read_text().replace("domain: payments-finance", "domain: nowhere"))
    result = check_process(root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/connectors/alpha.yaml:20: fields[0].required: expected true or false, got 'sometimes'",
        "data/connectors/beta.yaml:5: domain: unknown domain 'nowhere' (known: network-aaa, payments-finance)",
    ]
    assert "Traceback" not in result.stderr and "2 problems" in result.stderr


def test_quick_check_passes_on_good_data():
    result = run_check(PROJECT)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "" and ": ok" in result.stderr


def test_quick_check_reports_missing_page(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    (root / "integrations" / "alpha.md").unlink()
    result = run_check(root)
    assert result.returncode == 1
    assert "data/connectors/alpha.yaml:2: connector 'alpha' has no page: add integrations/alpha.md" in result.stdout


# --- the same problems through a real build -----------------------------------


def build_warnings(root: Path, **kwargs) -> list[str]:
    app = make_project_app(root, freshenv=True, **kwargs)
    try:
        app.build()
        return warnings_of(app)
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def data_and_page_mistakes(tmp_path_factory):
    """One build of the basic root with mistakes in three files, each reported on its own: alpha
    does not load, beta names an unknown use case, and a page (ghost.md) names unknown ids."""
    root = tmp_path_factory.mktemp("mistakes") / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    alpha = root / "data" / "connectors" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("required: true\n    type: ip", "required: sometimes\n    type: ip"))
    beta = root / "data" / "connectors" / "beta.yaml"
    beta.write_text(
        beta.read_text().replace("use_cases: [billing-automation]", "use_cases: [billing-automation, nope]")
    )
    (root / "ghost.md").write_text("# Ghost\n\n```{connector} ghost\n```\n\nSee {connector}`phantom`.\n")
    index = root / "index.md"
    index.write_text(index.read_text().replace("roles_rst\n", "roles_rst\nghost\n"))
    return root, build_warnings(root)


def test_build_reports_all_data_problems_with_file_and_line(data_and_page_mistakes):
    root, warnings = data_and_page_mistakes
    assert (
        "data/connectors/alpha.yaml:20: WARNING: fields[0].required: expected true or false, got 'sometimes' "
        "[wispgate.schema]" in warnings
    )
    assert any(
        w.startswith("data/connectors/beta.yaml:9: WARNING: use_cases[1]: unknown use case 'nope'") for w in warnings
    )
    # the page of a broken connector says so instead of failing with a traceback
    html = (root / "_build" / "html" / "integrations" / "alpha.html").read_text()
    assert "could not be generated" in html


def test_page_naming_unknown_id(data_and_page_mistakes):
    _, warnings = data_and_page_mistakes
    assert any(
        re.search(r"ghost\.md:3: WARNING: unknown connector id 'ghost': no data/connectors/ghost.yaml", w)
        for w in warnings
    ), warnings
    assert any(re.search(r"ghost\.md:6: WARNING: unknown connector id 'phantom'", w) for w in warnings), warnings


def test_connector_without_page(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    (root / "integrations" / "beta.rst").unlink()
    index = root / "index.md"
    index.write_text(index.read_text().replace("integrations/beta\n", ""))
    warnings = build_warnings(root)
    assert (
        "data/connectors/beta.yaml:2: WARNING: connector 'beta' has no page: add integrations/beta.md "
        "containing the connector directive for 'beta' [wispgate.page]" in warnings
    )
    # reported once, at the data: cards, the matrix and related links do not repeat it;
    # only hand-written roles naming beta do, since those pages link to a guide that is missing
    others = [w for w in warnings if "beta.yaml:2" not in w]
    assert others and all(
        re.search(r"roles(_rst)?\.(md|rst):\d+: WARNING: unknown connector id 'beta'", w) for w in others
    ), others


@pytest.fixture(scope="module")
def alpha_mistakes(tmp_path_factory) -> list[str]:
    """The warnings of one build where alpha's related page does not exist and a second page
    documents alpha."""
    root = tmp_path_factory.mktemp("alpha-mistakes") / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    alpha = root / "data" / "connectors" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("doc: concept", "doc: concepts/missing"))
    (root / "copy.md").write_text("# Copy\n\n```{connector} alpha\n```\n")
    index = root / "index.md"
    index.write_text(index.read_text().replace("roles_rst\n", "roles_rst\ncopy\n"))
    return build_warnings(root)


def test_connector_on_two_pages(alpha_mistakes):
    warnings = alpha_mistakes
    assert any("connector 'alpha' is already documented in" in w for w in warnings), warnings


def test_related_doc_that_does_not_exist(alpha_mistakes):
    warnings = alpha_mistakes
    assert (
        "data/connectors/alpha.yaml:63: WARNING: related[1].doc: no page 'concepts/missing' in this site [wispgate.reference]"
        in warnings
    )


def test_warnings_fail_the_build_with_W(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    beta = root / "data" / "connectors" / "beta.yaml"
    beta.write_text(beta.read_text().replace("complexity: low", "complexity: extreme"))
    # sphinx-build's main() in this process (test_security runs it in a process of its own)
    result = sphinx_main("-W", "--keep-going", "-n", "-q", "-b", "html", str(root), str(tmp_path / "out"))
    assert result.returncode != 0
    assert (
        "data/connectors/beta.yaml:7: WARNING: complexity: expected one of low, medium, high, got 'extreme'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_messages_name_the_line_of_the_offending_value(tmp_path):
    """Not the line of the entry it belongs to: related[0].connector points at 'connector:'."""
    from wispgate_connectors.catalog import load_catalog

    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    alpha = root / "data/connectors/alpha.yaml"
    text = alpha.read_text()
    assert "related:\n" in text
    alpha.write_text(text.replace("related:\n", "related:\n  - title: A ghost\n    connector: ghost\n", 1))
    line = alpha.read_text().splitlines().index("    connector: ghost") + 1
    got = [str(p) for p in load_catalog(root).problems]
    assert got == [f"data/connectors/alpha.yaml:{line}: related[0].connector: unknown connector 'ghost'"]


# --- one mistake, one message ---------------------------------------------------


def test_data_error_is_one_message_where_guides_are_only_in_catalog_toctrees(tmp_path):
    """As on the real site, where a guide is in no hand-written toctree: the broken connector's
    page leaves the domain page's toctree, and Sphinx must not report that as a second problem."""
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    index = root / "index.md"
    index.write_text(index.read_text().replace("integrations/beta\n", ""))
    beta = root / "data" / "connectors" / "beta.yaml"
    beta.write_text(beta.read_text().replace("complexity: low", "complexity: extreme"))
    assert build_warnings(root) == [
        "data/connectors/beta.yaml:7: WARNING: complexity: expected one of low, medium, high, got 'extreme' "
        "[wispgate.schema]"
    ]


def test_misspelled_id_on_a_guide_page_is_one_message(tmp_path):
    """Not again as "connector 'alpha' has no page", nor at every link to alpha (roles, the
    matrix, the troubleshooting index, a section label): the links show their text."""
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    page = root / "integrations" / "alpha.md"
    page.write_text(page.read_text().replace("{connector} alpha", "{connector} alpah"))
    warnings = build_warnings(root)
    assert [re.sub(r"^.*?(integrations/alpha\.md)", r"\1", w) for w in warnings] == [
        "integrations/alpha.md:3: WARNING: unknown connector id 'alpah': no data/connectors/alpah.yaml "
        "(did you mean 'alpha'?) [wispgate.reference]"
    ]
    result = run_check(root)
    assert result.stdout.splitlines() == [
        "integrations/alpha.md:3: unknown connector id 'alpah': no data/connectors/alpah.yaml (did you mean 'alpha'?)"
    ]
    roles = (root / "_build" / "html" / "roles.html").read_text()
    assert "#connector-alpha" not in roles  # the link's text, without a link to a guide that is not there
