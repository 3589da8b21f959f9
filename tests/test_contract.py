"""The data contract is defined once, in the JSON Schemas: everything else is pinned to them.

Each test names the key that drifted.
"""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import PROJECT
from wispgate_connectors import model
from wispgate_connectors.model import load_schema

SCHEMA = load_schema()
CATALOG_SCHEMA = json.loads((PROJECT / "data/schema/catalog.schema.json").read_text())


def object_schemas() -> dict[str, dict]:
    """Every object of the connector schema with its record name (see model._Types)."""
    out: dict[str, dict] = {}

    def walk(name: str, schema: dict) -> None:
        if "$ref" in schema:
            return
        if "properties" in schema:
            out[name] = schema
            for key, prop in schema["properties"].items():
                walk(f"{name}.{key}", prop)
        for sub in ("items", "additionalProperties"):
            if isinstance(schema.get(sub), dict):
                walk(name, schema[sub])
        for sub in ("oneOf", "anyOf", "allOf"):
            for i, alt in enumerate(schema.get(sub, ())):
                walk(f"{name}.{sub}{i}", alt)

    walk("connector", SCHEMA)
    for name, schema in SCHEMA["$defs"].items():
        walk(name, schema)
    return out


@pytest.mark.parametrize("name", sorted(object_schemas()))
def test_every_schema_object_is_a_record_with_its_keys(name):
    cls = model._connector_types().classes[name]
    assert cls.keys == tuple(object_schemas()[name]["properties"]), name


@pytest.mark.parametrize("name", sorted(object_schemas()))
def test_no_schema_key_hides_a_record_attribute(name):
    cls = model._connector_types().classes[name]
    # what the record and its mixin define, and what instances carry besides the data
    reserved = {a for a in dir(cls) if not a.startswith("__")} | {"line", "_given", "marks", "path"}
    clashes = set(object_schemas()[name]["properties"]) & reserved
    assert not clashes, f"{name}: key(s) {sorted(clashes)} would hide a Record attribute; rename the key"


TYPING_VIEW = {
    "Connector": "connector",
    "ConfigField": "field",
    "Code": "code",
    "Step": "step",
    "Failure": "failure",
    "Check": "check",
    "Related": "related",
    "Version": "version",
}
DERIVED = {"is_secret", "body"}  # properties the record classes add


def iter_indented(lines: list[str]):
    for line in lines:
        if line.strip() and not line.startswith(" " * 8):
            return
        yield line


@pytest.mark.parametrize("view,name", sorted(TYPING_VIEW.items()))
def test_typing_view_declares_only_schema_keys(view, name):
    """The TYPE_CHECKING classes in model.py are what mypy sees: they may not name a key the schema lacks."""
    source = (PROJECT / "_ext/wispgate_connectors/model.py").read_text()
    lines = source.split(f"    class {view}(", 1)[1].splitlines()[1:]
    block = [line for line in iter_indented(lines)]
    declared = {line.split(":")[0].strip() for line in block if ":" in line}
    schema = SCHEMA if name == "connector" else SCHEMA["$defs"][name]
    unknown = declared - set(schema["properties"]) - DERIVED
    assert not unknown, f"model.py's typing view {view} declares {sorted(unknown)}, which {name} does not have"


def test_catalog_json_schema_follows_the_export():
    from wispgate_connectors.export import ADDED, EXPORTED

    exported = CATALOG_SCHEMA["$defs"]["connector"]["properties"]
    for key in EXPORTED:
        assert key in SCHEMA["properties"], f"export names '{key}', which connector.schema.json lacks"
        assert key in exported, f"catalog.json carries '{key}' but catalog.schema.json does not describe it"
    assert set(exported) == set(EXPORTED) | set(ADDED), (
        f"catalog.schema.json describes {sorted(set(exported) - set(EXPORTED) - set(ADDED))} that no code exports"
    )
    fields = exported["fields"]["items"]["properties"]
    assert set(fields) <= set(SCHEMA["$defs"]["field"]["properties"]), "catalog.json field keys"


