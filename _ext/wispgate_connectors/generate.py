"""Page sources generated from the data: one page per domain and per use case.

A new taxonomy entry needs no hand-written page.  Files are rewritten only when
their text changes, so unchanged pages keep their mtime and are not re-read.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from . import state
from .guard import write_generated
from .lint import GENERATED_NOTE


def domain_doc(config: Config, key: str) -> str:
    return f"{config.wispgate_domain_pages}/{key}"


def use_case_doc(config: Config, key: str) -> str:
    return f"{config.wispgate_use_case_pages}/{key}"


def myst_escape(text: str) -> str:
    """Make data text literal in MyST: CommonMark lets a backslash escape any ASCII punctuation."""
    return _PUNCTUATION.sub(r"\\\g<0>", " ".join(text.split()))


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def write_generated_pages(app: Sphinx) -> None:
    catalog = state.catalog(app.env)
    config = app.config
    wanted: dict[Path, str] = {}
    for kind, folder, entries in (
        ("domain", config.wispgate_domain_pages, catalog.domains),
        ("use-case", config.wispgate_use_case_pages, catalog.use_cases),
    ):
        for key, entry in entries.items():
            wanted[Path(app.srcdir) / folder / f"{key}.md"] = (
                f"{GENERATED_NOTE}# {myst_escape(entry.title)}\n\n```{{catalog-{kind}}} {key}\n```\n"
            )
    for cid, c in catalog.connectors.items():
        if c.status != "archived":  # an archived connector is not commissioned any more
            wanted[Path(app.srcdir) / config.wispgate_sheet_pages / f"{cid}.md"] = (
                f"{GENERATED_NOTE}# Commissioning sheet: {myst_escape(c.name)}\n\n"
                f"```{{commissioning-sheet}} {cid}\n```\n"
            )
    # never through a link, never outside the project, never a page it did not write
    folders = (config.wispgate_domain_pages, config.wispgate_use_case_pages, config.wispgate_sheet_pages)
    write_generated(app, folders, wanted, GENERATED_NOTE)


def setup_generate(app: Sphinx) -> None:
    app.connect("builder-inited", write_generated_pages)
