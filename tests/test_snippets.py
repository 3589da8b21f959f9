"""Every directive and role, in MyST and in reStructuredText, against a regression file.

As sphinx-design's ``test_snippets``: one small source per case, built once in a
copy of the basic root; the resolved doctree of the MyST page must equal the rST
page's and the file in ``tests/regression/snippets/``.  After a deliberate change,
regenerate with ``WG_REGEN=1``.  A page that documents a connector needs a project of
its own (the connector has one page per project): those 15 cases (14 projects per syntax)
run with the full suite only.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOTS, make_project_app, warnings_of

REGRESSION = Path(__file__).parent / "regression" / "snippets"

#: case -> (directive, argument, options); a role case has the directive None and the role text as argument
CASES: dict[str, tuple[str | None, str, dict[str, str]]] = {
    "connector": ("connector", "alpha", {}),
    "connector-rst-page": ("connector", "beta", {}),
    **{
        f"section-{key}": (f"connector-{key}", "alpha", {})
        for key in (
            "overview",
            "prerequisites",
            "fields",
            "flow",
            "example",
            "troubleshooting",
            "validation",
            "limitations",
            "rollback",
            "outage",
            "related",
            "versions",
        )
    },
    "readiness-common": ("readiness-checklist", "", {}),
    "readiness-connector": ("readiness-checklist", "alpha", {}),
    "hero": ("catalog-hero", "", {}),
    "domains": ("catalog-domains", "", {}),
    "cards-all": ("catalog-cards", "", {}),
    "cards-featured": ("catalog-cards", "", {"featured": ""}),
    "cards-filter": ("catalog-cards", "", {"filter": ""}),
    "cards-limit": ("catalog-cards", "", {"limit": "1"}),
    "cards-domain-compact": ("catalog-cards", "", {"domain": "payments-finance", "compact": ""}),
    "cards-use-case": ("catalog-cards", "", {"use-case": "billing-automation"}),
    "use-cases": ("catalog-use-cases", "", {"limit": "1"}),
    "browse": ("catalog-browse", "", {}),
    "domain-page": ("catalog-domain", "network-aaa", {}),
    "use-case-page": ("catalog-use-case", "subscriber-auth", {}),
    "toctree-domains": ("catalog-toctree", "domains", {"caption": "Domains"}),
    "matrix": ("catalog-matrix", "", {"domain": "network-aaa"}),
    "whats-new": ("catalog-whats-new", "", {}),
    "whats-new-year": ("catalog-whats-new", "", {"year": "2026"}),
    "troubleshooting-index": ("catalog-troubleshooting", "", {"domain": "network-aaa"}),
    "schema": ("connector-schema", "", {}),
    "ports": ("catalog-ports", "", {"domain": "network-aaa"}),
    "compatibility": ("catalog-compatibility", "", {"domain": "network-aaa"}),
    "outage-page": ("catalog-outage", "", {"domain": "network-aaa"}),
    "vendor-changes": ("catalog-vendor-changes", "", {}),
    "commissioning-sheet": ("commissioning-sheet", "alpha", {}),
    "sheets-index": ("catalog-sheets", "", {}),
    "error-lookup": ("catalog-error-lookup", "", {}),
    "planner": ("catalog-planner", "", {}),
    "role": (None, "alpha", {}),
}


def myst(directive: str | None, argument: str, options: dict[str, str]) -> str:
    if directive is None:
        return f"---\norphan: true\n---\n# Snippet\n\nSee {{connector}}`{argument}`.\n"
    opts = "".join(f":{k}: {v}".rstrip() + "\n" for k, v in options.items())
    return f"---\norphan: true\n---\n# Snippet\n\n```{{{directive}}} {argument}".rstrip() + f"\n{opts}```\n"


def rst(directive: str | None, argument: str, options: dict[str, str]) -> str:
    if directive is None:
        return f":orphan:\n\nSnippet\n=======\n\nSee :connector:`{argument}`.\n"
    opts = "".join(f"   :{k}: {v}".rstrip() + "\n" for k, v in options.items())
    return f":orphan:\n\nSnippet\n=======\n\n.. {directive}:: {argument}".rstrip() + f"\n{opts}"


def groups() -> list[list[str]]:
    """Cases built together: a connector has one page per project, so each page that
    documents one gets a project of its own (where its real page is taken out)."""
    documenting = [
        n
        for n, (d, _, _) in CASES.items()
        if d and d.startswith(("connector-", "readiness")) and d != "connector-schema" and CASES[n][1]
    ] + ["connector"]
    others = [n for n in CASES if n not in documenting and n != "connector-rst-page"]
    return [others, *([n] for n in documenting[:-1]), ["connector", "connector-rst-page"]]


def documents(names: list[str]) -> set[str]:
    return {
        CASES[n][1]
        for n in names
        if CASES[n][0]
        and CASES[n][0] != "connector-schema"
        and CASES[n][0].startswith(("connector", "readiness"))
        and CASES[n][1]
    }


def build_groups(tmp_path_factory, which: list[tuple[int, list[str], str]]) -> dict:
    """(case, syntax) -> the page's resolved doctree; ``None`` -> (root, warnings) of every build."""
    out: dict = {None: []}
    for i, names, syntax in which:
        make = myst if syntax == "md" else rst
        src = tmp_path_factory.mktemp(f"snippets-{i}-{syntax}") / "src"
        shutil.copytree(ROOTS / "test-basic", src)
        # the common readiness list has one place per site; snippets give it theirs
        (src / "concept.md").write_text("# Concept\n\nA concept page.\n")
        (src / "catalog.md").write_text("# Catalog pages\n")
        shutil.rmtree(src / "catalog")  # no page for the split listings: their parts are not generated
        pages = {"alpha": src / "integrations/alpha.md", "beta": src / "integrations/beta.rst"}
        for cid in documents(names):
            pages[cid].unlink()
        index = (src / "index.md").read_text()
        for cid in documents(names):
            index = index.replace(f"integrations/{cid}\n", "")
        (src / "index.md").write_text(index)
        for name in names:
            page = src / "snippets" / syntax / f"{name}.{syntax}"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(make(*CASES[name]), encoding="utf-8")
        app = make_project_app(src, freshenv=True)
        try:
            app.build()
            for name in names:
                out[(name, syntax)] = resolved(app, f"snippets/{syntax}/{name}")
            out[None].append((src, warnings_of(app)))
        finally:
            app.cleanup()
    return out


