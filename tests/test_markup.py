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
    # one strong run: the synthetic catalog's console paths take the plain path
    "Vendor console: **Settings → API → Field 3**.",
    "a**b**c",
    "**a**",
    "** a**",
    "**a **",
    "**a_b**",
    "**a** and **b**",
    "**Save** - then > next",
    "a **b** -",
    "**`a`**",
    "Connects WISPGate to system 7 for `subscriber` sync and **policy** enforcement.",
    "`x`**a**",
    "**a**`x`",
    "`x` **a** `y`",
    "**a `x` b**",
    "*a* `x`",
    "Trailing spaces with `code`   ",
    "Trailing tab\t",
    "   Three leading spaces",
    # '>' in a line is text; at the start of a block value it opens a quote
    ">= 6.45",
    "Vendor OS 2: >= 6.45",
    # what opens a block only at the start of a block value
    "% comment",
    "(x)=",
    ":a: b",
    ":::",
    "+++",
    "1) x",
    "- item",
    "= heading",
    "a: b",
]


#: the MyST extensions conf.py enables, and none
SITE_EXTENSIONS = {"site": {"colon_fence", "deflist", "fieldlist", "attrs_inline"}, "none": set()}


@pytest.fixture(params=sorted(SITE_EXTENSIONS))
def document(basic_app, request, monkeypatch):
    """A new document of the basic root's build, as if it were its index page, read with
    the real site's MyST extensions or with none."""
    import dataclasses

    from sphinx.util.docutils import new_document

    env = basic_app.env
    config = dataclasses.replace(env.myst_config, enable_extensions=SITE_EXTENSIONS[request.param])
    monkeypatch.setattr(env, "myst_config", config)
    env.current_document.docname = "index"
    doc = new_document("index.md")
    doc.settings.env = env
    return doc


def twin(document: nodes.document) -> nodes.document:
    """A second new document of the same page: targets one render registers do not rename the other's."""
    from sphinx.util.docutils import new_document

    doc = new_document(document["source"])
    doc.settings.env = document.settings.env
    return doc


def shape(children: list[nodes.Node]) -> list:
    """Everything a builder reads of the nodes: type, text, attributes, place, children."""
    return [
        ("Text", str(n))
        if isinstance(n, nodes.Text)
        else (type(n).__name__, n.rawsource, n.attributes, n.source, n.line, shape(n.children))
        for n in children
    ]


@pytest.mark.parametrize("text", SAMPLES)
def test_plain_path_equals_myst(document, text):
    from wispgate_connectors import markup
    from wispgate_connectors.report import Loc

    loc = Loc("data/connectors/alpha.yaml", 7)
    for inline, render in ((True, markup.inline), (False, markup.block)):
        slow = markup._render(text, twin(document), loc, inline)
        assert shape(render(text, twin(document), loc)) == shape(slow)


def test_plain_path_is_taken_for_simple_code(document):
    from wispgate_connectors import markup
    from wispgate_connectors.report import Loc

    loc = Loc("x.yaml", 1)
    for text in (
        "Set `radius` and `ports`",
        "Go to **Settings → API**.",
        ">= 6.45",
        "For `x` and **y**.",
        "**Save** - then",
    ):
        assert markup._plain(text, document, loc, inline=True) is not None
    for text in (
        "Mixed *emphasis* and `code`",
        "Code with spaces `  a  `",
        "Double ``a`b`` span",
        "**a** **b**",
        "`x` **a** **b**",
    ):
        assert markup._plain(text, document, loc, inline=True) is None
    for text in (">= 6.45", "% comment", "(x)=", ":a: b", " padded", "tab\t"):
        assert markup._plain(text, document, loc, inline=False) is None


def test_text_changing_extensions_turn_the_plain_path_off(document, monkeypatch):
    """linkify, replacements and smartquotes change plain words: every value goes to MyST."""
    import dataclasses

    from wispgate_connectors import lint, markup
    from wispgate_connectors.report import Loc

    env = document.settings.env
    site = env.myst_config
    assert lint.TEXT_CHANGING == {"linkify", "replacements", "smartquotes"}
    for extension in sorted(lint.TEXT_CHANGING):
        extensions = {*site.enable_extensions, extension}
        monkeypatch.setattr(env, "myst_config", dataclasses.replace(site, enable_extensions=extensions))
        for inline in (True, False):
            assert markup._plain("Plain words only", document, Loc("x.yaml", 1), inline) is None
            assert lint.needs_parser("Plain words only", inline, extensions)


ALPHABET = "ab1 `*_[]<>\\&-#!.:/%()=+"
#: WG_FUZZ scales the number of random examples, as in test_property.py (`make test-fast`: 0.2)
SCALE = float(os.environ.get("WG_FUZZ", "1"))


def test_plain_path_equals_myst_on_random_text(document):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from wispgate_connectors import lint, markup
    from wispgate_connectors.report import Loc

    words = st.text(alphabet="ab1 .,:/-'>%()=+", min_size=1, max_size=8)
    code = st.text(alphabet=ALPHABET.replace("`", ""), min_size=1, max_size=6).map(lambda s: f"`{s}`")
    strong = st.text(alphabet="ab1 .,:/-_>", min_size=1, max_size=6).map(lambda s: f"**{s}**")
    values = st.one_of(
        st.text(alphabet=ALPHABET, min_size=1, max_size=30),
        st.lists(st.one_of(words, code), min_size=1, max_size=6).map("".join),
        st.lists(st.one_of(words, strong, code), min_size=1, max_size=5).map("".join),
    )
    fast_hits = []

    @settings(max_examples=int(400 * SCALE), deadline=None, database=None)
    @given(values)
    def check(text):
        loc = Loc("data/connectors/alpha.yaml", 3)
        extensions = document.settings.env.myst_config.enable_extensions
        for inline in (True, False):
            if markup._plain(text, document, loc, inline) is None:
                continue
            fast_hits.append(text)
            fast = markup.inline(text, document, loc) if inline else markup.block(text, document, loc)
            assert shape(fast) == shape(markup._render(text, document, loc, inline))
            assert not lint.needs_parser(text, inline, extensions)

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
