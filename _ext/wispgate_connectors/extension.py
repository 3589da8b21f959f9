"""``setup()``: each module registers its own directives, nodes, transforms and events.

The order matters where handlers share an event: the catalog is loaded
(``builder-inited``) before generated pages are written from it, and the
navigation script is added before the catalog script.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from . import __version__, code_version
from .cards import setup_cards
from .cascade import setup_cascade
from .census import setup_census
from .components import setup_components
from .config import setup_config
from .degrade import setup_degrade
from .directives import setup_directives
from .domain import setup_domain
from .export import setup_export
from .forge import setup_forge
from .freshness import setup_freshness
from .generate import setup_generate
from .guard import setup_guards
from .incremental import setup_incremental
from .links import setup_links
from .listing import setup_listing
from .memory import setup_memory
from .navigation import setup_navigation, setup_static
from .pages import setup_pages
from .passes import setup_passes
from .readertools import setup_readertools
from .redirects import setup_redirects
from .schema_doc import setup_schema_doc
from .search import setup_search
from .sheets import setup_sheets
from .sitemap import setup_sitemap
from .standard import setup_standard
from .state import setup_state
from .traversal import setup_traversal
from .warm import setup_warm


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    setup_traversal(app)
    setup_config(app)
    setup_forge(app)
    setup_domain(app)
    setup_standard(app)
    setup_directives(app)
    setup_schema_doc(app)
    setup_state(app)
    setup_guards(app)
    setup_cascade(app)
    setup_links(app)
    setup_memory(app)
    setup_warm(app)
    setup_pages(app)
    setup_cards(app)
    setup_components(app)
    setup_census(app)
    setup_passes(app)
    setup_degrade(app)
    setup_generate(app)
    setup_redirects(app)
    setup_export(app)
    setup_sheets(app)
    setup_readertools(app)
    setup_navigation(app)
    setup_static(app)
    setup_listing(app)
    setup_freshness(app)
    setup_incremental(app)
    setup_sitemap(app)
    setup_search(app)
    return {
        "version": __version__,
        "env_version": code_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
