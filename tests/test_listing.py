"""The listing protocol: what a listing shows is what makes it stale (listing.py)."""

from __future__ import annotations

import dataclasses

import pytest
from test_builds import LISTINGS, build, build_and_write, edit, src  # noqa: F401  (fixture)

from wispgate_connectors import listing
from wispgate_connectors.listing import CardView, Kind, ListingDirective

#: pages of the basic root that show alpha's card and are not re-written by Sphinx for
#: holding its guide in a toctree (index and the domain page are)
CARD_PAGES = ["catalog/use-cases/billing-automation", "catalog/use-cases/subscriber-auth"]
NOTE = "complexity_note: Easy with clean address plans."


@dataclasses.dataclass(frozen=True)
class CardWithNote(CardView):
    """A card that also shows the complexity note: one field added to the projection."""

    note: str | None = None

    @classmethod
    def of(cls, c, catalog):  # type: ignore[override]
        base = CardView.of(c, catalog)
        return cls(**{f.name: getattr(base, f.name) for f in dataclasses.fields(CardView)}, note=c.complexity_note)


def test_a_field_added_to_the_card_view_rewrites_every_page_with_cards(src, monkeypatch):  # noqa: F811
    monkeypatch.setitem(listing.VIEWS, Kind.cards, CardWithNote)
    build(src, freshenv=True)
    edit(src / "data/connectors/alpha.yaml", NOTE, "complexity_note: Hard on mixed routers.")
    app, read, written = build_and_write(src)
    assert read == ["integrations/alpha"]  # cards are written, not read
    assert set(CARD_PAGES) <= set(written), written


def test_without_the_field_the_same_edit_rewrites_only_the_guide(built_basic):
    edit(built_basic / "data/connectors/alpha.yaml", NOTE, "complexity_note: Hard on mixed routers.")
    app, read, written = build_and_write(built_basic)
    assert read == ["integrations/alpha"]
    assert not set(CARD_PAGES) & set(written), written


def test_every_listing_directive_declares_its_kind():
    from wispgate_connectors.pages import DIRECTIVES

    for name, cls in DIRECTIVES.items():
        assert issubclass(cls, ListingDirective), name
        assert isinstance(cls.kind, Kind), name


def test_a_listing_directive_without_a_kind_is_refused():
    with pytest.raises(TypeError, match="must declare the kind"):

        class Forgetful(ListingDirective):
            pass


def test_scopes_select_members():
    from conftest import ROOTS
    from wispgate_connectors.catalog import load_catalog
    from wispgate_connectors.listing import ALL, Scope

    catalog = load_catalog(ROOTS / "test-basic")
    assert [c.id for c in ALL.members(catalog)] == ["alpha", "beta"]
    assert [c.id for c in Scope(featured=True).members(catalog)] == ["alpha"]
    assert [c.id for c in Scope(domain="payments-finance").members(catalog)] == ["beta"]
    assert [c.id for c in Scope(use_case="subscriber-auth").members(catalog)] == ["alpha"]
