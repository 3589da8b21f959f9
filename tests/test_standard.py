"""Sphinx's standard domain skips its scan for pages that own nothing (standard.py), and still
forgets everything a re-read or removed page owned."""

from __future__ import annotations

import inspect
import os
import re
import time
from pathlib import Path

from sphinx.domains.std import StandardDomain as SphinxStandardDomain

from conftest import make_project_app, warnings_of
from wispgate_connectors import standard

OWNS_ALL = """\
---
orphan: true
---
(probe-{n})=
# Probe {n}

```{{glossary}}
Probe term {n}
  A term of page {n}.
```

```{{program}} wgprobe{n}
```

```{{option}} --port{n}
The port.
```

```{{envvar}} WG_PROBE_{n}
A variable.
```
"""
OWNS_NOTHING = "---\norphan: true\n---\n# Plain {n}\n\nNothing to note.\n"


def tables(app) -> dict[str, dict]:
    domain = app.env.domains.standard_domain
    return {name: dict(getattr(domain, name)) for name in standard.TABLES}


def write(src: Path, name: str, text: str) -> None:
    path = src / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    later = time.time() + 60  # newer than the last read, whatever the file system's clock grain
    os.utime(path, (later, later))


def test_a_first_build_scans_for_no_page_and_a_rebuild_forgets_what_pages_owned(project_copy, tmp_path, monkeypatch):
    src = project_copy()
    for n in (1, 2, 3):
        write(src, f"probe{n}", OWNS_ALL.format(n=n))
    scanned: list[str] = []
    scan = SphinxStandardDomain.clear_doc

    def counted(self, docname):
        scanned.append(docname)
        scan(self, docname)

    monkeypatch.setattr(SphinxStandardDomain, "clear_doc", counted)
    app = make_project_app(src, builddir=tmp_path / "b", freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert scanned == []
    before = tables(app)
    assert "probe-2" in before["labels"] and "probe term 2" in before["_terms"]
    assert ("wgprobe2", "--port2") in before["progoptions"] and ("envvar", "WG_PROBE_2") in before["objects"]

    # page 1 loses its entries, page 2 is removed, page 3 is untouched, page 4 is new; the next
    # build is a new process's, as with sphinx-build, on the environment the first one saved
    write(src, "probe1", OWNS_NOTHING.format(n=1))
    (src / "probe2.md").unlink()
    write(src, "probe4", OWNS_ALL.format(n=4))
    app = make_project_app(src, builddir=tmp_path / "b")
    try:
        app.build()
    finally:
        app.cleanup()
    # the pages that owned entries are scanned (page 3 too if re-read), the new page is not
    assert {"probe1", "probe2"} <= set(scanned) <= {"probe1", "probe2", "probe3"}
    assert not [w for w in warnings_of(app) if "WARNING" in w]
    after = tables(app)

    clean = make_project_app(src, builddir=tmp_path / "clean", freshenv=True)
    try:
        clean.build()
        assert after == tables(clean)
    finally:
        clean.cleanup()
    assert "probe-1" not in after["labels"] and "probe-2" not in after["labels"]
    assert "probe-3" in after["labels"] and "probe-4" in after["anonlabels"]


def test_the_tables_are_those_sphinx_purges():
    """A Sphinx whose standard domain keeps a new table per page is noticed here, not as an
    entry left behind by a removed page."""
    purged = re.findall(r"self\.(\w+)\.items\(\)", inspect.getsource(SphinxStandardDomain.clear_doc))
    assert set(purged) == set(standard.TABLES)
