"""YAML syntax errors in plain words: where (line, column), what happened, and the likely fix.

PyYAML says ``mapping values are not allowed here`` both for a key indented too far and for an
unquoted ``: `` inside a value, and ``expected <block end>, but found '<block mapping start>'`` for
any indentation slip.  :func:`explain` looks at the line the parser stopped on to tell the
common mistakes apart: indentation, an unquoted colon, an unclosed quote or bracket, a value
starting with a character YAML reserves, a quote inside a quoted value.  No Sphinx import.
"""

from __future__ import annotations

import re

import yaml

from . import safety

_KEY = re.compile(r"^(\s*)(-\s+)*([^\s#'\"][^:#]*?):(\s|$)")
_ITEM = re.compile(r"^(\s*)-(\s|$)")
_RESERVED = {
    "`": "a backtick",
    "@": "'@'",
    "%": "'%'",
    "*": "'*' (it marks an alias)",
    "&": "'&' (it marks an anchor)",
    "!": "'!' (it marks a tag)",
    "|": "'|'",
    ">": "'>'",
    "?": "'?'",
}
_OPENERS = {"flow sequence": ("[", "]"), "flow mapping": ("{", "}")}


def _line(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""


def _quoted(line: str) -> str:
    """The line with its value in double quotes: the fix to show."""
    match = _KEY.match(line)
    if not match:
        return ""
    value = line[match.end() :].strip()
    if not value or re.search(r"(^|\s)[|>][-+0-9]*$", value):  # a block scalar: no one-line fix to show
        return ""
    if value.startswith('"') and value.endswith('"') and len(value) > 1:
        value = value[1:-1]
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{line[: match.end()].strip()} "{escaped}"'


def _e_g(line: str) -> str:
    fixed = _quoted(line)
    return f", e.g. {safety.clip(fixed, 70)}" if fixed else ""


def _opened_above(text: str, index: int, column: int) -> tuple[int, int, str] | None:
    """When the quote just before ``column`` on line ``index`` closes a value opened on an earlier
    line: (that line, the column of its quote, the quote)."""
    line = _line(text, index)[:column]
    for quote in ('"', "'"):
        if line.rstrip().endswith(quote) and line.count(quote) % 2 == 1:
            for number in range(index - 1, -1, -1):
                earlier = _line(text, number)
                match = _KEY.match(earlier)
                rest = earlier[match.end() :].lstrip() if match else ""
                if rest.startswith(quote) and rest.count(quote) % 2 == 1:
                    return number, len(earlier) - len(rest), quote
    return None


def _key_column(line: str) -> tuple[str, int] | None:
    """The key a line starts (after any '- ') and its column (1-based)."""
    match = _KEY.match(line)
    if not match:
        return None
    return match.group(3).strip(), match.start(3) + 1


def _above(text: str, index: int) -> tuple[int, str] | None:
    """The nearest line above ``index`` with content (not blank, not a comment)."""
    lines = text.split("\n")
    for i in range(min(index, len(lines)) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i, lines[i]
    return None


def _item_above(text: str, index: int) -> tuple[int, int] | None:
    """The nearest list item above line ``index``: (its line, the column of its '-')."""
    for number in range(index - 1, -1, -1):
        match = _ITEM.match(_line(text, number))
        if match:
            return number, match.end(1) + 1
    return None


def _indent_words(text: str, index: int, column: int) -> str:
    """Why a line at ``index`` (0-based) indented to ``column`` (1-based) does not fit."""
    line = _line(text, index)
    above = _above(text, index)
    item = _ITEM.match(line)
    if item:
        sibling = _item_above(text, index)
        if sibling is not None and sibling[1] != column:
            return (
                f"this list item starts at column {column}, the item above it (line {sibling[0] + 1}) at column "
                f"{sibling[1]}; start the items of one list in the same column"
            )
    if above is not None:
        number, prev = above
        prev_item = _ITEM.match(prev)
        mine, theirs = _key_column(line), _key_column(prev)
        prev_key = _KEY.match(prev)
        if item and theirs and prev_key and not prev_item and prev[prev_key.end() :].strip():
            return (
                f"this list item starts at column {column}, under '{safety.clip(theirs[0], 30)}' (line {number + 1}), "
                "which has a value already; a list goes under a key with nothing after its colon, "
                "or lines up with the items of its own list"
            )
        if mine and theirs:
            return (
                f"'{safety.clip(mine[0], 30)}' starts at column {mine[1]}, but '{safety.clip(theirs[0], 30)}' on "
                f"line {number + 1} starts at column {theirs[1]}; indent keys of one mapping to the same column "
                "(with spaces), and nested keys further than their parent"
            )
    return f"this line is indented to column {column}, which matches no key above it; line it up with its sibling keys"


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(line, message) for a YAML syntax error of ``text``."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    if mark is None:
        return 1, f"YAML syntax error: {safety.clip(problem or str(exc), 120)}"
    index, column = mark.line, mark.column + 1
    line = _line(text, index)

    def at(where_index: int, where_column: int, words: str) -> tuple[int, str]:
        return where_index + 1, f"YAML syntax error (column {where_column}): {words}"

    if "'\\t'" in problem:
        return at(index, column, "a tab character cannot be used for indentation in YAML; use spaces")
    reserved = re.match(r"found character '(.)' that cannot start any token", problem)
    if reserved or context == "while scanning an alias" or problem == "mapping keys are not allowed here":
        start = opened if context == "while scanning an alias" and opened is not None else mark
        char = reserved.group(1) if reserved else _line(text, start.line)[start.column : start.column + 1]
        what = _RESERVED.get(char, f"'{char}'")
        return at(
            start.line,
            start.column + 1,
            f"a value that starts with {what} needs quotes in YAML; put the whole value in quotes"
            + _e_g(_line(text, start.line)),
        )
    if problem == "mapping values are not allowed here":
        key = _KEY.match(line)
        if key and key.end() <= mark.column:
            return at(
                index,
                column,
                "a ': ' (colon and space) inside a value that is not in quotes starts a new key; "
                "put the whole value in quotes" + _e_g(line),
            )
        return at(index, (_key_column(line) or ("", column))[1], _indent_words(text, index, column))
    if context.startswith("while parsing a block") and re.search(r"but found '(<block|-|\?)", problem):
        indent = len(line) - len(line.lstrip(" ")) + 1
        return at(index, indent, _indent_words(text, index, indent))
    if context.startswith("while parsing a block") and "but found '<scalar>'" in problem:
        key = _KEY.match(line)
        first = (line[key.end() :] if key else line).lstrip()[:1]
        opening = _opened_above(text, index, mark.column)
        if opening is not None:
            number, quote_at, quote = opening
            return at(
                number,
                quote_at + 1,
                f"the quote ({quote}) that opens this value is not closed on its line, so YAML reads on to the "
                f"next {quote}, on line {index + 1}; end the value with {quote} on line {number + 1}",
            )
        if first in ("'", '"'):
            other = '"' if first == "'" else "'"
            double = " (or write '' for each ' inside '...')" if first == "'" else ""
            return at(
                index,
                column,
                f"the value starts with a quote ({first}) and ends at the next one, but text follows it; "
                f"quote the whole value with {other}...{other} instead{double}",
            )
        if first in ("[", "{"):
            return at(
                index,
                column,
                f"a value starting with '{first}' is a {'list' if first == '[' else 'mapping'} in YAML, and text "
                "follows its end; put the whole value in quotes" + _e_g(line),
            )
    if "escape" in problem and "double-quoted" in context:
        return at(
            index,
            column,
            "a backslash inside double quotes starts an escape; write \\\\ for a backslash, "
            "or quote the value with '...' instead",
        )
    if context == "while scanning a quoted scalar" and opened is not None:
        quote = _line(text, opened.line)[opened.column : opened.column + 1]
        return at(
            opened.line,
            opened.column + 1,
            f"the quote ({quote}) that opens this value is never closed; end the value with {quote}",
        )
    for kind, (open_char, close_char) in _OPENERS.items():
        if context == f"while parsing a {kind}" and opened is not None:
            return at(
                opened.line,
                opened.column + 1,
                f"the '{open_char}' that opens this value is not closed on its line; close it with "
                f"'{close_char}', or put the whole value in quotes if the '{open_char}' is text",
            )
    if context == "while scanning a simple key" and opened is not None:
        return at(
            opened.line,
            opened.column + 1,
            "this line is neither 'key: value' nor a list item ('- ...'); add ': ' after the key, "
            "or indent it as far as the text it continues",
        )
    if "expected a single document" in context:
        return at(index, column, "a line '---' starts a second document, and a connector file holds one; remove it")
    words = f"{context}, {problem}" if problem.startswith("but ") and context else problem or str(exc)
    return at(index, column, safety.clip(words, 160))
