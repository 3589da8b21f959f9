"""Problems and warnings: one type, an Enum of subtypes, one emitter.

Locations travel as :class:`Loc` values (a file relative to the project root and
a line), never as ``"path:line"`` strings to be parsed back.  The data layer
(no Sphinx) collects :class:`Problem` values; :func:`warn` is the only place a
warning of this extension reaches Sphinx.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

#: ``suppress_warnings = ["wispgate"]`` or ``["wispgate.<subtype>"]``
WARNING_TYPE = "wispgate"


class Subtype(enum.StrEnum):
    """Warning subtypes, usable in ``suppress_warnings`` as ``wispgate.<value>``."""

    #: a data file cannot be read: YAML syntax, encoding, size, tags, anchors
    syntax = "syntax"
    #: a value breaks the data contract (the JSON Schemas or a rule beside them)
    schema = "schema"
    #: an id, page, domain or use case that a value names does not exist
    reference = "reference"
    #: an id or key given twice
    duplicate = "duplicate"
    #: a connector without its page, a page without its connector, a misplaced file
    page = "page"
    #: markup in a value that data may not use (raw directives, unsafe links, roles)
    markup = "markup"
    #: a value that looks like a live credential
    secret = "secret"


class Loc(NamedTuple):
    """Where a value stands: a path relative to the project root, and its line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    subtype: Subtype = Subtype.schema

    @property
    def loc(self) -> Loc:
        return Loc(self.file, self.line)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def warn(subtype: Subtype, message: str, loc: Loc | str | None) -> None:
    """Emit one warning of this extension.

    ``loc`` is a :class:`Loc` for data, or Sphinx's own location string of a page
    (``SphinxDirective.get_location()``).
    """
    from sphinx.util import logging

    location = str(loc) if isinstance(loc, Loc) else loc
    logging.getLogger("wispgate_connectors").warning(
        message, location=location, type=WARNING_TYPE, subtype=subtype.value
    )
