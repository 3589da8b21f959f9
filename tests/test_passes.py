"""The read passes replaced in passes.py leave every page as Sphinx's own passes leave it: the
same nodes with the same raw sources, the same warnings, the same translation counts, the
same HTML, with a message catalog and without."""

from __future__ import annotations

import base64
import inspect
import re
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from docutils import nodes
from sphinx.util.console import strip_colors
from sphinx.util.nodes import apply_source_workaround

from conftest import make_project_app
from wispgate_connectors import components, passes

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

RST_PAGE = """\
:orphan:

Passes
======

.. _used-target:

Terms
-----

term one : classifier a
   Definition with a `named link`_ and a link to used-target_.

term two
   Plain definition.

.. _named link: https://example.org/

.. _unused-target:

.. rubric:: A rubric

| line one
| line two

:Field: value

.. topic:: A topic

   Topic body.

A dangling reference: missing_. An anonymous one: `anon <https://example.org/a>`__.

Footnote [#f1]_ and citation [CIT2002]_.

.. [#f1] The footnote.
.. [CIT2002] The citation.

.. glossary::

   Glossary term
      Its meaning.

.. image:: dot.png

.. versionadded:: 1.0
   A change.

A |sub| substitution.

.. |sub| replace:: replaced

>>> print("a doctest block")
a doctest block
"""

MD_PAGE = """\
---
orphan: true
---
# Markdown passes

Apple
: A fruit, see [the terms](#used-target).

Pear
: Another, with a footnote[^n].

[^n]: The note.

(md-target)=
## Plain definition.
"""

#: no rare node, until a catalog translates its one line into one with a substitution
PLAIN_RST_PAGE = ":orphan:\n\nPlain\n=====\n\nThe version is here.\n"

PAGES = {"passes.rst": RST_PAGE, "mdpasses.md": MD_PAGE, "plain.rst": PLAIN_RST_PAGE}


def _translated(src: Path) -> None:
    """A catalog for the pages, so Sphinx translates some of their messages."""
    for domain in ("passes", "mdpasses", "plain"):
        catalog = Catalog(locale="en", domain=domain)
        catalog.add("Plain definition.", "Translated definition.")
        catalog.add("A fruit, see [the terms](#used-target).", "A translated fruit.")
        catalog.add("The version is here.", "The version |version| is here.")
        buffer = BytesIO()
        write_mo(buffer, catalog)
        folder = src / "locales" / "en" / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{domain}.mo").write_bytes(buffer.getvalue())


def _nodes(doctree: nodes.document) -> list[tuple]:
    return [
        (type(n).__name__, n.rawsource, n.source, n.line, n.pformat())
        for n in doctree.findall(nodes.Element)
        if not isinstance(n, nodes.document)
    ]


