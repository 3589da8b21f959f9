"""Reader tools that run in the browser from files the build writes: the error lookup
on the troubleshooting index and the stack planner.

Data files, at the site root beside ``catalog.json`` (all written at every HTML build):

- ``catalog-index.json``: a small index (id, name, domain, use cases, status, type,
  complexity, data-flow mode, URL, ``after``), the taxonomies and the common readiness
  items, for the landing filter, the planner and any tool that needs the list without
  the details.  Shape version 2 (:func:`index_row`, ``schema/catalog-index.schema.json``):
  one row per connector, defaults left out, so a thousand connectors stay well under 200 KB;
- ``connectors/<id>.json``: one connector's whole export, loaded only when needed (always
  that path: the index names it once, in ``data_template``);
- ``failures.json``: every failure point as plain text, with its ``match`` strings, for
  the error lookup (fetched when a reader first pastes something).

No server and no tracking: a saved copy of the site keeps working (from ``file://``
the browser may refuse ``fetch``; the pages then say so and link the index).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import state
from .components import skip_node
from .export import connector_texts, connector_urls, dumps, kept_texts
from .model import SCHEMA_DIR

#: the scripts each tool's page loads (only those pages)
SCRIPTS = {"wg_lookup": "wispgate-lookup.js", "wg_planner": "wispgate-planner.js"}

_ROLE = re.compile(r"\{[\w:-]+\}`([^`]*)`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_CODE = re.compile(r"`+([^`]*)`+")
_EMPHASIS = re.compile(r"(\*\*|__|\*)(\S(?:.*?\S)?)\1")


def plain(text: str) -> str:
    """MyST source as the words a reader sees: roles, links, code and emphasis unwrapped."""
    text = _ROLE.sub(lambda m: re.sub(r"\s*<[^>]*>$", "", m.group(1)), text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


class wg_tool(nodes.General, nodes.Element):
    """Where a reader tool's form goes: HTML builders only, filled by its script."""


def visit_tool_html(self: Any, node: wg_tool) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


LOOKUP_HTML = (
    '<form class="wg-lookup" role="search" aria-label="Look up an error" hidden onsubmit="return false"'
    ' data-failures="{failures}" data-index="#troubleshooting-index">'
    '<label for="wg-lookup-text">Paste a log line, an API response or an error message</label>'
    '<textarea id="wg-lookup-text" name="text" rows="3" spellcheck="false"'
    ' placeholder="e.g. Access-Reject, ResultCode 1032, 401 Unauthorized"></textarea>'
    '<p class="wg-lookup-status" aria-live="polite"></p>'
    '<ol class="wg-lookup-results"></ol>'
    "</form>"
    '<noscript><p class="wg-lookup-noscript">The error lookup needs scripts; the pages below list every '
    "failure point by symptom, one page per integration domain.</p></noscript>"
)

PLANNER_HTML = (
    '<div class="wg-planner" hidden data-index="{index}">'
    '<section class="wg-planner-pick" aria-labelledby="wg-planner-pick-title">'
    '<h2 id="wg-planner-pick-title">1. Pick the connectors of your stack</h2>'
    '<label class="wg-planner-search">Search <input type="search" name="q" autocomplete="off"'
    ' placeholder="Vendor or name"></label>'
    '<div class="wg-planner-choices"></div>'
    "</section>"
    '<section class="wg-planner-plan" aria-labelledby="wg-planner-plan-title" aria-live="polite">'
    '<h2 id="wg-planner-plan-title">2. Your implementation plan</h2>'
    '<p class="wg-planner-actions"><button type="button" data-action="print">Print the plan</button> '
    '<button type="button" data-action="markdown">Copy as Markdown</button> '
    '<span class="wg-planner-copied" role="status"></span></p>'
    '<div class="wg-planner-output"><p>Pick one or more connectors above.</p></div>'
    "</section></div>"
    '<noscript><p class="wg-planner-noscript">The planner needs scripts. It turns the connectors you pick into '
    "one plan: the order to set them up, their prerequisites, one firewall table and one readiness checklist. "
    'Without scripts, start from the <a href="{catalog}">catalog</a> and each guide\'s own sections.</p></noscript>'
)


class ErrorLookupDirective(SphinxDirective):
    """``catalog-error-lookup``: the box that finds the failure point for a pasted error."""

    def run(self) -> list[nodes.Node]:
        root = "../" * self.env.docname.count("/")
        note_tool(self.env, "wg_lookup")
        return [wg_tool(html=LOOKUP_HTML.format(failures=f"{root}failures.json"), tool="wg_lookup")]


class PlannerDirective(SphinxDirective):
    """``catalog-planner``: the stack planner (filled by wispgate-planner.js)."""

    def run(self) -> list[nodes.Node]:
        root = "../" * self.env.docname.count("/")
        note_tool(self.env, "wg_planner")
        return [
            wg_tool(
                html=PLANNER_HTML.format(index=f"{root}catalog-index.json", catalog=f"{root}index.html"),
                tool="wg_planner",
            )
        ]


