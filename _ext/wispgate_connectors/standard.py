"""Sphinx's standard domain, where forgetting a page that owns nothing costs nothing.

Before it reads a page, Sphinx forgets what the page left in each domain. The standard
domain does that by scanning every label, term, object and program option of the site, so
a first build scans a growing site once a page: 3.7 s of a 1,000-connector build, to find
nothing (bench/README.md). An entry always names the page being read when it was made
(Sphinx's parallel merge keeps only the entries that name a page the worker read), so a
page that owned no entry when reading began owns none when it is forgotten, just before its
own reading: the pages that own one are noted once, and the others skip the scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain as SphinxStandardDomain
from sphinx.environment import BuildEnvironment

#: the tables Sphinx's ``StandardDomain.clear_doc`` purges, each entry's first item its page
#: (a test checks Sphinx's method still names exactly these)
TABLES = ("progoptions", "objects", "_terms", "labels", "anonlabels")


class StandardDomain(SphinxStandardDomain):
    """Sphinx's standard domain; while pages are read, a page that owned no entry when
    reading began is forgotten without a scan."""

    #: the pages that owned an entry when reading began; ``None`` outside reading
    owners: set[str] | None = None

    def entries(self) -> Iterable[tuple[Any, ...]]:
        for table in TABLES:
            yield from getattr(self, table).values()

    def clear_doc(self, docname: str) -> None:
        if self.owners is None or docname in self.owners:
            super().clear_doc(docname)


def _standard(env: BuildEnvironment) -> StandardDomain | None:
    domain = env.domains.standard_domain
    return domain if isinstance(domain, StandardDomain) else None


def note_owners(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if domain := _standard(env):
        domain.owners = {entry[0] for entry in domain.entries()}


def forget_owners(app: Sphinx, env: BuildEnvironment, *args: Any) -> list[str]:
    # pages read since the note own entries it does not know of; a build that stopped while
    # reading leaves a note that the removed pages of the next must not meet
    if domain := _standard(env):
        domain.owners = None
    return []


def setup_standard(app: Sphinx) -> None:
    app.add_domain(StandardDomain, override=True)
    # the note is taken last, after any listener changed the list of pages to read
    app.connect("env-before-read-docs", note_owners, priority=999)
    app.connect("env-get-outdated", forget_owners, priority=0)
    app.connect("env-updated", forget_owners, priority=0)
