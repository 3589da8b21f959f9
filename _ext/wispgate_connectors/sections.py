"""The sections of a guide, in page order, read from the schema: each section's data key
carries an ``x-section`` annotation (its anchor key, title and place).  One source for
the renderer, the section directives and the page rules (no Sphinx import)."""

from __future__ import annotations

from .model import load_schema


def _sections() -> tuple[tuple[str, str], ...]:
    marked = [prop["x-section"] for prop in load_schema()["properties"].values() if "x-section" in prop]
    return tuple((s["key"], s["title"]) for s in sorted(marked, key=lambda s: s["order"]))


#: (key, title) of every generated section.  Anchors are ``<connector id>-<key>``:
#: stable, and unique across the site.  ``render.Renderer`` has a method per key.
SECTIONS: tuple[tuple[str, str], ...] = _sections()
SECTION_KEYS: tuple[str, ...] = tuple(key for key, _ in SECTIONS)
#: directives that document a connector on the page that holds them
DOCUMENTING: frozenset[str] = frozenset(
    {
        "connector",
        "readiness-checklist",
        *(f"connector-{k}" for k in SECTION_KEYS if k != "readiness"),
    }
)
