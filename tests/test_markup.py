"""The parser-free path for plain values gives exactly what MyST gives."""

from __future__ import annotations

import os

import pytest
from docutils import nodes

SAMPLES = [
    "Plain words only",
    "Set `radius` on the router",
    "`sk_test_` keys and `whsec_` secrets",
    "Ports `1812` and `1813`, then `/radius incoming`",
    "`only code`",
    "Ends with code `x`",
    "A `code` then `more code` and text",
    "Trailing space ",
    " Leading space",
    # these must take the parser's path; they are here to prove the result is the same either way
    "Unmatched ` backtick",
    "Double ``a`b`` span",
    "Code with spaces `  a  `",
    "Mixed *emphasis* and `code`",
    "A [link](https://example.com) and `code`",
    "Escaped \\`not code\\`",
    "Less-than `<b>` inside code",
    "<b>raw</b> outside code",
    "`a` & `b`",
]


@pytest.fixture
def document(basic_app):
    """A new document of the basic root's build, as if it were its index page."""
    from sphinx.util.docutils import new_document

    basic_app.env.current_document.docname = "index"
    doc = new_document("index.md")
    doc.settings.env = basic_app.env
    return doc


def shape(children: list[nodes.Node]) -> list:
    return [(type(n).__name__, n.astext(), getattr(n, "source", None), getattr(n, "line", None)) for n in children]


@pytest.mark.parametrize("text", SAMPLES)
def test_plain_path_equals_myst(document, text):
    from wispgate_connectors import markup
    from wispgate_connectors.report import Loc

    loc = Loc("data/connectors/alpha.yaml", 7)
    assert shape(markup.inline(text, document, loc)) == shape(markup._render(text, document, loc, inline=True))
    fast = markup.block(text, document, loc)
    slow = markup._render(text, document, loc, inline=False)
    assert shape(fast) == shape(slow)
    assert [shape(p.children) for p in fast] == [shape(p.children) for p in slow]


def test_plain_path_is_taken_for_simple_code(document):
    from wispgate_connectors import markup
    from wispgate_connectors.report import Loc

    assert markup._plain("Set `radius` and `ports`", document, Loc("x.yaml", 1)) is not None
    for text in ("Mixed *emphasis* and `code`", "Code with spaces `  a  `", "Double ``a`b`` span"):
        assert markup._plain(text, document, Loc("x.yaml", 1)) is None


ALPHABET = "ab1 `*_[]<>\\&-#!.:/"
#: WG_FUZZ scales the number of random examples, as in test_property.py (`make test-fast`: 0.2)
SCALE = float(os.environ.get("WG_FUZZ", "1"))


def test_plain_path_equals_myst_on_random_text(document):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from wispgate_connectors import markup
    from wispgate_connectors.report import Loc

    words = st.text(alphabet="ab1 .,:/-'", min_size=1, max_size=8)
    code = st.text(alphabet=ALPHABET.replace("`", ""), min_size=1, max_size=6).map(lambda s: f"`{s}`")
    values = st.one_of(
        st.text(alphabet=ALPHABET, min_size=1, max_size=30),
        st.lists(st.one_of(words, code), min_size=1, max_size=6).map("".join),
    )
    fast_hits = []

    @settings(max_examples=int(400 * SCALE), deadline=None, database=None)
    @given(values)
    def check(text):
        loc = Loc("data/connectors/alpha.yaml", 3)
        if markup._plain(text, document, loc) is None:
            return
        fast_hits.append(text)
        assert shape(markup.inline(text, document, loc)) == shape(markup._render(text, document, loc, inline=True))
        fast, slow = markup.block(text, document, loc), markup._render(text, document, loc, inline=False)
        assert shape(fast) == shape(slow)
        assert [shape(p.children) for p in fast] == [shape(p.children) for p in slow]

    check()
    assert len(fast_hits) > 50 * SCALE  # the comparison ran where it matters


def test_setup_render_sets_what_mysts_sets(document):
    """The data renderer's ``setup_render`` (no spare document) leaves MyST's state, with the page's document."""
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

    from wispgate_connectors import markup

    md = markup._parser(document.settings.env.myst_config)
    ours: markup._DataRenderer = md.renderer
    theirs = markup._DataRenderer(md)
    options = {**md.options, "document": document}
    ours.setup_render(options, {})
    DocutilsRenderer.setup_render(theirs, options, {})

    def state(r):
        return {k: v for k, v in vars(r).items() if k not in ("md", "rules", "location", "value")}

    assert state(ours) == state(theirs)
    assert ours.document is document and ours.current_node is document


def test_sheet_maker_notes_code_blocks(document):
    """A sheet gets the code post-transforms exactly when one of its values gave a code block."""
    from types import SimpleNamespace

    from wispgate_connectors.sheets import SheetMaker

    maker = SheetMaker(document.settings.env, document, "index")
    v = SimpleNamespace(path="data/connectors/alpha.yaml")
    maker.md("Plain `code` and **bold**", v, 1)
    maker.block("Two\n\nparagraphs with `code`", v, 1)
    assert not maker.has_code
    maker.block("Run:\n\n```\nping host\n```", v, 2)
    assert maker.has_code
