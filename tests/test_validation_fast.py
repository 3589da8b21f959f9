"""The compiled validity check (fastjsonschema) agrees with jsonschema, which makes the messages.

A valid file skips jsonschema; an invalid one is explained by it.  So the compiled check
must never call a value valid that jsonschema finds fault with: checked here on the
fixtures' bad and hostile files and on mutations of every shipped data file.
"""

from __future__ import annotations

import copy
import os
import random
from pathlib import Path
from typing import Any

import pytest
from test_bad_input import CASES as BAD_CASES
from test_security import CASES as HOSTILE_CASES

from conftest import PROJECT
from wispgate_connectors import validation
from wispgate_connectors.yamlio import read_yaml

#: the fast lane's share of the examples (``make test-fast`` sets 0.2; ``make test`` runs them all)
SCALE = float(os.environ.get("WG_FUZZ", "1"))

SCHEMAS = {
    "connector.schema.json": sorted((PROJECT / "data" / "connectors").glob("*.yaml")),
    "taxonomy.schema.json": [PROJECT / "data" / "domains.yaml", PROJECT / "data" / "use-cases.yaml"],
    "readiness.schema.json": [PROJECT / "data" / "readiness.yaml"],
    "vendor-changes.schema.json": [PROJECT / "data" / "vendor-changes.yaml"],
}

#: values a writer (or a hostile file) could put anywhere
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    1.0,
    1.5,
    -3,
    70000,
    "",
    " ",
    "x",
    "x\n",
    "two\nlines",
    "UPPER",
    "a b",
    "a--b",
    "-a",
    "2026-02-30",
    "2026-13-01",
    "2024-02-29",
    "2026-01-01\n",
    "\u0663\u0663\u0663\u0663-01-01",
    "2026.01",
    "2026.13",
    "5m",
    "0m",
    "1812-1813",
    "1813-1812",
    "api.example.com",
    "API.example.com",
    "https://example.com",
    "http://example.com",
    "https://",
    "bash",
    "\u3000",
    "x" * 5000,
    [],
    [1, 1.0],
    [True, 1],
    ["a", "a"],
    [{"a": 1}, {"a": 1.0}],
    {},
    {"unknown": 1},
]


def _agree(schema: str, data: Any) -> None:
    fast = validation._fast_validator(schema)
    assert fast is not None, schema
    expected = not any(True for _ in validation._validator(schema).iter_errors(data))
    assert fast(data) == expected, (schema, data)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(data)
    parent = out
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return out


def _mutations(data: Any, rng: random.Random, count: int) -> list[Any]:
    paths = _paths(data)
    out = []
    for _ in range(count):
        path = rng.choice(paths)
        kind = rng.random()
        if kind < 0.7:
            out.append(_set(data, path, rng.choice(ODD_VALUES)))
            continue
        mutated = copy.deepcopy(data)
        parent = mutated
        for part in path[:-1]:
            parent = parent[part]
        if not path:
            continue
        if isinstance(parent, dict) and kind < 0.8:
            del parent[path[-1]]  # a required key missing, or an optional one gone
        elif isinstance(parent, dict):
            parent[rng.choice(["unknown", "Name", "id ", "x-messages"])] = "value"
        elif kind < 0.9:
            parent.append(copy.deepcopy(parent[path[-1]]))  # a list item given twice
        else:
            parent.clear()
        out.append(mutated)
    return out


#: the smallest valid connector: the bad-input corpus' own base file
MINIMAL = BAD_CASES[0][1].replace("[subscriber-auth\n", "[subscriber-auth]\n")


def _parsed(text: str) -> Any:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.yaml"
        path.write_text(text, encoding="utf-8")
        data, _, problems = read_yaml(path, "case.yaml", Path(tmp))
    return None if problems else data


def _systematic(schema: str, data: Any, paths: list[tuple[Any, ...]]) -> int:
    """Every odd value at every path given; how many of them the schema refuses."""
    refused = 0
    for path in paths:
        for value in ODD_VALUES:
            mutated = _set(data, path, value)
            _agree(schema, mutated)
            refused += not validation._fast_validator(schema)(mutated)  # type: ignore[misc]
    return refused


def test_every_odd_value_at_every_place_of_a_small_connector():
    data = _parsed(MINIMAL)
    _agree("connector.schema.json", data)
    assert validation._fast_validator("connector.schema.json")(data)  # type: ignore[misc]
    paths = _paths(data)
    step = max(1, round(1 / SCALE))  # every place in `make test`, an even spread of them in the fast lane
    assert _systematic("connector.schema.json", data, paths[::step]) > 1000 // step


@pytest.mark.slow
def test_every_odd_value_at_every_kind_of_place_of_the_shipped_data():
    """One place of each shape (list items as the first) of every shipped file."""
    for schema, files in SCHEMAS.items():
        seen: set[tuple[Any, ...]] = set()
        for path in files:
            data, _, _ = read_yaml(path, path.name, path.parent)
            shapes = {}
            for place in _paths(data):
                shape = tuple(0 if isinstance(p, int) else p for p in place)
                if shape not in seen:
                    seen.add(shape)
                    shapes[shape] = place
            _systematic(schema, data, list(shapes.values()))


def test_every_schema_of_the_catalog_is_compiled():
    for schema in SCHEMAS:
        assert validation._fast_validator(schema) is not None, schema


@pytest.mark.parametrize("schema", sorted(SCHEMAS))
def test_shipped_data_is_valid_for_both(schema):
    for path in SCHEMAS[schema]:
        data, _, problems = read_yaml(path, path.name, path.parent)
        assert not problems
        _agree(schema, data)


def test_fixture_files_agree():
    """Every bad and hostile fixture that parses gets the same verdict from both."""
    tried = 0
    for _, text, _ in BAD_CASES + HOSTILE_CASES:
        data = _parsed(text)
        if not isinstance(data, dict):
            continue
        _agree("connector.schema.json", data)
        tried += 1
    assert tried >= 20


@pytest.mark.parametrize("schema", sorted(SCHEMAS))
def test_mutated_data_agrees(schema):
    rng = random.Random(schema)
    per_file = 300 // len(SCHEMAS[schema]) if schema != "connector.schema.json" else 10
    per_file = max(2, int(per_file * SCALE))
    invalid = 0
    for path in SCHEMAS[schema]:
        data, _, _ = read_yaml(path, path.name, path.parent)
        for mutated in _mutations(data, rng, per_file):
            _agree(schema, mutated)
            invalid += not validation._fast_validator(schema)(mutated)  # type: ignore[misc]
    assert invalid > 30 * SCALE  # the mutations do break the schema


def test_messages_unchanged_by_the_fast_check(monkeypatch):
    """An invalid file's messages come from jsonschema, with or without the compiled check."""
    path = PROJECT / "data" / "connectors" / sorted(p.name for p in SCHEMAS["connector.schema.json"])[0]
    data, _, _ = read_yaml(path, path.name, path.parent)
    bad = _set(data, ("versions", 0, "date"), "2026-02-30")
    validation._seen.clear()
    with_fast = validation._schema_errors("connector.schema.json", bad)
    validation._seen.clear()
    monkeypatch.setattr(validation, "_fast_validator", lambda name: None)
    assert validation._schema_errors("connector.schema.json", bad) == with_fast
    assert with_fast and "date" in with_fast[0][1]


def test_defaults_are_not_filled_in():
    path = SCHEMAS["connector.schema.json"][0]
    data, _, _ = read_yaml(path, path.name, path.parent)
    before = copy.deepcopy(data)
    validation._fast_validator("connector.schema.json")(data)  # type: ignore[misc]
    assert data == before
