"""A left navigation that costs the same on every page, whatever the catalog's size.

Furo asks Sphinx for the whole global toctree on every page and re-parses it
with BeautifulSoup, so the write phase grows with the square of the page count
and every page carries every link (furo #674, #748, #939).  Here the tree is
computed once per build from the environment; each page gets the top levels,
the path to the current page and a short window of its siblings.  The full
lists are in ``_static/wg-nav/<group>.json``, one file per group, that
``wispgate-nav.js`` loads only when a shortened group is expanded (the current page's at load, another when
the reader opens it), so readers keep the expandable tree and the landing page
fetches nothing; without scripts, or without the file, each group links to its
catalog page, which lists all of its connectors.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import os
import posixpath
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment

from .domain import get_domain

#: siblings shown around the current page before the "all N" link
WINDOW = 7
#: one file per group, below _static/: a page loads only its own group's
NAV_GROUPS = "wg-nav"


@dataclass
class Entry:
    doc: str
    title: str
    children: list[Entry] = field(default_factory=list)


@dataclass
class Group:
    caption: str | None
    entries: list[Entry]


@dataclass
class Tree:
    groups: list[Group]
    parent: dict[str, str]  # child doc -> parent doc (second level only)
    index: dict[str, tuple[int, int]]  # child doc -> (position, count) under its parent


def _title(env: BuildEnvironment, doc: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    title = env.titles.get(doc)
    return title.astext() if title is not None else doc


def _entries(env: BuildEnvironment, toctree: addnodes.toctree) -> list[tuple[str | None, str]]:
    return [(t, ref) for t, ref in toctree["entries"] if ref in env.all_docs]


def build_tree(env: BuildEnvironment) -> Tree:
    """Two levels from the root document's toctrees: groups of pages, and their children."""
    root = env.config.root_doc
    groups: list[Group] = []
    parent: dict[str, str] = {}
    index: dict[str, tuple[int, int]] = {}
    toc = env.tocs.get(root)
    if toc is None:
        return Tree(groups, parent, index)
    for toctree in toc.findall(addnodes.toctree):
        entries = []
        for explicit, doc in _entries(env, toctree):
            entry = Entry(doc, _title(env, doc, explicit))
            children: list[Entry] = []
            for child_toc in (env.tocs.get(doc) or nodes.Element()).findall(addnodes.toctree):
                children.extend(Entry(c, _title(env, c, t)) for t, c in _entries(env, child_toc))
            for i, child in enumerate(children):
                parent.setdefault(child.doc, doc)
                index.setdefault(child.doc, (i, len(children)))
            entry.children = children
            entries.append(entry)
        groups.append(Group(toctree.get("caption"), entries))
    return Tree(groups, parent, index)


