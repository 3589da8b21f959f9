"""Link-check test root: the project's real ``linkcheck_*`` settings, one exception.

The settings are read from the project's own conf.py, so the tests check the
configuration `make linkcheck` uses, not a copy of it.  Tests build a copy of this
root in a temporary folder, so the project is found through WG_PROJECT (set by the
tests) or, when this root is built in place, three folders up.
"""

import os
import re
from pathlib import Path

_project = Path(os.environ.get("WG_PROJECT") or Path(__file__).resolve().parents[3])
_real_conf = _project / "conf.py"
_real: dict = {"__file__": str(_real_conf), "__name__": "project_conf"}
exec(compile(_real_conf.read_text(encoding="utf-8"), str(_real_conf), "exec"), _real)

for _key, _value in _real.items():
    if _key.startswith("linkcheck_"):
        globals()[_key] = _value

# The one override: the real configuration ignores loopback addresses (they are
# examples in the guides, not links), but the tests' HTTP server listens on
# 127.0.0.1, so every pattern matching a loopback URL is dropped.  All other ignore
# patterns (example.com, documentation addresses) stay in force.
linkcheck_ignore = [
    p for p in _real["linkcheck_ignore"] if not re.match(p, "http://127.0.0.1:8000/page.html")
]

extensions = ["myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
project = "Linkcheck test"
