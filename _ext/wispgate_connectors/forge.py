"""Links to the forge that holds the guides: edit a guide's data, report a problem with it.

Set ``wispgate_repository_url`` (and ``wispgate_repository_branch``) in conf.py.  Then:

- furo's "Edit this page" and "View this page" (``source_repository``, ``source_branch``,
  ``source_directory``, set from those values when conf.py does not set them) open a guide's
  YAML file, not its two-line page: per page, ``html-page-context`` points them at
  ``data/connectors/<id>.yaml``, at ``data/domains.yaml`` or ``data/use-cases.yaml`` for a
  generated domain or use-case page, and at the connector's file for its commissioning sheet;
- every guide ends with "Report a problem with this guide", and each generated section's heading
  is followed by "Report a problem with this section": links to the forge's new-issue form, its
  title and body filled in with the guide, its page, the section (the guide-wide link asks for
  it) and the version the guide was verified against.  No script, no backend: the reader's
  browser opens the forge's own form.

GitHub and GitLab addresses are understood; anything else gets no links (and one warning).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote, urlencode

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from . import state
from .domain import documented
from .sections import SECTION_KEYS

logger = logging.getLogger(__name__)

CONFIG_VALUES: dict[str, tuple[str, str]] = {
    "wispgate_repository_url": ("", "the forge repository of this site, e.g. https://github.com/<org>/<repo>"),
    "wispgate_repository_branch": ("main", "the branch the site is built from"),
}
SECTION_PLACEHOLDER = "(which section? e.g. Common failure points)"
REPORT_TEXT = "Report a problem with this guide"


def forge(repo: str) -> str | None:
    """'github', 'gitlab' or None for a repository address."""
    if repo.startswith("https://github.com/"):
        return "github"
    if repo.startswith("https://gitlab.com/"):
        return "gitlab"
    return None


def file_url(repo: str, branch: str, path: str, edit: bool) -> str:
    repo = repo.rstrip("/")
    if forge(repo) == "gitlab":
        return f"{repo}/-/{'edit' if edit else 'blob'}/{quote(branch)}/{quote(path)}"
    return f"{repo}/{'edit' if edit else 'blob'}/{quote(branch)}/{quote(path)}"


def issue_url(repo: str, title: str, body: str) -> str:
    repo = repo.rstrip("/")
    if forge(repo) == "gitlab":
        return f"{repo}/-/issues/new?" + urlencode({"issue[title]": title, "issue[description]": body})
    return f"{repo}/issues/new?" + urlencode({"title": title, "body": body})


def check_repository(app: Sphinx, config: Config) -> None:
    """Fill furo's source options from ``wispgate_repository_url``, unless conf.py set them."""
    repo = str(config.wispgate_repository_url or "").rstrip("/")
    if not repo:
        return
    if forge(repo) is None:
        logger.warning(
            f"wispgate_repository_url = {repo!r}: give a https://github.com/... or https://gitlab.com/... "
            "address; the edit and report links are left out",
            type="wispgate",
            subtype="config",
        )
        config.wispgate_repository_url = ""
        return
    options = dict(config.html_theme_options or {})
    options.setdefault("source_repository", repo + "/")
    options.setdefault("source_branch", config.wispgate_repository_branch)
    options.setdefault("source_directory", "")
    config.html_theme_options = options


def data_file(app: Sphinx, pagename: str) -> tuple[str | None, Any]:
    """The data file a page is made from, and its connector when it is a guide or a sheet."""
    catalog = state.catalog(app.env)
    where = state.layout(app.env)
    guides = catalog.memo.get("forge-guides")
    if guides is None:  # once per build: pages are written after every page was read
        guides = catalog.memo["forge-guides"] = {
            doc: cid for cid, (doc, _, _) in sorted(documented(app.env).items(), reverse=True)
        }
    cid = guides.get(pagename)
    if cid is not None and cid in catalog.connectors:
        return catalog.connectors[cid].path, catalog.connectors[cid]
    folder, _, key = pagename.rpartition("/")
    key = key.split("--")[0]  # a later part of a domain or use-case page (generate.part_doc)
    if folder == app.config.wispgate_domain_pages and key in catalog.domains:
        return where.domains.as_posix(), None
    if folder == app.config.wispgate_use_case_pages and key in catalog.use_cases:
        return where.use_cases.as_posix(), None
    if folder == app.config.wispgate_sheet_pages and key in catalog.connectors:
        return catalog.connectors[key].path, None
    return None, None


def report_href(app: Sphinx, pagename: str, connector: Any, section: str | None) -> str:
    """The forge's new-issue form, filled in with the guide, its page, the section and its verification."""
    base = str(app.config.html_baseurl or "").rstrip("/")
    page = f"{base}/{pagename}.html" if base else f"{pagename}.html"
    verified = (
        f"{connector.verified.against} (checked {connector.verified.date})"
        if connector.verified
        else "not verified yet"
    )
    title = f"{connector.name}: {section or 'problem in the guide'}"
    body = (
        f"Guide: {connector.name} ({connector.id})\n"
        f"Page: {page}\n"
        f"Section: {section or SECTION_PLACEHOLDER}\n"
        f"Verified against: {verified}\n"
        f"Data file: {connector.path}\n\n"
        "What is wrong, and what did you expect instead?\n"
    )
    return issue_url(app.config.wispgate_repository_url, title, body)


_SECTION = re.compile(
    r'(<section class="wg-section wg-[\w-]+" id="(?P<id>[\w.-]+)">\s*(?:<span [^>]*></span>)?'
    r'<h2>(?P<title>[^<]*)<a class="headerlink"[^>]*>[^<]*</a></h2>)'
)


def with_report_links(app: Sphinx, pagename: str, connector: Any, body: str) -> str:
    """A guide's HTML with a report link under each generated section's heading, and one at its end."""
    anchors = {f"{connector.id}-{key}" for key in SECTION_KEYS}

    def add(match: re.Match[str]) -> str:
        if match.group("id") not in anchors:
            return match.group(0)
        title = html.unescape(match.group("title")).strip()
        href = report_href(app, pagename, connector, title)
        return (
            f'{match.group(0)}<p class="wg-report wg-report-section"><a href="{html.escape(href)}" '
            f'rel="nofollow noopener">Report a problem with this section</a></p>'
        )

    href = report_href(app, pagename, connector, None)
    end = f'<p class="wg-report"><a href="{html.escape(href)}" rel="nofollow noopener">{REPORT_TEXT}</a></p>'
    return _SECTION.sub(add, body) + end


def page_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Edit and view links to the data a page is made from; the report link on guides."""
    repo = app.config.wispgate_repository_url
    if not repo or app.builder.name not in ("html", "dirhtml"):
        return
    path, connector = data_file(app, pagename)
    if path is None:
        return
    branch = app.config.wispgate_repository_branch
    # furo formats these with the page's file name: braces in a path must not be read as fields
    context["theme_source_edit_link"] = file_url(repo, branch, path, edit=True).replace("{", "{{").replace("}", "}}")
    context["theme_source_view_link"] = file_url(repo, branch, path, edit=False).replace("{", "{{").replace("}", "}}")
    if connector is not None and "body" in context:
        context["body"] = with_report_links(app, pagename, connector, context["body"])


def setup_forge(app: Sphinx) -> None:
    for name, (default, _) in CONFIG_VALUES.items():
        app.add_config_value(name, default, "html", types=(str,))
    app.connect("config-inited", check_repository)
    app.connect("html-page-context", page_links)
