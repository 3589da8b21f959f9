"""WISPGate connector guides: a Sphinx extension that renders data/connectors/*.yaml.

Sphinx is imported only inside :func:`setup`, so ``python -m wispgate_connectors
check`` loads just the catalog code and stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "1.0.0"


def code_version() -> int:
    """Changes whenever the extension's code does.

    Used as Sphinx's ``env_version`` (so an edited renderer re-reads every page
    instead of leaving old output in pickled doctrees, which ``make livehtml``
    relies on when _ext/ changes) and to key the catalog cache.
    """
    import hashlib
    from pathlib import Path

    digest = hashlib.sha1()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return int(digest.hexdigest()[:8], 16)


def setup(app: Any) -> Any:
    from .extension import setup as _setup

    return _setup(app)
