"""The writers' workflow: scaffold, quick check, and the schema-generated writing guide."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import PROJECT, ROOTS, make_project_app, run_cli, warnings_of

SCHEMA = json.loads((PROJECT / "data/schema/connector.schema.json").read_text())


def cli(*args: str) -> subprocess.CompletedProcess:
    """The writers' commands (``main()``, in this process)."""
    return run_cli(*args)


def cli_process(*args: str) -> subprocess.CompletedProcess:
    """The same, as `make new` and `make check` run them: ``new`` and ``check --id`` once each."""
    return subprocess.run(
        [sys.executable, "-m", "wispgate_connectors", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(PROJECT / "_ext"), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", dest)
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_new_writes_yaml_with_every_required_key_and_the_page(root):
    result = cli_process("new", "acme-pay", "--domain", "payments-finance", "--vendor", "Acme", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "wrote data/connectors/acme-pay.yaml and integrations/acme-pay.md" in result.stdout
    text = (root / "data/connectors/acme-pay.yaml").read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/connector.schema.json"
    data = yaml.safe_load(text)
    assert set(SCHEMA["required"]) <= set(data)
    assert data["id"] == "acme-pay" and data["domain"] == "payments-finance" and data["vendor"] == "Acme"
    assert "# complexity_note:" in text and "# status:" in text  # optional keys as commented hints
    # what a finished guide needs is there, to fill in (writer_rules.finished_problems)
    assert {"example", "readiness", "verified", "sources"} <= set(data) and len(data["failures"]) == 4
    assert {k for r in data["related"] for k in r} == {"title", "doc", "connector", "url"}
    page = (root / "integrations/acme-pay.md").read_text()
    assert "```{connector} acme-pay" in page
    assert not (root / "tests").exists()  # this root has no content tests


@pytest.fixture
def project_root(root) -> Path:
    """The basic root with content tests, as the real project has them."""
    (root / "tests" / "facts").mkdir(parents=True)
    for cid in ("alpha", "beta"):
        (root / "tests" / "facts" / f"{cid}.txt").write_text("one\ntwo\nthree\nfour\n")
    return root


def test_new_writes_the_content_test_file_with_its_format(project_root):
    result = cli("new", "acme-pay", "--domain", "payments-finance", "--root", str(project_root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote data/connectors/acme-pay.yaml, integrations/acme-pay.md and tests/facts/acme-pay.txt",
        "next: replace every TODO in these files (`make check` lists them with their lines), preview with "
        "`make livehtml`, then run `make test ID=acme-pay`",
    ]
    facts = (project_root / "tests/facts/acme-pay.txt").read_text()
    assert "at least 4 facts" in facts and "start with '#'" in facts
    check = cli_process("check", "--id", "acme-pay", str(project_root))
    assert (
        "tests/facts/acme-pay.txt:7: still holds the scaffold's 4 placeholder lines ('TODO: ...'): replace each "
        "with a fact copied word for word from the guide (a port, a header name, an error message, a menu path)"
    ) in check.stdout.splitlines()
    assert (
        "integrations/acme-pay.md:1: the title still holds the scaffold's TODO: write the guide's title, "
        "the same as name in data/connectors/acme-pay.yaml:7"
    ) in check.stdout.splitlines()


def fill(text: str) -> str:
    """What a writer does with a scaffold: every TODO replaced by words."""
    text = text.replace("https://TODO.example.com", "https://docs.acme-pay.net")
    text = text.replace("TODO: which sections or facts it backs", "failures and fields")
    text = re.sub(r"TODO: ([^\"\n]*)", lambda m: m.group(1).capitalize() or "Filled", text)
    return text


def test_a_filled_scaffold_passes_the_check(project_root):
    """No surprise after `make new`: replace every TODO and the whole writer contract holds."""
    cli("new", "acme-pay", "--domain", "payments-finance", "--root", str(project_root))
    for rel in ("data/connectors/acme-pay.yaml", "tests/facts/acme-pay.txt"):
        path = project_root / rel
        path.write_text(fill(path.read_text()))
    name = yaml.safe_load((project_root / "data/connectors/acme-pay.yaml").read_text())["name"]
    page = project_root / "integrations/acme-pay.md"
    page.write_text(re.sub(r"^# TODO.*$", f"# {name}", page.read_text(), flags=re.M))
    (project_root / "concepts").mkdir()
    (project_root / "concepts/subscriber-model.md").write_text("# Subscriber model\n")
    result = cli("check", "--id", "acme-pay", str(project_root))
    assert result.returncode == 0, result.stdout
    assert result.stdout == "" and "checked acme-pay in" in result.stderr


def test_check_lists_every_todo_left_with_its_line(root):
    cli("new", "acme-pay", "--domain", "payments-finance", "--root", str(root))
    result = cli("check", str(root))
    assert result.returncode == 1
    # check runs the build's page rules too: this root has no concepts/subscriber-model page
    lines = [line for line in result.stdout.splitlines() if "no page 'concepts/subscriber-model'" not in line]
    assert "data/connectors/acme-pay.yaml:7: name: still holds a TODO placeholder" in lines
    # the test root has no concepts/subscriber-model page, which the scaffold links: the build says so too
    missing = "related[0].doc: no page 'concepts/subscriber-model' in this site"
    assert all("acme-pay" in line and ("TODO" in line or missing in line) for line in lines)
    assert sum("TODO" in line for line in lines) >= 10


def test_scaffold_builds_into_a_page_while_its_todos_are_warnings(root):
    cli("new", "acme-pay", "--domain", "payments-finance", "--vendor", "Acme", "--root", str(root))
    index = root / "index.md"
    index.write_text(index.read_text().replace("roles_rst\n", "roles_rst\nintegrations/acme-pay\n"))
    app = make_project_app(root, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = [w for w in warnings_of(app) if "no page 'concepts/subscriber-model'" not in w]  # not in this root
    assert warnings and all("still holds a TODO placeholder" in w for w in warnings), warnings
    html = (app.outdir / "integrations/acme-pay.html").read_text()
    assert 'id="acme-pay-fields"' in html and "&lt;your-api-key&gt;" in html


@pytest.mark.parametrize(
    "args,message",
    [
        (["acme", "--domain", "payments-finance"], None),  # placeholder: replaced below
        (
            ["Acme_Pay", "--domain", "payments-finance"],
            "error: invalid id 'Acme_Pay': use lowercase letters, digits and single hyphens",
        ),
        (["../evil", "--domain", "payments-finance"], "error: invalid id '../evil'"),
        (["acme", "--domain", "nowhere"], "error: unknown domain 'nowhere' (known: network-aaa, payments-finance)"),
    ],
)
def test_new_refuses_and_writes_nothing(root, args, message):
    if message is None:
        args, message = (
            ["alpha", "--domain", "network-aaa"],
            ("error: data/connectors/alpha.yaml already exists; choose another id or edit that file"),
        )
    before = snapshot(root)
    result = cli("new", *args, "--root", str(root))
    assert result.returncode == 2
    assert message in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_makefile_exposes_new_and_check():
    makefile = (PROJECT / "Makefile").read_text()
    assert "wispgate_connectors new" in makefile and "wispgate_connectors check" in makefile
    # -o: the usage, whatever the state of the virtualenv's install stamp
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.docs-installed", "-C", str(PROJECT), "new"], capture_output=True, text=True
    )
    assert result.returncode != 0 and "usage: make new ID=<id> DOMAIN=<domain key>" in result.stdout


def test_reference_page_in_the_site_documents_every_schema_key(site):
    soup = BeautifulSoup((site / "connector-reference.html").read_text(encoding="utf-8"), "html.parser")
    documented = {h.select_one("code").get_text() for h in soup.select("h3") if h.select_one("code")}
    assert set(SCHEMA["properties"]) <= documented
    for name in ("field", "step", "failure", "check", "related", "version", "source", "rule", "code"):
        for key in SCHEMA["$defs"][name]["properties"]:
            assert any(d.endswith(f"[].{key}") or d.endswith(f".{key}") for d in documented), (name, key)
    guide = BeautifulSoup((site / "writing-guide.html").read_text(encoding="utf-8"), "html.parser")
    assert guide.select_one('a[href="connector-reference.html"]') is not None


WRITING_GUIDE = (PROJECT / "writing-guide.md").read_text(encoding="utf-8")


def console(command: str) -> list[str]:
    """The output lines the writing guide shows for ``$ <command>``."""
    block = re.search(rf"^( *)\$ {re.escape(command)}\n(.*?)^\1```", WRITING_GUIDE, re.M | re.S)
    assert block, command
    return [line.strip() for line in block.group(2).splitlines()]


@pytest.fixture
def project_data(tmp_path) -> Path:
    """The project's data and page folders with content tests, to run the writers' commands on."""
    root = tmp_path / "p"
    shutil.copytree(PROJECT / "data", root / "data")
    shutil.copytree(PROJECT / "integrations", root / "integrations")
    shutil.copytree(PROJECT / "tests" / "facts", root / "tests" / "facts")
    shutil.copy(PROJECT / "conf.py", root / "conf.py")
    return root


def test_writing_guide_shows_what_the_commands_print(project_data):
    new = cli(
        "new", "acme-pay", "--domain", "payments-finance", "--vendor", "Acme Payments", "--root", str(project_data)
    )
    assert console('make new ID=acme-pay DOMAIN=payments-finance VENDOR="Acme Payments"') == new.stdout.splitlines()
    check = cli("check", str(project_data))
    shown = console("make check")
    assert re.fullmatch(r"checked \d+ connector files in \d\.\d\ds: \d+ problems", shown[-1])
    assert re.fullmatch(r"checked \d+ connector files in \d\.\d\ds: \d+ problems", check.stderr.strip())
    for line in shown[:-1]:
        assert line == "..." or line in check.stdout.splitlines(), line


def test_writing_guide_messages_are_real():
    """The quoting examples are messages the checks print (the reference is generated from them)."""
    reference = (PROJECT / "connector-reference.md").read_text(encoding="utf-8")
    block = re.search(r"^## Quoting values in YAML\n.*?```text\n(.*?)```", WRITING_GUIDE, re.M | re.S)
    assert block
    for line in block.group(1).splitlines():
        message = re.sub(r"^data/connectors/acme-pay\.yaml:\d+: ", "", line)
        assert message in reference, message
    assert "{connector-schema}" not in WRITING_GUIDE  # the contract reads on the forge too
    assert "tests/facts/<id>.txt" in WRITING_GUIDE and "make test ID=" in WRITING_GUIDE


def test_make_test_id_collects_only_that_connectors_tests():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/test_content.py",
            "-m",
            "connector",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "WG_ID": "stripe"},
    )
    cases = [line for line in result.stdout.splitlines() if "::" in line]
    assert sorted(line.split("::")[1] for line in cases) == [
        "test_facts_survive_in_the_built_page[stripe]",
        "test_guide_is_complete[stripe]",
        "test_links_can_be_checked[stripe]",
    ]
    dry = subprocess.run(["make", "-n", "-C", str(PROJECT), "test", "ID=stripe"], capture_output=True, text=True)
    assert 'wispgate_connectors check --id "stripe"' in dry.stdout
    assert 'WG_ID="stripe"' in dry.stdout and "-m connector" in dry.stdout and "lint" not in dry.stdout


def test_check_id_names_an_unknown_connector(root):
    result = cli("check", "--id", "nope", str(root))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: no connector 'nope': data/connectors/nope.yaml does not exist (make new ID=nope DOMAIN=... writes it)"
    ]


@pytest.mark.slow
def test_make_test_id_passes_for_a_shipped_guide():
    started = time.monotonic()
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.test-installed", "-C", str(PROJECT), "test", "ID=mikrotik"],
        capture_output=True,
        text=True,
    )
    took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked mikrotik in" in result.stderr and "3 passed" in result.stdout
    print(f"\nmake test ID=mikrotik took {took:.1f} s")


def test_contributing_and_pull_request_template_hold_the_checklist_in_order():
    contributing = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    template = (PROJECT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    steps = ["make new", "TODO", "finished guide", "title", "tests/facts/<id>.txt", "make check", "make test ID=<id>"]
    for text in (contributing, template):
        at = 0
        for step in steps:  # each met after the one before
            found = text.find(step, at)
            assert found != -1, (step, text[at : at + 200])
            at = found + len(step)
    assert "make livehtml" in contributing and "make linkcheck ID=<id>" in contributing
