"""The writers' reference, generated from the schema into ``connector-reference.md``.

``python -m wispgate_connectors.reference [--check]`` (``make reference``) writes it;
``tests/test_reference.py`` fails when it is out of date.  It is plain Markdown, so it reads
on any forge, and a page of the site.

Every key of a connector file, in file order: whether it is required, its value (the words
of the ``connector-schema`` tables), its meaning (the schema's ``description``), an example
(from ``data/examples/annotated.yaml``, which a test checks against the schema) and the
messages it can produce.  The messages are not written by hand: the annotated example is
broken in each way the schema and the rules beside it check (a key left out, a wrong type,
a value outside its choices or pattern, an unknown key, a dangling id...), and the checks
``make check`` and the build run say what they say.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import catalog as catalog_module
from . import lint, secrets, validation, writer_rules
from .model import SCHEMA_DIR, Catalog, Marks, build_connector, load_schema
from .yamlio import read_yaml

PROJECT = SCHEMA_DIR.parents[1]
OUTPUT = "connector-reference.md"
EXAMPLE = Path("data/examples/annotated.yaml")
#: where messages say the file is: the annotated example's connector, as a real file
DISPLAY = "data/connectors/acme-radius.yaml"
#: a page of the site outside the navigation (the writing guide links to it), so that no toctree
#: directive shows in writing-guide.md on the forge; and outside the search, which is the operators':
#: its example ports and codes would rank above the guides
HEADER = (
    "---\norphan: true\nnosearch: true\n---\n\n"
    "<!-- Generated from data/schema/connector.schema.json and data/examples/annotated.yaml by "
    "`make reference`: edit those, not this file. -->\n"
)
MAX_EXAMPLE_LINES = 14


@dataclass(frozen=True)
class Key:
    #: keys and list indexes (0 for "any item") from the top of the file
    path: tuple[Any, ...]
    #: as messages show it, with [] for a list item: fields[].name
    display: str
    schema: dict[str, Any]
    required: bool
    parent_required: bool


def _resolve(part: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema part with its ``$ref`` followed (the part's own keys win)."""
    if "$ref" not in part:
        return part
    target = schema["$defs"][str(part["$ref"]).rsplit("/", 1)[-1]]
    return {**_resolve(target, schema), **{k: v for k, v in part.items() if k != "$ref"}}


def keys(schema: dict[str, Any]) -> list[Key]:
    """Every key a connector file may hold, parents before their children."""

    def visit(part: dict[str, Any], path: tuple[Any, ...], display: str, parent_required: bool) -> Iterator[Key]:
        required = set(part.get("required", ()))
        for name, prop in part.get("properties", {}).items():
            here, shown = (*path, name), f"{display}.{name}" if display else name
            yield Key(here, shown, prop, name in required, parent_required)
            target = _resolve(prop, schema)
            if target.get("type") == "object" and "properties" in target:
                yield from visit(target, here, shown, parent_required and name in required)
            items = _resolve(target.get("items", {}), schema) if target.get("type") == "array" else {}
            if items.get("type") == "object" and "properties" in items:
                yield from visit(items, (*here, 0), f"{shown}[]", parent_required and name in required)

    return list(visit(schema, (), "", True))


# --- examples ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the project's files write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _find(data: Any, path: tuple[Any, ...]) -> tuple[bool, Any]:
    """The value at ``path``; an index 0 means the first item that has the rest of the path."""
    if not path:
        return True, data
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        for item in data if isinstance(data, list) else []:
            found, value = _find(item, rest)
            if found:
                return True, value
        return False, None
    if isinstance(data, dict) and head in data:
        return _find(data[head], rest)
    return False, None