class Navigation:
    """The per-build tree and the per-page HTML made from it."""

    def __init__(self, app: Sphinx):
        self.app = app
        self.tree = build_tree(app.env)
        self._furo: dict[str, str] = {}
        #: pages that are not documents, shown under an entry of the tree (sheets.SheetPages)
        self.placed: dict[str, str] = {}

    def place(self, pagename: str, under: str) -> None:
        self.placed[pagename] = under

    def furo_html(self, pagename: str) -> str:
        # made once per page and build: the change check and the writer both need it
        markup = self._furo.get(pagename)
        if markup is None:
            owner = self.placed.get(pagename)
            if owner is not None and pagename not in self.tree.parent:
                # a page placed under an entry shows no link to itself: pages placed alike in
                # one folder (a thousand sheets) share their markup
                folder = posixpath.dirname(self.app.builder.get_target_uri(pagename))
                markup = self._furo.get(f"\0{owner}\0{folder}")
                if markup is None:
                    markup = self._furo[f"\0{owner}\0{folder}"] = self.page_html(pagename, furo=True)
            else:
                markup = self._furo[pagename] = self.page_html(pagename, furo=True)
        return markup

    def uri(self, pagename: str, doc: str) -> str:
        return html.escape(self.app.builder.get_relative_uri(pagename, doc), quote=True)

    def link(self, pagename: str, entry: Entry, current: bool) -> str:
        classes = "current reference internal" if current else "reference internal"
        href = "#" if entry.doc == pagename else self.uri(pagename, entry.doc)
        return f'<a class="{classes}" href="{href}">{html.escape(entry.title)}</a>'

    def children_html(self, pagename: str, entry: Entry, expanded: bool, furo: bool = False) -> str:
        kids = entry.children
        if not kids:
            return ""
        if expanded and pagename in self.tree.index and self.tree.parent.get(pagename) == entry.doc:
            pos = self.tree.index[pagename][0]
        else:
            pos = 0
        start = max(0, min(pos - WINDOW // 2, len(kids) - WINDOW))
        shown = kids[start : start + WINDOW]
        items = []
        for kid in shown:
            cls = "toctree-l2"
            if kid.doc == pagename:
                cls += " current\0" if furo else " current"
            items.append(f'<li class="{cls}">{self.link(pagename, kid, kid.doc == pagename)}</li>')
        if len(shown) < len(kids):
            label = f"All {len(kids)} in {entry.title}"
            items.append(
                f'<li class="toctree-l2 wg-nav-all"><a class="reference internal" '
                f'href="{self.uri(pagename, entry.doc)}">{html.escape(label)}</a></li>'
            )
        target = html.escape(self.app.builder.get_target_uri(entry.doc), quote=True)
        return f'<ul data-wg-nav="{target}" data-wg-nav-file="{group_file(entry.doc)}">' + "".join(items) + "</ul>"

    def page_html(self, pagename: str, furo: bool = False) -> str:
        """What Sphinx's toctree() would give furo, made from the cached tree.

        With ``furo``, already in the shape furo's ``get_navigation_tree`` makes of
        it (a checkbox and label per expandable item, ``current-page`` on the
        deepest current item), which spares a BeautifulSoup parse per page.
        """
        owner = self.tree.parent.get(pagename) or self.placed.get(pagename)
        out = []
        boxes = 0
        for group in self.tree.groups:
            if group.caption:
                out.append(
                    f'<p class="caption" role="heading" aria-level="2"><span class="caption-text">'
                    f"{html.escape(group.caption)}</span></p>"
                )
            in_group = any(e.doc in (pagename, owner) for e in group.entries)
            out.append('<ul class="current">' if in_group else "<ul>")
            for entry in group.entries:
                current = entry.doc in (pagename, owner)
                children = self.children_html(pagename, entry, current, furo)
                cls = "toctree-l1 current" if current else "toctree-l1"
                toggle = ""
                if furo:
                    if current:
                        cls += "\0"
                    if children:
                        boxes += 1
                        cls += " has-children"
                        box = f"toctree-checkbox-{boxes}"
                        name = html.escape(f"Toggle navigation of {entry.title}", quote=True)
                        checked = ' checked=""' if current else ""
                        toggle = (
                            f'<input aria-label="{name}"{checked} class="toctree-checkbox" id="{box}" '
                            f'name="{box}" role="switch" type="checkbox"/><label for="{box}">'
                            '<span class="icon"><svg><use href="#svg-arrow-right"></use></svg></span></label>'
                        )
                out.append(f'<li class="{cls}">{self.link(pagename, entry, current)}{toggle}{children}</li>')
            out.append("</ul>")
        text = "".join(out)
        if furo:
            # furo marks the last current item in document order as the page itself
            head, mark, tail = text.rpartition("\0")
            text = head.replace("\0", "") + (" current-page" if mark else "") + tail
        return text

    def json_data(self) -> dict[str, Any]:
        uri = self.app.builder.get_target_uri
        return {
            "version": 1,
            "groups": [
                {
                    "caption": g.caption,
                    "entries": [
                        {
                            "title": e.title,
                            "url": uri(e.doc),
                            "children": [{"title": c.title, "url": uri(c.doc)} for c in e.children],
                        }
                        for e in g.entries
                    ],
                }
                for g in self.tree.groups
            ],
        }


_NAV_KEY = "_wg_navigation"


def navigation(app: Sphinx) -> Navigation:
    nav = getattr(app.builder, _NAV_KEY, None)
    if nav is None:
        nav = Navigation(app)
        setattr(app.builder, _NAV_KEY, nav)
    return nav


def reset(app: Sphinx, env: BuildEnvironment) -> None:
    # the tree is rebuilt once per build, after all pages are read
    if hasattr(app.builder, _NAV_KEY):
        delattr(app.builder, _NAV_KEY)


def replace_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Runs before furo: hand it the cached navigation instead of the global toctree.

    Furo would turn that into its own markup with BeautifulSoup; it gets nothing to
    parse here and ``furo_tree`` below puts the ready-made markup in its place.
    """
    if "toctree" not in context or app.builder.name.startswith("epub"):
        return
    nav = navigation(app)
    context["toctree"] = lambda **kwargs: ""
    context["_wg_nav"] = nav


def furo_tree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    nav = context.pop("_wg_nav", None)
    if nav is None:
        return
    context["toctree"] = lambda **kwargs: nav.page_html(pagename)
    if "furo_navigation_tree" in context:
        context["furo_navigation_tree"] = nav.furo_html(pagename)


def uses_navigation(app: Sphinx) -> bool:
    return app.builder.format == "html" and not app.builder.name.startswith("epub")


def pages_with_new_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose left navigation or prev/next links differ from when they were written.

    Sphinx re-writes only the pages it re-reads, so without this a renamed, added or
    removed guide would linger in the navigation of every other page.
    """
    if not uses_navigation(app):
        return []
    nav = navigation(app)
    relations = env.collect_relations()

    def title(doc: str | None) -> str:
        return _title(env, doc, None) if doc else ""

    # cheap check first: most rebuilds change content, not the tree
    shape = repr(
        (
            [
                (g.caption, [(e.doc, e.title, [(c.doc, c.title) for c in e.children]) for e in g.entries])
                for g in nav.tree.groups
            ],
            sorted((d, tuple(r), tuple(map(title, r[1:]))) for d, r in relations.items()),
        )
    )
    digest = hashlib.blake2b(shape.encode(), digest_size=16).hexdigest()
    store = get_domain(env).navigation_digests
    before = store.get(app.builder.name)
    if before is not None and before.get("") == digest and before.keys() - {""} == env.found_docs:
        return []
    now = {"": digest}
    for doc in sorted(env.found_docs):
        related = relations.get(doc) or [None, None, None]
        text = nav.furo_html(doc) + "\0" + "\0".join(f"{d}\1{title(d)}" for d in related)
        now[doc] = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    store[app.builder.name] = now
    if before is None:
        # unknown history: what is on disk may have been written from other data
        return sorted(env.found_docs)
    return sorted(doc for doc, digest in now.items() if doc and before.get(doc) != digest)


def group_file(doc: str) -> str:
    """The file, below ``_static/``, of one group's full list: a page loads only its own group's."""
    return f"{NAV_GROUPS}/{hashlib.sha1(doc.encode('utf-8')).hexdigest()[:16]}.json"


def write_nav_json(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not uses_navigation(app):
        return
    data = navigation(app).json_data()
    files: dict[str, Any] = {}
    for doc, entry in zip(
        (e.doc for g in navigation(app).tree.groups for e in g.entries),
        (e for g in data["groups"] for e in g["entries"]),
        strict=True,
    ):
        if entry["children"]:
            files[f"_static/{group_file(doc)}"] = {"version": 1, **entry}
    # the whole tree in one file, written by earlier versions: no page loads it any more
    (Path(app.outdir) / "_static" / "wg-nav.json").unlink(missing_ok=True)
    folder = Path(app.outdir) / "_static" / NAV_GROUPS
    if folder.is_dir():  # groups that are gone leave no file behind
        for old in folder.glob("*.json"):
            if f"_static/{NAV_GROUPS}/{old.name}" not in files:
                old.unlink()
    for name, content in files.items():
        target = Path(app.outdir) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


def setup_navigation(app: Sphinx) -> None:
    app.connect("env-updated", reset)
    # before furo's own handler (priority 500), which calls context["toctree"]
    app.connect("html-page-context", replace_toctree, priority=400)
    app.connect("html-page-context", furo_tree, priority=600)
    app.connect("build-finished", write_nav_json)
    app.add_js_file("wispgate-nav.js", defer="defer")


def add_static_path(app: Sphinx) -> None:
    """The extension ships its own styles and scripts, so any project using it looks right."""
    static = str(Path(__file__).parent / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


#: per builder: each asset's tag, by the folder of the page it is written into
_ASSET_TAGS: weakref.WeakKeyDictionary[Builder, dict[tuple[str, str, object], str]] = weakref.WeakKeyDictionary()


def memo_asset_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Make each page's ``<link>`` and ``<script>`` tags once per folder, not once per page.

    Sphinx's tags resolve every asset's path on disk for its checksum: 17 assets on each of
    2,000 pages at N = 1,000, 2% of a build.  A tag depends only on the asset, the builder
    and the folder of the page (:func:`sphinx.util.osutil.relative_uri`); the checksum is
    cached for the whole process by Sphinx itself, so this keeps nothing Sphinx does not.
    """
    memo = _ASSET_TAGS.setdefault(app.builder, {})
    uri = app.builder.get_target_uri(pagename)
    folder = uri.rpartition("/")[0]
    for name in ("css_tag", "js_tag"):
        make = context.get(name)
        # Sphinx's own only: another's (notfound's absolute links on the 404 page) may depend on more
        if callable(make) and getattr(make, "__qualname__", "") == f"StandaloneHTMLBuilder.handle_page.<locals>.{name}":
            context[name] = functools.partial(_asset_tag, make, memo, name, folder, uri)


def _asset_tag(
    make: Callable[[Any], str], memo: dict[tuple[str, str, object], str], name: str, folder: str, uri: str, asset: Any
) -> str:
    # Sphinx's asset objects are immutable and hashable; old-style strings are passed through,
    # as is the one case where the page's own name counts (an asset named like the page)
    if isinstance(asset, str) or not hasattr(asset, "attributes") or os.fspath(asset.filename or "") == uri:
        return make(asset)
    key = (name, folder, asset)
    if (tag := memo.get(key)) is None:
        tag = memo[key] = make(asset)
    return tag


def memo_titles(app: Sphinx, builder: Builder) -> None:
    """Render each page's title once per build (``write-started``), not on every page that
    links it.

    Sphinx renders the titles of a page's next, previous and parent pages, and its own, through
    the whole docutils pipeline (``render_partial``) on every page: four times a title, 2% of a
    build.  A title node of the environment renders the same each time; anything else (the
    page's table of contents) is rendered as before.  Each node is kept with its markup, so
    its ``id`` cannot be reused while the build runs.
    """
    if not isinstance(builder, StandaloneHTMLBuilder) or "render_partial" in vars(builder):
        return  # not an HTML builder, or another extension renders its own way
    env = app.env
    known = {id(node): node for node in itertools.chain(env.titles.values(), env.longtitles.values())}
    rendered: dict[int, dict[str, str]] = {}
    render = functools.partial(type(builder).render_partial, builder)

    def render_partial(node: nodes.Node | None) -> dict[str, str]:
        if node is None or known.get(id(node)) is not node:
            return render(node)
        if (parts := rendered.get(id(node))) is None:
            parts = rendered[id(node)] = render(node)
        return dict(parts)

    builder.render_partial = render_partial  # type: ignore[method-assign]


def forget_titles(app: Sphinx, exception: Exception | None) -> None:
    vars(app.builder).pop("render_partial", None)  # the memo holds this build's nodes only


def setup_static(app: Sphinx) -> None:
    app.connect("builder-inited", add_static_path)
    # last: the tag functions are wrapped after any handler that replaces them
    app.connect("html-page-context", memo_asset_tags, priority=900)
    app.connect("write-started", memo_titles)
    app.connect("build-finished", forget_titles)
    app.add_css_file("wispgate.css")
    app.add_css_file("wispgate-print.css", media="print")
    app.add_js_file("wispgate.js", defer="defer")
