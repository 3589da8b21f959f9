"""Sphinx configuration for the WISPGate Integration Guide."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "WISPGate Integration Guide"
author = "WISPGate"
copyright = "2026, WISPGate"
release = "2026.11"

extensions = [
    "myst_parser",
    "sphinx_design",
    "wispgate_connectors",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", ".*", "**/.*", "README.md", "tests", "bench", "data", "requirements", "node_modules", "test-artifacts"]
html_static_path = ["_static"]

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3

nitpicky = True
highlight_language = "text"
pygments_style = "a11y-light"
pygments_dark_style = "a11y-dark"

html_theme = "furo"
html_title = "WISPGate Integration Guide"
html_theme_options = {
    "sidebar_hide_name": False,
    "navigation_with_keys": True,
}
html_last_updated_fmt = None
html_css_files = ["wispgate.css"]
html_js_files = [("wispgate.js", {"defer": "defer"})]