def _nest(path: tuple[Any, ...], value: Any) -> Any:
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def example(data: dict[str, Any], key: Key) -> str | None:
    """A short YAML excerpt showing the key in place, from the annotated example."""
    found, value = _find(data, key.path)
    if not found:
        return None
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[:1]  # one item shows the shape
    text = yaml.dump(_nest(key.path, value), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    lines = text.splitlines()
    if len(lines) > MAX_EXAMPLE_LINES:
        lines = [*lines[:MAX_EXAMPLE_LINES], "# ..."]
    return "\n".join(lines)


# --- messages ---------------------------------------------------------------------------------------


class Checker:
    """The checks of ``make check`` on one connector's data, in memory, against the real project."""

    def __init__(self, root: Path = PROJECT) -> None:
        from .safety import project_settings

        self.real = catalog_module.load_catalog(root)
        self.settings = project_settings(root)
        self.docs = lint.scan_pages(root, self.settings).docs

    def messages(self, data: Any) -> list[str]:
        """What the checks say about ``data`` as data/connectors/acme-radius.yaml, without lines."""
        marks = Marks()
        problems = validation.schema_problems(data, marks, DISPLAY)
        if not problems:
            stem = Path(DISPLAY).stem
            problems = validation.connector_rules(data, marks, DISPLAY, stem, self.real.domains, self.real.use_cases)
        if not problems:
            connector = build_connector(data, marks, DISPLAY)
            catalog = Catalog(root=self.real.root, domains=self.real.domains, use_cases=self.real.use_cases)
            catalog.connectors = {**self.real.connectors, connector.id: connector}
            catalog.renamed = {k: v for k, v in self.real.renamed.items() if v != connector.id}
            catalog_module._cross_references(catalog)
            problems = [p for p in catalog.problems if p.file == DISPLAY]
            only = Catalog(root=self.real.root, connectors={connector.id: connector})
            problems += validation.page_rules(only, lambda cid: True, lambda doc: doc in self.docs)
            problems += secrets.secret_examples(only)
            problems += validation.todo_problems(data, (), marks, DISPLAY)
            problems += writer_rules.finished_problems(connector)
        return sorted({p.message for p in problems})


#: a value each kind of check refuses: (what it shows, the value)
_WRONG_TYPE = {
    "string": 12345,
    "boolean": "sometimes",
    "integer": "many",
    "array": "one value",
    "object": "one value",
}
#: values that break a pattern, by what the value is
_BAD_PATTERN = {
    "key": "Acme_Pay",
    "line": "two\nlines",
    "date": "20 Nov 2026",
    "https": "ftp://files.example.com/manual",
    "http": "docs.example.com/manual",
    "doc": "../conf",
    "host": "https://api.example.com/v1",
    "language": "Bash Shell",
    "range": "3799-",
    "text": "  ",
}


def _pattern_case(key: Key, part: dict[str, Any]) -> Any:
    pattern = str(part.get("pattern", ""))
    ref = str(key.schema.get("$ref", "")).rsplit("/", 1)[-1]
    if ref in _BAD_PATTERN:
        return _BAD_PATTERN[ref]
    if pattern.startswith("^https://"):
        return _BAD_PATTERN["https"]
    if pattern.startswith("^https?://"):
        return _BAD_PATTERN["http"]
    if pattern.startswith("^[a-z0-9][a-z0-9_/-]"):
        return _BAD_PATTERN["doc"]
    if "(\\*\\.)?" in pattern:
        return _BAD_PATTERN["host"]
    if pattern.startswith("^[a-z0-9+#_-]"):
        return _BAD_PATTERN["language"]
    if pattern.startswith("^[a-z0-9]+(-"):
        return _BAD_PATTERN["key"]
    if pattern == "\\S":
        return _BAD_PATTERN["text"]
    return "\n"


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    *parents, last = path
    for part in parents:
        data = data[part]
    data[last] = value


def _delete(data: Any, path: tuple[Any, ...]) -> None:
    *parents, last = path
    for part in parents:
        data = data[part]
    del data[last]


def _concrete(data: Any, path: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """``path`` with each 0 replaced by the index of the first item holding the rest, or None."""
    if not path:
        return ()
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        for i, item in enumerate(data if isinstance(data, list) else []):
            tail = _concrete(item, rest)
            if tail is not None:
                return (i, *tail)
        return None
    if isinstance(data, dict) and head in data:
        tail = _concrete(data[head], rest)
        return None if tail is None else (head, *tail)
    return None


#: one way to break a key: a function of (the data, the key's path in it); what it returns is ignored
Case = Callable[[Any, tuple[Any, ...]], object]


def setter(value: Any) -> Case:
    def apply(data: Any, path: tuple[Any, ...]) -> None:
        _set(data, path, copy.deepcopy(value))

    return apply


def _delete_case(data: Any, path: tuple[Any, ...]) -> None:
    _delete(data, path)


def _twice(data: Any, path: tuple[Any, ...]) -> None:
    _set(data, path, [*_get(data, path)[:1], *_get(data, path)[:1]])


def misspelled(first: str, item: bool) -> Case:
    """An unknown key: the first allowed one with its last letter doubled."""

    def apply(data: Any, path: tuple[Any, ...]) -> None:
        target = _get(data, path)
        (target[0] if item else target)[first + first[-1]] = "x"

    return apply


def cases(key: Key, schema: dict[str, Any]) -> Iterator[Case]:
    """Ways to break one key, each a function of (data, the key's path in it)."""
    part = _resolve(key.schema, schema)
    if key.required:
        yield _delete_case
    kinds = part.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    if "enum" in part:
        yield setter("other")
    elif len(kinds) == 1 and kinds[0] in _WRONG_TYPE:
        yield setter(_WRONG_TYPE[kinds[0]])
    elif len(kinds) > 1:
        yield setter({"a": 1})
    if "pattern" in part and "string" in kinds:
        yield setter(_pattern_case(key, part))
    if "maxLength" in part:
        yield setter("x" * (int(part["maxLength"]) + 1))
    if part.get("minItems"):
        yield setter([])
    if part.get("uniqueItems"):
        yield _twice
    items = _resolve(part.get("items", {}), schema)
    alternatives = [_resolve(o, schema) for o in items.get("oneOf", ())]
    if items.get("type") == "integer" or any("minimum" in o for o in alternatives):
        yield setter([0])
    if any("pattern" in o for o in alternatives):
        yield setter(["3799-"])
        yield setter(["3800-3799"])
    if part.get("type") == "object" and part.get("additionalProperties") is False:
        yield misspelled(next(iter(part.get("properties", {})), "x"), item=False)
    if items.get("type") == "object" and items.get("additionalProperties") is False:
        yield misspelled(next(iter(items.get("properties", {})), "x"), item=True)
    yield from RULES.get(key.display, ())


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _deprecated_without_replacement(data: Any, path: tuple[Any, ...]) -> None:
    _set(data, path, "deprecated")
    data.pop("replaced_by")


def _two_targets(data: Any, path: tuple[Any, ...]) -> None:
    data["related"][0]["url"] = "https://docs.example.com/x"


def _covers_no_failures(data: Any, path: tuple[Any, ...]) -> None:
    for source in data["sources"]:
        source["covers"] = "fields"


#: the rules beside the schema (validation.py, catalog.py, writer_rules.py, secrets.py), by key
RULES: dict[str, list[Case]] = {
    "id": [setter("acme-nas-radius")],
    "name": [setter("TODO: page title")],
    "domain": [setter("networking")],
    "use_cases": [setter(["billing"])],
    "status": [_deprecated_without_replacement],
    "replaced_by": [setter("acme-radius"), setter("acme-radius-2")],
    "renamed_from": [setter(["mikrotik"])],
    "after": [setter(["acme-switch"])],
    "fields[].type": [lambda d, p: d["fields"][2].pop("choices")],
    "fields[].default": [lambda d, p: _set(d, ("fields", 2, "default"), "suspend")],
    "fields[].example": [lambda d, p: _set(d, ("fields", 1, "example"), "s3cr3t-Acme-9f8e7d6c5b4a")],
    "related": [_two_targets, lambda d, p: d.pop("related")],
    "related[].doc": [setter("concepts/acme")],
    "related[].connector": [setter("acme-switch")],
    "versions": [lambda d, p: d["versions"].reverse()],
    "failures": [lambda d, p: _set(d, p, d["failures"][:1])],
    "example": [lambda d, p: d.pop("example")],
    "sources": [lambda d, p: _set(d, p, d["sources"][:1]), _covers_no_failures],
    "verified": [lambda d, p: d.pop("verified")],
}


def key_messages(checker: Checker, data: dict[str, Any], key: Key, schema: dict[str, Any]) -> list[str]:
    path = _concrete(data, key.path)
    if path is None:
        return []
    out: list[str] = []
    for case in cases(key, schema):
        broken = copy.deepcopy(data)
        case(broken, path)
        for message in checker.messages(broken):
            if message not in out:
                out.append(message)
    return out


# --- messages any value can give ------------------------------------------------------------------

#: (what the writer wrote, as a line of YAML) for the messages of the YAML layer
ANY_VALUE = [
    "summary: Note: the key is per account.",
    'summary: "Opens a quote and never closes it.',
    "summary: 'It's one sentence.'",
    "summary: `radius` does it.",
    "use_cases: [subscriber-auth",
    "featured: on",
    "since: 2026.10",
    "vendor: Acme\u200bNetworks",
    "vendor: &acme Acme Networks",
]
MARKUP = [
    "```{raw} html\n<b>x</b>\n```",
    "A file link: [open](ftp://files.example.com/setup.txt)",
    "An image: ![logo](logo.png)",
    "A formula: {math}`x^2`",
    "A class: [text]{.red}",
]


def any_value_messages(checker: Checker, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(what was written, the message) for the YAML layer, markup and placeholders."""
    import tempfile

    out = []
    base = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "acme-radius.yaml"
        for line in ANY_VALUE:
            key = line.split(":", 1)[0]
            text = re.sub(rf"^{key}:.*$", line.replace("\\", "\\\\"), base, count=1, flags=re.M)
            path.write_text(text, encoding="utf-8")
            _, _, problems = read_yaml(path, DISPLAY, Path(tmp))
            if not problems:
                value, marks, _ = read_yaml(path, DISPLAY, Path(tmp))
                problems = validation.schema_problems(value, marks, DISPLAY)
            out += [(line, p.message) for p in problems[:1]]
        # an indentation slip
        text = base.replace("\n  where:", "\n   where:", 1)
        path.write_text(text, encoding="utf-8")
        _, _, problems = read_yaml(path, DISPLAY, Path(tmp))
        out += [("overview:\n  what: ...\n   where: ...", p.message) for p in problems[:1]]
    extensions = checker.settings.get("myst_enable_extensions", ())
    for text in MARKUP:
        out += [(f"summary: {text}", message) for message in lint.refusals(text, False, extensions)[:1]]
    todo = copy.deepcopy(data)
    todo["summary"] = "TODO: one sentence for the catalog card."
    out += [("summary: TODO: one sentence for the catalog card.", m) for m in checker.messages(todo) if "TODO" in m]
    return out


# --- the page --------------------------------------------------------------------------------------


def _code(text: str) -> str:
    """Inline code that survives any backticks inside."""
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fence(text: str, language: str = "yaml") -> str:
    run = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (run + 1)
    return f"{fence}{language}\n{text}\n{fence}"


#: keys the schema leaves optional and a finished guide needs (writer_rules.finished_problems)
FINISHED = {
    "example": "a finished guide has one",
    "related": "a finished guide lists at least one",
    "sources": f"a finished guide names at least {writer_rules.MIN_SOURCES}, one backing the failure points",
    "verified": "a finished guide has it",
    "failures": f"a finished guide lists at least {writer_rules.MIN_FAILURES}",
}


def _words(key: Key) -> str:
    """The value in words, as the writing guide's tables say it, without their cross-references."""
    from .schema_doc import describe

    return re.sub(r" \(see [^)]* below\)", "", describe(key.schema)).replace("|", "/")


def _shown(text: str) -> str:
    """What a writer wrote, on one line, invisible characters as escapes."""
    from .safety import INVISIBLE

    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\n", " ⏎ "))


def render(root: Path = PROJECT) -> str:
    schema = load_schema()
    data, _, problems = read_yaml(root / EXAMPLE, EXAMPLE.as_posix(), root)
    if problems or not isinstance(data, dict):
        raise SystemExit(f"{EXAMPLE}: {problems[0] if problems else 'not a mapping'}")
    checker = Checker(root)
    all_keys = keys(schema)
    out = [
        HEADER,
        "# Connector reference\n",
        "Every key of a connector file, `data/connectors/<id>.yaml`, in the order the files write them: "
        "whether it is required, what it holds, what it means, an example, and the messages `make check` "
        "and the build print for it (each after `data/connectors/<id>.yaml:<line>: `). "
        "The data contract is `data/schema/connector.schema.json`; this page is generated from it "
        "(`make reference`), so it cannot fall behind.\n",
        "A complete file with every key, each explained in a comment: `data/examples/annotated.yaml` "
        "(the examples below come from it). How to add a guide, preview it and pass CI: "
        "[the writing guide](writing-guide.md).\n",
        "## Keys at a glance\n",
        "| Key | Required | Value |",
        "|---|---|---|",
    ]
    for key in all_keys:
        required = "yes" if key.required and key.parent_required else ("yes, in its entry" if key.required else "no")
        if key.display in FINISHED and not key.required:
            required = "no; yes for a finished guide"
        out.append(f"| {_code(key.display)} | {required} | {_words(key)} |")
    out.append("")
    out.append("## Messages any value can give\n")
    out.append(
        "Before any key is checked, the file must read as YAML, and values must read as what they show. "
        "What was written, and what the check says:\n"
    )
    for written, message in any_value_messages(checker, data):
        out.append(f"- {_code(_shown(written))}: {_code(message)}")
    out.append("")
    out.append("## Every key\n")
    for key in all_keys:
        part = _resolve(key.schema, schema)
        out.append(f"### {_code(key.display)}\n")
        if key.required and key.parent_required:
            need = "Required."
        elif key.required:
            need = f"Required in every entry of {_code(key.display.rsplit('.', 1)[0])}."
        else:
            need = "Optional."
        meaning = key.schema.get("description") or part.get("description") or ""
        if "default" in part:
            meaning = f"{meaning} Default: {_code(str(part['default']).lower())}.".strip()
        if key.display in FINISHED:
            need = f"{need[:-1]}; {FINISHED[key.display]} (what CI checks)."
        out.append(f"{need} Value: {_words(key)}.\n")
        if meaning:
            out.append(f"{meaning}\n")
        shown = example(data, key)
        if shown:
            out.append(_fence(shown) + "\n")
        messages = key_messages(checker, data, key, schema)
        if messages:
            out.append("Messages:\n")
            out += [f"- {_code(m)}" for m in messages]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wispgate_connectors.reference")
    parser.add_argument("--check", action="store_true", help="fail when the committed file is out of date")
    args = parser.parse_args(argv)
    text = render()
    path = PROJECT / OUTPUT
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run make reference", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
