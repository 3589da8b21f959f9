"""The writer contract beyond the data schema: the page, the content-test file, a finished guide.

No Sphinx import.  A guide is three files: its data (``data/connectors/<id>.yaml``, checked by
:mod:`.catalog`), its page (``integrations/<id>.md``) and, in a project with content tests
(a ``tests/facts/`` folder), its content-test file (``tests/facts/<id>.txt``).  ``make check``
reports here what the build lets through and CI would otherwise report minutes later:

- the page: a title, not the scaffold's TODO one, the same as the connector's ``name``; no TODO
  left; on a page of section directives, every section the data fills.  A directive naming an
  unknown id on ``integrations/<id>.md`` is reported once, with "did you mean" (:mod:`.lint`), and
  not again as "connector '<id>' has no page" (:func:`misnamed_guides`, used by the build too);
- the content-test file: present, at least :data:`MIN_FACTS` facts, no scaffold placeholder left;
  no file for an id that is not a connector;
- a finished guide: what ``tests/test_content.py`` asserts, with these same functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import safety
from .catalog import DEFAULT_LAYOUT
from .lint import Pages, Use, parsers
from .model import Catalog, Connector
from .report import Problem, Subtype
from .sections import SECTION_KEYS

#: the content-test files, one per connector; a project without this folder has no content tests
FACTS_DIR = Path("tests/facts")
#: the fewest facts a content-test file lists
MIN_FACTS = 4
#: what the scaffolds write where the writer has to put words
PLACEHOLDER = "TODO"
#: the fewest failure points and sources of a finished guide
MIN_FAILURES = 4
MIN_SOURCES = 3
#: sections shown only when the data has them: (section, the keys that fill it)
OPTIONAL_SECTIONS = {"example": ("example",), "related": ("related", "sources")}


# --- the content-test file ------------------------------------------------------------------

#: what ``make new`` writes to tests/facts/<id>.txt: the format, and placeholders that fail until replaced
FACTS_SCAFFOLD = """\
# Content test of the guide integrations/{id}.md (tests/test_content.py): every line
# below that is not empty and does not start with '#' is a fact, and each must appear,
# word for word, in the text of the built page. It keeps a later edit from losing a
# fact a reader relies on. Write at least 4 facts, one per line, copied from
# data/connectors/{id}.yaml: ports, header names, error messages, menu paths, commands.
# Check with `make check`; run the test with `make test ID={id}`.
TODO: a port number, e.g. 1812
TODO: a header, field or attribute name
TODO: an exact error message
TODO: a command or menu path
"""


@dataclass(frozen=True)
class Fact:
    line: int
    text: str


def read_facts(text: str) -> list[Fact]:
    """The facts of a content-test file: every non-empty line not starting with '#'."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(Fact(number, line))
    return out


def facts_display(cid: str) -> str:
    return (FACTS_DIR / f"{cid}.txt").as_posix()


def facts_file_problems(root: Path, cid: str) -> list[Problem]:
    """What is wrong with one existing content-test file (one message per mistake)."""
    display = facts_display(cid)
    try:
        text = safety.read_regular(Path(root) / display, Path(root), 256 * 1024).decode("utf-8")
    except safety.UnsafeFile as exc:
        return [Problem(display, 1, exc.message, Subtype.page)]
    except UnicodeDecodeError:
        return [Problem(display, 1, "file is not valid UTF-8; save it as UTF-8", Subtype.page)]
    facts = read_facts(text)
    todo = [f for f in facts if PLACEHOLDER in f.text]
    if todo:
        many = f"{len(todo)} placeholder lines" if len(todo) > 1 else "a placeholder line"
        return [
            Problem(
                display,
                todo[0].line,
                f"still holds the scaffold's {many} ('{PLACEHOLDER}: ...'): replace each with a fact "
                "copied word for word from the guide (a port, a header name, an error message, a menu path)",
                Subtype.page,
            )
        ]
    if len(facts) < MIN_FACTS:
        line = facts[-1].line if facts else 1
        return [
            Problem(
                display,
                line,
                f"lists {len(facts)} fact{'s' if len(facts) != 1 else ''}; the content test needs at least "
                f"{MIN_FACTS}, one per line, each copied word for word from the guide",
                Subtype.page,
            )
        ]
    return []


