"""The ``wg`` domain: which page documents which connector, the role and the index."""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .state import BuildState

DOMAIN = "wg"


def target_id(connector_id: str) -> str:
    return f"connector-{connector_id}"


class ConnectorRole(XRefRole):
    """``{connector}`mikrotik``: a link showing the connector's name."""

    def __init__(self) -> None:
        super().__init__(warn_dangling=True)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # the plain ``connector`` role is registered outside the domain
        self.name = f"{DOMAIN}:connector"
        return super().run()

    def process_link(
        self, env: BuildEnvironment, refnode: nodes.Element, has_explicit_title: bool, title: str, target: str
    ) -> tuple[str, str]:
        note_reference(env, env.docname, target.strip())
        return title, target


class ConnectorDomain(Domain):
    """Which page documents which connector, what listings each page shows, and the digests
    incremental builds compare.

    Per-document data (connectors, listings, refs) is cleared and merged per
    document, so incremental and parallel builds stay right; the rest is per build
    and lives in the main process.  Everything is read and written through the
    typed accessors below.  What the current build learned before reading is
    :attr:`build`, which is not domain data: it is neither pickled nor merged.
    """

    name = DOMAIN
    label = "WISPGate connectors"
    object_types = {"connector": ObjType("connector", "connector")}
    roles = {"connector": ConnectorRole()}
    initial_data: ClassVar[dict[str, Any]] = {
        "connectors": {},  # id -> (docname, display name, anchor)
        "listings": {},  # docname -> set of (listing.Kind, listing.Scope) the page shows
        "refs": {},  # docname -> ids of the connectors it links to
        "seen": None,  # id -> (docname, name) when pages were last written; None before the first write
        "listing_digest": {},  # (kind, scope) -> what its pages showed when last read
        "cards_digest": {},  # builder name -> the same for cards, which are built when a page is written
        "navigation": {},  # builder name -> {docname: digest of its left navigation and prev/next}
        "freshness": {},  # docname -> {connector id: freshness.Freshness it was read with}
        "content": {},  # data file -> (stamp, digest of its content) when the pages depending on it were read
        "guides": {},  # connector id -> the page documenting it, from the page sources, at the last read
    }
    dangling_warnings = {"connector": "unknown connector id '%(target)s'", "page": "no page '%(target)s'"}
    data_version = 13

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._build = BuildState()

    @property
    def build(self) -> BuildState:
        """The state of the current build (state.py), handed over at ``builder-inited``."""
        return self._build

    @build.setter
    def build(self, value: BuildState) -> None:
        self._build = value

    @property
    def connectors(self) -> dict[str, tuple[str, str, str]]:
        return self.data["connectors"]  # type: ignore[no-any-return]

    @property
    def listings(self) -> dict[str, set[tuple[Any, Any]]]:
        return self.data["listings"]  # type: ignore[no-any-return]

    @property
    def refs(self) -> dict[str, set[str]]:
        return self.data["refs"]  # type: ignore[no-any-return]

    @property
    def read_digests(self) -> dict[Any, str]:
        return self.data["listing_digest"]  # type: ignore[no-any-return]

    @read_digests.setter
    def read_digests(self, value: dict[Any, str]) -> None:
        self.data["listing_digest"] = value

    @property
    def written_digests(self) -> dict[str, dict[Any, str]]:
        return self.data["cards_digest"]  # type: ignore[no-any-return]

    @property
    def freshness_read(self) -> dict[str, dict[str, Any]]:
        return self.data["freshness"]  # type: ignore[no-any-return]

    @property
    def content_digests(self) -> dict[str, tuple[Any, str]]:
        return self.data["content"]  # type: ignore[no-any-return]

    @content_digests.setter
    def content_digests(self, value: dict[str, tuple[Any, str]]) -> None:
        self.data["content"] = value

    @property
    def guide_pages(self) -> dict[str, str]:
        return self.data["guides"]  # type: ignore[no-any-return]

    @guide_pages.setter
    def guide_pages(self, value: dict[str, str]) -> None:
        self.data["guides"] = value

    @property
    def navigation_digests(self) -> dict[str, dict[str, str]]:
        return self.data["navigation"]  # type: ignore[no-any-return]

    def note_connector(self, connector_id: str, name: str, docname: str) -> str | None:
        """Record the page of a connector; return the other page if one has it already."""
        known = self.connectors.get(connector_id)
        if known and known[0] != docname:
            return known[0]
        self.connectors[connector_id] = (docname, name, target_id(connector_id))
        return None

    def note_listing(self, docname: str, kind: Any, scope: Any) -> None:
        self.listings.setdefault(docname, set()).add((kind, scope))

    def note_reference(self, docname: str, connector_id: str) -> None:
        self.refs.setdefault(docname, set()).add(connector_id)

    def clear_doc(self, docname: str) -> None:
        for cid, (doc, _, _) in list(self.connectors.items()):
            if doc == docname:
                del self.connectors[cid]
        self.listings.pop(docname, None)
        self.refs.pop(docname, None)
        self.freshness_read.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for cid, entry in otherdata["connectors"].items():
            if entry[0] in docnames:
                self.connectors[cid] = entry
        for key in ("listings", "refs"):
            for doc, values in otherdata[key].items():
                if doc in docnames:
                    self.data[key][doc] = set(values)
        for doc, states in otherdata["freshness"].items():
            if doc in docnames:
                self.freshness_read[doc] = dict(states)

    def docs_to_rewrite(self) -> list[str]:
        """Pages that link to a connector whose name or page changed since the last write.

        They need no re-read, only a re-write with the new link text (the stale-link
        problem of sphinx-needs #354).
        """
        now = {cid: (doc, name) for cid, (doc, name, _) in self.connectors.items()}
        before = self.data["seen"]
        self.data["seen"] = now
        if before is None:  # the first build writes every page (an empty dict is a site without guides)
            return []
        changed = {cid for cid in now.keys() | before.keys() if now.get(cid) != before.get(cid)}
        if not changed:
            return []
        return sorted(doc for doc, ids in self.refs.items() if ids & changed)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        if typ == "page":
            # internal: a page link that keeps its content node (and its classes)
            docname = target.lstrip("/")
            if docname not in env.all_docs:
                return None
            return make_refnode(builder, fromdocname, docname, "", contnode)
        entry = self.connectors.get(target.strip())
        if entry is None:  # a former id of a renamed connector
            from . import state

            entry = self.connectors.get(state.catalog(env).renamed.get(target.strip(), ""))
        if entry is None:
            return None
        docname, name, anchor = entry
        if not node.get("refexplicit"):
            contnode = nodes.inline(name, name, classes=["wg-connector-ref"])
        return make_refnode(builder, fromdocname, docname, anchor, contnode, name)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        ref = self.resolve_xref(env, fromdocname, builder, "connector", target, node, contnode)
        return [(f"{DOMAIN}:connector", ref)] if ref is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for cid, (docname, name, anchor) in sorted(self.connectors.items()):
            yield cid, name, "connector", docname, anchor, 1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        target = node.get("reftarget")
        return str(target) if target is not None else None


