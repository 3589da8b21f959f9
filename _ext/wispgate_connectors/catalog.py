"""Load and validate the connector data into typed objects with line marks.

This module imports no Sphinx: the quick check (``cli.py``) and the scaffold
command use it on their own and stay fast.  Every problem becomes a
:class:`Problem` naming the file, the line and what is wrong; nothing here
raises on bad data.
"""

from __future__ import annotations

import difflib
import enum
import json
import math
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import safety

#: the published schema; one copy for every project that uses this extension
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "data" / "schema" / "connector.schema.json"
CONNECTOR_DIR = Path("data/connectors")
DOMAINS_PATH = Path("data/domains.yaml")
USE_CASES_PATH = Path("data/use-cases.yaml")
READINESS_PATH = Path("data/readiness.yaml")
PAGE_DIR = "integrations"

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 12
READINESS_KEYS = ("pre_deployment", "post_deployment", "guide_behaviour")


class Subtype(str, enum.Enum):
    """Warning subtypes, usable in ``suppress_warnings`` as ``wispgate.<value>``."""

    syntax = "syntax"
    schema = "schema"
    reference = "reference"
    duplicate = "duplicate"
    page = "page"
    markup = "markup"
    secret = "secret"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    subtype: Subtype = Subtype.schema

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


# --- typed objects -----------------------------------------------------------


@dataclass(frozen=True)
class Code:
    language: str
    text: str
    line: int


@dataclass(frozen=True)
class ConfigField:
    name: str
    required: bool
    type: str
    description: str
    line: int
    example: Any = None
    default: Any = None
    secret: bool = False
    where: str | None = None
    choices: tuple = ()


@dataclass(frozen=True)
class Step:
    title: str
    body: str
    line: int
    code: Code | None = None


@dataclass(frozen=True)
class Failure:
    symptom: str
    cause: str
    fix: str
    line: int


@dataclass(frozen=True)
class Check:
    check: str
    how: str
    expect: str
    line: int


@dataclass(frozen=True)
class Related:
    title: str
    line: int
    doc: str | None = None
    connector: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Version:
    version: str
    date: str
    changes: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Verified:
    date: str
    against: str


