"""The sections of a guide, in page order: one source for the renderer, the section
directives and the page rules (no Sphinx import)."""

from __future__ import annotations

#: (key, title) of every generated section.  Anchors are ``<connector id>-<key>``:
#: stable, and unique across the site.  ``render.Renderer`` has a method per key.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("prerequisites", "Prerequisites"),
    ("fields", "Key configuration fields"),
    ("flow", "Implementation flow"),
    ("example", "Example configuration notes"),
    ("troubleshooting", "Common failure points"),
    ("validation", "Validation"),
    ("limitations", "Known limitations"),
    ("rollback", "Rollback"),
    ("outage", "If this integration is down"),
    ("readiness", "Implementation readiness"),
    ("related", "Related resources"),
    ("versions", "Version notes"),
)
SECTION_KEYS: tuple[str, ...] = tuple(key for key, _ in SECTIONS)
#: directives that document a connector on the page that holds them
DOCUMENTING: frozenset[str] = frozenset(
    {
        "connector",
        "readiness-checklist",
        *(f"connector-{k}" for k in SECTION_KEYS if k != "readiness"),
    }
)
