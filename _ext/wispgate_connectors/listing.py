"""The listing protocol: what a catalog page shows of each connector, and when it changes.

A *listing* is a page element that shows many connectors.  It declares a
:class:`Kind` (what it shows of each) and a :class:`Scope` (which connectors).
What a kind shows is a *view*, a frozen dataclass projected from the connector
(:func:`view`); a listing renders from the view alone, and the digest that tells
an incremental build to re-read or re-write the page is the view's compared
fields.  What a listing shows and what makes it stale therefore cannot drift.

Cards (:attr:`Kind.cards`) are built when the page is written, so a change to
them re-writes the pages without re-reading them (:func:`stale_pages`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from . import freshness, safety, state
from .domain import get_domain
from .model import PAGE_DIR, Catalog, Connector


class Kind(enum.StrEnum):
    """What a listing shows of each connector."""

    #: counts and navigation: the id, name and domain
    ids = "ids"
    #: titles and descriptions of domains and use cases (filters, tabs)
    taxonomies = "taxonomies"
    #: connector cards, built when the page is written
    cards = "cards"
    #: the comparison matrix: type, complexity, use cases
    matrix = "matrix"
    #: version notes
    versions = "versions"
    #: failure points: symptom and cause
    failures = "failures"
    #: network rules (the ports page)
    network = "network"
    #: compatibility and verification (the compatibility page)
    compatibility = "compatibility"
    #: outage behaviour (the outage page)
    outage = "outage"
    #: a commissioning sheet: required fields, checks, the after-deployment list (built when written)
    sheet = "sheet"

    @property
    def written(self) -> bool:
        """Built when the page is written: a change re-writes the page instead of re-reading it."""
        return self in (Kind.cards, Kind.sheet)


@dataclass(frozen=True, order=True)
class Scope:
    """Which connectors a listing shows: all, or those matching every condition given."""

    featured: bool = False
    domain: str | None = None
    use_case: str | None = None
    #: one connector (a commissioning sheet)
    connector: str | None = None
    #: one part of a listing split into parts of ``size`` connectors (1-based; 0: the whole listing)
    part: int = 0
    size: int = 0

    def members(self, catalog: Catalog) -> list[Connector]:
        if self.connector is not None:
            one = catalog.connectors.get(self.connector)
            return [one] if one is not None else []
        # the catalog is the build's: its members hold all build (digests and listings ask often)
        memo = ("members", self)
        found: list[Connector] | None = catalog.memo.get(memo)
        if found is not None:
            return list(found)
        whole = self.whole()
        if whole != self:
            found = whole.members(catalog)
            # parts cut the catalog's order, archived included: the same cut for every kind
            found = found[(self.part - 1) * self.size : self.part * self.size]
        else:
            ordered = catalog.memo.get("sorted")
            if ordered is None:
                ordered = catalog.memo["sorted"] = catalog.sorted()
            found = [
                c
                for c in ordered
                if (not self.featured or c.featured)
                and (self.domain is None or c.domain == self.domain)
                and (self.use_case is None or self.use_case in c.use_cases)
            ]
        catalog.memo[memo] = found
        return list(found)

    def whole(self) -> Scope:
        """The listing this part belongs to."""
        return replace(self, part=0, size=0)


def part_count(members: int, size: int) -> int:
    """How many parts a listing of ``members`` connectors has: at least one."""
    return max(1, -(-members // size))


ALL = Scope()


# --- views: what each kind shows -------------------------------------------------------------


def _base(c: Connector) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "domain": c.domain,
        "use_cases": c.use_cases,
        "path": c.path,
        "line": c.line_of("id"),
    }


@dataclass(frozen=True)
class IdView:
    """What every listing shows: the name and link, and what decides the domain and use-case
    listings a connector is in (their counts and members are made while reading)."""

    id: str
    name: str
    domain: str
    use_cases: tuple[str, ...]
    #: the data file and the line of the id, for messages; not shown, so not compared
    path: str = field(compare=False)
    line: int = field(compare=False)

    @property
    def docname(self) -> str:
        return f"{PAGE_DIR}/{self.id}"

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> IdView:
        return cls(**_base(c))


@dataclass(frozen=True)
class MatrixView(IdView):
    type: str = ""
    complexity: str = ""
    status: str = "ga"

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> MatrixView:
        return cls(**_base(c), type=c.type, complexity=c.complexity, status=c.status)


@dataclass(frozen=True)
class CardView(IdView):
    """Everything a connector card shows (see :mod:`.cards`)."""

    vendor: str = ""
    type: str = ""
    complexity: str = ""
    summary: str = ""
    featured: bool = False
    status: str = "ga"
    sync_mode: str = ""
    #: days since verification when the guide needs re-verification on this build's date
    stale_days: int | None = None
    prerequisites: int = 0
    first_prerequisite: str = ""
    summary_line: int = field(default=1, compare=False)
    prerequisites_line: int = field(default=1, compare=False)

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> CardView:
        return cls(
            **_base(c),
            vendor=c.vendor,
            type=c.type,
            complexity=c.complexity,
            summary=c.summary,
            featured=c.featured,
            status=c.status,
            sync_mode=c.sync.mode,
            stale_days=freshness.of(catalog, c.id).stale_days,
            prerequisites=len(c.prerequisites),
            first_prerequisite=c.prerequisites[0],
            summary_line=c.line_of("summary"),
            prerequisites_line=c.line_of("prerequisites"),
        )


@dataclass(frozen=True)
class Note:
    version: str
    date: str
    changes: tuple[str, ...]
    line: int = field(compare=False)


@dataclass(frozen=True)
class VersionsView(IdView):
    status: str = "ga"
    notes: tuple[Note, ...] = ()

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> VersionsView:
        return cls(
            **_base(c), status=c.status, notes=tuple(Note(v.version, v.date, v.changes, v.line) for v in c.versions)
        )


@dataclass(frozen=True)
class Symptom:
    symptom: str
    cause: str
    line: int = field(compare=False)


@dataclass(frozen=True)
class FailuresView(IdView):
    failures: tuple[Symptom, ...] = ()

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> FailuresView:
        return cls(**_base(c), failures=tuple(Symptom(f.symptom, f.cause, f.line) for f in c.failures))


@dataclass(frozen=True)
class Rule:
    source: str
    target: str
    protocol: str
    ports: tuple[int | str, ...]
    purpose: str
    host: str | None
    optional: bool
    line: int = field(compare=False)


@dataclass(frozen=True)
class NetworkView(IdView):
    rules: tuple[Rule, ...] = ()

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> NetworkView:
        return cls(
            **_base(c),
            rules=tuple(
                Rule(
                    getattr(r, "from"),
                    r.to,
                    r.protocol,
                    r.ports,
                    r.purpose,
                    r.host,
                    r.optional,
                    c.line_of("network", i, "purpose"),
                )
                for i, r in enumerate(c.network)
            ),
        )


@dataclass(frozen=True)
class CompatibilityView(IdView):
    status: str = "ga"
    product: str = ""
    supported: str = ""
    tested: tuple[str, ...] = ()
    notes: str | None = None
    verified: tuple[str, str] | None = None
    stale_days: int | None = None

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> CompatibilityView:
        compat = c.compatibility
        base = {**_base(c), "line": c.line_of("compatibility")}
        return cls(
            **base,
            status=c.status,
            product=compat.product,
            supported=compat.supported,
            tested=compat.tested,
            notes=compat.notes,
            verified=(c.verified.date, c.verified.against) if c.verified else None,
            stale_days=freshness.of(catalog, c.id).stale_days,
        )


@dataclass(frozen=True)
class OutageView(IdView):
    fail_mode: str = ""
    subscribers: str = ""
    operations: str = ""
    recovery: str = ""

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> OutageView:
        o = c.outage
        base = {**_base(c), "line": c.line_of("outage")}
        return cls(
            **base, fail_mode=o.fail_mode, subscribers=o.subscribers, operations=o.operations, recovery=o.recovery
        )


@dataclass(frozen=True)
class SheetField:
    name: str
    where: str | None
    secret: bool
    line: int = field(compare=False)


@dataclass(frozen=True)
class SheetCheck:
    check: str
    how: str
    expect: str
    line: int = field(compare=False)


@dataclass(frozen=True)
class SheetView(IdView):
    """Everything a commissioning sheet shows (see :mod:`.sheets`)."""

    fields: tuple[SheetField, ...] = ()
    checks: tuple[SheetCheck, ...] = ()
    #: the common after-deployment items and the connector's own
    after: tuple[str, ...] = ()
    readiness_line: int = field(default=1, compare=False)

    @classmethod
    def of(cls, c: Connector, catalog: Catalog) -> SheetView:
        own = c.readiness.post_deployment if c.readiness else ()
        return cls(
            **_base(c),
            fields=tuple(SheetField(f.name, f.where, f.is_secret, f.line) for f in c.required_fields),
            checks=tuple(SheetCheck(k.check, k.how, k.expect, k.line) for k in c.validation),
            after=(*catalog.readiness.get("post_deployment", ()), *own),
            readiness_line=c.line_of("readiness"),
        )


VIEWS: dict[Kind, type[IdView]] = {
    Kind.ids: IdView,
    Kind.taxonomies: IdView,
    Kind.cards: CardView,
    Kind.matrix: MatrixView,
    Kind.versions: VersionsView,
    Kind.failures: FailuresView,
    Kind.network: NetworkView,
    Kind.compatibility: CompatibilityView,
    Kind.outage: OutageView,
    Kind.sheet: SheetView,
}


def view(kind: Kind, c: Connector, catalog: Catalog) -> Any:
    """A connector's view, made once per build: listings and digests ask for it many times."""
    cls = VIEWS[kind]
    key = (cls, c.id)
    found = catalog.memo.get(key)
    if found is None:
        found = catalog.memo[key] = cls.of(c, catalog)
    return found


