"""``connector-schema``: the data contract, key by key, generated from the JSON Schema.

The writers' page cannot drift from what the loader enforces: both read
data/schema/connector.schema.json.
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .model import SCHEMA_FILE

#: how a shared definition reads to a writer
DEF_WORDS = {
    "key": "slug (lowercase letters, digits, hyphens)",
    "line": "one line of text (MyST inline markup)",
    "text": "text (MyST inline markup)",
    "block": "text (MyST Markdown, paragraphs, lists and code blocks allowed)",
    "date": 'ISO date, quoted: "2026-11-20"',
    "scalar": "text, number or true/false",
    "code": "mapping: language, text",
    "field": "mapping (see Fields below)",
    "step": "mapping (see Flow steps below)",
    "failure": "mapping (see Failure points below)",
    "check": "mapping (see Validation checks below)",
    "related": "mapping (see Related resources below)",
    "version": "mapping (see Version notes below)",
    "version-name": "one line of text, up to 40 characters",
    "port": "port number, 1 to 65535",
    "rule": "mapping (see Network rules below)",
    "source": "mapping (see Sources below)",
}

NESTED = [
    ("field", "Fields (`fields[]`)"),
    ("step", "Flow steps (`flow[]`)"),
    ("failure", "Failure points (`failures[]`)"),
    ("check", "Validation checks (`validation[]`)"),
    ("related", "Related resources (`related[]`)"),
    ("version", "Version notes (`versions[]`)"),
    ("rule", "Network rules (`network[]`)"),
    ("source", "Sources (`sources[]`)"),
    ("code", "Code blocks (`example`, `flow[].code`)"),
]


def describe(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = str(prop["$ref"]).rsplit("/", 1)[-1]
        return DEF_WORDS.get(name, name)
    if "enum" in prop:
        return "one of " + ", ".join(str(v) for v in prop["enum"])
    if "oneOf" in prop:
        return " or ".join(describe(alt) for alt in prop["oneOf"])
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items", {})
        least = prop.get("minItems")
        return f"list of {describe(items)}" + (f", at least {least}" if least else "")
    if kind == "object":
        keys = list(prop.get("properties", {}))
        return "mapping: " + ", ".join(keys) if keys else "mapping"
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        return _string_words(str(prop.get("pattern", "")))
    return str(kind or "value")


#: what a string's pattern asks for, in words (the first that matches)
_PATTERN_WORDS = (
    ("^https://", "https:// address"),
    ("^https?://", "http(s) address"),
    ("^[a-z0-9]+(-[a-z0-9]+)*$", "slug (lowercase letters, digits, hyphens)"),
    ("^20[0-9]{2}", 'WISPGate release as YYYY.MM, quoted: "2026.11"'),
    ("^[1-9][0-9]{0,4}-", 'port range, quoted: "10000-20000"'),
    ("(s|m|h|d)$", "duration: a number and s, m, h or d, e.g. 5m"),
    ("(\\*\\.)?", "host name, e.g. api.example.com"),
    ("^[a-z0-9+#_-]+$", "Pygments lexer name, e.g. bash, json, text"),
    ("/", "page name, e.g. concepts/subscriber-model"),
)


def _string_words(pattern: str) -> str:
    for start, words in _PATTERN_WORDS:
        if pattern.startswith(start) or (start.startswith(("(", "/")) and start in pattern) or pattern.endswith(start):
            return words
    return "text"


def table(schema_part: dict[str, Any]) -> nodes.table:
    required = set(schema_part.get("required", ()))
    rows = []
    for key, prop in schema_part.get("properties", {}).items():
        meaning = prop.get("description", "")
        if "default" in prop:
            default = json.dumps(prop["default"]).strip('"')
            meaning = f"{meaning} Default: {default}.".strip()
        rows.append((key, "yes" if key in required else "no", describe(prop), meaning))
    headers = ("Key", "Required", "Value", "Meaning")
    tbl = nodes.table(classes=["wg-schema-table"])
    group = nodes.tgroup(cols=4)
    tbl += group
    for width in (2, 1, 3, 5):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(h, h)) for h in headers))
    group += head
    body = nodes.tbody()
    for key, req, value, meaning in rows:
        body += nodes.row(
            "",
            nodes.entry("", nodes.paragraph("", "", nodes.literal(key, key))),
            nodes.entry("", nodes.paragraph(req, req)),
            nodes.entry("", nodes.paragraph(value, value)),
            nodes.entry("", nodes.paragraph(meaning, meaning)),
        )
    group += body
    return tbl


class ConnectorSchemaDirective(SphinxDirective):
    """Tables of every key of a connector file, from the published schema."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(SCHEMA_FILE))
        schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        out: list[nodes.Node] = [table(schema)]
        for name, title in NESTED:
            part = schema["$defs"][name]
            ident = f"schema-{name}"
            section = nodes.section("", ids=[ident], names=[ident])
            title_text = title.replace("`", "")
            section += nodes.title(title_text, title_text)
            if name == "field":
                kinds = ", ".join(schema["$defs"]["field"]["properties"]["type"]["enum"])
                section += nodes.paragraph("", f"Field types: {kinds}.")
            section += table(part)
            self.state.document.note_implicit_target(section, section)
            out.append(section)
        return out


def setup_schema_doc(app: Sphinx) -> None:
    app.add_directive("connector-schema", ConnectorSchemaDirective)
