"""The collector runs between documents (memory.py): what one document leaves behind in
reference cycles is freed before the next is read or written, not left for a collection
that would scan everything made since."""

from __future__ import annotations

import shutil
import weakref
from pathlib import Path

from conftest import ROOTS, make_project_app, warnings_of


class _Cycle:
    """Garbage only the collector frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def _build_watching(tmp_path: Path, listeners: dict[str, tuple[int, object]]) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    app = make_project_app(src, builddir=tmp_path / "out", freshenv=True)
    for event, (priority, handler) in listeners.items():
        app.connect(event, handler, priority=priority)
    try:
        app.build()
    finally:
        app.cleanup()
    assert not [w for w in warnings_of(app) if "WARNING" in w]


def test_a_documents_cycles_are_freed_before_the_next_is_read(tmp_path):
    left: list[tuple[str, weakref.ref]] = []
    alive: list[str] = []
    checked: list[str] = []

    def read(app, doctree):
        left.append((app.env.docname, weakref.ref(_Cycle())))

    def next_read(app, docname, source):  # after memory.next_document (priority 1)
        alive.extend(name for name, ref in left if ref() is not None)
        checked.append(docname)

    _build_watching(tmp_path, {"doctree-read": (500, read), "source-read": (500, next_read)})
    assert len(checked) > 3 and len(left) == len(checked)
    assert not alive, f"reference cycles made while reading {alive} outlived their document"


def test_a_sheets_document_is_freed_before_the_next_sheet(tmp_path):
    sheets: list[tuple[str, weakref.ref]] = []
    alive: list[str] = []

    def page(app, pagename, templatename, context, doctree):
        if not pagename.startswith(f"{app.config.wispgate_sheet_pages}/"):
            return
        alive.extend(name for name, ref in sheets if ref() is not None)
        sheets.append((pagename, weakref.ref(doctree)))

    _build_watching(tmp_path, {"html-page-context": (500, page)})
    assert len(sheets) >= 2
    assert not alive, f"the documents of the sheets {alive} outlived their page"