@lru_cache(maxsize=65536)
def shown(v: Any) -> tuple[Any, ...]:
    """The compared fields of a view: what a reader sees (views are frozen, so it is cached)."""
    return tuple(
        tuple(shown(x) for x in value) if isinstance(value, tuple) and value and is_dataclass(value[0]) else value
        for value in (getattr(v, f.name) for f in fields(v) if f.compare)
    )


def views(kind: Kind, scope: Scope, catalog: Catalog) -> list[Any]:
    """The views of the connectors a listing of this kind and scope shows, in page order."""
    if kind is Kind.taxonomies:
        return []
    members = scope.members(catalog)
    if kind in CURRENT_ONLY:  # archived connectors leave these listings and keep a short page
        members = [c for c in members if c.status != "archived"]
    return [view(kind, c, catalog) for c in members]


#: listings of what an operator sets up today: no archived connectors
CURRENT_ONLY = frozenset({Kind.cards, Kind.failures, Kind.network, Kind.compatibility, Kind.outage, Kind.sheet})


# --- digests and staleness -------------------------------------------------------------------

Key = tuple[Kind, Scope]


def _digests(env: BuildEnvironment, keys: set[Key]) -> dict[Key, str]:
    catalog = state.catalog(env)
    taxonomies = repr((sorted(catalog.domains.items()), sorted(catalog.use_cases.items())))
    pages = get_domain(env).connectors
    out = {}
    for kind, scope in keys:
        memo = ("digest", kind, scope)
        if memo in catalog.memo:  # the catalog is the build's: a digest of what it shows holds all build
            out[(kind, scope)] = catalog.memo[memo]
            continue
        shown_members = _shown_members(kind, scope, catalog)
        digest = taxonomies + ",".join(_view_digest(kind, c, catalog, env) for c in shown_members)
        if kind.written:  # cards link to the guide, or show a name while it has none: read after reading
            digest += repr([pages.get(c.id, ("",))[0] for c in shown_members])
        # the environment keeps these: a hash, not the megabytes of text it stands for
        out[(kind, scope)] = safety.digest(digest.encode("utf-8", "surrogatepass"))
        if not kind.written:
            catalog.memo[memo] = out[(kind, scope)]
    _save_view_digests(env, catalog)
    return out


