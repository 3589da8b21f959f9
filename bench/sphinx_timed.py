"""Run sphinx-build in this process and print one JSON line of measurements.

Used by run.py as a child process, so peak memory is the build's own
(ru_maxrss of this process plus, for -j builds, of its workers).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from sphinx.application import Sphinx
from sphinx.cmd.build import build_main

marks: dict[str, float] = {}
read_docs: list[str] = []
written: list[str] = []
#: per-document read time: from source-read to doctree-read (parse and transforms)
doc_started: dict[str, float] = {}
doc_read: dict[str, float] = {}


def setup_probe(app: Sphinx) -> None:
    def before_read(app, env, docs):
        marks.setdefault("read_start", time.perf_counter())
        read_docs.extend(docs)

    def updated(app, env):
        marks.setdefault("read_end", time.perf_counter())

    def source_read(app, docname, source):
        doc_started[docname] = time.perf_counter()

    def doctree_read(app, doctree):
        docname = app.env.docname
        if docname in doc_started:
            doc_read[docname] = time.perf_counter() - doc_started[docname]

    def page(app, pagename, *args):
        written.append(pagename)

    def finished(app, exc):
        marks.setdefault("end", time.perf_counter())

    app.connect("env-before-read-docs", before_read)
    app.connect("source-read", source_read)
    app.connect("doctree-read", doctree_read, priority=999)
    app.connect("env-updated", updated)
    app.connect("html-page-context", page)
    app.connect("build-finished", finished)


if __name__ == "__main__":
    import sphinx.application as sa

    original = sa.Sphinx._init_builder

    def _init_builder(self):  # register the probe on the real app
        setup_probe(self)
        return original(self)

    sa.Sphinx._init_builder = _init_builder
    start = time.perf_counter()
    rc = build_main(sys.argv[1:])
    end = time.perf_counter()
    rss = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    print(
        json.dumps(
            {
                "rc": rc,
                "wall": end - start,
                "read": marks.get("read_end", end) - marks.get("read_start", start) if "read_start" in marks else 0.0,
                "write": marks.get("end", end) - marks.get("read_end", start) if "read_end" in marks else 0.0,
                "peak_rss_mb": rss / 1024,
                "docs_read": len(read_docs),
                "docs_written": len(written),
                "read_list": sorted(read_docs)[:20],
                "written_list": sorted(written)[:20],
                # connector guides only (integrations/*), so listing pages do not count
                "guide_read": sum(t for d, t in doc_read.items() if d.startswith("integrations/")),
                "guides_timed": sum(1 for d in doc_read if d.startswith("integrations/")),
                "slowest_reads": [[d, round(t, 3)] for d, t in sorted(doc_read.items(), key=lambda i: -i[1])[:8]],
            }
        )
    )