def _build(src: Path, out: Path) -> dict:
    app = make_project_app(src, builddir=out, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    names = [name.rsplit(".", 1)[0] for name in PAGES]
    warnings = [
        re.sub(r"^\S+/", "", w)
        for w in strip_colors(app.warning.getvalue()).splitlines()
        if "WARNING" in w or "ERROR" in w
    ]
    return {
        "warnings": warnings,
        "progress": {n: app.env.get_doctree(n).get("translation_progress") for n in names},
        "footnotes": {
            n: [f.get("docname") for f in app.env.get_doctree(n).findall(nodes.Element) if "footnote" in f.tagname]
            for n in names
        },
        "kept_for_translators": sum(
            "translatable" in i for n in names for i in app.env.get_doctree(n).findall(nodes.inline)
        ),
        "nodes": {n: _nodes(app.env.get_doctree(n)) for n in names},
        "html": {n: (Path(app.outdir) / f"{n}.html").read_text(encoding="utf-8") for n in names},
    }


def _project(project_copy, catalog: bool) -> Path:
    src = project_copy()
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nmyst_enable_extensions = ["deflist"]\nmyst_footnote_transition = False\n')
    (src / "dot.png").write_bytes(PNG)
    for name, text in PAGES.items():
        (src / name).write_text(text, encoding="utf-8")
    if catalog:
        _translated(src)
    return src


def _compare(project_copy, tmp_path, monkeypatch, catalog: bool) -> dict:
    src = _project(project_copy, catalog)
    replaced = _build(src, tmp_path / "replaced")
    with monkeypatch.context() as m:
        m.setattr(passes, "replace_passes", lambda app: [])
        m.setattr(passes, "gate_rare_read_passes", lambda app: [])
        original = _build(src, tmp_path / "original")
    assert replaced == original
    return replaced


def test_pages_without_a_catalog_are_what_sphinx_makes(project_copy, tmp_path, monkeypatch):
    built = _compare(project_copy, tmp_path, monkeypatch, catalog=False)
    assert any('Unknown target name: "missing"' in w for w in built["warnings"])  # the dangling check ran
    assert built["progress"]["passes"] == {"total": 0, "translated": 0}
    terms = {n[1] for n in built["nodes"]["passes"] if n[0] == "term"}
    assert {"term one", "term two", "Glossary term"} <= terms  # raw sources, the classifier stripped
    assert 'href="https://example.org/"' in built["html"]["passes"]  # the named link resolved
    assert built["footnotes"]["passes"] == ["passes", "passes"]  # the reference and the footnote
    assert built["footnotes"]["mdpasses"] == ["mdpasses", "mdpasses"]
    assert built["kept_for_translators"] == 0 and "A change." in built["html"]["passes"]  # versionadded's inline
    # the gated passes ran where their nodes are: substitution, doctest, glossary, citation
    html = built["html"]["passes"]
    assert "A replaced substitution." in html and 'class="doctest' in html
    assert 'id="term-Glossary-term"' in html and 'class="citation' in html and 'href="#cit2002"' in html.lower()


def test_pages_with_a_catalog_are_what_sphinx_makes(project_copy, tmp_path, monkeypatch):
    built = _compare(project_copy, tmp_path, monkeypatch, catalog=True)
    assert built["progress"]["passes"]["translated"] >= 1
    assert "Translated definition." in built["html"]["passes"]
    assert "A translated fruit." in built["html"]["mdpasses"]
    # a substitution only the translation brought, on a page whose census found none
    assert "The version  is here." in built["html"]["plain"]  # this project sets no version
    assert "|version|" not in built["html"]["plain"] and not any("version" in w for w in built["warnings"])


def test_every_pass_is_replaced(project_copy, tmp_path):
    """A Sphinx that renames one of these passes is noticed here, not as a slower build."""
    app = make_project_app(project_copy(), builddir=tmp_path / "b")
    try:
        names = {components.qualified(t) for t in app.registry.transforms}
        assert not set(passes.REPLACED) & names, "a pass not replaced"
        assert set(passes.REPLACED.values()) <= set(app.registry.transforms)
    finally:
        app.cleanup()


def test_rare_read_passes_are_gated_and_nothing_before_them_makes_their_nodes(project_copy, tmp_path):
    """Every read pass for rare nodes is gated (a Sphinx that renames one is noticed here), and
    every pass a page goes through between the census and the last of them is one known to make
    none of their nodes."""
    src = _project(project_copy, catalog=False)
    app = make_project_app(src, builddir=tmp_path / "b", freshenv=True)
    applied: dict[str, list[tuple[str, str]]] = {}

    def note(app, doctree):
        applied[app.env.docname] = [(p, components.qualified(t)) for p, t, _, _ in doctree.transformer.applied]

    app.connect("doctree-read", note)
    try:
        names = {components.qualified(t) for t in app.registry.transforms}
        assert not set(passes.RARE_READ_PASSES) & names, "an ungated read pass"
        made_from = {components.qualified(t.__mro__[1]) for t in app.registry.transforms}
        assert made_from >= set(passes.RARE_READ_PASSES)
        app.build()
    finally:
        app.cleanup()
    for docname in ("passes", "mdpasses", "index"):
        order = [name for _, name in applied[docname]]
        census = order.index(components.qualified(passes.SourceWorkaround))
        last = max(i for i, (_, name) in enumerate(applied[docname]) if name.rsplit(".", 1)[-1] in _GATED_NAMES)
        between = set(order[census + 1 : last]) - {components.qualified(t) for t in _gated(app)}
        assert between <= passes.BETWEEN_READ, f"a new read pass runs after the census: {between - passes.BETWEEN_READ}"


_GATED_NAMES = {name.rsplit(".", 1)[-1] for name in passes.RARE_READ_PASSES}


def _gated(app) -> list[type]:
    return [t for t in app.registry.transforms if t.__module__ == components.__name__ and t.__name__ in _GATED_NAMES]


def test_the_source_workaround_treats_apart_only_the_types_we_know():
    """Sphinx's workaround does more than set a raw source only for these node types; a new
    one in a later Sphinx would be skipped by the replacement, so it is noticed here."""
    named = set(re.findall(r"isinstance\(\s*node,\s*nodes\.(\w+)", inspect.getsource(apply_source_workaround)))
    named |= set(re.findall(r"^\s*nodes\.(\w+),", inspect.getsource(apply_source_workaround), re.MULTILINE))
    assert named == {t.__name__ for t in passes._TREATED_APART}