def get_domain(env: BuildEnvironment) -> ConnectorDomain:
    return env.get_domain(DOMAIN)  # type: ignore[return-value]


def note_reference(env: BuildEnvironment, docname: str, connector_id: str) -> None:
    get_domain(env).note_reference(docname, connector_id)


def documented(env: BuildEnvironment) -> dict[str, tuple[str, str, str]]:
    return get_domain(env).connectors


def report_page_rules(app: Sphinx, env: BuildEnvironment) -> None:
    """Every connector has its page and every related page exists: the rule ``make check``
    runs too.  At every build, not only when pages were read (``check_consistency``): an
    unchanged project with a page-less connector fails each time, as ``make check`` does."""
    from . import state
    from .report import warn
    from .validation import page_rules

    domain = get_domain(env)
    catalog = state.catalog(env)
    # a connector whose own page names a wrong id is reported there, once (writer_rules.misnamed_guides)
    for p in page_rules(
        catalog,
        lambda cid: cid in domain.connectors or cid in domain.build.misnamed,
        lambda doc: doc in env.found_docs,
        state.layout(env).page_dir,
    ):
        warn(p.subtype, p.message, p.loc)


def note_links(app: Sphinx, doctree: nodes.document) -> None:
    """Every link of a page to a guide is a reference of that page, whoever made it (a role, a
    listing's name link, the troubleshooting index's ``<id>-troubleshooting``): when the guide
    appears, moves or goes, the page is written again (:meth:`ConnectorDomain.docs_to_rewrite`)."""
    from . import state

    env = app.env
    catalog = state.catalog(env)
    ids = catalog.memo.get("known-ids")
    if ids is None:  # once per build, not per page: a troubleshooting index links every guide
        ids = catalog.memo["known-ids"] = frozenset({*catalog.connectors, *catalog.broken})
    domain = get_domain(env)
    for node in doctree.findall(addnodes.pending_xref):
        target = str(node.get("reftarget", "")).strip()
        if node.get("refdomain") == DOMAIN and node.get("reftype") == "connector":
            domain.note_reference(env.docname, catalog.renamed.get(target, target))
        elif node.get("reftype") == "ref":
            owner = anchor_owner(target, ids)
            if owner is not None:
                domain.note_reference(env.docname, owner)


def anchor_owner(target: str, ids: frozenset[str]) -> str | None:
    """The connector whose anchor ``<id>-<section>`` a label is: the longest id that fits
    (mikrotik-api before mikrotik), found by the label's own dashes, not by trying every id."""
    end = target.rfind("-")
    while end > 0:
        if target[:end] in ids:
            return target[:end]
        end = target.rfind("-", 0, end)
    return None


def setup_domain(app: Sphinx) -> None:
    app.add_domain(ConnectorDomain)
    app.add_role("connector", ConnectorRole())
    app.connect("env-updated", report_page_rules)
    app.connect("doctree-read", note_links)
