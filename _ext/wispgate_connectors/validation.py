"""Validate plain values against the JSON Schemas and the rules beside them.

Messages are keyed on the schema: a validator's words come from the schema
value's ``x-messages`` annotation when it has one (``{value}`` is the offending
value), else from the kind of check (type, required, enum...).  No Sphinx import.
"""

from __future__ import annotations

import difflib
import functools
import json
import pickle
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from . import safety
from .model import SCHEMA_DIR, Marks, load_schema
from .report import Problem, Subtype

if TYPE_CHECKING:
    from jsonschema import ValidationError

#: what an id or a taxonomy key looks like: the schema's own pattern
ID_PATTERN = re.compile(load_schema()["properties"]["id"]["pattern"].rstrip("$") + r"\Z")


@cache
def _validator(schema_name: str) -> Any:
    import jsonschema

    schema = json.loads((SCHEMA_DIR / schema_name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        cls, {"pattern": _ecma_pattern, "uniqueItems": _unique_items}
    )
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


#: keywords of draft 2020-12 that fastjsonschema (drafts 4 to 7) does not know and would skip
_NOT_COMPILED = frozenset(
    (
        "prefixItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "$anchor",
        "minContains",
        "maxContains",
        "contentSchema",
        "propertyNames",
        "dependencies",
    )
)


def _as_draft7(schema: Any, formats: set[str], top: bool = False) -> Any:
    """The schema for fastjsonschema, or raise ValueError when it says what draft 7 cannot.

    A 2020-12 ``$ref`` applies beside its sibling keywords, a draft-7 one replaces them:
    the reference moves into an ``allOf``.  Formats used are collected (they are checked
    by jsonschema's own format checker, so a date is a date the same way in both).
    """
    if isinstance(schema, list):
        return [_as_draft7(item, formats) for item in schema]
    if not isinstance(schema, dict):
        return schema
    found = _NOT_COMPILED.intersection(schema)
    if found or ("$id" in schema and not top) or isinstance(schema.get("items"), list):
        raise ValueError(f"not compiled: {sorted(found) or schema}")
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("properties", "$defs", "definitions", "patternProperties"):
            out[key] = {k: _as_draft7(v, formats) for k, v in value.items()}
        elif key in ("enum", "const", "default", "examples", "x-messages", "x-section", "required"):
            out[key] = value
        else:
            out[key] = _as_draft7(value, formats)
    if isinstance(schema.get("format"), str):
        formats.add(schema["format"])
    if "$ref" in out and len(out) > 1:
        out["allOf"] = [*out.get("allOf", []), {"$ref": out.pop("$ref")}]
    return out


@cache
def _fast_validator(schema_name: str) -> Callable[[Any], bool] | None:
    """A compiled check that says whether a value is valid, or None (always use jsonschema).

    It only decides the common case: a valid file costs one call; an invalid one (or any
    doubt: an exception) goes to jsonschema, whose errors make the messages.  Patterns
    are Python's ``re`` with an unescaped '$' read as the very end, like :func:`_ecma_pattern`;
    unique items and enums compare as JSON does; defaults are never filled in.
    """
    try:
        import fastjsonschema
    except ImportError:
        return None
    schema = json.loads((SCHEMA_DIR / schema_name).read_text(encoding="utf-8"))
    formats: set[str] = set()
    try:
        draft7 = _as_draft7(schema, formats, top=True)
    except ValueError:
        return None
    checker = _validator(schema_name).format_checker
    draft7["$schema"] = "http://json-schema.org/draft-07/schema#"
    try:
        compiled = fastjsonschema.compile(
            draft7,
            formats={name: functools.partial(_conforms, checker, name) for name in formats},
            use_default=False,
            use_formats=True,
            detailed_exceptions=False,
        )
    except Exception:  # a schema it cannot compile is validated by jsonschema alone
        return None

    def valid(data: Any) -> bool:
        try:
            compiled(data)
        except Exception:  # invalid, or a value it cannot handle: jsonschema decides
            return False
        return True

    return valid


def _conforms(checker: Any, name: str, value: Any) -> bool:
    return bool(checker.conforms(value, name))


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """Schema patterns are ECMA-262 regexes, where '$' matches only at the very end.

    Python's '$' also matches before a final newline, which let an id like
    "mikrotik\\n" or a two-line name through, while editors reject them.
    """
    import jsonschema

    if not validator.is_type(instance, "string"):
        return
    if len(instance) > schema.get("maxLength", len(instance)):
        return  # too long is reported, and a pattern on a long value can take quadratic time
    python = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    if not re.search(python, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _unique_items(validator: Any, unique: bool, instance: Any, schema: Any) -> Any:
    """``uniqueItems`` in linear time: jsonschema compares every pair of a list that
    mixes types.  Items are equal as in JSON: 1 == 1.0, but true is not 1."""
    import jsonschema

    if not unique or not validator.is_type(instance, "array"):
        return
    seen = set()
    for item in instance:
        key = json_key(item)
        if key in seen:
            yield jsonschema.ValidationError(f"{_shown(item)} is given twice")
            return
        seen.add(key)


def json_key(value: Any) -> tuple[str, Any]:
    """A value as JSON compares it: true is not 1."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    return ("json", json.dumps(value, sort_keys=True, default=str))


def _key_str(key: str) -> str:
    """A key as messages show it: bare when it is a plain word, quoted (one line) otherwise."""
    if len(key) > safety.ECHO_LIMIT:  # a 400,000-character key is shown short
        return repr(safety.clip(key))
    return key if re.fullmatch(r"[\w-]+", key) else repr(key)


def _path_str(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{_key_str(part)}" if out else _key_str(part))
    return out or "(top level)"


_TYPE_WORDS = {
    "boolean": "true or false",
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys to values",
    "integer": "a whole number",
    "number": "a number",
    "null": "nothing",
}


def _shown(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _schema_message(error: Any) -> tuple[tuple[Any, ...], str]:
    """Turn a jsonschema error into (path, words)."""
    path = tuple(error.absolute_path)
    where = _path_str(path)
    v, inst = error.validator, error.instance
    custom = error.schema.get("x-messages", {}).get(v)
    if custom:
        return path, f"{where}: {custom.format(value=_shown(inst))}"
    if v == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        hint = ""
        if expected == ["string"] and isinstance(inst, (int, float)) and not isinstance(inst, bool):
            hint = " (put the value in quotes)"
        elif expected == ["string"] and isinstance(inst, dict) and len(inst) == 1:
            hint = " (a ': ' inside unquoted text starts a mapping; put the text in quotes)"
        return path, f"{where}: expected {words}, got {_shown(inst)}{hint}"
    if v == "required":
        missing = [k for k in error.validator_value if k not in inst]
        return path, f"{where}: missing required key '{missing[0]}'" if missing else f"{where}: {error.message}"
    if v == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed]
        key = extra[0] if extra else "?"
        close = difflib.get_close_matches(str(key), allowed, n=1) if len(str(key)) <= 100 else []
        hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
        return (*path, key), f"{_path_str((*path, key))}: unknown key{hint}"
    if v == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return path, f"{where}: expected one of {choices}, got {_shown(inst)}"
    if v == "minItems":
        n = error.validator_value
        return path, f"{where}: must list at least {n} item" + ("s" if n > 1 else "")
    if v == "uniqueItems":
        return path, f"{where}: lists the same value twice"
    if v == "minLength":
        return path, f"{where}: must not be empty"
    if v == "maxLength":
        return path, f"{where}: is {len(inst)} characters long; the limit is {error.validator_value}"
    if v in ("minimum", "maximum"):
        return path, f"{where}: {_shown(inst)} is out of range ({error.message.split(' is ', 1)[-1]})"
    return path, f"{where}: {error.message}"


def schema_problems(
    data: Any,
    marks: Marks,
    display: str,
    schema_name: str = "connector.schema.json",
    what: str = "a connector file must be a mapping of keys",
) -> list[Problem]:
    """Every place ``data`` breaks the schema, one message each, by line."""
    expected_type = load_schema(schema_name).get("type")
    if expected_type == "object" and not isinstance(data, dict):
        return [Problem(display, marks.line(()), f"{what}, got {_shown(data)}")]
    out = [
        Problem(display, marks.line(path), words, Subtype.schema) for path, words in _schema_errors(schema_name, data)
    ]
    return sorted(set(out), key=lambda p: (p.line, p.message))


#: values checked against a schema in this process before its compiled check is made (0.12 s)
FAST_AFTER = 16
_validated: dict[str, int] = {}

#: (schema, pickled value) -> its errors; bounded, oldest dropped first
_seen: dict[tuple[str, bytes], tuple[tuple[tuple[Any, ...], str], ...]] = {}
_SEEN_MAX = 4096


def _schema_errors(schema_name: str, data: Any) -> tuple[tuple[tuple[Any, ...], str], ...]:
    """(path, words) of each error; remembered by value, because a process that loads the same
    files again (the tests, ``check`` then a build) would otherwise pay jsonschema each time.
    Pickle tells 1 from "1", True and 1.0, which equality and JSON do not."""
    _validated[schema_name] = _validated.get(schema_name, 0) + 1
    # compiling the fast check costs as much as a dozen jsonschema runs: an edit that
    # validates one file is quicker without it
    fast = _fast_validator(schema_name) if _validated[schema_name] > FAST_AFTER else None
    if fast is not None and fast(data):
        return ()  # the common case: valid, and no message to make
    try:
        key: tuple[str, bytes] | None = (schema_name, pickle.dumps(data, protocol=5))
    except Exception:  # a value pickle cannot take is validated every time
        key = None
    if key is not None and key in _seen:
        return _seen[key]
    found = []
    for error in _validator(schema_name).iter_errors(data):
        # keep the most specific message of a schema branch
        if error.context:  # the branch the value was meant for: deepest, and of the value's type
            error = min(error.context, key=lambda e: (-len(e.absolute_path), e.validator == "type"))
        found.append(_schema_message(error))
    errors = tuple(found)
    if key is not None:
        if len(_seen) >= _SEEN_MAX:
            del _seen[next(iter(_seen))]
        _seen[key] = errors
    return errors


def connector_rules(
    data: dict[str, Any], marks: Marks, display: str, stem: str, domains: Collection[str], use_cases: Collection[str]
) -> list[Problem]:
    """The rules of one connector file that JSON Schema cannot say."""
    out: list[Problem] = []

    def add(path: tuple[Any, ...], message: str, subtype: Subtype = Subtype.reference) -> None:
        out.append(Problem(display, marks.line(path), message, subtype))

    if data["id"] != stem:
        add(("id",), f"id: '{data['id']}' does not match the file name '{stem}.yaml'", Subtype.schema)
    if domains and data["domain"] not in domains:
        add(("domain",), f"domain: unknown domain '{data['domain']}' (known: {', '.join(domains)})")
    for i, key in enumerate(data["use_cases"]):
        if use_cases and key not in use_cases:
            add(("use_cases", i), f"use_cases[{i}]: unknown use case '{key}' (known: {', '.join(use_cases)})")
    for i, f in enumerate(data["fields"]):
        if f["type"] == "enum" and not f.get("choices"):
            add(("fields", i, "type"), f"fields[{i}]: type enum needs a 'choices' list", Subtype.schema)
        # true is not 1 here (Python says it is): compare as JSON does
        if f.get("choices") and "default" in f and json_key(f["default"]) not in {json_key(c) for c in f["choices"]}:
            add(
                ("fields", i, "default"),
                f"fields[{i}].default: {_shown(f['default'])} is not one of its choices",
                Subtype.schema,
            )
    for i, r in enumerate(data.get("related", ())):
        given = [k for k in ("doc", "connector", "url") if k in r]
        if len(given) != 1:
            add(
                ("related", i),
                f"related[{i}]: give exactly one of doc, connector or url (got {', '.join(given) or 'none'})",
                Subtype.schema,
            )
    dates = [v["date"] for v in data["versions"]]
    if dates != sorted(dates, reverse=True):
        add(("versions",), "versions: list the newest version first", Subtype.schema)
    status = data.get("status", "ga")
    if status in ("deprecated", "archived") and "replaced_by" not in data:
        add(("status",), f"status: a {status} connector names its replacement in 'replaced_by'", Subtype.schema)
    if data.get("replaced_by") == data["id"]:
        add(("replaced_by",), "replaced_by: a connector cannot replace itself", Subtype.schema)
    for i, rule in enumerate(data["network"]):
        for j, port in enumerate(rule["ports"]):
            if isinstance(port, str):
                low, high = (int(p) for p in port.split("-"))
                if not 1 <= low < high <= 65535:
                    add(
                        ("network", i, "ports", j),
                        f"network[{i}].ports[{j}]: '{port}' is not a range of ports from low to high within 1-65535",
                        Subtype.schema,
                    )
    return out


def todo_problems(value: Any, path: tuple[Any, ...], marks: Marks, display: str) -> list[Problem]:
    """Scaffold placeholders still in the data: the guide renders, the check fails."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in todo_problems(v, (*path, k), marks, display)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in todo_problems(v, (*path, i), marks, display)]
    if isinstance(value, str) and "TODO" in value:
        return [
            Problem(display, marks.line(path), f"{_path_str(path)}: still holds a TODO placeholder", Subtype.schema)
        ]
    return []


def taxonomy_rules(data: list[dict[str, Any]], marks: Marks, display: str) -> list[Problem]:
    """Keys are unique across a taxonomy file (the schema checks each entry)."""
    out, seen = [], set()
    for i, entry in enumerate(data):
        if entry["key"] in seen:
            out.append(Problem(display, marks.line((i,)), f"[{i}]: duplicate key '{entry['key']}'", Subtype.duplicate))
        seen.add(entry["key"])
    return out


def page_rules(
    catalog: Any, has_page: Callable[[str], bool], has_doc: Callable[[str], bool], page_dir: str = "integrations"
) -> list[Problem]:
    """Every connector has its page; every ``related[].doc`` names a page of the site.

    One rule for ``make check`` (which looks at files) and the build (which asks the domain).
    """
    out = []
    for cid, c in catalog.connectors.items():
        if not has_page(cid):
            out.append(
                Problem(
                    c.path,
                    c.line_of("id"),
                    f"connector '{cid}' has no page: add {page_dir}/{cid}.md containing the connector directive "
                    f"for '{cid}'",
                    Subtype.page,
                )
            )
        for i, r in enumerate(c.related):
            if r.doc and not has_doc(r.doc):
                out.append(
                    Problem(
                        c.path,
                        c.line_of("related", i, "doc"),
                        f"related[{i}].doc: no page '{r.doc}' in this site",
                        Subtype.reference,
                    )
                )
    return out


def vendor_change_rules(data: list[dict[str, Any]], marks: Marks, display: str) -> list[Problem]:
    """Ids are unique; the list is newest first (undated changes last)."""
    out, seen = [], set()
    for i, change in enumerate(data):
        if change["id"] in seen:
            out.append(
                Problem(display, marks.line((i, "id")), f"[{i}].id: duplicate id '{change['id']}'", Subtype.duplicate)
            )
        seen.add(change["id"])
    dates = [c.get("date", "") for c in data]
    if dates != sorted(dates, reverse=True):
        out.append(
            Problem(
                display, marks.line((0,)), "list the newest change first (changes without a date last)", Subtype.schema
            )
        )
    return out
