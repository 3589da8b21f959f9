"""catalog.json: the catalog as data, written at the root of every HTML build.

Which keys of the connector data it carries is :data:`EXPORTED`; each is copied
from the record as the data gives it (``tests/test_contract.py`` pins this list,
the connector schema and ``catalog.schema.json`` to each other).  ``url`` and
``sections`` are added; a secret field never carries its example.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import state
from .domain import documented
from .generate import domain_doc, use_case_doc
from .model import SCHEMA_FILE, Record
from .sections import SECTIONS

CATALOG_SCHEMA = SCHEMA_FILE.with_name("catalog.schema.json")

#: keys of the connector data in catalog.json, in file order; ``url`` and ``sections`` are added after ``use_cases``
EXPORTED = (
    "id",
    "name",
    "vendor",
    "domain",
    "type",
    "complexity",
    "complexity_note",
    "featured",
    "summary",
    "use_cases",
    "prerequisites",
    "fields",
    "versions",
    "verified",
    "status",
    "since",
    "replaced_by",
    "after",
    "failures",
    "network",
    "compatibility",
    "sync",
    "limitations",
    "rollback",
    "outage",
    "sources",
    "readiness",
)
#: keys written even when the data leaves them out (with their default, or null)
ALWAYS = frozenset({"complexity_note", "featured", "verified", "status"})
ADDED = ("url", "sections")


def plain(value: Any) -> Any:
    """A record, tuple or value as JSON-ready data, keys in schema order, absent keys left out."""
    if isinstance(value, Record):
        if value.record_name == "field":
            return field_json(value)
        return {k: plain(v) for k, v in value.given()}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


def field_json(f: Any) -> dict[str, Any]:
    return {
        k: v
        for k, v in {
            "name": f.name,
            "required": f.required,
            "type": f.type,
            "description": f.description,
            # a secret's default is published like its example: neither goes out
            "secret": f.is_secret,
            "default": None if f.is_secret else f.default,
            "example": None if f.is_secret else f.example,
            "choices": list(f.choices) or None,
            "where": f.where,
        }.items()
        if v is not None
    }


def connector_json(c: Any, url: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in EXPORTED:
        if key in ALWAYS or key in dict(c.given()):
            out[key] = plain(getattr(c, key))
        if key == "use_cases":
            out["url"] = url
    out["sections"] = {key: f"{url}#{c.id}-{key}" for key, _ in SECTIONS}
    order = [
        *EXPORTED[: EXPORTED.index("use_cases") + 1],
        "url",
        "prerequisites",
        "fields",
        "sections",
        *EXPORTED[EXPORTED.index("fields") + 1 :],
    ]
    return {k: out[k] for k in order if k in out}


def dumps(data: Any) -> str:
    """JSON as every file of the export writes it."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def connector_urls(app: Sphinx) -> dict[str, str]:
    """Each connector's URL in this build: its guide, or where its page would be."""
    catalog = state.catalog(app.env)
    found = catalog.memo.get("urls")
    if found is None:
        pages, uri = documented(app.env), app.builder.get_target_uri
        found = catalog.memo["urls"] = {
            cid: uri(pages.get(cid, (c.docname,))[0]) for cid, c in catalog.connectors.items()
        }
    return found


def kept_texts(app: Sphinx, name: str, make: Callable[[Any, str], str]) -> dict[str, str]:
    """``make(connector, url)`` for every connector: text for a file of the export.

    Made once per build, and between builds again only for a connector whose file or URL
    changed (the key is its file's content key, :attr:`Catalog.sources`), kept beside the
    doctrees in ``wispgate-<name>.pickle``: an edit of one YAML file serialises one
    connector, not a thousand.
    """
    catalog = state.catalog(app.env)
    found = catalog.memo.get(("kept-texts", name))
    if found is not None:
        return found  # type: ignore[no-any-return]
    urls = connector_urls(app)
    path = Path(app.doctreedir) / f"wispgate-{name}.pickle"
    before = state.read_cache(path).get("texts", {})
    texts: dict[str, tuple[Any, str]] = {}
    for cid, c in catalog.connectors.items():
        key = (catalog.sources.get(cid), urls[cid])
        hit = before.get(cid)
        fresh = hit is not None and key[0] is not None and hit[0] == key
        texts[cid] = hit if fresh else (key, make(c, urls[cid]))
    if texts != before:
        state.write_cache(path, {"texts": texts})
    found = catalog.memo["kept-texts", name] = {cid: text for cid, (_, text) in texts.items()}
    return found


def connector_texts(app: Sphinx) -> dict[str, str]:
    """Each connector's ``connector_json`` as text, for catalog.json and ``connectors/<id>.json``."""
    return kept_texts(app, "export", lambda c, url: dumps(connector_json(c, url)))


def export_catalog(app: Sphinx, exception: Exception | None) -> None:
    """Write catalog.json (and the schemas it follows) at the root of every HTML build."""
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    catalog = state.catalog(app.env)
    uri = app.builder.get_target_uri
    data = {
        "$schema": "schema/catalog.schema.json",
        "version": 1,
        "project": app.config.project,
        "domains": [
            {"key": k, "title": d.title, "description": d.description, "url": uri(domain_doc(app.config, k))}
            for k, d in catalog.domains.items()
        ],
        "use_cases": [
            {"key": k, "title": u.title, "description": u.description, "url": uri(use_case_doc(app.config, k))}
            for k, u in catalog.use_cases.items()
        ],
    }
    texts = connector_texts(app)
    body = ",".join(texts[c.id] for c in catalog.sorted())
    out = Path(app.outdir)
    # "connectors" last, as json.dumps would write it, from the texts made once
    (out / "catalog.json").write_text(f'{dumps(data)[:-1]},"connectors":[{body}]}}\n', encoding="utf-8")
    (out / "schema").mkdir(exist_ok=True)
    for schema in (CATALOG_SCHEMA, SCHEMA_FILE):
        shutil.copyfile(schema, out / "schema" / schema.name)


def setup_export(app: Sphinx) -> None:
    app.connect("build-finished", export_catalog)
