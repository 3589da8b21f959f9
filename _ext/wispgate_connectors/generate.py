"""Page sources generated from the data: one page per domain and per use case, the
parts of the listing pages, and one commissioning sheet per connector for the
builders that do not write sheets as pages of their own (ePub, text: see :mod:`.sheets`).

A new taxonomy entry needs no hand-written page.  A listing that would grow with
the catalog is cut into parts of ``wispgate_listing_page_size`` connectors: a
domain's or use case's first part keeps its URL, later parts add ``--2``, ``--3``
(keys use single hyphens only, so a part never takes another key's name).  The
listing pages that show every connector (ports, outage...) get one part page per
domain under ``<wispgate_listing_pages>/<page>/``; their own page links the parts.
Files are rewritten only when their text changes, so unchanged pages keep their
mtime and are not re-read.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from . import state
from .catalog import Catalog
from .guard import write_generated
from .lint import GENERATED_NOTE, SPLIT_PAGES, YEARS_PAGE
from .listing import Scope, part_count
from .sheets import sheet_ids, writes_sheet_pages

_TITLES = {
    "matrix": "Comparison matrix",
    "troubleshooting": "Troubleshooting index",
    "ports": "Ports and firewall rules",
    "compatibility": "Compatibility",
    "outage": "Outage impact",
}
#: listing pages of every connector, split into parts by domain: page -> (directive, title)
SPLIT: dict[str, tuple[str, str]] = {page: (f"catalog-{page}", _TITLES[page]) for page in SPLIT_PAGES}
#: What's new is split by year instead: notes, not connectors
WHATS_NEW = YEARS_PAGE


def part_doc(folder: str, key: str, part: int = 1) -> str:
    return f"{folder}/{key}" if part <= 1 else f"{folder}/{key}--{part}"


def domain_doc(config: Config, key: str, part: int = 1) -> str:
    return part_doc(config.wispgate_domain_pages, key, part)


def use_case_doc(config: Config, key: str, part: int = 1) -> str:
    return part_doc(config.wispgate_use_case_pages, key, part)


def split_doc(config: Config, page: str, key: str, part: int = 1) -> str:
    """A part of a listing page split by domain (or, for What's new, by year)."""
    return part_doc(f"{config.wispgate_listing_pages}/{page}", key, part)


def parts(config: Config, catalog: Catalog, scope: Scope) -> int:
    return part_count(len(scope.whole().members(catalog)), config.wispgate_listing_page_size)


def has_page(app: Sphinx, page: str) -> bool:
    """Whether the project has the page that links a split listing's parts: no page, no parts."""
    base = Path(app.srcdir) / app.config.wispgate_listing_pages / page
    return any(base.with_name(base.name + suffix).is_file() for suffix in app.config.source_suffix)


def note_years(catalog: Catalog) -> dict[str, int]:
    """Year -> number of version notes, newest year first."""
    years: dict[str, int] = {}
    for c in catalog.sorted():
        for v in c.versions:
            years[v.date[:4]] = years.get(v.date[:4], 0) + 1
    return dict(sorted(years.items(), reverse=True))


def _title(title: str, part: int) -> str:
    return myst_escape(title if part <= 1 else f"{title} (page {part})")


def _page(title: str, directive: str, argument: str, part: int, options: str = "") -> str:
    extra = f":part: {part}\n" if part > 1 else ""
    return f"{GENERATED_NOTE}# {title}\n\n```{{{directive}}} {argument}\n{options}{extra}```\n"


def myst_escape(text: str) -> str:
    """Make data text literal in MyST: CommonMark lets a backslash escape any ASCII punctuation."""
    return _PUNCTUATION.sub(r"\\\g<0>", " ".join(text.split()))


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def write_generated_pages(app: Sphinx) -> None:
    catalog = state.catalog(app.env)
    config = app.config
    src = Path(app.srcdir)
    size = config.wispgate_listing_page_size
    wanted: dict[Path, str] = {}
    for kind, folder, entries in (
        ("domain", config.wispgate_domain_pages, catalog.domains),
        ("use-case", config.wispgate_use_case_pages, catalog.use_cases),
    ):
        for key, entry in entries.items():
            scope = Scope(domain=key) if kind == "domain" else Scope(use_case=key)
            for part in range(1, parts(config, catalog, scope) + 1):
                wanted[src / f"{part_doc(folder, key, part)}.md"] = _page(
                    _title(entry.title, part), f"catalog-{kind}", key, part
                )
    split_folders = []
    for page, (directive, title) in SPLIT.items():
        split_folders.append(f"{config.wispgate_listing_pages}/{page}")
        if not has_page(app, page):
            continue
        for key, entry in catalog.domains.items():
            for part in range(1, parts(config, catalog, Scope(domain=key)) + 1):
                wanted[src / f"{split_doc(config, page, key, part)}.md"] = _page(
                    _title(f"{title}: {entry.title}", part), directive, "", part, f":domain: {key}\n"
                )
    split_folders.append(f"{config.wispgate_listing_pages}/{WHATS_NEW}")
    for year, notes in note_years(catalog).items() if has_page(app, WHATS_NEW) else ():
        for part in range(1, part_count(notes, size) + 1):
            wanted[src / f"{split_doc(config, WHATS_NEW, year, part)}.md"] = _page(
                _title(f"What's new in {year}", part), "catalog-whats-new", "", part, f":year: {year}\n"
            )
    # HTML builders write the sheets as pages of their own (sheets.SheetPages)
    for cid in () if writes_sheet_pages(app.builder) else sheet_ids(catalog):
        wanted[Path(app.srcdir) / config.wispgate_sheet_pages / f"{cid}.md"] = (
            f"{GENERATED_NOTE}# Commissioning sheet: {myst_escape(catalog.connectors[cid].name)}\n\n"
            f"```{{commissioning-sheet}} {cid}\n```\n"
        )
    # never through a link, never outside the project, never a page it did not write
    folders = (
        config.wispgate_domain_pages,
        config.wispgate_use_case_pages,
        config.wispgate_sheet_pages,
        *split_folders,
    )
    write_generated(app, folders, wanted, GENERATED_NOTE)


def setup_generate(app: Sphinx) -> None:
    app.connect("builder-inited", write_generated_pages)
