"""Property tests: no connector file, however broken, crashes the loader or the build.

(a) random YAML documents and random mutations of the real connector files go
    through ``catalog.load_catalog``: the result is a loaded connector or problems
    with a line inside the file and a one-line message, never an exception;
(b) fewer mutations go through a real Sphinx build of the basic root: the build
    returns, prints no traceback, and every warning names a file.  That search, a build
    per example, is ``slow``; the cases it found run in the fast lane too.

Set WG_FUZZ=<n> to run n times as many examples (for a longer search).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PROJECT, ROOTS, make_project_app, warnings_of

SCALE = float(os.environ.get("WG_FUZZ", "1"))
REAL = sorted((PROJECT / "data" / "connectors").glob("*.yaml"))
REAL_TEXT = {p.name: p.read_bytes() for p in REAL}
BASIC = {p.name: p.read_bytes() for p in sorted((ROOTS / "test-basic" / "data" / "connectors").glob("*.yaml"))}
TOP_KEYS = list(json.loads((PROJECT / "data/schema/connector.schema.json").read_text())["properties"])

# --- strategies -------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["2026-01-01", "TODO", "low", "network-aaa", "subscriber-auth", "secret", "enum", ""])
)
keys = st.sampled_from(TOP_KEYS + ["name", "title", "fix", "text", "language", "choices", "default"]) | st.text(
    max_size=12
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=25,
)
#: pieces of MyST that exercise the sandboxed renderer
MARKUP = [
    "`",
    "``",
    "*",
    "**",
    "_",
    "[",
    "]",
    "](",
    ")",
    "(",
    "{",
    "}",
    "<",
    ">",
    "!",
    "#",
    "# ",
    "\n",
    "\n\n",
    "|",
    "$",
    "$$",
    "~",
    "\\",
    "&",
    "&amp;",
    "&#106;",
    "- ",
    "1. ",
    "> ",
    ":::",
    "```",
    "~~~",
    "---",
    "+++",
    "% ",
    "[^1]",
    "[^1]: note",
    "(lbl)=",
    "{ref}`x`",
    "{doc}`/nowhere`",
    "{connector}`beta`",
    "{connector}`ghost`",
    "{raw}`<b>`",
    "{download}`conf.py`",
    "{kbd}`C`",
    "{abbr}`A (b)`",
    "{math}`x`",
    "{rfc}`abc`",
    "{term}`t`",
    "```{raw} html\n<b>x</b>\n```",
    "```{include} /etc/passwd\n```",
    ":::{note}\nx\n:::",
    "<script>alert(1)</script>",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "[l](https://example.com)",
    "[l](javascript:alert(1))",
    "[l](../conf.py)",
    "[l](#top)",
    "[l](concept.md)",
    "<https://x.org>",
    "![i](x.png)",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "term\n: def",
    ":f: v",
    "{.c}",
    "text",
    " ",
    "\t",
    "é",
    "\u2028",
    "\x00",
    "\x1b",
    "\ufeff",
    "\U0001f600",
    "'",
    '"',
    ":",
    ": ",
]
markup_text = st.lists(st.sampled_from(MARKUP) | st.text(max_size=5), min_size=1, max_size=12).map("".join)


@st.composite
def mutated(draw, files: dict[str, bytes], max_ops: int = 3) -> tuple[str, bytes]:
    """One of ``files``, with one to ``max_ops`` random edits."""
    name = draw(st.sampled_from(sorted(files)))
    data = files[name]
    for _ in range(draw(st.integers(1, max_ops))):
        data = draw(edit(data))
    return name, data


@st.composite
def edit(draw, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True) or [b""]
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    op = draw(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "swap",
                "tab",
                "truncate",
                "scalar",
                "markup",
                "bytes",
                "nest",
                "tag",
                "indent",
            ]
        )
    )
    line = lines[i]
    key, sep, _ = line.partition(b": ")
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, line)
    elif op == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "tab":
        at = draw(st.integers(0, len(line)))
        lines[i] = line[:at] + b"\t" + line[at:]
    elif op == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    elif op == "indent":
        lines[i] = b" " * draw(st.integers(1, 5)) + line
    elif op in ("scalar", "markup", "nest", "tag"):
        if not sep:
            key, sep = line.rstrip(b"\n"), b": "
        if op == "scalar":
            value = yaml.safe_dump(draw(scalars), default_flow_style=True, width=10**9).strip()
            value = value.removesuffix("...").strip()
        elif op == "markup":
            value = json.dumps(draw(markup_text))
        elif op == "nest":
            n = draw(st.integers(1, 1500))
            value = "[" * n + draw(st.sampled_from(["", "x", "{a: 1}"])) + "]" * draw(st.integers(0, n))
        else:
            value = draw(
                st.sampled_from(
                    [
                        "!!int abc",
                        "!!float x",
                        "!!bool maybe",
                        "!!binary aGk=",
                        "!!python/object:os.system x",
                        "&a x",
                        "*a",
                        "!!set {a}",
                        "!!str 1",
                        "!!timestamp 2026-13-45",
                        "<<: {a: 1}",
                        "!!null x",
                        "!custom x",
                        ".nan",
                        "-.inf",
                        "1e999",
                        "0x1F",
                        "0o17",
                        "2026-01-01",
                        "~",
                        "? complex",
                        '"\\ud83d\\ude00"',
                        '"\\U0001F600"',
                        '"\\x00"',
                        '"a\\u2028b"',
                        "'it''s'",
                        "|\n  block",
                    ]
                )
            )
        lines[i] = key + sep + value.encode("utf-8", "surrogatepass") + b"\n"
    else:  # raw bytes, maybe not UTF-8
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return b"".join(lines)


#: keys whose values are MyST text, as written in the basic root's files
TEXT_KEYS = re.compile(
    rb"^(\s*-?\s*)(what|where|summary|description|fix|cause|symptom|body|how|expect|title|check|"
    rb"complexity_note|vendor|name|type)(: )"
)


@st.composite
def markup_flood(draw, files: dict[str, bytes]) -> tuple[str, bytes]:
    """One of ``files`` with random MyST in many of its text values at once."""
    name = draw(st.sampled_from(sorted(files)))
    lines = files[name].splitlines(keepends=True)
    for i, line in enumerate(lines):
        match = TEXT_KEYS.match(line)
        if match and draw(st.integers(0, 2)) == 0:
            lines[i] = match.group(0) + json.dumps(draw(markup_text)).encode() + b"\n"
    return name, b"".join(lines)


# --- (a) the loader ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for name in ("domains.yaml", "use-cases.yaml", "readiness.yaml"):
        (root / "data").mkdir(exist_ok=True)
        shutil.copyfile(PROJECT / "data" / name, root / "data" / name)
    (root / "data" / "connectors").mkdir()
    return root


def check_load(root: Path, name: str, data: bytes) -> None:
    from wispgate_connectors.catalog import load_catalog
    from wispgate_connectors.export import plain

    folder = root / "data" / "connectors"
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_bytes(data)
    catalog = load_catalog(root)  # must not raise
    display = f"data/connectors/{name}"
    mine = [p for p in catalog.problems if p.file == display]
    assert all(p.file == display for p in catalog.problems), catalog.problems  # taxonomies are fine
    # YAML counts \r, NEL and the Unicode separators as line breaks too
    last = len(re.split(r"\r\n|[\r\n\x85\u2028\u2029]", data.decode("utf-8", "replace")))
    for p in mine:
        assert isinstance(p.line, int) and 1 <= p.line <= last, (p, last)
        assert p.message.strip() and "\n" not in p.message, p
    stem = name.removesuffix(".yaml")
    if stem in catalog.connectors:
        assert catalog.connectors[stem].path == display
        # everything loaded can be written to pages and to catalog.json (strict UTF-8 JSON)
        json.dumps(plain(catalog.connectors[stem]), ensure_ascii=False, allow_nan=False).encode()
        assert stem not in catalog.broken
        # a loaded connector only keeps TODO placeholders or dangling related connectors as problems
        assert all("TODO" in p.message or "unknown connector" in p.message for p in mine), mine
    else:
        assert mine, "a file that did not load must say why"
        assert catalog.broken.get(stem) == display  # its page says so instead of failing again


@settings(max_examples=int(250 * SCALE), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents)
@example(doc={"id": "case", "fields": [{"name": float("nan")}]})
@example(doc={"id": "case", "overview": {"what": [[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]}})
def test_random_documents_load_or_report(data_root, doc):
    text = yaml.safe_dump(doc, allow_unicode=True)
    check_load(data_root, "case.yaml", text.encode("utf-8", "surrogatepass"))


@pytest.mark.slow  # a search: 50 random loads of a whole real connector (~70 ms each) in the fast lane's share
@settings(max_examples=int(250 * SCALE), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.sampled_from(REAL), path_value=st.data())
def test_random_values_in_real_connectors_load_or_report(data_root, base, path_value):
    """Replace one value anywhere in a real connector's structure by a random document."""
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    node, parent, key = data, None, None
    for _ in range(path_value.draw(st.integers(1, 4), label="depth")):
        if isinstance(node, dict) and node:
            parent, key = node, path_value.draw(st.sampled_from(sorted(node)), label="key")
        elif isinstance(node, list) and node:
            parent, key = node, path_value.draw(st.integers(0, len(node) - 1), label="index")
        else:
            break
        node = parent[key]
    parent[key] = path_value.draw(documents, label="value")
    check_load(data_root, base.name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode())


