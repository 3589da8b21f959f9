"""The extension's settings, as typed Sphinx config values with defaults.

Every path and option the extension would otherwise hard-code is here, so one
copy of the extension can serve another site (another data folder, another
folder of guides).  Values are checked once, at ``config-inited``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from .catalog import Layout

#: name -> (default, rebuild, types, what it is); every value re-reads the pages it changes
CONFIG_VALUES: dict[str, tuple[Any, str, tuple[type, ...], str]] = {
    "wispgate_data_dir": ("data", "env", (str,), "folder of connectors/, domains.yaml, use-cases.yaml, readiness.yaml"),
    "wispgate_page_dir": ("integrations", "env", (str,), "folder of the guides' pages, one <id>.md each"),
    "wispgate_domain_pages": ("catalog/domains", "env", (str,), "folder of the generated domain pages"),
    "wispgate_use_case_pages": ("catalog/use-cases", "env", (str,), "folder of the generated use-case pages"),
    "wispgate_sheet_pages": ("commissioning", "env", (str,), "folder of the generated commissioning sheets"),
    "wispgate_listing_pages": (
        "catalog",
        "env",
        (str,),
        "folder whose <page>/ sub-folders hold the generated parts of listing pages",
    ),
    "wispgate_listing_page_size": (
        100,
        "env",
        (int,),
        "connectors per part of a listing page (domain, use case, ports...) and notes per What's new page",
    ),
    "wispgate_use_case_tab_limit": (12, "env", (int,), "cards per use-case tab on the landing page"),
    "wispgate_stale_after_days": (365, "env", (int,), "days after verified.date when a guide needs re-verification"),
}


def layout(config: Config) -> Layout:
    return Layout(data_dir=config.wispgate_data_dir, page_dir=config.wispgate_page_dir)


def check_config(app: Sphinx, config: Config) -> None:
    for name in (
        "wispgate_data_dir",
        "wispgate_page_dir",
        "wispgate_domain_pages",
        "wispgate_use_case_pages",
        "wispgate_sheet_pages",
        "wispgate_listing_pages",
    ):
        value = getattr(config, name)
        if not value or value.startswith(("/", "\\")) or ".." in value.replace("\\", "/").split("/"):
            raise ConfigError(f"{name} = {value!r}: give a folder inside the project, relative to conf.py")
    if config.wispgate_use_case_tab_limit < 1:
        raise ConfigError("wispgate_use_case_tab_limit must be 1 or more")
    if config.wispgate_listing_page_size < 10:
        raise ConfigError("wispgate_listing_page_size must be 10 or more")
    if config.wispgate_stale_after_days < 1:
        raise ConfigError("wispgate_stale_after_days must be 1 or more")


def setup_config(app: Sphinx) -> None:
    for name, (default, _rebuild, types, _) in CONFIG_VALUES.items():
        app.add_config_value(name, default, "env", types=types)
    app.connect("config-inited", check_config)
