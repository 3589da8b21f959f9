"""Whether a guide is still current: its age, and vendor changes newer than its verification.

The build date honours ``SOURCE_DATE_EPOCH``, so two builds of one commit on the
same day, or with the variable set, are byte-identical.  Staleness is computed
once per build on the catalog; a guide whose state flips between builds is
re-read, so an incremental build shows what a clean one would.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .model import Catalog, Connector


@dataclass(frozen=True)
class Freshness:
    """A guide's state on the build date."""

    #: days since ``verified.date``, when older than the allowed age
    stale_days: int | None
    #: ids of vendor changes to this connector dated after ``verified.date``
    changes: tuple[str, ...]


def build_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def assess(c: Connector, catalog: Catalog, today: dt.date, max_age: int) -> Freshness:
    verified = c.verified.date if c.verified else min(v.date for v in c.versions)
    age = (today - dt.date.fromisoformat(verified)).days
    changes = tuple(ch.id for ch in catalog.vendor_changes if c.id in ch.connectors and ch.date and ch.date > verified)
    return Freshness(age if age > max_age else None, changes)


def annotate(catalog: Catalog, today: dt.date, max_age: int) -> None:
    """Record every connector's freshness on the catalog for this build."""
    catalog.freshness = {cid: assess(c, catalog, today, max_age) for cid, c in catalog.connectors.items()}


def of(catalog: Catalog, cid: str) -> Freshness:
    return catalog.freshness.get(cid) or Freshness(None, ())


def pages_to_reread(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Guides whose freshness differs from when they were read (the date moved on, a change was added)."""
    from . import state
    from .domain import get_domain

    catalog = state.catalog(env)
    domain = get_domain(env)
    out = []
    for cid, (docname, _, _) in domain.connectors.items():
        if docname in removed or cid not in catalog.connectors:
            continue
        if domain.freshness_read.get(docname, {}).get(cid) != of(catalog, cid):
            out.append(docname)
    return sorted(set(out))


def note_read(env: BuildEnvironment, docname: str, cid: str) -> None:
    """A guide was rendered with this freshness (kept per document)."""
    from . import state
    from .domain import get_domain

    get_domain(env).freshness_read.setdefault(docname, {})[cid] = of(state.catalog(env), cid)


def setup_freshness(app: Sphinx) -> None:
    app.connect("env-get-outdated", pages_to_reread)


__all__ = ["Freshness", "annotate", "assess", "build_date", "of", "setup_freshness"]
