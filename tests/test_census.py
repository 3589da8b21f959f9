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


def test_asset_tags_made_once_per_folder_are_sphinx_own(project_copy, tmp_path, monkeypatch):
    """The ``<link>`` and ``<script>`` tags made once per folder (navigation.memo_asset_tags) are
    the ones Sphinx makes for each page: at every depth, on the commissioning sheets and on the
    404 page, whose tags notfound makes with absolute links."""
    src = project_copy()
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions.append("notfound.extension")\nnotfound_urls_prefix = "/docs/"\n')
    pages = {"top": PLAIN_PAGE, "one/deep": PLAIN_PAGE, "one/two/deeper": CODE_PAGE}
    memo = built_orphan_pages(src, tmp_path / "memo", pages)
    assert '<link rel="stylesheet" type="text/css" href="../../_static/wispgate.css?v=' in memo["one/two/deeper"]
    memo_site = {p.relative_to(tmp_path / "memo"): p.read_bytes() for p in (tmp_path / "memo").rglob("*.html")}
    assert 'href="/docs/_static/wispgate.css?v=' in memo_site[Path("html/404.html")].decode()
    assert any("commissioning" in p.parts for p in memo_site)

    monkeypatch.setattr(navigation, "memo_asset_tags", lambda *args: None)
    built_orphan_pages(src, tmp_path / "each", pages)
    each_site = {p.relative_to(tmp_path / "each"): p.read_bytes() for p in (tmp_path / "each").rglob("*.html")}
    assert memo_site == each_site