def _shown_members(kind: Kind, scope: Scope, catalog: Catalog) -> list[Connector]:
    """The connectors whose views :func:`views` gives, without making the views."""
    if kind is Kind.taxonomies:
        return []
    members = scope.members(catalog)
    if kind in CURRENT_ONLY:
        members = [c for c in members if c.status != "archived"]
    return members


#: per connector and view, the digest of what it shows, kept between builds beside the doctrees
VIEWS_CACHE = "wispgate-views.pickle"


def _kept_view_digests(env: BuildEnvironment, catalog: Catalog) -> dict[tuple[str, str], tuple[Any, str]]:
    """(view class, connector id) -> (what made the view, its digest), read once per build."""
    kept: dict[tuple[str, str], tuple[Any, str]] | None = catalog.memo.get("kept-view-digests")
    if kept is None:
        doctrees = getattr(env, "doctreedir", None)
        cached = state.read_cache(Path(doctrees) / VIEWS_CACHE) if doctrees else {}
        found = cached.get("views")
        kept = catalog.memo["kept-view-digests"] = dict(found) if isinstance(found, dict) else {}
        catalog.memo["kept-view-digests-changed"] = False
    return kept


def _view_digest(kind: Kind, c: Connector, catalog: Catalog, env: BuildEnvironment | None = None) -> str:
    """What a connector's view shows, hashed once per build (a view is in many listings), and
    between builds again only when what makes the view changed: the connector's file (its
    content key, :attr:`Catalog.sources`), its freshness and the common readiness items."""
    cls = VIEWS[kind]
    key = ("view-digest", cls, c.id)
    found: str | None = catalog.memo.get(key)
    if found is not None:
        return found
    made_of = _made_of(c, catalog) if env is not None else None
    kept = _kept_view_digests(env, catalog) if made_of is not None and env is not None else {}
    hit = kept.get((cls.__name__, c.id))
    if made_of is not None and hit is not None and hit[0] == made_of:
        found = hit[1]
    else:
        found = safety.digest(repr(shown(view(kind, c, catalog))).encode("utf-8", "surrogatepass"))
        if made_of is not None:
            kept[(cls.__name__, c.id)] = (made_of, found)
            catalog.memo["kept-view-digests-changed"] = True
    catalog.memo[key] = found
    return found


