"""The writers' reference (connector-reference.md) and the annotated example it quotes."""

from __future__ import annotations

import re

import pytest

from conftest import PROJECT, project_catalog
from wispgate_connectors import reference
from wispgate_connectors.model import build_connector, load_schema
from wispgate_connectors.validation import connector_rules, schema_problems, todo_problems
from wispgate_connectors.writer_rules import finished_problems
from wispgate_connectors.yamlio import read_yaml

EXAMPLE = PROJECT / reference.EXAMPLE


@pytest.fixture(scope="module")
def rendered() -> str:
    return reference.render()


def test_reference_is_current(rendered):
    committed = (PROJECT / reference.OUTPUT).read_text(encoding="utf-8")
    assert committed == rendered, "connector-reference.md is out of date: run make reference"


def test_reference_documents_every_key_with_meaning_example_and_messages(rendered):
    sections = dict((part.split("\n", 1)[0].strip("`"), part) for part in re.split(r"^### ", rendered, flags=re.M)[1:])
    assert list(sections) == [key.display for key in reference.keys(load_schema())]
    for name, text in sections.items():
        body = [line for line in text.splitlines()[1:] if line.strip()]
        assert body[0].startswith(("Required", "Optional")), name
        assert body[1] and not body[1].startswith("```"), f"{name}: no meaning"
        assert "```yaml" in text, f"{name}: no example"
        assert "Messages:" in text and "\n- `" in text, f"{name}: no message"


def test_annotated_example_is_a_finished_guide_with_every_key():
    data, marks, problems = read_yaml(EXAMPLE, "data/examples/annotated.yaml", PROJECT)
    assert problems == []
    assert schema_problems(data, marks, "x") == []
    catalog = project_catalog()
    # its id stands for the file name a real connector would have
    assert connector_rules(data, marks, "x", data["id"], catalog.domains, catalog.use_cases) == []
    assert todo_problems(data, (), marks, "x") == []
    assert finished_problems(build_connector(data, marks, "x")) == []
    missing = [key.display for key in reference.keys(load_schema()) if not reference._find(data, key.path)[0]]
    assert missing == [], "data/examples/annotated.yaml lacks these keys"


def test_annotated_example_is_not_a_connector():
    from wispgate_connectors.lint import check_problems
    from wispgate_connectors.secrets import scan_project

    catalog = project_catalog()
    assert "acme-radius" not in catalog.connectors and "annotated" not in catalog.broken
    problems = catalog.problems + check_problems(PROJECT, catalog) + scan_project(PROJECT, catalog)
    assert [p for p in problems if "examples" in p.file] == []


def test_make_reference_writes_it():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert "reference:" in makefile and "python -m wispgate_connectors.reference" in makefile
