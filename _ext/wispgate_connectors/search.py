"""Search that operators can use, through Sphinx's search API.

* :class:`OperatorSearch`, a search language (``app.add_search_language``, chosen
  through ``html_search_language`` when the project leaves it unset and writes
  English): numbers are words (Sphinx drops them), anything with a digit, ``_``,
  ``-`` or ``.`` is indexed as written (``sk_test_``, ``1032``), and a run joined by
  ``-`` or ``.`` is also one word (``X-Paystack-Signature``, ``TR-069``).  Its
  JavaScript side (``static/wispgate-search-language.js``) splits and stems the
  query the same way.
* the scorer (``html_search_scorer``, ``static/wispgate-search-scorer.js``): listing
  pages rank below the guides whose cards they repeat, each page is one result, and
  titles show as written.
* the listing pages, named to the scorer on the search page (``html-page-context``):
  the pages that show listings (:attr:`.ConnectorDomain.listings`, which takes in the
  landing and catalog pages) and the folders of generated domain and use-case pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.en import SearchEnglish

from .domain import get_domain

STATIC = Path(__file__).parent / "static"
SCORER = STATIC / "wispgate-search-scorer.js"
LANGUAGE_JS = STATIC / "wispgate-search-language.js"

#: the search language's code; Sphinx falls back to "en" for it when the extension is absent
LANGUAGE = "en_wispgate"

# the same patterns as wispgate-search-language.js: \w is [\p{L}\p{N}_] there
_TOKEN = re.compile(r"\w+(?:[-.]\w+)*")
_PART = re.compile(r"\w+")


class OperatorSearch(SearchEnglish):
    """English, plus the numbers, codes, header names and identifiers operators search for."""

    lang = LANGUAGE

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        # after Sphinx's English stemmer in language_data.js, which it wraps
        self.js_splitter_code = LANGUAGE_JS.read_text(encoding="utf-8")

    def split(self, input: str) -> list[str]:
        """Each run of word characters, and before its parts a run joined by ``-`` or ``.``."""
        words: list[str] = []
        for token in _TOKEN.findall(input):
            if "-" in token or "." in token:  # else the token is its only part (most words)
                words.append(token)
                words.extend(_PART.findall(token))
            else:
                words.append(token)
        return words

    def stem(self, word: str) -> str:
        # "api_keys" or "TR-069" stemmed would match neither what readers type nor the page
        return super().stem(word) if word.isalpha() else word.lower()

    def word_filter(self, word: str) -> bool:
        # numbers are what operators search for (ports, result codes); Sphinx drops them
        return word.lower() not in self.stopwords


def choose_search(app: Sphinx, config: Config) -> None:
    """Use the language and scorer unless the project chose its own."""
    language = (config.language or "en").replace("-", "_")
    if not config.html_search_language and (language == "en" or language.startswith("en_")):
        config.html_search_language = LANGUAGE
    if not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)


def listing_pages(app: Sphinx) -> list[str]:
    """Docnames of listing pages, and folders (ending in ``/``) of generated ones."""
    config = app.config
    folders = {f"{config.wispgate_domain_pages.strip('/')}/", f"{config.wispgate_use_case_pages.strip('/')}/"}
    return sorted(folders | set(get_domain(app.env).listings))


def name_listing_pages(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object) -> None:
    if templatename != "search.html":
        return
    data = json.dumps({"listings": listing_pages(app)}, separators=(",", ":"), ensure_ascii=True)
    # a script body: keep "</script>" and friends out of it
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    app.add_js_file(None, body=f"var WISPGATE_SEARCH_PAGES = {data};")


def setup_search(app: Sphinx) -> None:
    app.add_search_language(OperatorSearch)
    app.connect("config-inited", choose_search)
    app.connect("html-page-context", name_listing_pages)