def _made_of(c: Connector, catalog: Catalog) -> Any:
    """What a connector's views are made of, once per build; None when it is not known."""
    key = ("made-of", c.id)
    if key not in catalog.memo:
        source = catalog.sources.get(c.id)
        catalog.memo[key] = (
            None
            if source is None
            else (source, freshness.of(catalog, c.id).stale_days, catalog.readiness.get("post_deployment", ()))
        )
    return catalog.memo[key]


def _save_view_digests(env: BuildEnvironment, catalog: Catalog) -> None:
    """Write the kept digests when this build made new ones (those of gone connectors dropped)."""
    if not catalog.memo.get("kept-view-digests-changed") or not getattr(env, "doctreedir", None):
        return
    kept = _kept_view_digests(env, catalog)
    for gone in [k for k in kept if k[1] not in catalog.connectors]:
        del kept[gone]
    state.write_cache(Path(env.doctreedir) / VIEWS_CACHE, {"views": kept})
    catalog.memo["kept-view-digests-changed"] = False


def _keys(env: BuildEnvironment, written: bool) -> set[Key]:
    listings = get_domain(env).listings
    keys: set[Key] = set().union(*listings.values()) if listings else set()
    return {key for key in keys if key[0].written is written}


def stale_pages(env: BuildEnvironment, written: bool, before: dict[Key, str]) -> tuple[set[str], dict[Key, str]]:
    """Listing pages that show something changed since the digests ``before``, and the digests now."""
    domain = get_domain(env)
    now = _digests(env, _keys(env, written))
    stale = {key for key, digest in now.items() if before.get(key) != digest}
    return {doc for doc, keys in domain.listings.items() if keys & stale and doc in env.found_docs}, now


def pages_to_reread(
    app: Any, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Catalog pages depend on many connectors, but only on what they show of them.

    Rather than a dependency on every YAML file (which would re-read them on any
    edit), compare a digest per kind and scope of listing with the one of the last
    read.  Cards are built while writing: those pages are re-written instead.
    """
    stale, _ = stale_pages(env, written=False, before=get_domain(env).read_digests)
    return sorted(stale - set(removed))


def remember(app: Any, env: BuildEnvironment) -> None:
    """After reading: what each listing shows now, for the next build to compare."""
    get_domain(env).read_digests = _digests(env, _keys(env, written=False))


def stale_written_pages(env: BuildEnvironment, builder: str) -> set[str]:
    """Pages whose cards changed since this builder last wrote them (checked after reading)."""
    domain = get_domain(env)
    pages, domain.written_digests[builder] = stale_pages(
        env, written=True, before=domain.written_digests.get(builder, {})
    )
    return pages


class ListingDirective(SphinxDirective):
    """Base for directives that list connectors: each declares its :class:`Kind`."""

    kind: ClassVar[Kind]
    #: a base for other listing directives, registered as none
    abstract: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every concrete listing says what it shows, in its own body: no inherited, silent default."""
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract"):
            return
        cls.abstract = False
        if not isinstance(cls.__dict__.get("kind"), Kind):
            raise TypeError(f"{cls.__name__} must declare the kind of listing it is (listing.Kind)")

    def scope(self) -> Scope:
        """Which connectors this listing shows; all by default."""
        return ALL

    def listed(self) -> list[Any]:
        """Record the listing on this page and return its views."""
        self.note_listing(self.kind, self.scope())
        return views(self.kind, self.scope(), state.catalog(self.env))

    def note_listing(self, kind: Kind, scope: Scope) -> None:
        get_domain(self.env).note_listing(self.env.docname, kind, scope)

    @property
    def catalog(self) -> Catalog:
        return state.catalog(self.env)


def has_listing(env: BuildEnvironment, docname: str, kind: Kind) -> bool:
    """Whether the page holds a listing of this kind (its placeholders are filled when written)."""
    return any(k == kind for k, _ in get_domain(env).listings.get(docname, ()))


def setup_listing(app: Any) -> None:
    app.connect("env-get-outdated", pages_to_reread)
    app.connect("env-updated", remember)
