"""The cold catalog load's shortcuts give what the long way gives.

The secret scan reuses the catalog's parse of a connector file (``read_yaml(keep=...)``,
``reuse=...``), text values skip the YAML constructor, and a file without '&' before a
name skips the look at its events for anchors.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from test_bad_input import CASES as BAD_CASES
from test_secrets import LIVE
from test_security import CASES as HOSTILE_CASES

from conftest import PROJECT
from wispgate_connectors import secrets, yamlio
from wispgate_connectors.catalog import load_catalog


def test_reuse_gives_the_kept_parse_of_the_same_bytes_only(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("id: a\nname: A\n", encoding="utf-8")
    kept = yamlio.read_yaml(path, "a.yaml", tmp_path, keep=True)
    assert yamlio.read_yaml(path, "a.yaml", tmp_path, reuse=True) is kept
    # used once: the next read parses again, with an equal result
    again = yamlio.read_yaml(path, "a.yaml", tmp_path, reuse=True)
    assert again is not kept and again == kept
    yamlio.read_yaml(path, "a.yaml", tmp_path, keep=True)
    path.write_text("id: a\nname: B\n", encoding="utf-8")  # changed since it was kept
    assert yamlio.read_yaml(path, "a.yaml", tmp_path, reuse=True)[0] == {"id": "a", "name": "B"}
    yamlio._kept.clear()


def test_the_constructor_forgets_the_nodes_of_each_file(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\nb: true\nc: [1.5, null, text]\n", encoding="utf-8")
    data, _, problems = yamlio.read_yaml(path, "a.yaml", tmp_path)
    assert data == {"a": 1, "b": True, "c": [1.5, None, "text"]} and not problems
    assert not yamlio._constructor.constructed_objects


def test_corpora_read_the_same_with_and_without_the_text_shortcut(tmp_path, monkeypatch):
    """Every fixture file gives the same values, marks and problems as through the constructor."""
    texts = [text for _, text, _ in BAD_CASES + HOSTILE_CASES]
    texts += [p.read_text(encoding="utf-8") for p in sorted((PROJECT / "data").rglob("*.yaml"))]
    path = tmp_path / "case.yaml"
    fast = []
    for text in texts:
        path.write_text(text, encoding="utf-8")
        fast.append(yamlio.read_yaml(path, "case.yaml", tmp_path))
    monkeypatch.setattr(yamlio, "_STR_TAG", "no tag takes the shortcut")
    for text, got in zip(texts, fast, strict=True):
        path.write_text(text, encoding="utf-8")
        slow = yamlio.read_yaml(path, "case.yaml", tmp_path)
        assert repr(got) == repr(slow)  # repr: True is not 1, 1.0 is not 1


def _scan_both(root: Path) -> tuple[list[str], list[str]]:
    """The scan of a project with the catalog's kept parses, and with each file parsed again."""
    catalog = load_catalog(root)
    reused = [str(p) for p in secrets.scan_project(root, catalog)]
    yamlio._kept.clear()
    parsed = [str(p) for p in secrets.scan_project(root, catalog)]
    return reused, parsed


def test_scan_with_the_catalogs_parse_finds_the_same(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(PROJECT / "data", root / "data")
    shutil.copy(PROJECT / "conf.py", root / "conf.py")
    target = root / "data" / "connectors" / "stripe.yaml"
    text = target.read_text(encoding="utf-8")
    lines = "".join(f'# {line}\nx_{name}: "{line}"\n' for name, line, _ in LIVE)
    target.write_text(text + lines + 'escaped: "\\x73k_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD"\n', encoding="utf-8")
    reused, parsed = _scan_both(root)
    assert reused == parsed
    assert len(reused) >= len(LIVE)


def test_files_without_an_anchor_skip_the_event_look_with_the_same_result(tmp_path, monkeypatch):
    """An alias without an anchor, '**bold**', '&' in text: the same as after a look at the events."""
    texts = [text for _, text, _ in BAD_CASES + HOSTILE_CASES] + [
        "a: *b\n",
        "a: &b 1\nc: *b\n",
        "a: **bold** text\nb: AT&T\n",
        "a: [*b]\n",
        "a: {x: &b 1, y: *b}\n",
        "a: !!str &b 1\n",
        "a: & b\n",
        "a: &\n",
        "- &a\n  - 1\n",
    ]
    path = tmp_path / "case.yaml"
    quick = []
    for text in texts:
        path.write_text(text, encoding="utf-8")
        quick.append(yamlio.read_yaml(path, "case.yaml", tmp_path))
    monkeypatch.setattr(yamlio, "_MAYBE_ANCHOR", __import__("re").compile(""))  # every file looks
    for text, got in zip(texts, quick, strict=True):
        path.write_text(text, encoding="utf-8")
        assert repr(got) == repr(yamlio.read_yaml(path, "case.yaml", tmp_path)), text
