"""Read YAML into plain values with the line of every value.

Refuses what connector data has no use for (tags, anchors, aliases, merge keys,
deep nesting, lone surrogates, NaN) with one located message; never raises on
bad input.  No Sphinx import.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import safety
from .model import Marks
from .report import Problem, Subtype
from .yaml_syntax import explain

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 12


class _DataError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


_constructor = yaml.constructor.SafeConstructor()
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(text: str, line: int) -> None:
    """YAML's "\\ud83d" escapes give lone surrogates, which no page or catalog.json can hold."""
    found = _SURROGATE.search(text)
    if found:
        raise _DataError(
            line,
            f"the escape '\\u{ord(found.group()):04x}' is half of a UTF-16 surrogate pair; "
            "write the character itself or an 8-digit '\\U' escape",
        )
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
    if _resolver.resolve(ScalarNode, node.value, (True, False)) != node.tag:  # type: ignore[no-untyped-call]
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


def _to_python(node: Node, path: tuple[Any, ...], marks: Marks, depth: int = 0) -> Any:
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
                raise _DataError(line, f"duplicate key {key!r} (first given on line {marks[path + (key,)]})")
            marks[path + (key,)] = line
            out[key] = _to_python(value_node, path + (key,), marks, depth + 1)
            marks[path + (key,)] = line
        return out
    if isinstance(node, SequenceNode):
        return [_to_python(item, path + (i,), marks, depth + 1) for i, item in enumerate(node.value)]
    # Timestamps stay text: the schema checks dates as ISO strings.
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    if node.tag == _STR_TAG:  # text, most values: what the constructor would give, without it
        _check_text(node.value, node.start_mark.line + 1)
        return node.value
    retyped = _retyped(node)  # type: ignore[arg-type]
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

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _DataError(
                event.start_mark.line + 1,
                "YAML anchors and aliases ('&name', '*name') are not allowed in connector data; write the value out",
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
#: what every anchor ('&name') is written as, and more
_MAYBE_ANCHOR = re.compile(r"&[^\s,\[\]{}]")


def _fast_compose(text: str) -> Node | None:
    """Compose with libyaml when the file is ordinary; None sends it to the slow path.

    Anchors and aliases are refused, so a document with any goes the slow way,
    where the refusal is reported with its line.
    """
    if _CLoader is None or not text.strip():
        return None
    try:
        # an anchor is '&' and a name ([0-9A-Za-z_-] for libyaml): without one, the events need no
        # look, since an alias would name no anchor and libyaml refuses that (the slow way follows)
        if _MAYBE_ANCHOR.search(text):
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
    return Problem(
        display, safety.editor_line(text, found.start()), safety.invisible_message(found.group()), Subtype.syntax
    )


#: (display, file bytes) -> what :func:`read_yaml` made of them, kept by a ``keep`` read for one
#: later ``reuse`` read of the same bytes: the catalog's parse of a connector file serves the
#: secret scan, which would otherwise parse every file a second time.  Oldest dropped first.
_kept: dict[tuple[str, bytes], tuple[Any, Marks, list[Problem]]] = {}
_KEPT_MAX = 8192


def read_yaml(
    path: Path, display: str, root: Path | None = None, *, keep: bool = False, reuse: bool = False
) -> tuple[Any, Marks, list[Problem]]:
    """Read one YAML file; return (data, marks, problems).  Never raises on bad input.

    Only a regular file inside ``root`` (default: the file's folder) is read, and its
    size is checked before reading (see :func:`safety.read_regular`).  ``keep``: remember
    the result for one ``reuse`` read of the same bytes (callers must not change it).
    """
    try:
        raw = safety.read_regular(path, root if root is not None else path.parent, MAX_FILE_BYTES)
    except safety.UnsafeFile as exc:
        return None, Marks(), [Problem(display, 1, exc.message, Subtype.syntax)]
    if reuse:
        kept = _kept.pop((display, raw), None)
        if kept is not None:
            return kept
    result = _read_bytes(raw, display)
    if keep:
        if len(_kept) >= _KEPT_MAX:
            del _kept[next(iter(_kept))]
        _kept[(display, raw)] = result
    return result


def forget_kept() -> None:
    """Drop the parses no ``reuse`` read took: they live for one catalog load, not a process."""
    _kept.clear()


def _read_bytes(raw: bytes, display: str) -> tuple[Any, Marks, list[Problem]]:
    """:func:`read_yaml` once the file is read: a function of its bytes and name only."""
    try:
        return _read_text(raw, display)
    finally:
        # construct_object remembers every node it made a value of (construct_document would
        # forget them): without this, every scalar node of every file read stays alive
        _constructor.constructed_objects.clear()


def _read_text(raw: bytes, display: str) -> tuple[Any, Marks, list[Problem]]:
    marks = Marks()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return (
            None,
            marks,
            [Problem(display, line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", Subtype.syntax)],
        )
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
        return (
            None,
            marks,
            [
                Problem(
                    display,
                    line,
                    f"YAML syntax error: the character U+{exc.character:04X} is not allowed in YAML",
                    Subtype.syntax,
                )
            ],
        )
    try:
        node = loader.get_single_node()
        if node is None:
            return None, marks, [Problem(display, 1, "file is empty", Subtype.syntax)]
        data = _to_python(node, (), marks)
    except _DataError as exc:
        return None, marks, [Problem(display, exc.line, exc.message, Subtype.syntax)]
    except yaml.MarkedYAMLError as exc:
        line, what = explain(exc, text)  # plain words, the column and the likely fix
        return None, marks, [Problem(display, line, what, Subtype.syntax)]
    except yaml.YAMLError as exc:
        return None, marks, [Problem(display, 1, f"YAML error: {str(exc).splitlines()[0]}", Subtype.syntax)]
    finally:
        loader.dispose()
    return data, marks, []