def content_test_problems(root: Path, catalog: Catalog) -> list[Problem]:
    """Every connector has its content-test file and every file its connector."""
    folder = Path(root) / FACTS_DIR
    if not folder.is_dir():
        return []
    out: list[Problem] = []
    ids = {*catalog.connectors, *catalog.broken}
    for cid in sorted(ids):
        if (folder / f"{cid}.txt").exists():
            out += facts_file_problems(root, cid)
            continue
        c = catalog.connectors.get(cid)
        out.append(
            Problem(
                c.path if c else catalog.broken[cid],
                c.line_of("id") if c else 1,
                f"connector '{cid}' has no content-test file: create {facts_display(cid)} with at least "
                f"{MIN_FACTS} facts of the guide, one per line (see the writing guide, 'What CI checks')",
                Subtype.page,
            )
        )
    for path in sorted(folder.glob("*.txt")):
        if path.stem not in ids:
            out.append(
                Problem(
                    safety.display(path, Path(root)),
                    1,
                    f"no connector '{safety.clip(path.stem, 64)}' "
                    f"({DEFAULT_LAYOUT.connector_dir.as_posix()}/{safety.clip(path.stem, 64)}.yaml): name the file "
                    "after the id of the connector it tests, or delete it",
                    Subtype.reference,
                )
            )
    return out


# --- a finished guide -------------------------------------------------------------------------


def finished_problems(c: Connector) -> list[Problem]:
    """What a guide needs before it ships, beyond the schema (the scaffold has every piece)."""
    out = []

    def add(line: int, message: str) -> None:
        out.append(Problem(c.path, line, message, Subtype.schema))

    if len(c.failures) < MIN_FAILURES:
        add(
            c.line_of("failures"),
            f"failures: a finished guide lists at least {MIN_FAILURES} failure points (this one has {len(c.failures)})",
        )
    if c.example is None:
        add(c.line_of("flow"), "example: missing: a finished guide has an example configuration (language, text)")
    if not c.related:
        add(
            c.line_of("related"),
            "related: a finished guide lists related resources (pages of this site, connectors or vendor pages)",
        )
    if len(c.sources) < MIN_SOURCES:
        add(
            c.line_of("sources"),
            f"sources: a finished guide names at least {MIN_SOURCES} sources (this one has {len(c.sources)})",
        )
    elif not any("failure" in s.covers.lower() for s in c.sources):
        add(
            c.line_of("sources"),
            'sources: one source backs the failure points: say so in its covers, e.g. "failures: ..."',
        )
    if c.verified is None:
        add(
            c.line_of("versions"),
            "verified: missing: give the date and the vendor version the guide was checked against",
        )
    return out


# --- the page ------------------------------------------------------------------------------------

_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1{2,}\s*$")


def page_title(text: str, suffix: str, extensions: Iterable[str]) -> tuple[str, int] | None:
    """The page's first title and its line, or None."""
    if suffix == ".rst":
        lines = text.splitlines()
        for i in range(len(lines) - 1):
            title = lines[i].strip()
            if title and not _RST_UNDERLINE.match(lines[i]) and _RST_UNDERLINE.match(lines[i + 1]):
                if len(lines[i + 1].rstrip()) >= len(lines[i].rstrip()):
                    return title, i + 1
        return None
    md, _ = parsers(frozenset(extensions))
    tokens = md.parse(text, {})
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and token.map:
            return tokens[i + 1].content.strip(), token.map[0] + 1
    return None


@dataclass(frozen=True)
class PageFile:
    rel: str
    doc: str
    text: str


def _page_files(root: Path, pages: Pages) -> dict[str, PageFile]:
    """doc -> its file, for the pages that document connectors."""
    out = {}
    for rel in sorted(pages.files):
        doc = rel.rsplit(".", 1)[0]
        if doc in pages.guides.values():
            try:
                text = safety.read_regular(Path(root) / rel, Path(root)).decode("utf-8")
            except (safety.UnsafeFile, UnicodeDecodeError):
                continue
            out[doc] = PageFile(rel, doc, text)
    return out