#: the cases whose page documents a connector: a project each, per syntax (28 builds)
DOCUMENTING = sorted(n for names in groups() if documents(names) for n in names)
#: the other cases: all of them in one project per syntax
OTHERS = sorted(groups()[0])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The cases that document no connector, in MyST and in reStructuredText."""
    return build_groups(tmp_path_factory, [(0, groups()[0], "md"), (0, groups()[0], "rst")])


@pytest.fixture(scope="module")
def built_documenting(tmp_path_factory):
    """The cases that document a connector, in MyST and in reStructuredText: a project each."""
    return build_groups(
        tmp_path_factory,
        [(i, names, syntax) for i, names in enumerate(groups()) if documents(names) for syntax in ("md", "rst")],
    )


def resolved(app, docname: str) -> str:
    doctree = app.env.get_and_resolve_doctree(docname, app.builder)
    return "".join(child.pformat() for child in doctree.children)


def no_warnings(builds: list) -> None:
    for src, warnings in builds:
        # several apps in one process re-register docutils nodes and directives: not ours
        assert [w for w in warnings if "is already registered" not in w] == [], src


def matches_regression(built: dict, name: str) -> None:
    md = built[(name, "md")]
    assert md == built[(name, "rst")], "MyST and reStructuredText pages differ"
    # the same docname depth for both syntaxes keeps relative links equal; name the page neutrally
    md = md.replace("snippets/md/", "snippets/SYNTAX/")
    regression = REGRESSION / f"{name}.xml"
    if os.environ.get("WG_REGEN") or not regression.exists():
        regression.parent.mkdir(parents=True, exist_ok=True)
        regression.write_text(md, encoding="utf-8")
    assert md == regression.read_text(encoding="utf-8"), "run with WG_REGEN=1 to accept a deliberate change"


def test_snippets_build_without_warnings(built):
    assert len(built[None]) == 2
    no_warnings(built[None])


@pytest.mark.parametrize("name", OTHERS)
def test_snippet_matches_regression(built, name):
    matches_regression(built, name)


# A page that documents a connector needs a project of its own: 14 projects per syntax, more than
# the rest of this file.  In the fast lane, the same sections are compared with a regression file
# by test_builds (alpha's connector directive, every section: alpha_sections.xml), and the section
# directives are read from beta's reStructuredText page by test_sections.


@pytest.mark.slow
def test_snippets_that_document_a_connector_build_without_warnings(built_documenting):
    assert len(built_documenting[None]) == 2 * (len(groups()) - 1)
    no_warnings(built_documenting[None])


@pytest.mark.slow
@pytest.mark.parametrize("name", DOCUMENTING)
def test_snippet_that_documents_a_connector_matches_regression(built_documenting, name):
    matches_regression(built_documenting, name)


def test_every_directive_has_a_snippet():
    from wispgate_connectors.directives import DIRECTIVES
    from wispgate_connectors.pages import DIRECTIVES as CATALOG

    covered = {case[0] for case in CASES.values()}
    tools = {"commissioning-sheet", "catalog-sheets", "catalog-error-lookup", "catalog-planner", "connector-schema"}
    assert set(DIRECTIVES) | set(CATALOG) | tools <= covered
