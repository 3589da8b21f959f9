"""Search: the language (numbers, codes, identifiers), the scorer, and the listing pages it is told about.

What readers see in the search page (ranking, one result per page, titles) is in
``test_browser.py``; this file checks what the build writes for it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOTS, make_project_app, warnings_of
from wispgate_connectors.search import LANGUAGE, LANGUAGE_JS, SCORER, OperatorSearch

PAGES_SCRIPT = re.compile(r"var WISPGATE_SEARCH_PAGES = (\{.*?\});")


def index_of(outdir: Path) -> dict[str, Any]:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return json.loads(text[len("Search.setIndex(") : -1])


def docs_with(index: dict[str, Any], term: str, key: str = "terms") -> set[str]:
    found = index[key].get(term, [])
    return {index["docnames"][i] for i in ([found] if isinstance(found, int) else found)}


def build(src: Path, **kwargs: Any):
    app = make_project_app(src, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings_of(app) == []
    return app


@pytest.fixture
def language() -> OperatorSearch:
    return OperatorSearch({})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("UDP 3799 and 1812/1813", ["UDP", "3799", "and", "1812", "1813"]),
        ("keys starting `sk_test_`.", ["keys", "starting", "sk_test_"]),
        ("the X-Paystack-Signature header", ["the", "X-Paystack-Signature", "X", "Paystack", "Signature", "header"]),
        ("ResultCode 1032, or 500.001.1001.", ["ResultCode", "1032", "or", "500.001.1001", "500", "001", "1001"]),
        ("GenieACS TR-069 -", ["GenieACS", "TR-069", "TR", "069"]),
        ("a-", ["a"]),
    ],
)
def test_split_keeps_numbers_and_joined_tokens(language, text, words):
    assert language.split(text) == words


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("Signatures", "signatur"),  # plain words stem as English
        ("3799", "3799"),
        ("sk_test_", "sk_test_"),
        ("X-Paystack-Signature", "x-paystack-signature"),
        ("api_keys", "api_keys"),  # identifiers are searched as written
        ("500.001.1001", "500.001.1001"),
    ],
)
def test_stem_leaves_codes_and_identifiers_as_written(language, word, stem):
    assert language.stem(word).lower() == stem


def test_filter_keeps_numbers_and_drops_stopwords(language):
    assert language.word_filter("3799") and language.word_filter("0")
    assert not language.word_filter("the") and not language.word_filter("The")


def test_numbers_codes_and_joined_tokens_are_in_the_index(basic_app):
    index = index_of(basic_app.outdir)
    assert "integrations/alpha" in docs_with(index, "1812")  # "Reachable on UDP 1812."
    assert "integrations/beta" in docs_with(index, "401")  # "HTTP 401"
    # "Auth flow: PPPoE -> Access-Request": whole, and each part
    assert "integrations/alpha" in docs_with(index, "access-request")
    assert "integrations/alpha" in docs_with(index, "access") & docs_with(index, "request")
    assert "integrations/alpha" in docs_with(index, "7.16")  # verified against AlphaOS 7.16
    assert "integrations/alpha" in docs_with(index, "192.0.2.1")


def test_titles_in_the_index_are_as_written(basic_app):
    index = index_of(basic_app.outdir)
    titles = dict(zip(index["docnames"], index["titles"], strict=True))
    assert titles["catalog/domains/network-aaa"] == "Network & AAA"
    assert "Network & AAA" in index["alltitles"]
    assert not any("&amp;" in t or "&#" in t for t in index["titles"])


def test_the_language_and_the_scorer_are_chosen(basic_app):
    assert basic_app.config.html_search_language == LANGUAGE
    assert basic_app.config.html_search_scorer == str(SCORER)
    data = (basic_app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    # inserted as they are: no escaping on the way
    assert SCORER.read_text(encoding="utf-8") in data
    assert LANGUAGE_JS.read_text(encoding="utf-8") in data
    # after Sphinx's English stemmer, which the language's stemmer wraps
    assert data.index("window.Stemmer = EnglishStemmer;") < data.index("window.Stemmer = (function (English)")


def listing_data(outdir: Path, name: str = "search.html") -> dict[str, list[str]] | None:
    found = PAGES_SCRIPT.search((outdir / name).read_text(encoding="utf-8"))
    return json.loads(found.group(1)) if found else None


def test_the_search_page_names_the_listing_pages(basic_app):
    data = listing_data(basic_app.outdir)
    assert data is not None
    assert data["listings"] == sorted(data["listings"])
    # the pages showing listings (the landing and catalog pages) and the generated folders
    assert {"index", "catalog", "catalog/domains/", "catalog/use-cases/", "catalog/domains/network-aaa"} <= set(
        data["listings"]
    )
    assert not any(p.startswith(("integrations/", "concept", "roles")) for p in data["listings"])
    # only the search page needs it
    assert listing_data(basic_app.outdir, "index.html") is None
    assert listing_data(basic_app.outdir, "integrations/alpha.html") is None


def test_listing_folders_come_from_the_settings(project_copy):
    src = project_copy()
    app = build(
        src, freshenv=True, confoverrides={"wispgate_domain_pages": "areas", "wispgate_use_case_pages": "tasks"}
    )
    data = listing_data(app.outdir)
    assert data is not None
    assert {"areas/", "tasks/", "areas/network-aaa", "tasks/subscriber-auth"} <= set(data["listings"])
    assert not any(p.startswith("catalog/domains") for p in data["listings"])


def test_a_project_keeps_its_own_language_and_scorer(project_copy, tmp_path):
    scorer = tmp_path / "scorer.js"
    scorer.write_text("var Scorer = {own: 1};\n", encoding="utf-8")
    src = project_copy()
    app = build(src, freshenv=True, confoverrides={"html_search_language": "en", "html_search_scorer": str(scorer)})
    index = index_of(app.outdir)
    assert docs_with(index, "1812") == set()  # Sphinx's English drops numbers
    data = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "var Scorer = {own: 1};" in data and "WISPGATE_SEARCH_PAGES" not in data


def test_search_files_are_reproducible(tmp_path, built_basic):
    """Two builds in different folders write the same bytes; a rebuild with nothing changed keeps the index."""
    names = ("searchindex.js", "_static/language_data.js", "search.html")
    one, two = built_basic, tmp_path / "two" / "deeper"  # one: the basic root's first build, kept
    shutil.copytree(ROOTS / "test-basic", two)
    build(two, freshenv=True)
    first = {n: (one / "_build/html" / n).read_bytes() for n in names}
    assert first == {n: (two / "_build/html" / n).read_bytes() for n in names}
    before = index_of(one / "_build/html")
    build(one)  # nothing to write: the terms are loaded back from the last searchindex.js
    again = index_of(one / "_build/html")
    # Sphinx 9.0 loses the index entries when it writes no page, whatever the language
    assert {k: v for k, v in again.items() if k != "indexentries"} == {
        k: v for k, v in before.items() if k != "indexentries"
    }
