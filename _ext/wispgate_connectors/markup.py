"""Turn the MyST Markdown of a YAML string into inert docutils nodes.

Connector data is text, never code: raw HTML is shown as text, directives
(``{raw}``, ``{include}``...) are refused, roles are limited to a list of
harmless ones, and only http(s)/mailto links and internal links pass.
Each refusal is a warning that names the YAML file and line.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from docutils.parsers.rst.languages import get_language as get_language_rst
from markdown_it.tree import SyntaxTreeNode
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser

from . import lint, state
from .components import holding, texted
from .report import Loc, Subtype, warn

#: where a value comes from: a data file and line, or Sphinx's location of a page
Where = Loc | str

# What a value may use is decided in lint.py, which ``make check`` shares: no math
# (MathJax would load and run \href{javascript:...}), no attributes.
ALLOWED_ROLES = lint.ALLOWED_ROLES
SAFE_SCHEMES = lint.SAFE_SCHEMES
_SCHEME = lint.SCHEME


class _DataRenderer(SphinxRenderer):
    location: Where = ""
    value: str = ""

    def setup_render(self, options: dict[str, Any], env: Any) -> None:
        """MyST's ``setup_render`` with the page's document, without building a spare one.

        MyST's evaluates ``options.get("document", make_document())``: a throw-away
        document, whose settings parse costs more than the page's data (once per page,
        guide and sheet).  Data always brings its page's document.
        """
        self.md_env = env
        self.md_options = options
        self.md_config = options["myst_config"]
        self.document = options["document"]
        self.current_node = self.document
        self.reporter = self.document.reporter
        self.language_module_rst = cast(Any, get_language_rst(self.document.settings.language_code))
        self._heading_offset = 0
        self._level_to_section = {0: self.document}
        self._heading_slugs = {}

    def _refuse(self, what: str, token: Any) -> None:
        message = what if what.startswith("code block") else lint.refused_message(what)
        if (self.value, message) in state.of(self.sphinx_env).reported_markup:
            return  # reported at the start of the build, with every other data problem
        warn(Subtype.markup, message, self.location)

    def _as_text(self, token: Any) -> None:
        self._refuse(lint.MATH, token)
        if token.type == "math_inline" or token.type == "math_single":
            self.current_node.append(texted(nodes.literal, token.content))
        else:
            self.current_node.append(nodes.literal_block(token.content, token.content, language="text"))

    # $...$ and $$...$$ (dollarmath, amsmath): MathJax would load on the page
    render_math_inline = render_math_inline_double = render_math_single = _as_text
    render_math_block = render_math_block_label = render_amsmath = _as_text

    def render_html_inline(self, token: SyntaxTreeNode) -> None:
        self.current_node.append(nodes.Text(token.content))

    def render_html_block(self, token: SyntaxTreeNode) -> None:
        self.current_node.append(nodes.literal_block(token.content, token.content, language="text"))

    def render_fence(self, token: SyntaxTreeNode) -> None:
        info = (token.info or "").strip()
        if info.startswith("{"):
            self._refuse(f"directive '{info.split()[0]}'", token)
            node = nodes.literal_block(token.content, token.content, language="text")
            self.current_node.append(node)
            return
        super().render_fence(token)
        language = lint.fence_language(token)
        block = self.current_node.children[-1] if self.current_node.children else None
        if not lint.known_lexer(language) and isinstance(block, nodes.literal_block):
            self._refuse(lint.lexer_message(language), token)
            block["language"] = "text"

    def render_colon_fence(self, token: SyntaxTreeNode) -> None:
        self._refuse("a ':::' directive", token)
        self.current_node.append(nodes.literal_block(token.content, token.content, language="text"))

    def render_myst_role(self, token: SyntaxTreeNode) -> None:
        name = token.meta["name"]
        if name not in ALLOWED_ROLES:
            self._refuse(f"role '{{{name}}}'", token)
            self.current_node.append(texted(nodes.literal, token.content))
            return
        super().render_myst_role(token)

    def render_image(self, token: SyntaxTreeNode) -> None:
        self._refuse("an image", token)
        alt = token.attrGet("alt") or ""
        self.current_node.append(nodes.Text(cast(str, alt or token.attrGet("src") or "")))

    def render_link(self, token: SyntaxTreeNode) -> None:
        href = str(token.attrGet("href") or "")
        match = _SCHEME.match(href)
        if match and match.group(1).lower() not in SAFE_SCHEMES:
            self._refuse(f"a '{match.group(1)}:' link", token)
            self.render_children(token)
            return
        super().render_link(token)

    def render_link_unknown(self, token: SyntaxTreeNode) -> None:
        # MyST turns a path to a file that is not a page into a download: Sphinx would
        # copy that file (``../../../etc/passwd``, ``../conf.py``) into _downloads/
        env = self.sphinx_env
        target = self.md.normalizeLinkText(str(token.attrGet("href") or "")).split("#", 1)[0]
        if target:
            _, path = env.relfn2path(target, env.docname)
            if Path(path).is_file() and not env.path2doc(path):
                self._refuse(f"a link to '{target}', a file that is not a page,", token)
                self.render_children(token)
                return
        super().render_link_unknown(token)

    def create_warning(
        self, message: str, subtype: Any, *, wtype: Any = None, line: Any = None, append_to: Any = None
    ) -> None:
        warn(Subtype.markup, message, self.location)


_parsers: dict[int, Any] = {}


def _parser(config: MdParserConfig) -> Any:
    # one parser per process and config: building it costs more than most strings
    md = _parsers.get(id(config))
    if md is None:
        md = create_md_parser(config, _DataRenderer)
        _parsers.clear()
        _parsers[id(config)] = md
    return md


_plain_parsers: dict[int, Any] = {}


def _plain_parser(config: MdParserConfig) -> Any:
    """The data parser without MyST's attribute syntax, sharing the renderer."""
    md = _plain_parsers.get(id(config))
    if md is None:
        import dataclasses

        plain = dataclasses.replace(config, enable_extensions=set(config.enable_extensions) - lint.ATTRS_EXTENSIONS)
        md = create_md_parser(plain, _DataRenderer)
        _plain_parsers.clear()
        _plain_parsers[id(config)] = md
    return md