# Crashes found and fixed in catalog.py; kept as explicit examples.
@settings(max_examples=int(300 * SCALE), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated(REAL_TEXT))
@example(case=("mikrotik.yaml", b"id: mikrotik\nname: !!int abc\n"))  # ValueError from the int constructor
@example(case=("mikrotik.yaml", b"id: mikrotik\nfeatured: !!bool maybe\n"))  # KeyError from the bool one
@example(case=("mikrotik.yaml", b"id: mikrotik\nname: " + b"[" * 1200 + b"\n"))  # RecursionError in PyYAML
@example(case=("mikrotik.yaml", b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(400))))  # likewise
@example(case=("mikrotik.yaml", b"id: mikrotik\nname: !!map x\n"))  # a multi-line message
@example(case=("mikrotik.yaml", b'id: mikrotik\nname: "\\ud83d\\ude00"\n'))  # lone surrogates (see below)
@example(case=("mikrotik.yaml", b"\x00" + REAL_TEXT["mikrotik.yaml"]))
# found by hypothesis: Python's '$' let "id: |\n  block\n" (text ending in a newline) pass the slug pattern
@example(
    case=("mikrotik.yaml", REAL_TEXT["mikrotik.yaml"].replace(b"\nid: mikrotik\n", b"\nid: |\n  mikrotik\n"))
)  # ReaderError from PyYAML's constructor
@example(case=("mikrotik.yaml", REAL_TEXT["mikrotik.yaml"].replace(b"featured: true", b"featured: .nan")))
def test_mutated_real_connectors_load_or_report(data_root, case):
    check_load(data_root, *case)