def note_tool(env: Any, tool: str) -> None:
    """Remember that the page shows a tool: no page's doctree is searched for one when written."""
    tools = env.metadata[env.docname].setdefault("wispgate-tools", [])
    if tool not in tools:
        tools.append(tool)


def add_tool_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Each tool's script on the pages that show it, and nowhere else."""
    if doctree is None:
        return
    for tool in app.env.metadata.get(pagename, {}).get("wispgate-tools", ()):
        app.add_js_file(SCRIPTS[tool], defer="defer")


#: catalog-index.json's shape version: 2 made each connector a row of ``FIELDS`` (issue 16)
INDEX_VERSION = 2
INDEX_SCHEMA = SCHEMA_DIR / "catalog-index.schema.json"
#: where each connector's whole export is, for every connector
DATA_TEMPLATE = "connectors/{id}.json"
#: the values of a connector's row, in order; the last three have defaults and are left
#: out at the end of a row when at their default (``status`` ga, ``after`` none, ``url``
#: ``url_template`` with the id)
FIELDS = ("id", "name", "domain", "use_cases", "type", "complexity", "sync", "status", "after", "url")
#: a stand-in id for the URL template (no character a URL would quote)
_ID = "wg0id0placeholder"


def index_row(c: Any, url: str, url_template: str) -> list[Any]:
    """One connector in catalog-index.json: what the landing filter and the planner need.

    A row of :data:`FIELDS` rather than an object: at a thousand connectors the key names
    alone were 60 KB of a 200 KB budget.  Trailing values at their default are left out.
    """
    row: list[Any] = [
        c.id,
        c.name,
        c.domain,
        list(c.use_cases),
        c.type,
        c.complexity,
        c.sync.mode,
        c.status,
        list(c.after),
        url,
    ]
    defaults: list[Any] = ["ga", [], url_template.replace("{id}", c.id)]
    while len(row) > FIELDS.index("status") and row[-1] == defaults[len(row) - 1 - FIELDS.index("status")]:
        row.pop()
    return row


def _write_json(path: Path, data: Any) -> None:
    _write_text(path, dumps(data) + "\n")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def failure_texts(c: Any, url: str) -> str:
    """A connector's entries of failures.json, as text: every failure point in plain words."""
    return ",".join(
        dumps(
            {
                "connector": c.id,
                "name": c.name,
                "domain": c.domain,
                "symptom": plain(f.symptom),
                "cause": plain(f.cause),
                "fix": plain(f.fix),
                "match": list(f.match),
                "url": f"{url}#{c.id}-troubleshooting",
            }
        )
        for f in c.failures
    )


def export_tool_data(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    catalog = state.catalog(app.env)
    uri = app.builder.get_target_uri
    out = Path(app.outdir)
    index = []
    url_template = uri(f"{state.layout(app.env).page_dir}/{_ID}").replace(_ID, "{id}")
    urls = connector_urls(app)
    texts = connector_texts(app)
    for c in catalog.sorted():
        index.append(index_row(c, urls[c.id], url_template))
        _write_text(out / "connectors" / f"{c.id}.json", texts[c.id] + "\n")
    # archived connectors are not set up any more: their failures leave the lookup
    found = kept_texts(app, "failures", failure_texts)
    failures = ",".join(found[c.id] for c in catalog.sorted() if c.status != "archived" and found[c.id])
    _write_json(
        out / "catalog-index.json",
        {
            "$schema": f"schema/{INDEX_SCHEMA.name}",
            "version": INDEX_VERSION,
            "project": app.config.project,
            "url_template": url_template,
            "data_template": DATA_TEMPLATE,
            "fields": list(FIELDS),
            "domains": [{"key": k, "title": d.title} for k, d in catalog.domains.items()],
            "use_cases": [{"key": k, "title": u.title} for k, u in catalog.use_cases.items()],
            "readiness": {k: list(v) for k, v in catalog.readiness.items()},
            "connectors": index,
        },
    )
    (out / "schema").mkdir(exist_ok=True)
    shutil.copyfile(INDEX_SCHEMA, out / "schema" / INDEX_SCHEMA.name)
    _write_text(out / "failures.json", f'{{"version":1,"failures":[{failures}]}}\n')
    # a connector removed from the data leaves no file behind
    folder = out / "connectors"
    if folder.is_dir():
        keep = {f"{c.id}.json" for c in catalog.connectors.values()}
        for stale in folder.glob("*.json"):
            if stale.name not in keep:
                stale.unlink()


def setup_readertools(app: Sphinx) -> None:
    skip = (skip_node, None)
    app.add_node(wg_tool, html=(visit_tool_html, None), text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_directive("catalog-error-lookup", ErrorLookupDirective)
    app.add_directive("catalog-planner", PlannerDirective)
    app.connect("html-page-context", add_tool_scripts)
    app.connect("build-finished", export_tool_data)
