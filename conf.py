"""Sphinx configuration for the WISPGate Integration Guide."""

import contextlib
import io
import os
import sys
from pathlib import Path

# sphinxext-opengraph prints a notice at import when matplotlib (for image cards,
# which this site does not use) is missing; keep build output clean.
with contextlib.redirect_stdout(io.StringIO()):
    import sphinxext.opengraph  # noqa: F401

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "WISPGate Integration Guide"
author = "WISPGate"
copyright = "2026, WISPGate"
release = "2026.11"
version = release

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "notfound.extension",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "wispgate_connectors",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    ".*",
    "**/.*",
    "README.md",
    "CONTRIBUTING.md",
    "tests",
    "bench",
    "data",
    "requirements",
    "node_modules",
    "test-artifacts",
]

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3

nitpicky = True
# Straight quotes: readers copy error strings and values from prose into searches and
# terminals, and curly quotes break both (it also saves a pass over every page).
smartquotes = False
highlight_language = "text"
# accessible-pygments styles meet WCAG AA contrast on both themes
pygments_style = "a11y-light"
pygments_dark_style = "a11y-dark"

# --- HTML --------------------------------------------------------------------
# The public address; hosting sets it (Read the Docs exports READTHEDOCS_CANONICAL_URL).
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL") or os.environ.get(
    "WG_BASE_URL", "https://docs.wispgate.io/integrations/"
)
html_theme = "furo"
html_title = "WISPGate Integration Guide"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_theme_options = {
    "sidebar_hide_name": False,
    "navigation_with_keys": True,
}
# PLACEHOLDER: the forge repository this site is built from is not known here: set the real
# address (GitHub or GitLab) and branch.  They give every page "Edit this page" (a guide's opens
# its YAML file in data/connectors/) and every guide "Report a problem" links (forge.py).
wispgate_repository_url = "https://github.com/wispgate/integration-guide"
wispgate_repository_branch = "main"
html_last_updated_fmt = None
html_copy_source = False  # readers on slow links need no _sources/ copies

# Copy buttons: leave prompts and RouterOS/shell output out of what is copied.
copybutton_prompt_text = r"\$ |# |\[admin@[^\]]*\] > "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = False

# 404 page, served from any depth of the hosted site.
notfound_urls_prefix = os.environ.get("WG_URL_PREFIX", "/integrations/")
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>"
        "<p>This page does not exist, or it moved. Start again from the "
        "<a href='index.html'>integration catalog</a> or use the search.</p>"
    ),
}

# Sitemap for search engines.
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]

# Social cards: text metadata only (image cards would need matplotlib).
ogp_site_url = html_baseurl
ogp_site_name = project
ogp_type = "website"
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = True

# --- ePub: the offline copy for field technicians ------------------------------------
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_show_urls = "no"
epub_exclude_files = ["search.html", "404.html"]

# --- Link checking -------------------------------------------------------------
# Vendor documentation is slow, rate-limited and often rendered by scripts.
linkcheck_timeout = 30
linkcheck_retries = 3
linkcheck_workers = 4
linkcheck_rate_limit_timeout = 300
linkcheck_report_timeouts_as_broken = False
linkcheck_allow_unauthorized = False
linkcheck_anchors = True
# These sites build their pages (and anchors) with JavaScript: check the page, not the anchor.
linkcheck_anchors_ignore_for_url = [
    r"https://developers\.facebook\.com/.*",
    r"https://developer\.intuit\.com/.*",
    r"https://developer\.safaricom\.co\.ke/.*",
    r"https://developer\.xero\.com/.*",
    r"https://docs\.stripe\.com/.*",
    r"https://www\.twilio\.com/.*",
    r"https://help\.mikrotik\.com/.*",
    r"https://.*\.zabbix\.com/.*",
    r"https://developers\.google\.com/.*",
]
linkcheck_ignore = [
    r"https?://(localhost|127\.0\.0\.1)(:\d+)?/.*",  # examples, not links
    r"https?://[^/]*\.example\.(com|net|org)(/.*)?",
    r"https?://(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+.*",  # documentation addresses
]