# --- (b) the build ----------------------------------------------------------------------

#: a warning line starts with the file it is about (a relative data path or an absolute one)
LOCATED = re.compile(r"^(/[^:]+|[\w.-]+(/[\w.-]+)*\.(yaml|yml|md|rst)):(\d+)?: (WARNING|ERROR|CRITICAL): \S")
#: Sphinx warnings that name no file
KNOWN = [re.compile(p) for p in (r"^WARNING: html_static_path entry '.*' does not exist$",)]


#: cases the search below found once (each crashed the build), kept as plain cases of the fast lane
FOUND_BUILDS = {
    "markup of every kind in one value": (
        "alpha.yaml",
        BASIC["alpha.yaml"].replace(
            b"what: Alpha does **RADIUS** for subscribers.",
            b'what: "# Head\\n\\n[^1] (lbl)=\\n\\n[^1]: note\\n\\n{rfc}`abc` {ref}`nope` [l](../conf.py)\\n\\n```{raw} html\\n<b>\\n```"',
        ),
    ),
    "a tag PyYAML cannot build": (
        "beta.yaml",
        BASIC["beta.yaml"].replace(b"summary: Beta summary.", b"summary: !!int abc"),
    ),
    # YAML's '\ud83d' escapes gave lone surrogates, and writing catalog.json crashed the build
    "lone surrogates": (
        "beta.yaml",
        BASIC["beta.yaml"].replace(b"description: The key.", b'description: "\\ud83d\\ude00"'),
    ),
}


@pytest.mark.parametrize("name", sorted(FOUND_BUILDS))
def test_connectors_found_once_build_without_crashing(name):
    build_mutated(*FOUND_BUILDS[name])


@pytest.mark.slow  # a search: each example is a Sphinx build (WG_FUZZ scales it); the cases it found run above
@settings(max_examples=max(5, int(25 * SCALE)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated(BASIC, max_ops=2) | markup_flood(BASIC))
def test_mutated_connectors_build_without_crashing(case):
    build_mutated(*case)


def build_mutated(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "src"
        shutil.copytree(ROOTS / "test-basic", root)
        with (root / "conf.py").open("a") as conf:  # the real site's MyST syntax
            conf.write('\nmyst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]\n')
        (root / "data" / "connectors" / name).write_bytes(data)
        app = make_project_app(root, freshenv=True)
        try:
            app.build()  # returns: no exception escapes
        finally:
            app.cleanup()
        status = app.status.getvalue()
        warnings = warnings_of(app)
        for stream in (status, "\n".join(warnings)):
            assert "Traceback" not in stream and "Extension error" not in stream and "Exception occurred" not in stream
        strange = [w for w in warnings if not LOCATED.match(w) and not any(k.match(w) for k in KNOWN)]
        assert strange == [], strange
        out = Path(app.outdir)
        assert (out / "index.html").exists() and (out / "integrations" / "alpha.html").exists()
        json.loads(
            (out / "catalog.json").read_text(encoding="utf-8"),
            parse_constant=lambda c: pytest.fail(f"catalog.json holds {c}"),
        )
