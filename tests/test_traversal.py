"""Docutils' tree walks from one generator (traversal.py) yield what docutils' own yield, in
the same order, also while the pass that walks changes the tree under it."""

from __future__ import annotations

import os

import docutils
import pytest
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from wispgate_connectors import traversal

SCALE = float(os.environ.get("WG_FUZZ", "1"))
KINDS = (nodes.section, nodes.paragraph, nodes.reference, nodes.inline, nodes.bullet_list)

#: a tree: (kind index, children) or a text
trees = st.recursive(
    st.text(alphabet="ab", min_size=1, max_size=2),
    lambda inner: st.tuples(st.integers(0, len(KINDS) - 1), st.lists(inner, max_size=4)),
    max_leaves=30,
)
#: what the pass does at the n-th node it is given (cycling through the list)
EDITS = ("none", "remove", "replace", "append-child", "insert-after", "clear", "wrap")
edits = st.lists(st.sampled_from(EDITS), min_size=1, max_size=12)


def build(tree, counter: list[int]) -> nodes.Node:
    counter[0] += 1
    if isinstance(tree, str):
        return nodes.Text(f"{tree}{counter[0]}")
    kind, children = tree
    node = KINDS[kind](ids=[f"n{counter[0]}"])
    node.extend(build(child, counter) for child in children)
    return node


def label(node: nodes.Node) -> str:
    return node.astext() if isinstance(node, nodes.Text) else f"{node.tagname}:{node['ids'][0]}"


def walk(root: nodes.Node, walker, script: list[str]) -> tuple[list[str], str]:
    """Walk with ``walker`` and edit the tree at each node as ``script`` says."""
    seen, made = [], [10_000]
    for n, node in enumerate(walker(root)):
        seen.append(label(node))
        edit = script[n % len(script)]
        made[0] += 1
        new = nodes.inline(ids=[f"new{made[0]}"])
        new += nodes.Text(f"t{made[0]}")
        parent = node.parent
        if edit == "remove" and parent is not None:
            parent.remove(node)
        elif edit == "replace" and parent is not None:
            parent.replace(node, new)
        elif edit == "append-child" and isinstance(node, nodes.Element):
            node += new
        elif edit == "insert-after" and parent is not None:
            parent.insert(parent.index(node) + 1, new)
        elif edit == "clear" and isinstance(node, nodes.Element):
            node.children = []
        elif edit == "wrap" and parent is not None and isinstance(node, nodes.Element):
            wrapper = nodes.container(ids=[f"wrap{made[0]}"])
            node.replace_self(wrapper)
            wrapper += node
        if len(seen) > 500:  # an edit that feeds the walk for ever: both would, compared so far
            break
    return seen, root.pformat()


def both(tree, script, by_type: type | None):
    results = []
    for fast, superfast in (traversal.ORIGINAL, traversal.OURS):
        root = build(tree, [0])
        walker = (lambda r, f=fast: f(r, by_type)) if by_type is not None else superfast
        results.append(walk(root, walker, script))
    return results


@settings(max_examples=int(400 * SCALE), deadline=None)
@given(tree=trees, script=edits, kind=st.sampled_from((*KINDS, nodes.Element, nodes.Text, nodes.Node, None)))
def test_the_walk_is_docutils_walk_under_edits(tree, script, kind):
    docutils_walk, ours = both(tree, script, kind)
    assert ours == docutils_walk


def test_the_walk_on_a_real_page(app_basic_doctrees):
    """Every doctree of the basic root, every node type it holds: the same nodes in order."""
    checked = 0
    for doctree in app_basic_doctrees:
        kinds = {type(n) for n in traversal.ORIGINAL[1](doctree)}
        for kind in kinds:
            assert list(traversal.fast_findall(doctree, kind)) == list(traversal.ORIGINAL[0](doctree, kind))
            checked += 1
        assert list(traversal.superfast_findall(doctree)) == list(traversal.ORIGINAL[1](doctree))
    assert checked > 50


@pytest.fixture(scope="module")
def app_basic_doctrees(tmp_path_factory):
    import shutil

    from conftest import ROOTS, make_project_app

    src = tmp_path_factory.mktemp("traversal") / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    app = make_project_app(src, freshenv=True)
    try:
        app.build()
        return [app.env.get_doctree(doc) for doc in sorted(app.env.found_docs)]
    finally:
        app.cleanup()


def test_installed_for_the_docutils_it_was_compared_with(app_basic_doctrees):
    """A build installs the walks; a docutils release not compared keeps its own (and this
    test fails, so someone compares it)."""
    assert docutils.__version_info__[:2] in traversal.COMPARED
    assert traversal.installed()
