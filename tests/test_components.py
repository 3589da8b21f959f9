"""sphinx-design's per-component passes run only on the pages that hold the component
(noted by census.NodeCensus): the pages come out as they do when every pass runs everywhere."""

from __future__ import annotations

from conftest import built_orphan_pages, make_project_app
from wispgate_connectors import components

DESIGN_PAGE = """\
# Design

```{dropdown} More
Hidden text.
```

````{tab-set}
```{tab-item} One
First.
```
```{tab-item} Two
Second.
```
````

```{aside} A note
Beside the text.
```

```{card} Elsewhere
:link: https://example.org/
:link-new-tab:

Opens in a new tab.
```
"""

PLAIN_PAGE = "# Plain\n\nNo components here, [a link](https://example.org/).\n"


PAGES = {"design": DESIGN_PAGE, "plain": PLAIN_PAGE}


def test_gated_passes_write_the_pages_every_pass_writes(project_copy, tmp_path, monkeypatch):
    src = project_copy()
    gated = built_orphan_pages(src, tmp_path / "gated", PAGES)
    page = gated["design"]
    assert "<details" in page and 'class="sd-tab-set' in page and "<aside" in page
    assert 'target="_blank"' in page

    monkeypatch.setattr(components, "gate_design_passes", lambda app: [])
    everywhere = built_orphan_pages(src, tmp_path / "everywhere", PAGES)
    assert gated == everywhere


def test_every_design_pass_is_gated(project_copy, tmp_path):
    """A sphinx-design that renames a pass is noticed here, not as a slower build."""
    app = make_project_app(project_copy(), builddir=tmp_path / "b")
    try:
        names = {components.qualified(t) for t in app.registry.post_transforms}
        kinds = [t for t in app.registry.post_transforms if t.__module__ == components.__name__]
        assert not set(components.DESIGN_PASSES) & names, "an ungated sphinx-design pass"
        assert {t.__name__ for t in kinds} >= {"DropdownHtmlTransform", "AsideHtmlTransform", "TabSetHtmlTransform"}
        handlers = {components.qualified(x.handler) for x in app.events.listeners["doctree-resolved"]}
        assert components.NEW_TAB_PASS not in handlers
        assert "wispgate_connectors.components.gate_design_passes.<locals>.new_tabs" in handlers
    finally:
        app.cleanup()


def test_holding_gives_what_extend_gives():
    """``holding`` is ``Element.extend`` for a node just made, and docutils' own way otherwise."""
    import pickle

    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    def kids() -> list[nodes.Node]:
        return [nodes.Text("a "), nodes.literal("b", "b"), nodes.strong("", "", nodes.Text("c"))]

    made = components.holding(nodes.paragraph("raw", classes=["x"]), kids())
    extended = nodes.paragraph("raw", "", *kids(), classes=["x"])
    assert pickle.dumps(made) == pickle.dumps(extended)
    assert all(kid.parent is made for kid in made.children)

    document = new_document("<test>", get_default_settings(Parser))
    document.current_source, document.current_line = "page.md", 7
    for attached in (document, document.append(nodes.section()) or document[0]):
        before = len(attached.children)
        components.holding(attached, kids())  # attached: children get the document, source and line
        added = attached.children[before:]
        assert [k.astext() for k in added] == ["a ", "b", "c"]
        assert all(k.parent is attached for k in added)
        elements = [k for k in added if isinstance(k, nodes.Element)]
        assert all(k.document is document and (k.source, k.line) == ("page.md", 7) for k in elements)