def misnamed_guides(catalog: Catalog, pages: Pages, page_dir: str = DEFAULT_LAYOUT.page_dir) -> dict[str, Use]:
    """Connectors whose own page (``<page_dir>/<id>``) names an unknown id in its directive.

    The unknown id is the one mistake (reported at the page, with "did you mean"): the connector
    is not reported again as without a page, nor are the links to it.
    """
    out = {}
    docs = {rel.rsplit(".", 1)[0]: rel for rel in pages.files}
    for cid in catalog.connectors:
        rel = docs.get(f"{page_dir}/{cid}")
        if cid in pages.guides or rel is None:
            continue
        for use in pages.uses.get(rel, ()):
            if (
                use.kind == "directive"
                and use.connector not in catalog.connectors
                and use.connector not in catalog.broken
            ):
                out[cid] = use
                break
    return out


def sections_on_page(uses: Iterable[Use], cid: str) -> set[str] | None:
    """The sections a page places for one connector; None when one directive places them all."""
    out = set()
    for use in uses:
        if use.kind != "directive" or use.connector != cid:
            continue
        if use.name == "connector":
            return None
        out.add("readiness" if use.name == "readiness-checklist" else use.name.removeprefix("connector-"))
    return out


def expected_sections(c: Connector) -> list[str]:
    """The sections the single ``connector`` directive would show for this connector."""
    return [
        key
        for key in SECTION_KEYS
        if key not in OPTIONAL_SECTIONS or any(getattr(c, name) for name in OPTIONAL_SECTIONS[key])
    ]


def page_problems(root: Path, catalog: Catalog, pages: Pages, extensions: Iterable[str]) -> list[Problem]:
    """The title, TODOs and left-out sections of every connector's page."""
    files = _page_files(root, pages)
    out: list[Problem] = []
    for cid, doc in sorted(pages.guides.items()):
        c = catalog.connectors.get(cid)
        page = files.get(doc)
        if c is None or page is None:
            continue  # unknown ids are lint.use_problems'; a broken connector's data says why
        display = safety.escape_name(page.rel)
        suffix = "." + page.rel.rsplit(".", 1)[1]
        found = page_title(page.text, suffix, extensions)
        title_line = 0
        if found is None:
            how = f"'# {c.name}'" if suffix == ".md" else f"'{c.name}' underlined with '='"
            out.append(Problem(display, 1, f"the page has no title: start it with {how}", Subtype.page))
        else:
            title, title_line = found
            if PLACEHOLDER in title:
                out.append(
                    Problem(
                        display,
                        title_line,
                        f"the title still holds the scaffold's {PLACEHOLDER}: write the guide's title, "
                        f"the same as name in {c.path}:{c.line_of('name')}",
                        Subtype.page,
                    )
                )
            elif " ".join(title.split()) != " ".join(c.name.split()) and PLACEHOLDER not in c.name:
                out.append(
                    Problem(
                        display,
                        title_line,
                        f"the title '{safety.clip(title, 60)}' differs from name in {c.path}:{c.line_of('name')} "
                        f"('{safety.clip(c.name, 60)}'): use the same words (the navigation shows the title, "
                        "cards and links the name)",
                        Subtype.page,
                    )
                )
        for number, line in enumerate(page.text.splitlines(), start=1):
            if PLACEHOLDER in line and number != title_line:
                out.append(Problem(display, number, f"still holds a {PLACEHOLDER} placeholder", Subtype.page))
        placed = sections_on_page(pages.uses.get(page.rel, ()), cid)
        if placed is not None and c.status != "archived":
            missing = [key for key in expected_sections(c) if key not in placed]
            if missing:
                names = ", ".join("readiness-checklist" if k == "readiness" else f"connector-{k}" for k in missing)
                out.append(
                    Problem(
                        display,
                        min(u.line for u in pages.uses[page.rel] if u.kind == "directive" and u.connector == cid),
                        f"the page leaves out {len(missing)} section{'s' if len(missing) > 1 else ''} of '{cid}': "
                        f"add {names} (each with the id {cid}), or use the single connector directive",
                        Subtype.page,
                    )
                )
    return out


def writer_problems(root: Path, catalog: Catalog, pages: Pages, extensions: Iterable[str]) -> list[Problem]:
    """Everything ``make check`` adds to the build's rules."""
    out = page_problems(root, catalog, pages, extensions)
    if (Path(root) / FACTS_DIR).is_dir():
        out += content_test_problems(root, catalog)
        for c in catalog.sorted():
            if c.status != "archived":
                out += finished_problems(c)
    return out