def _render(text: str, document: nodes.document, location: Where, inline: bool) -> list[nodes.Node]:
    env = document.settings.env
    md = _parser(env.myst_config)
    holder = nodes.Element()
    renderer: _DataRenderer = md.renderer
    renderer.location = location
    md_env: dict[str, Any] = {}
    if renderer.__dict__.get("document") is not document:
        # once per page: setup_render builds a throw-away docutils document each call
        renderer.setup_render({**md.options, "document": document}, md_env)
    renderer.md_env = md_env
    renderer.current_node = holder
    renderer.value = text
    tokens = md.parseInline(text, md_env) if inline else md.parse(text + "\n", md_env)
    if lint.has_attributes(tokens):
        # '{.class}', '{#id}': data gets no classes or ids; read the value without them
        renderer._refuse(lint.ATTRIBUTES, None)
        plain = _plain_parser(env.myst_config)
        tokens = plain.parseInline(text, md_env) if inline else plain.parse(text + "\n", md_env)
    renderer._render_tokens(tokens)
    # Nodes carry the YAML file and line, not the page's, so that later warnings
    # (a missing reference target, a bad highlight) point at the data.
    if isinstance(location, Loc):
        source = data_source(env.srcdir, location.path)
        for node in holder.findall(nodes.Element):
            node.source, node.line = source, location.line
    return list(holder.children)


def _plain(text: str, document: nodes.document, location: Where, inline: bool) -> list[nodes.Node] | None:
    """Text with at most simple `code` spans or one **strong** run, without the parser;
    None for anything else (:func:`.lint.plain_pieces`).

    Most values are like that, and parsing each one costs more than the rest of
    its page's rendering.  What comes out is what MyST would make of it.
    """
    pieces = lint.plain_pieces(text, inline, document.settings.env.myst_config.enable_extensions)
    if pieces is None:
        return None
    out: list[nodes.Node] = []
    for kind, piece in pieces:
        if kind == "text":
            out.append(nodes.Text(piece))
        elif kind == "code":
            out.append(_placed(texted(nodes.literal, piece), document, location))
        else:
            out.append(_placed(nodes.strong("", piece), document, location))
    return out


def inline(text: str, document: nodes.document, location: Where) -> list[nodes.Node]:
    """Nodes for a one-line value (a name, a symptom)."""
    plain = _plain(text, document, location, inline=True)
    return plain if plain is not None else _render(text, document, location, inline=True)


def block(text: str, document: nodes.document, location: Where) -> list[nodes.Node]:
    """Nodes for a value that may hold paragraphs, lists and code blocks."""
    plain = _plain(text, document, location, inline=False)
    if plain is None:
        return _render(text, document, location, inline=False)
    return [_placed(holding(nodes.paragraph(text.rstrip(" ")), plain), document, location)]


@functools.lru_cache(maxsize=4096)
def data_source(srcdir: str | Path, path: str) -> str:
    """A data file's path as nodes carry it; made once per file (a Path per node was 1% of a build)."""
    return str(Path(srcdir, path))


def _placed(node: nodes.Element, document: nodes.document, location: Where) -> nodes.Element:
    """Point a node at the YAML file and line (see ``_render``)."""
    if isinstance(location, Loc):
        node.source, node.line = data_source(document.settings.env.srcdir, location.path), location.line
    return node


def paragraph(text: str, document: nodes.document, location: Where, **attrs: Any) -> nodes.paragraph:
    return holding(nodes.paragraph(**attrs), inline(text, document, location))
