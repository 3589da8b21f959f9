"""Sphinx's passes for rare nodes run only on the pages that hold one, and highlighting skips
its walk when no node changes the setting (census.py): the pages come out as they do when
every pass runs everywhere."""

from __future__ import annotations

import base64
from pathlib import Path

from conftest import built_orphan_pages, make_project_app
from wispgate_connectors import census, components, navigation

#: a 1x1 PNG, to give the image passes something to do
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

RARE_PAGE = f"""\
# Rare

```{{c:function}} int wg_probe(int port)
```

```{{c:alias}} wg_probe
```

```{{cpp:function}} void wg_ping()
```

```{{cpp:alias}} wg_ping()
```

```{{only}} html
Only in HTML.
```

```{{only}} latex
Only in LaTeX.
```

![a dot](dot.png)

![an inline dot](data:image/png;base64,{base64.b64encode(PNG).decode()})

```
plain block, default language
```

```{{highlight}} yaml
:linenothreshold: 2
```

```
key: value
other: value
third: value
```
"""

CODE_PAGE = "# Code\n\n```\nno language given\n```\n\n```python\nprint('hi')\n```\n"
PLAIN_PAGE = "# Plain\n\nNo rare nodes here, [a link](https://example.org/).\n"
PAGES = {"rare": RARE_PAGE, "code": CODE_PAGE, "plain": PLAIN_PAGE}


def test_gated_passes_write_the_pages_every_pass_writes(project_copy, tmp_path, monkeypatch):
    src = project_copy()
    (src / "dot.png").write_bytes(PNG)
    gated = built_orphan_pages(src, tmp_path / "gated", PAGES)
    page = gated["rare"]
    assert "Only in HTML." in page and "Only in LaTeX." not in page
    assert "highlight-yaml" in page and "linenos" in page  # the highlight directive's setting
    assert '<img alt="a dot" src="_images/dot.png"' in page
    assert 'alt="an inline dot" src="data:image/png' in page
    assert 'class="sig sig-object c"' in page and 'class="sig sig-object cpp"' in page

    monkeypatch.setattr(census, "gate_rare_node_passes", lambda app: [])
    everywhere = built_orphan_pages(src, tmp_path / "everywhere", PAGES)
    assert gated == everywhere


def test_every_rare_node_pass_is_gated(project_copy, tmp_path):
    """A Sphinx that renames one of these passes is noticed here, not as a slower build."""
    app = make_project_app(project_copy(), builddir=tmp_path / "b")
    try:
        transforms = app.registry.post_transforms
        names = {components.qualified(t) for t in transforms}
        assert not (set(census.RARE_NODE_PASSES) | {census.HIGHLIGHT_PASS}) & names, "an ungated pass"
        made_from = {components.qualified(t.__mro__[1]) for t in transforms}
        assert made_from >= set(census.RARE_NODE_PASSES)
        assert census.DefaultHighlighting in transforms
        # nothing between the census and the last pass it gates (rare nodes' and sphinx-design's)
        # may make the nodes they look for
        gated = set(census.RARE_NODE_PASSES) | set(components.DESIGN_PASSES)
        last = max(t.default_priority for t in transforms if components.qualified(t.__mro__[1]) in gated)
        between = {
            components.qualified(t)
            for t in transforms
            if census.NodeCensus.default_priority < t.default_priority <= last and t.__module__ != components.__name__
        }
        assert between <= census.BETWEEN, f"a new post-transform runs after the census: {between - census.BETWEEN}"
    finally:
        app.cleanup()


def test_frame_made_once_is_the_frame_made_per_page(project_copy, tmp_path, monkeypatch):
    """What navigation.py makes once per build for every page is what Sphinx makes per page:
    the ``<link>`` and ``<script>`` tags (once per folder: at every depth, on the commissioning
    sheets, and on the 404 page, whose tags notfound makes with absolute links), and the
    titles of the next, previous and parent pages (once per title)."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    renders: list[str] = []
    render_partial = StandaloneHTMLBuilder.render_partial

    def counted(self, node):
        renders.append(type(node).__name__)
        return render_partial(self, node)

    monkeypatch.setattr(StandaloneHTMLBuilder, "render_partial", counted)
    src = project_copy()
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions.append("notfound.extension")\nnotfound_urls_prefix = "/docs/"\n')
    # each with a table of contents of its own, rendered (and not remembered) on its page
    pages = {
        name: f"# Page {name}\n\n## {name} first\n\nText.\n\n## {name} second\n\n{CODE_PAGE}"
        for name in ("top", "one/deep", "one/two/deeper", "one/two/other")
    }

    def site(name: str) -> dict[Path, bytes]:
        renders.clear()
        built_orphan_pages(src, tmp_path / name, pages)
        return {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*.html")}

    once = site("once")
    titles_once = renders.count("title")
    assert (
        '<link rel="stylesheet" type="text/css" href="../../_static/wispgate.css?v='
        in once[Path("html/one/two/deeper.html")].decode()
    )
    assert 'href="/docs/_static/wispgate.css?v=' in once[Path("html/404.html")].decode()
    assert any("commissioning" in p.parts for p in once)

    monkeypatch.setattr(navigation, "memo_asset_tags", lambda *args: None)
    monkeypatch.setattr(navigation, "memo_titles", lambda *args: None)
    per_page = site("per-page")
    assert once == per_page
    assert 0 < titles_once < renders.count("title") / 2  # each title once, not on every page linking it
