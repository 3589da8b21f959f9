"""Docutils' tree walks, from one generator instead of one per node.

Every pass of Sphinx, docutils, MyST and sphinx-design finds its nodes with
``findall(SomeClass)``.  Docutils answers with a generator per node of the page, each
handing its children's nodes up through ``yield from``: a fifth of a 1,000-connector
build's samples (bench/README.md).  The walks below yield the same nodes in the same order
from one generator and a stack of the lists' iterators.  Each node's children are read when
the walk gets to them, after the node itself was yielded, as docutils reads them, so a pass
that changes the tree as it goes sees what it saw before (a property test compares both
under random edits).

Installed for the docutils these walks were compared with; another version keeps its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import docutils
from docutils import nodes
from sphinx.application import Sphinx

#: the methods of docutils' nodes that walk a tree for ``findall`` (private: its stubs omit them)
WALKS = ("_fast_findall", "_superfast_findall")
#: docutils' own walks, which these replace
ORIGINAL = tuple(getattr(nodes.Node, name) for name in WALKS)
#: the docutils releases whose walks these were compared with (the lock file pins one)
COMPARED = ((0, 22),)


def fast_findall(self: nodes.Node, cls: type) -> Iterator[nodes.Node]:
    """``findall(cls)``: the nodes of type ``cls`` in document order, ``self`` first."""
    if isinstance(self, cls):
        yield self
    if not self.children:
        return
    stack: list[Iterator[nodes.Node]] = []
    push, pop = stack.append, stack.pop
    level: Iterator[nodes.Node] = iter(self.children)
    while True:
        for child in level:
            if isinstance(child, cls):
                yield child
            if child.children:  # read after the yield, as docutils reads them
                push(level)
                level = iter(child.children)
            break
        else:
            if not stack:
                return
            level = pop()


def superfast_findall(self: nodes.Node) -> Iterator[nodes.Node]:
    """``findall()``: every node in document order, ``self`` first."""
    return fast_findall(self, object)


OURS = (fast_findall, superfast_findall)


def installed() -> bool:
    return all(getattr(nodes.Node, name) is walk for name, walk in zip(WALKS, OURS, strict=True))


def setup_traversal(app: Sphinx) -> None:
    if docutils.__version_info__[:2] in COMPARED:
        for name, walk in zip(WALKS, OURS, strict=True):
            setattr(nodes.Node, name, walk)