@dataclass(frozen=True)
class Connector:
    id: str
    name: str
    vendor: str
    domain: str
    type: str
    complexity: str
    summary: str
    use_cases: tuple[str, ...]
    what: str
    where: str
    prerequisites: tuple[str, ...]
    fields: tuple[ConfigField, ...]
    flow: tuple[Step, ...]
    failures: tuple[Failure, ...]
    validation: tuple[Check, ...]
    versions: tuple[Version, ...]
    path: str
    #: line of each top-level key, for messages about the rendered page
    lines: dict = field(default_factory=dict, compare=False, hash=False)
    complexity_note: str | None = None
    featured: bool = False
    example: Code | None = None
    related: tuple[Related, ...] = ()
    readiness: dict = field(default_factory=dict, compare=False, hash=False)
    verified: Verified | None = None

    @property
    def docname(self) -> str:
        return f"{PAGE_DIR}/{self.id}"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def required_fields(self) -> tuple[ConfigField, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def optional_fields(self) -> tuple[ConfigField, ...]:
        return tuple(f for f in self.fields if not f.required)

    def listing_digest(self, kind: str = "cards") -> str:
        """What a kind of catalog page shows of this connector; it is re-read when this changes.

        ``ids`` (counts, navigation) shows only the id, name and domain.
        """
        shown: tuple = (self.id, self.name, self.domain)
        if kind == "matrix":
            shown += (self.type, self.complexity, self.use_cases)
        elif kind == "cards":
            shown += (
                self.vendor, self.type, self.complexity, self.summary, self.use_cases, self.featured,
                self.prerequisites[:1], len(self.prerequisites),
            )
        elif kind == "versions":
            shown += tuple((v.version, v.date, v.changes) for v in self.versions)
        elif kind == "failures":
            shown += tuple((f.symptom, f.cause) for f in self.failures)
        return repr(shown)


@dataclass(frozen=True)
class Taxonomy:
    """One entry of domains.yaml or use-cases.yaml."""

    key: str
    title: str
    description: str
    line: int
    icon: str | None = None


@dataclass
class Catalog:
    root: Path
    connectors: dict[str, Connector] = field(default_factory=dict)
    domains: dict[str, Taxonomy] = field(default_factory=dict)
    use_cases: dict[str, Taxonomy] = field(default_factory=dict)
    readiness: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: ids whose file exists but did not load; their pages say so instead of failing twice
    broken: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def by_domain(self, key: str) -> list[Connector]:
        return [c for c in self.sorted() if c.domain == key]

    def by_use_case(self, key: str) -> list[Connector]:
        return [c for c in self.sorted() if key in c.use_cases]

    def sorted(self) -> list[Connector]:
        return sorted(self.connectors.values(), key=lambda c: (c.name.lower(), c.id))

    def featured(self) -> list[Connector]:
        return [c for c in self.sorted() if c.featured]

    def scoped(self, scope: str | None) -> list[Connector]:
        """The connectors a listing of this scope shows: all (None), or filtered by
        comma-separated ``featured``, ``domain:<key>`` and ``use-case:<key>``."""
        members = self.sorted()
        for part in (scope or "").split(","):
            kind, _, key = part.partition(":")
            if kind == "featured":
                members = [c for c in members if c.featured]
            elif kind == "domain":
                members = [c for c in members if c.domain == key]
            elif kind == "use-case":
                members = [c for c in members if key in c.use_cases]
        return members


# --- YAML with line marks ----------------------------------------------------


class Marks(dict):
    """Maps a path inside the document (tuple of keys and indexes) to a line."""

    def line(self, path: tuple) -> int:
        path = tuple(path)
        while path not in self and path:
            path = path[:-1]
        return self.get(path, 1)


class _DataError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


_constructor = yaml.constructor.SafeConstructor()
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(text: str, line: int) -> None:
    """YAML's "\\ud83d" escapes give lone surrogates, which no page or catalog.json can hold."""
    found = _SURROGATE.search(text)
    if found:
        raise _DataError(line, f"the escape '\\u{ord(found.group()):04x}' is half of a UTF-16 surrogate pair; "
                               "write the character itself or an 8-digit '\\U' escape")
    # bidi overrides, zero-width and control characters (also from escapes like "\\u202e")
    found = safety.INVISIBLE.search(text)
    if found:
        raise _DataError(line, safety.invisible_message(found.group()))


_YAML11 = {f"tag:yaml.org,2002:{t}": t for t in ("bool", "int", "float")}
_resolver = yaml.resolver.Resolver()
_PLAIN_INT = re.compile(r"0|-?[1-9][0-9]*")
_PLAIN_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+")
#: longer plain numbers are refused: no value here needs them, and Python's int() stops at 4,300 digits
MAX_DIGITS = 30


def _retyped(node: ScalarNode) -> str | None:
    """A plain scalar YAML 1.1 reads as something else than what it shows: 'on' as true,
    '0755' as 493, '1:30' as 90, '1.10' as 1.1.  Values are shown to readers (and copied
    into routers), so the writer is asked for quotes instead."""
    kind = _YAML11.get(node.tag)
    if kind is None or node.style not in (None, ""):
        return None
    if _resolver.resolve(ScalarNode, node.value, (True, False)) != node.tag:
        return None  # an explicit tag ('!!int abc'): the constructor says what is wrong
    text = node.value
    shown = safety.clip(text, 40)
    if kind == "bool":
        if text in ("true", "false"):
            return None
        value = "true" if text.lower() in ("yes", "y", "on", "true") else "false"
        return f'write "{shown}" in quotes: YAML reads it as {value} (for a yes/no value write {value})'
    if len(text.lstrip("+-")) > MAX_DIGITS and kind == "int" or len(text) > 4 * MAX_DIGITS:
        return f"a number of {len(text)} characters ({shown}) is too long; write it in quotes if it is text"
    if kind == "int" and _PLAIN_INT.fullmatch(text):
        return None
    if kind == "float":
        if text.lower().lstrip("+-") in (".inf", ".nan"):
            return None  # reported as not finite
        if _PLAIN_FLOAT.fullmatch(text) and repr(float(text)) == text:
            return None
    try:
        value = _constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return f'write "{shown}" in quotes: YAML cannot read it as a number'
    return f'write "{shown}" in quotes: YAML reads it as {safety.clip(repr(value), 40)}'


def _to_python(node: Node, path: tuple, marks: Marks, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise _DataError(node.start_mark.line + 1, f"values are nested more than {MAX_DEPTH} levels deep")
    marks[path] = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _DataError(node.start_mark.line + 1, f"YAML tag '{shown}' is not allowed in connector data")
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise _DataError(line, "a mapping key must be a plain word, not a list or mapping")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _DataError(line, "merge keys ('<<') are not allowed in connector data")
            key = key_node.value
            _check_text(key, line)
            if key in out:
                raise _DataError(
                    line, f"duplicate key {key!r} (first given on line {marks[path + (key,)]})"
                )
            marks[path + (key,)] = line
            out[key] = _to_python(value_node, path + (key,), marks, depth + 1)
            marks[path + (key,)] = line
        return out
    if isinstance(node, SequenceNode):
        return [
            _to_python(item, path + (i,), marks, depth + 1) for i, item in enumerate(node.value)
        ]
    # Timestamps stay text: the schema checks dates as ISO strings.
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    retyped = _retyped(node)
    if retyped:
        raise _DataError(node.start_mark.line + 1, retyped)
    try:
        value = _constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:  # one line: the build prints it as a warning
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _DataError(node.start_mark.line + 1, f"cannot read value: {what}") from None
    except (ValueError, KeyError):  # an explicit '!!int abc', '!!bool maybe'
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _DataError(node.start_mark.line + 1, f"cannot read {safety.clip(node.value)!r} as {shown}") from None
    if isinstance(value, str):
        _check_text(value, node.start_mark.line + 1)
    if isinstance(value, float) and not math.isfinite(value):
        # JSON (catalog.json) has no NaN or infinity
        raise _DataError(node.start_mark.line + 1, f"{node.value!r} is not a finite number; quote it if it is text")
    return value


class _NoAliasComposer(yaml.SafeLoader):
    """A loader that refuses anchors and aliases instead of expanding them."""

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _DataError(
                event.start_mark.line + 1,
                "YAML anchors and aliases ('&name', '*name') are not allowed in connector data; "
                "write the value out",
            )
        # the composer recurses once per level: stop where _to_python would, not at RecursionError
        if self._depth > MAX_DEPTH:
            raise _DataError(event.start_mark.line + 1, f"values are nested more than {MAX_DEPTH} levels deep")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CLoader = getattr(yaml, "CSafeLoader", None)


def _fast_compose(text: str) -> Node | None:
    """Compose with libyaml when the file is ordinary; None sends it to the slow path.

    Anchors and aliases are refused, so a document with any goes the slow way,
    where the refusal is reported with its line.
    """
    if _CLoader is None or not text.strip():
        return None
    try:
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None
        return yaml.compose(text, Loader=_CLoader)
    except yaml.YAMLError:
        return None


def _invisible_problem(text: str, display: str) -> Problem | None:
    """The first invisible or bidi character of a file, at the line an editor shows.

    YAML also counts U+0085 and U+2028 as line breaks, editors do not: refusing them
    first keeps every line number the one an editor shows.
    """
    found = safety.INVISIBLE_RAW.search(text, 1 if text.startswith("\ufeff") else 0)
    if found is None:
        return None
    return Problem(display, safety.editor_line(text, found.start()), safety.invisible_message(found.group()),
                   Subtype.syntax)


def read_yaml(path: Path, display: str, root: Path | None = None) -> tuple[Any, Marks, list[Problem]]:
    """Read one YAML file; return (data, marks, problems).  Never raises on bad input.

    Only a regular file inside ``root`` (default: the file's folder) is read, and its
    size is checked before reading (see :func:`safety.read_regular`).
    """
    marks = Marks()
    try:
        raw = safety.read_regular(path, root if root is not None else path.parent, MAX_FILE_BYTES)
    except safety.UnsafeFile as exc:
        return None, marks, [Problem(display, 1, exc.message, Subtype.syntax)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, marks, [Problem(
            display, line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", Subtype.syntax
        )]
    invisible = _invisible_problem(text, display)
    if invisible:
        return None, marks, [invisible]
    node = _fast_compose(text)
    if node is not None:
        try:
            return _to_python(node, (), marks), marks, []
        except _DataError as exc:
            return None, marks, [Problem(display, exc.line, exc.message, Subtype.syntax)]
    # the pure-Python loader gives the clearest message for anything unusual
    marks = Marks()
    try:
        loader = _NoAliasComposer(text)  # checks every character first
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return None, marks, [Problem(
            display, line, f"YAML syntax error: the character U+{exc.character:04X} is not allowed in YAML",
            Subtype.syntax,
        )]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, marks, [Problem(display, 1, "file is empty", Subtype.syntax)]
        data = _to_python(node, (), marks)
    except _DataError as exc:
        return None, marks, [Problem(display, exc.line, exc.message, Subtype.syntax)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        if "'\\t'" in what:
            what = "a tab character cannot be used for indentation in YAML; use spaces"
        elif what.startswith("but ") and exc.context:
            what = f"{exc.context}, {what}"
        return None, marks, [Problem(display, line, f"YAML syntax error: {what}", Subtype.syntax)]
    except yaml.YAMLError as exc:
        return None, marks, [Problem(display, 1, f"YAML error: {str(exc).splitlines()[0]}", Subtype.syntax)]
    finally:
        loader.dispose()
    return data, marks, []


# --- schema validation with readable messages --------------------------------


@cache
def _validator(schema_path: str):
    import jsonschema

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls = jsonschema.validators.extend(cls, {"pattern": _ecma_pattern, "uniqueItems": _unique_items})
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _ecma_pattern(validator, pattern: str, instance, schema):
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


def _unique_items(validator, unique: bool, instance, schema):
    """``uniqueItems`` in linear time: jsonschema compares every pair of a list that
    mixes types.  Items are equal as in JSON: 1 == 1.0, but true is not 1."""
    import jsonschema

    if not unique or not validator.is_type(instance, "array"):
        return
    seen = set()
    for item in instance:
        key = _json_key(item)
        if key in seen:
            yield jsonschema.ValidationError(f"{_shown(item)} is given twice")
            return
        seen.add(key)


def _json_key(value: Any):
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


def _path_str(path) -> str:
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


def _schema_message(error) -> tuple[tuple, str]:
    """Turn a jsonschema error into (path, words)."""
    path = tuple(error.absolute_path)
    where = _path_str(path)
    v, inst = error.validator, error.instance
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
        return path + (key,), f"{_path_str(path + (key,))}: unknown key{hint}"
    if v == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return path, f"{where}: expected one of {choices}, got {_shown(inst)}"
    if v == "minItems":
        return path, f"{where}: must list at least {error.validator_value} item" + ("s" if error.validator_value > 1 else "")
    if v == "uniqueItems":
        return path, f"{where}: lists the same value twice"
    if v == "minLength" or (v == "pattern" and error.validator_value in ("\\S",) ):
        return path, f"{where}: must not be empty"
    if v == "maxLength":
        return path, f"{where}: is {len(inst)} characters long; the limit is {error.validator_value}"
    if v == "format" and error.validator_value == "date" or (v == "pattern" and "\\d{4}" in str(error.validator_value)):
        return path, f"{where}: expected an ISO date (YYYY-MM-DD), got {_shown(inst)}"
    if v == "pattern":
        pattern = str(error.validator_value)
        if "[a-z0-9]" in pattern and "https?" not in pattern:
            if "/" in pattern:
                return path, f"{where}: {_shown(inst)} is not a page name (lowercase letters, digits, '-', '_' and '/', no '..')"
            return path, f"{where}: {_shown(inst)} must use only lowercase letters, digits and single hyphens"
        if "https?" in pattern:
            return path, f"{where}: {_shown(inst)} is not an http(s):// address"
        if "\\n" in pattern:
            return path, f"{where}: must be one line of text"
        return path, f"{where}: {_shown(inst)} does not match {pattern}"
    return path, f"{where}: {error.message}"


def schema_problems(data: Any, marks: Marks, display: str, schema_path: Path) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem(display, marks.line(()), f"a connector file must be a mapping of keys, got {_shown(data)}")]
    out = []
    for error in _validator(str(schema_path)).iter_errors(data):
        # keep the most specific message of a schema branch
        if error.context:
            error = min(error.context, key=lambda e: -len(e.absolute_path))
        path, words = _schema_message(error)
        out.append(Problem(display, marks.line(path), words, Subtype.schema))
    return sorted(set(out), key=lambda p: (p.line, p.message))


# --- building objects --------------------------------------------------------


def _code(d: dict | None, line: int) -> Code | None:
    if not d:
        return None
    return Code(language=d["language"], text=d["text"].rstrip("\n"), line=line)


def _build_connector(data: dict, marks: Marks, display: str) -> Connector:
    def line(*path) -> int:
        return marks.line(path)

    return Connector(
        id=data["id"],
        name=data["name"],
        vendor=data["vendor"],
        domain=data["domain"],
        type=data["type"],
        complexity=data["complexity"],
        complexity_note=data.get("complexity_note"),
        featured=bool(data.get("featured", False)),
        summary=data["summary"],
        use_cases=tuple(data["use_cases"]),
        what=data["overview"]["what"],
        where=data["overview"]["where"],
        prerequisites=tuple(data["prerequisites"]),
        fields=tuple(
            ConfigField(
                name=f["name"], required=f["required"], type=f["type"],
                description=f["description"], example=f.get("example"),
                default=f.get("default"), secret=bool(f.get("secret")) or f["type"] == "secret",
                where=f.get("where"), choices=tuple(f.get("choices", ())), line=line("fields", i),
            )
            for i, f in enumerate(data["fields"])
        ),
        flow=tuple(
            Step(title=s["title"], body=s["body"], code=_code(s.get("code"), line("flow", i, "code")),
                 line=line("flow", i))
            for i, s in enumerate(data["flow"])
        ),
        example=_code(data.get("example"), line("example")),
        failures=tuple(
            Failure(symptom=f["symptom"], cause=f["cause"], fix=f["fix"], line=line("failures", i))
            for i, f in enumerate(data["failures"])
        ),
        validation=tuple(
            Check(check=c["check"], how=c["how"], expect=c["expect"], line=line("validation", i))
            for i, c in enumerate(data["validation"])
        ),
        readiness={k: tuple(v) for k, v in (data.get("readiness") or {}).items()},
        related=tuple(
            Related(title=r["title"], doc=r.get("doc"), connector=r.get("connector"), url=r.get("url"),
                    line=line("related", i))
            for i, r in enumerate(data.get("related", ()))
        ),
        versions=tuple(
            Version(version=v["version"], date=v["date"], changes=tuple(v["changes"]), line=line("versions", i))
            for i, v in enumerate(data["versions"])
        ),
        verified=Verified(**data["verified"]) if data.get("verified") else None,
        path=display,
        lines={k: marks.line((k,)) for k in data},
    )


def _semantic_problems(data: dict, marks: Marks, display: str, stem: str, catalog: Catalog) -> list[Problem]:
    out: list[Problem] = []

    def add(path: tuple, message: str, subtype: Subtype = Subtype.reference) -> None:
        out.append(Problem(display, marks.line(path), message, subtype))

    if data["id"] != stem:
        add(("id",), f"id: '{data['id']}' does not match the file name '{stem}.yaml'", Subtype.schema)
    if catalog.domains and data["domain"] not in catalog.domains:
        add(("domain",), f"domain: unknown domain '{data['domain']}' (known: {', '.join(catalog.domains)})")
    for i, key in enumerate(data["use_cases"]):
        if catalog.use_cases and key not in catalog.use_cases:
            add(("use_cases", i), f"use_cases[{i}]: unknown use case '{key}' (known: {', '.join(catalog.use_cases)})")
    for i, f in enumerate(data["fields"]):
        if f["type"] == "enum" and not f.get("choices"):
            add(("fields", i, "type"), f"fields[{i}]: type enum needs a 'choices' list", Subtype.schema)
        # true is not 1 here (Python says it is): compare as JSON does
        if f.get("choices") and "default" in f and _json_key(f["default"]) not in {_json_key(c) for c in f["choices"]}:
            add(("fields", i, "default"), f"fields[{i}].default: {_shown(f['default'])} is not one of its choices", Subtype.schema)
    for i, r in enumerate(data.get("related", ())):
        given = [k for k in ("doc", "connector", "url") if k in r]
        if len(given) != 1:
            add(("related", i), f"related[{i}]: give exactly one of doc, connector or url (got {', '.join(given) or 'none'})", Subtype.schema)
    dates = [v["date"] for v in data["versions"]]
    if dates != sorted(dates, reverse=True):
        add(("versions",), "versions: list the newest version first", Subtype.schema)
    return out


def _todo_problems(value: Any, path: tuple, marks: Marks, display: str) -> list[Problem]:
    """Scaffold placeholders still in the data: the guide renders, the check fails."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _todo_problems(v, path + (k,), marks, display)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _todo_problems(v, path + (i,), marks, display)]
    if isinstance(value, str) and "TODO" in value:
        return [Problem(display, marks.line(path), f"{_path_str(path)}: still holds a TODO placeholder", Subtype.schema)]
    return []


_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _load_taxonomy(root: Path, rel: Path, catalog: Catalog) -> dict[str, Taxonomy]:
    display = rel.as_posix()
    data, marks, problems = read_yaml(root / rel, display, root)
    catalog.problems.extend(problems)
    if problems:
        return {}
    out: dict[str, Taxonomy] = {}
    if not isinstance(data, list):
        catalog.problems.append(Problem(display, 1, f"expected a list of entries, got {_shown(data)}"))
        return out
    for i, entry in enumerate(data):
        line = marks.line((i,))
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("key", "title", "description")):
            catalog.problems.append(Problem(display, line, f"[{i}]: needs key, title and description as text"))
            continue
        unknown = set(entry) - {"key", "title", "description", "icon"}
        if unknown:
            catalog.problems.append(Problem(display, marks.line((i, sorted(unknown)[0])), f"[{i}].{_key_str(sorted(unknown)[0])}: unknown key"))
        if not _KEY.fullmatch(entry["key"]):
            # keys name generated pages (catalog/domains/<key>.md): no '/', '..' or spaces
            catalog.problems.append(Problem(
                display, marks.line((i, "key")),
                f"[{i}].key: {_shown(entry['key'])} must use only lowercase letters, digits and single hyphens",
            ))
            continue
        if entry["key"] in out:
            catalog.problems.append(Problem(display, line, f"[{i}]: duplicate key '{entry['key']}'", Subtype.duplicate))
            continue
        out[entry["key"]] = Taxonomy(entry["key"], entry["title"], entry["description"], line, entry.get("icon"))
    return out


def _load_readiness(root: Path, catalog: Catalog) -> None:
    display = READINESS_PATH.as_posix()
    if not os.path.lexists(root / READINESS_PATH):  # a dangling link is reported, not skipped
        catalog.readiness = {k: () for k in READINESS_KEYS}
        return
    data, marks, problems = read_yaml(root / READINESS_PATH, display, root)
    catalog.problems.extend(problems)
    data = data if isinstance(data, dict) else {}
    for key in data:
        if key not in READINESS_KEYS:
            catalog.problems.append(Problem(display, marks.line((key,)), f"{_key_str(key)}: unknown key (allowed: {', '.join(READINESS_KEYS)})"))
    for key in READINESS_KEYS:
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            catalog.problems.append(Problem(display, marks.line((key,)), f"{key}: expected a list of text items"))
            items = []
        catalog.readiness[key] = tuple(items)


def _load_connector(path: Path, display: str, catalog: Catalog) -> tuple[Connector | None, list[Problem]]:
    """One connector file: its object, or None and the reasons; plus non-fatal problems."""
    data, marks, problems = read_yaml(path, display, catalog.root)
    if not problems:
        problems = schema_problems(data, marks, display, SCHEMA_FILE)
    if not problems:
        problems = _semantic_problems(data, marks, display, path.stem, catalog)
    if problems:
        return None, problems
    return _build_connector(data, marks, display), _todo_problems(data, (), marks, display)


def _nested_files(root: Path) -> list[Problem]:
    """Connector files in subfolders are not loaded: say so, once per file."""
    out = []
    for rel, entry in safety.walk(root / CONNECTOR_DIR):
        if "/" in rel and rel.endswith((".yaml", ".yml")) and not entry.is_dir(follow_symlinks=False):
            out.append(Problem(safety.display(root / CONNECTOR_DIR / rel, root), 1,
                               f"connector files live directly in {CONNECTOR_DIR.as_posix()}/; "
                               "this one is not read: move it up", Subtype.page))
    return out


def _plain_named(files: list[Path], root: Path, catalog: Catalog) -> list[Path]:
    """Connector files whose names print as they are; the others are reported once.

    A name is the connector's id, so it is plain ASCII: a Cyrillic 'о' or a newline
    in it would otherwise give messages that look right or split in two.
    """
    out = []
    for path in files:
        if safety.plain_name(path.name):
            out.append(path)
            continue
        odd = next(ch for ch in path.name if not safety.plain_name(ch))
        catalog.problems.append(Problem(
            safety.display(path, root), 1,
            f"the file name holds {safety.char_name(odd)}; name the file after the connector id "
            "(lowercase ASCII letters, digits and hyphens)", Subtype.syntax,
        ))
    return out


def load_catalog(root: str | os.PathLike, cache: dict | None = None) -> Catalog:
    """Read every data file below ``root``; collect every problem, raise none.

    ``cache`` (path -> (stamp, result)) lets a long-running caller skip files that
    did not change: a build re-validates only the edited YAML.  It is updated in place.
    """
    root = Path(root)
    catalog = Catalog(root=root)
    catalog.domains = _load_taxonomy(root, DOMAINS_PATH, catalog)
    catalog.use_cases = _load_taxonomy(root, USE_CASES_PATH, catalog)
    _load_readiness(root, catalog)
    files = sorted((root / CONNECTOR_DIR).glob("*.yaml"))
    catalog.files = [root / DOMAINS_PATH, root / USE_CASES_PATH, *files]
    for extra in sorted((root / CONNECTOR_DIR).glob("*.yml")):
        catalog.problems.append(Problem(
            extra.relative_to(root).as_posix(), 1, "connector files end in .yaml, not .yml; rename it", Subtype.page
        ))
    catalog.problems.extend(_nested_files(root))
    # results depend on the file, the taxonomies and the schema
    context = (tuple(catalog.domains), tuple(catalog.use_cases), safety.digest(SCHEMA_FILE.read_bytes()))
    seen: dict[str, str] = {}
    files = _plain_named(files, root, catalog)
    for path in files:
        display = path.relative_to(root).as_posix()
        # keyed on content: 'cp -p' or 'rsync -t' keep size and time stamp but not the text
        stamp = (safety.file_digest(path, root, MAX_FILE_BYTES), context)
        hit = cache.get(display) if cache is not None else None
        if hit is not None and hit[0] == stamp:
            connector, problems = hit[1]
        else:
            connector, problems = _load_connector(path, display, catalog)
            if cache is not None:
                cache[display] = (stamp, (connector, problems))
        catalog.problems.extend(problems)
        if connector is None:
            catalog.broken[path.stem] = display
            continue
        if connector.id in seen:
            catalog.problems.append(Problem(display, connector.line_of("id"),
                                            f"id: duplicate id '{connector.id}' (also in {seen[connector.id]})", Subtype.duplicate))
            continue
        seen[connector.id] = display
        catalog.connectors[connector.id] = connector
    if cache is not None:
        for gone in set(cache) - {f.relative_to(root).as_posix() for f in files}:
            del cache[gone]
    # cross-connector references
    for c in catalog.connectors.values():
        for i, r in enumerate(c.related):
            if r.connector and r.connector not in catalog.connectors and r.connector not in catalog.broken:
                catalog.problems.append(Problem(c.path, r.line, f"related[{i}].connector: unknown connector '{r.connector}'", Subtype.reference))
    return catalog