def test_catalog_index_schema_follows_the_rows_and_the_connector_schema():
    """catalog-index.json's row layout is readertools.FIELDS; each value's words are the connector schema's."""
    from wispgate_connectors.readertools import FIELDS, INDEX_VERSION

    index = json.loads((PROJECT / "data/schema/catalog-index.schema.json").read_text())
    assert index["properties"]["version"]["const"] == INDEX_VERSION
    assert index["properties"]["fields"]["const"] == list(FIELDS), "catalog-index.schema.json fields"
    row = dict(zip(FIELDS, index["$defs"]["connector"]["prefixItems"], strict=True))
    assert row["complexity"]["enum"] == SCHEMA["properties"]["complexity"]["enum"]
    assert row["status"]["enum"] == sorted(SCHEMA["properties"]["status"]["enum"], key=lambda s: s != "ga")
    assert row["status"]["default"] == SCHEMA["properties"]["status"]["default"]
    assert row["sync"]["enum"] == SCHEMA["properties"]["sync"]["properties"]["mode"]["enum"]
    assert index["$defs"]["key"]["pattern"] == SCHEMA["properties"]["id"]["pattern"]
    # the first seven values are always there; status, after and url only when not at their default
    assert index["$defs"]["connector"]["minItems"] == FIELDS.index("status")


def test_every_required_key_is_in_the_scaffold(tmp_path):
    from wispgate_connectors.cli import SCAFFOLD

    text = SCAFFOLD.format(
        id="x",
        domain="d",
        vendor="V",
        name="N",
        use_case="u",
        today="2026-01-01",
        month="2026.01",
        related_connector="",
    )
    data = yaml.safe_load(text)
    missing = [k for k in SCHEMA["required"] if k not in data]
    assert not missing, f"make new does not write the required key(s) {missing}"
    for name in SCHEMA["properties"]:
        if name not in data:
            assert f"# {name}:" in text, f"make new does not mention the optional key '{name}'"


def test_taxonomy_and_readiness_files_name_their_schema():
    for name, schema in (("domains.yaml", "taxonomy"), ("use-cases.yaml", "taxonomy"), ("readiness.yaml", "readiness")):
        first = (PROJECT / "data" / name).read_text().splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{schema}.schema.json", name


def test_id_pattern_is_the_schemas():
    from wispgate_connectors.validation import ID_PATTERN

    taxonomy = json.loads((PROJECT / "data/schema/taxonomy.schema.json").read_text())
    assert ID_PATTERN.pattern.replace(r"\Z", "$") == SCHEMA["properties"]["id"]["pattern"]
    assert taxonomy["items"]["properties"]["key"]["pattern"] == SCHEMA["properties"]["id"]["pattern"]
    assert SCHEMA["$defs"]["key"]["pattern"] == SCHEMA["properties"]["id"]["pattern"]


def test_records_pickle_and_read_defaults(tmp_path):
    import pickle

    from wispgate_connectors.catalog import load_catalog

    catalog = load_catalog(PROJECT)
    c = catalog.connectors["mikrotik"]
    again = pickle.loads(pickle.dumps(c))
    assert again == c and again.path == c.path and again.line_of("id") == c.line_of("id")
    field = model.record_class("field")({"name": "x", "required": True, "type": "string", "description": "d"})
    assert field.secret is False and field.choices == () and field.default is None
    with pytest.raises(AttributeError, match="no key 'nope'"):
        _ = field.nope


def test_every_section_of_the_schema_has_a_renderer_method():
    """A guide's sections are the schema's ``x-section`` annotations; each needs its method."""
    from wispgate_connectors.render import Renderer
    from wispgate_connectors.sections import SECTIONS

    assert [key for key, _ in SECTIONS][:2] == ["overview", "prerequisites"]
    missing = [key for key, _ in SECTIONS if not callable(getattr(Renderer, key.replace("-", "_"), None))]
    assert not missing, f"x-section key(s) {missing} have no Renderer method"
