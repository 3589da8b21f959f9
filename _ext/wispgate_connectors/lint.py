"""The rules that need no rendering, in one place for ``make check`` and the build.

No Sphinx import.  The build reports these problems at every run (from
``builder-inited`` and ``env-check-consistency``), not only for the pages it
happens to re-read, so an incremental build fails exactly when a fresh one does,
and ``make check`` prints the same lines:

- markup the sandbox refuses in data (directives, roles, images, unsafe links,
  math, attributes), found with the same MyST parser and the same token tests the
  renderer uses (:func:`refusal`, :func:`has_attributes`);
- code languages Pygments does not know;
- the files and folders Sphinx would read unsafely (:func:`safety.tree_problems`);
- pages: which page documents which connector, unknown ids in pages, connectors
  without a page and ``related.doc`` pages that do not exist.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import safety
from .catalog import DEFAULT_LAYOUT
from .model import Catalog, ConfigField, Connector, Failure
from .report import Problem, Subtype
from .sections import DOCUMENTING
from .validation import page_rules
from .yamlio import read_yaml

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

CONNECTOR_DIR = DEFAULT_LAYOUT.connector_dir
READINESS_PATH = DEFAULT_LAYOUT.readiness
LOADED = frozenset(
    p.as_posix()
    for p in (DEFAULT_LAYOUT.domains, DEFAULT_LAYOUT.use_cases, DEFAULT_LAYOUT.readiness, DEFAULT_LAYOUT.vendor_changes)
)

# --- what the sandbox refuses ----------------------------------------------------------------

#: Roles a YAML value may use: references and inline semantics only.  No ``math``:
#: it makes the page load MathJax, which turns ``\href{javascript:...}`` into a live link.
ALLOWED_ROLES = frozenset(
    {
        "connector",
        "wg:connector",
        "doc",
        "ref",
        "term",
        "abbr",
        "kbd",
        "code",
        "command",
        "file",
        "samp",
        "guilabel",
        "menuselection",
        "rfc",
        "sub",
        "sup",
        "dfn",
    }
)
SAFE_SCHEMES = ("http", "https", "mailto")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Text without any of these characters is plain text and needs no parser.  At the start
# of a block value more open a block: a list, a quote, MyST's comment ('%'), target
# ('(name)=') and field list (':name:').
MARKUP = re.compile(r"[`*_\[\]<>{}\\!&#|~$\n]|^\s*[-+>=%(:]|^\s*\d+[.)](\s|$)")
# Inside a line, '>' only closes what '<' opened and nothing opens a block.
INLINE_MARKUP = re.compile(r"[`*_\[\]<{}\\!&#|~$\n]")
#: extensions that change text without markup (links from bare addresses, typographic quotes and dashes)
TEXT_CHANGING = frozenset({"linkify", "replacements", "smartquotes"})
# one '**strong**' run whose ends are letters or digits: it opens and closes whatever is around it
_STRONG = re.compile(r"\*\*([^\W_](?:[^*]*[^\W_])?)\*\*")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
MATH_TOKENS = frozenset(
    {"math_inline", "math_inline_double", "math_single", "math_block", "math_block_label", "amsmath"}
)
ATTRIBUTES = "an attribute block ('{.class}', '{#id}', '{key=value}')"
MATH = "math ('$...$')"
#: attributes markdown-it itself sets; anything else came from '{...}' in the text
_OWN_ATTRS = {
    "link_open": {"href", "title"},
    "link": {"href", "title"},
    "image": {"src", "alt", "title"},
    "ordered_list_open": {"start"},
    "ordered_list": {"start"},
}
_ALIGN = re.compile(r"text-align:(left|center|right)")


def refusal(token: Token | SyntaxTreeNode) -> str | None:
    """What the sandbox refuses in one markdown-it token or syntax-tree node, or None.

    The words fill "<what> is not allowed in connector data; it is shown as text".
    """
    kind = token.type
    if kind == "fence":
        info = (token.info or "").strip()
        return f"directive '{info.split()[0]}'" if info.startswith("{") else None
    if kind == "colon_fence":
        return "a ':::' directive"
    if kind == "myst_role":
        name = token.meta["name"]
        return None if name in ALLOWED_ROLES else f"role '{{{name}}}'"
    if kind == "image":
        return "an image"
    if kind in ("link", "link_open"):
        match = SCHEME.match(str(token.attrs.get("href") or ""))
        if match and match.group(1).lower() not in SAFE_SCHEMES:
            return f"a '{match.group(1)}:' link"
        return None
    if kind in MATH_TOKENS:
        return MATH
    return None


def refused_message(what: str) -> str:
    return f"{what} is not allowed in connector data; it is shown as text"


def has_attributes(tokens: Iterable[Token]) -> bool:
    """True when '{...}' attributes (MyST's attrs extensions) reached any token."""
    for token in tokens:
        kind = token.type
        if kind.startswith("span") or kind == "attrs_block":
            return True
        for key, value in (token.attrs or {}).items():
            if key in _OWN_ATTRS.get(kind, ()):
                continue
            if kind in ("th_open", "td_open") and key == "style" and _ALIGN.fullmatch(str(value)):
                continue
            return True
        if token.children and has_attributes(token.children):
            return True
    return False


#: a piece of a value shown without the parser: ("text" | "code" | "strong", its text)
Piece = tuple[str, str]


def plain_pieces(text: str, inline: bool, extensions: Iterable[str]) -> list[Piece] | None:
    """What MyST makes of a value that holds only text, simple `code` spans and at most one
    simple **strong** run, without the parser; None for anything else.  ``markup`` renders
    these pieces and ``make check`` skips them; tests compare both with MyST's own output."""
    if not inline:
        text = text.rstrip(" ")  # a paragraph loses its trailing spaces
        if not text or text != text.strip():
            return None  # and its leading ones (four make code), tabs and other spaces
    if not TEXT_CHANGING.isdisjoint(extensions):
        return None
    pattern = INLINE_MARKUP if inline else MARKUP
    if "``" in text:  # a run of backticks opens a longer code span
        return None
    parts = CODE_SPAN.split(text) if "`" in text else [text]
    outside = parts[0::2]
    if pattern.search("".join(outside).replace("*", "")):
        return None
    if any(s[0] == " " or s[-1] == " " for s in parts[1::2]):
        return None
    stars = sum(part.count("*") for part in outside)
    if stars not in (0, 4):
        return None
    pieces: list[Piece] = []
    for i, part in enumerate(parts):
        if i % 2:
            pieces.append(("code", part))
        elif "*" in part:
            strong = _STRONG.search(part) if part.count("*") == 4 else None
            if strong is None:
                return None
            before, after = part[: strong.start()], part[strong.end() :]  # checked with the whole value
            pieces += [("text", before), ("strong", strong[1]), ("text", after)]  # empty texts as MyST leaves them
        elif part:
            pieces.append(("text", part))
    return pieces


def needs_parser(text: str, inline: bool, extensions: Iterable[str]) -> bool:
    return plain_pieces(text, inline, extensions) is None


#: attribute syntax is parsed only to be refused: the value is then read without it
ATTRS_EXTENSIONS = frozenset({"attrs_inline", "attrs_block"})


@lru_cache(maxsize=8)
def parsers(extensions: frozenset[str]) -> tuple[MarkdownIt, MarkdownIt]:
    """(full parser, parser without attribute syntax) for a set of MyST extensions."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    try:
        config = MdParserConfig(enable_extensions=set(extensions))
    except Exception:  # an extension name this MyST does not know: the build says so
        config = MdParserConfig()
    plain = MdParserConfig(enable_extensions=set(config.enable_extensions) - ATTRS_EXTENSIONS)
    return create_md_parser(config, RendererHTML), create_md_parser(plain, RendererHTML)


def tokens_for(md_full: MarkdownIt, md_plain: MarkdownIt, text: str, inline: bool) -> tuple[list[Token], bool]:
    """The tokens the renderer renders, and whether attributes were refused first."""
    parse: Callable[[MarkdownIt], list[Token]] = (
        (lambda md: md.parseInline(text, {})) if inline else (lambda md: md.parse(text + "\n", {}))
    )
    tokens = parse(md_full)
    if md_plain is not md_full and has_attributes(tokens):
        return parse(md_plain), True
    return tokens, False


def _walk(tokens: Iterable[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def refusals(text: str, inline: bool, extensions: Iterable[str]) -> list[str]:
    """The refusal messages the renderer gives for one value, in order."""
    extensions = frozenset(extensions)
    if not needs_parser(text, inline, extensions):
        return []
    md_full, md_plain = parsers(extensions)
    tokens, attributes = tokens_for(md_full, md_plain, text, inline)
    out = [ATTRIBUTES] if attributes else []
    for token in _walk(tokens):
        what = refusal(token)
        if what:
            out.append(what)
        elif token.type == "fence" and not known_lexer(fence_language(token)):
            out.append(lexer_message(fence_language(token)))
    return [w if w.startswith("code block") else refused_message(w) for w in out]


# --- code languages ----------------------------------------------------------------------------

#: names Sphinx's highlighter takes besides Pygments' own
_SPHINX_LEXERS = frozenset({"", "none", "default", "py", "py3", "python3", "pycon3", "guess"})


@lru_cache(maxsize=256)
def known_lexer(name: str) -> bool:
    if name in _SPHINX_LEXERS or name.lower() in _pygments_aliases():
        return True
    from pygments.lexers import get_lexer_by_name  # plugins: slower, but rare
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


@lru_cache(maxsize=1)
def _pygments_aliases() -> frozenset[str]:
    from pygments.lexers._mapping import LEXERS  # names only: no lexer module is imported

    return frozenset(alias for entry in LEXERS.values() for alias in entry[2])


def fence_language(token: Token | SyntaxTreeNode) -> str:
    return ((token.info or "").split() or [""])[0]


def lexer_message(name: str) -> str:
    return (
        f"code block language {safety.clip(name, 40)!r} is not a Pygments lexer name "
        "(e.g. bash, json, text); it is shown as plain text"
    )


# --- the values the renderer shows as MyST, at the lines its messages name -----------------------


@dataclass(frozen=True)
class Value:
    text: str
    line: int
    inline: bool


def rendered_values(c: Connector) -> Iterator[Value]:
    """Every value of a connector that is rendered as MyST, with the line the renderer
    names for it (the entry it belongs to) and whether it is parsed inline.

    Keep in step with render.py, cards.py and pages.py: ``test_security`` checks
    that check and build report the same refusals.
    """
    yield Value(c.vendor, c.line_of("vendor"), True)
    if c.complexity_note:
        yield Value(c.complexity_note, c.line_of("complexity_note"), True)
    yield Value(c.summary, c.line_of("summary"), True)
    yield Value(c.overview.what, c.line_of("overview"), False)
    yield Value(c.overview.where, c.line_of("overview"), False)
    compat = c.compatibility
    yield Value(f"{compat.product}: {compat.supported}", c.line_of("compatibility", "product"), True)
    if compat.notes:
        yield Value(compat.notes, c.line_of("compatibility", "notes"), True)
    for i, rule in enumerate(c.network):
        yield Value(rule.purpose, c.line_of("network", i, "purpose"), True)
    for text in c.prerequisites:
        yield Value(text, c.line_of("prerequisites"), True)
    f: ConfigField | Failure  # a field here, then a failure point below
    for f in c.fields:
        yield Value(f.description, f.line, True)
        if f.where:
            yield Value(f.where, f.line, True)
    for step in c.flow:
        yield Value(step.title, step.line, True)
        yield Value(step.body, step.line, False)
    for f in c.failures:
        yield Value(f.symptom, f.line, True)
        yield Value(f.cause, f.line, True)
        yield Value(f.fix, f.line, False)
    for check in c.validation:
        yield Value(check.check, check.line, True)
        yield Value(check.how, check.line, False)
        yield Value(check.expect, check.line, False)
    for text in c.limitations:
        yield Value(text, c.line_of("limitations"), True)
    for step in c.rollback:
        yield Value(step.title, step.line, True)
        yield Value(step.body, step.line, False)
    yield Value(c.outage.subscribers, c.line_of("outage", "subscribers"), True)
    yield Value(c.outage.operations, c.line_of("outage", "operations"), True)
    yield Value(c.outage.recovery, c.line_of("outage", "recovery"), False)
    for _, items in c.readiness.given() if c.readiness else ():
        for text in items:
            yield Value(text, c.line_of("readiness"), True)
    for i, source in enumerate(c.sources):
        yield Value(source.covers, c.line_of("sources", i, "covers"), True)
    for v in c.versions:
        for text in v.changes:
            yield Value(text, v.line, True)


def markup_problems(catalog: Catalog, extensions: Iterable[str]) -> list[Problem]:
    """Refused markup and unknown code languages in every rendered value."""
    extensions = frozenset(extensions)
    out: list[Problem] = []
    for c in catalog.sorted():
        out += [p for p, _ in connector_markup_findings(c, extensions)]
    out += [p for p, _ in readiness_markup_findings(catalog.root, extensions)]
    return out


def connector_markup_findings(c: Connector, extensions: frozenset[str]) -> list[tuple[Problem, str]]:
    """(problem, the value it is about) for one connector."""
    out = []
    for value in rendered_values(c):
        for message in refusals(value.text, value.inline, extensions):
            out.append((Problem(c.path, value.line, message, Subtype.markup), value.text))
    for code in [s.code for s in (*c.flow, *c.rollback) if s.code] + ([c.example] if c.example else []):
        if not known_lexer(code.language):
            out.append((Problem(c.path, code.line, lexer_message(code.language), Subtype.markup), code.text))
    return out


def readiness_markup_findings(root: Path, extensions: frozenset[str]) -> list[tuple[Problem, str]]:
    """The common checklist items, reported once at data/readiness.yaml."""
    path = Path(root) / READINESS_PATH
    if not path.is_file():
        return []
    data, marks, problems = read_yaml(path, READINESS_PATH.as_posix(), Path(root))
    if problems or not isinstance(data, dict):
        return []
    out = []
    for key, items in data.items():
        for i, text in enumerate(items if isinstance(items, list) else []):
            if isinstance(text, str):
                for message in refusals(text, True, extensions):
                    out.append(
                        (Problem(READINESS_PATH.as_posix(), marks.line((key, i)), message, Subtype.markup), text)
                    )
    return out


# --- generated pages ----------------------------------------------------------------------------

#: the first line of every generated page (pages.py writes it; the same text)
GENERATED_NOTE = "<!-- Generated from data/ at every build; edits here are overwritten. -->\n"


#: listing pages whose parts are generated per domain (generate.SPLIT), and What's new's, per year
SPLIT_PAGES = ("matrix", "troubleshooting", "ports", "compatibility", "outage")
YEARS_PAGE = "whats-new"


def generated_folders(catalog: Catalog) -> dict[str, list[str]]:
    """The folders of generated pages at their default places, and their first pages' keys."""
    years = sorted({v.date[:4] for c in catalog.connectors.values() for v in c.versions})
    return {
        "catalog/domains": list(catalog.domains),
        "catalog/use-cases": list(catalog.use_cases),
        "commissioning": [cid for cid, c in catalog.connectors.items() if c.status != "archived"],
        **{f"catalog/{page}": list(catalog.domains) for page in SPLIT_PAGES},
        f"catalog/{YEARS_PAGE}": years,
    }


def generated_problems(root: Path, catalog: Catalog, known: safety.KnownPages | None = None) -> list[Problem]:
    """``known``: see :func:`.safety.generated_plan`."""
    out = []
    for folder, keys in generated_folders(catalog).items():
        problems, _, _ = safety.generated_plan(Path(root), folder, {f"{k}.md": "" for k in keys}, GENERATED_NOTE, known)
        out += [Problem(rel, 1, message, Subtype.page) for rel, message in problems]
    return out


# --- the tree Sphinx walks ---------------------------------------------------------------------


def loader_reads(rel: str) -> bool:
    """Files the catalog loader reads and reports on itself."""
    if rel in LOADED:
        return True
    folder = CONNECTOR_DIR.as_posix() + "/"
    return rel.startswith(folder) and "/" not in rel[len(folder) :]


def tree_problems(root: Path, settings: dict[str, Any]) -> list[Problem]:
    folders = [*settings.get("html_static_path", ()), *settings.get("html_extra_path", ()), "data"]
    return [
        Problem(safety.escape_name(rel), 1, message, Subtype.page)
        for rel, message in safety.tree_problems(root, settings["exclude_patterns"], settings["source_suffix"], folders)
        if not loader_reads(rel)
    ]


# --- pages -----------------------------------------------------------------------------------------

ROLES = frozenset({"connector", "wg:connector"})
#: directives whose content is not Markdown
_LITERAL = frozenset(
    {
        "code-block",
        "code",
        "sourcecode",
        "code-cell",
        "literalinclude",
        "raw",
        "math",
        "eval-rst",
        "csv-table",
        "mermaid",
        "graphviz",
    }
)
_RST_DIRECTIVE = re.compile(r"^[ \t]*\.\.[ \t]+([\w:-]+)::[ \t]*(\S*)", re.MULTILINE)
_RST_ROLE = re.compile(r":(?:wg:)?connector:`([^`]+)`")
_EXPLICIT = re.compile(r"^.*<([^<>]+)>$", re.DOTALL)


@dataclass(frozen=True)
class Use:
    kind: str  # "directive" or "role"
    connector: str
    line: int
    #: the directive's name (``connector``, ``connector-fields``...); empty for a role
    name: str = ""


def _target(text: str) -> str:
    match = _EXPLICIT.match(text.strip())
    return (match.group(1) if match else text).strip()


def page_uses(text: str, suffix: str, extensions: Iterable[str]) -> list[Use]:
    """Where a page names connectors: documenting directives and ``{connector}`` roles."""
    if "connector" not in text and "readiness-checklist" not in text:
        return []
    if suffix == ".rst":
        out = []
        for match in _RST_DIRECTIVE.finditer(text):
            if match.group(1) in DOCUMENTING and match.group(2):
                out.append(Use("directive", match.group(2), safety.editor_line(text, match.start(1)), match.group(1)))
        for match in _RST_ROLE.finditer(text):
            out.append(Use("role", _target(match.group(1)), safety.editor_line(text, match.start())))
        return out
    md_full, _ = parsers(frozenset(extensions))
    return list(_md_uses(md_full, text, 0))


def _md_uses(md: MarkdownIt, text: str, offset: int) -> Iterator[Use]:
    for token in md.parse(text, {}):
        if token.type in ("fence", "colon_fence") and token.map:
            parts = (token.info or "").strip().split(maxsplit=1)
            name = parts[0][1:-1] if parts and parts[0].startswith("{") and parts[0].endswith("}") else None
            line = offset + token.map[0] + 1
            if name in DOCUMENTING and len(parts) > 1:
                yield Use("directive", parts[1].split()[0], line, name)
            elif name and name not in _LITERAL and name not in DOCUMENTING:
                yield from _md_uses(md, token.content, line)
        elif token.type == "inline" and token.map:
            for child in _walk(token.children or []):
                if child.type == "myst_role" and child.meta.get("name") in ROLES:
                    yield Use("role", _target(child.content), offset + token.map[0] + 1)


@dataclass
class Pages:
    """What the page sources say, read without Sphinx."""

    docs: set[str]
    #: the page files read (relative paths)
    files: set[str]
    #: connector id -> the page whose directive documents it (the first, in page order)
    guides: dict[str, str]
    uses: dict[str, list[Use]]


def scan_pages(
    root: Path,
    settings: dict[str, Any],
    cache: dict[str, tuple[tuple[str, tuple[str, ...]], list[Use], safety.Stamp | None]] | None = None,
) -> Pages:
    """Read every page source once (cached by content, re-read when its stamp moved) for the page rules."""
    root = Path(root)
    suffixes = tuple(settings["source_suffix"])
    extensions = tuple(sorted(settings.get("myst_enable_extensions", ())))
    pages = Pages(set(), set(), {}, {})
    for rel in safety.source_files(root, settings["exclude_patterns"], suffixes):
        suffix = next(s for s in suffixes if rel.endswith(s))
        doc = rel[: -len(suffix)]
        hit = cache.get(rel) if cache is not None else None
        fstamp = safety.stat_stamp(root / rel)
        if hit is not None and fstamp is not None and hit[2] == fstamp and hit[0][1] == extensions:
            key = hit[0]  # the same file as when it was read
        else:
            try:
                data = safety.read_regular(root / rel, root)
            except safety.UnsafeFile:
                continue  # reported by the tree check, and not read by Sphinx
            key = (safety.digest(data), extensions)
        pages.docs.add(doc)
        pages.files.add(rel)
        if hit is not None and hit[0] == key:
            uses = hit[1]
            if cache is not None and hit[2] != fstamp:
                cache[rel] = (key, uses, fstamp)
        else:
            try:
                uses = page_uses(data.decode("utf-8"), suffix, extensions)
            except UnicodeDecodeError:
                uses = []
            if cache is not None:
                cache[rel] = (key, uses, fstamp)
        if uses:
            pages.uses[rel] = uses
        for use in uses:
            if use.kind == "directive":
                pages.guides.setdefault(use.connector, doc)
    return pages


def unknown_id_message(use: Use, known: Iterable[str] = ()) -> str:
    """The words for an id no connector has; ``known`` (the connector ids) adds a "did you mean"."""
    cid = safety.clip(use.connector, 64)
    close = difflib.get_close_matches(use.connector, sorted(known), n=1) if len(use.connector) <= 64 else []
    hint = f" (did you mean '{close[0]}'?)" if close and close[0] != use.connector else ""
    if use.kind == "directive":
        return f"unknown connector id '{cid}': no {CONNECTOR_DIR.as_posix()}/{cid}.yaml{hint}"
    return f"unknown connector id '{cid}'{hint}"


def known_ids(catalog: Catalog) -> list[str]:
    """Every id a page may name: for the "did you mean" of an unknown one."""
    return sorted({*catalog.connectors, *catalog.broken})


def use_problems(catalog: Catalog, pages: Pages, reported: Iterable[str] = ()) -> list[Problem]:
    """Ids in pages that name no connector (directives) or no documented one (roles).

    A connector whose file has errors is not named again: its problems say why; nor one in
    ``reported`` (its own page names a wrong id, reported at that page).
    """
    out = []
    reported = set(reported)
    for rel, uses in sorted(pages.uses.items()):
        for use in uses:
            if use.connector in catalog.broken or (use.kind == "role" and use.connector in reported):
                continue  # its data problems are reported; its page says the guide is unavailable
            if use.kind == "directive":
                bad = use.connector not in catalog.connectors
            else:  # a link may name a former id of a renamed connector
                cid = catalog.renamed.get(use.connector, use.connector)
                bad = cid not in pages.guides or cid not in catalog.connectors
            if bad:
                message = unknown_id_message(use, known_ids(catalog))
                out.append(Problem(safety.escape_name(rel), use.line, message, Subtype.reference))
    return out


def check_problems(root: Path, catalog: Catalog, settings: dict[str, Any] | None = None) -> list[Problem]:
    """Everything ``make check`` runs besides the loader and the credential scan, with the writer
    contract the build does not check (:mod:`.writer_rules`)."""
    from .writer_rules import misnamed_guides, writer_problems

    settings = settings if settings is not None else safety.project_settings(root)
    pages = scan_pages(root, settings)
    # a page naming a wrong id is the connector's page: one message, at the page
    misnamed = misnamed_guides(catalog, pages)
    return (
        tree_problems(root, settings)
        + markup_problems(catalog, settings.get("myst_enable_extensions", ()))
        + use_problems(catalog, pages, misnamed)
        + page_rules(catalog, lambda cid: cid in pages.guides or cid in misnamed, lambda doc: doc in pages.docs)
        + generated_problems(root, catalog)
        + writer_problems(root, catalog, pages, settings.get("myst_enable_extensions", ()))
    )
