"""sphinx-design's per-component passes run only on the pages that hold the component
(components.DesignInventory): the pages come out as they do when every pass runs everywhere."""

from __future__ import annotations

from pathlib import Path

from conftest import make_project_app, warnings_of
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


def build(src: Path, out: Path) -> dict[str, str]:
    app = make_project_app(src, builddir=out, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert not [w for w in warnings_of(app) if "WARNING" in w]
    return {name: (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8") for name in ("design", "plain")}


def test_gated_passes_write_the_pages_every_pass_writes(project_copy, tmp_path, monkeypatch):
    src = project_copy()
    (src / "design.md").write_text("---\norphan: true\n---\n" + DESIGN_PAGE, encoding="utf-8")
    (src / "plain.md").write_text("---\norphan: true\n---\n" + PLAIN_PAGE, encoding="utf-8")

    gated = build(src, tmp_path / "gated")
    page = gated["design"]
    assert "<details" in page and 'class="sd-tab-set' in page and "<aside" in page
    assert 'target="_blank"' in page

    monkeypatch.setattr(components, "gate_design_passes", lambda app: [])
    everywhere = build(src, tmp_path / "everywhere")
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
