"""WISPGate connector guides: a Sphinx extension that renders data/connectors/*.yaml.

Sphinx is imported only inside :func:`setup`, so ``python -m wispgate_connectors
check`` loads just the catalog code and stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "1.0.0"


def setup(app) -> dict[str, Any]:
    from .extension import setup as _setup

    return _setup(app)
