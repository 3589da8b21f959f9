"""The repository's tool configuration: Read the Docs, CI, pre-commit, yamllint, VS Code,
and the `# yaml-language-server` line at the top of every data file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT

CONNECTOR_SCHEMA = PROJECT / "data" / "schema" / "connector.schema.json"
TAXONOMY_SCHEMA = PROJECT / "data" / "schema" / "taxonomy.schema.json"
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(?P<path>\S+)\s*")

YAML_FILES = [".readthedocs.yaml", ".github/workflows/docs.yml", ".pre-commit-config.yaml", ".yamllint.yaml"]
JSON_FILES = [".vscode/settings.json", ".vscode/extensions.json"]


def load_yaml(rel: str):
    return yaml.safe_load((PROJECT / rel).read_text(encoding="utf-8"))


def load_json(rel: str):
    return json.loads((PROJECT / rel).read_text(encoding="utf-8"))


def make_targets() -> set[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):(?!=)", text, re.M))


@pytest.mark.parametrize("rel", YAML_FILES)
def test_yaml_config_parses(rel):
    assert isinstance(load_yaml(rel), dict), rel


@pytest.mark.parametrize("rel", JSON_FILES)
def test_json_config_parses(rel):
    assert isinstance(load_json(rel), dict), rel


# --- Read the Docs -------------------------------------------------------------


def test_readthedocs():
    rtd = load_yaml(".readthedocs.yaml")
    assert rtd["version"] == 2
    assert rtd["build"]["os"] == "ubuntu-24.04"
    assert rtd["build"]["tools"]["python"] == "3.11"  # a string: 3.10 as a float would be 3.1
    installs = rtd["python"]["install"]
    assert {"requirements": "requirements/docs.lock"} in installs
    for item in installs:
        if "requirements" in item:
            assert (PROJECT / item["requirements"]).is_file(), item
    sphinx = rtd["sphinx"]
    assert sphinx["configuration"] == "conf.py" and (PROJECT / "conf.py").is_file()
    assert sphinx.get("builder", "html") == "html"
    assert sphinx["fail_on_warning"] is True
    assert "epub" in rtd["formats"]


# --- GitHub Actions --------------------------------------------------------------


def workflow():
    wf = load_yaml(".github/workflows/docs.yml")
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = wf.get("on", wf.get(True))
    return wf, triggers


def job_runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def job_uses(job: dict) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_workflow_triggers():
    _, triggers = workflow()
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons and all(len(cron.split()) == 5 for cron in crons)


def test_workflow_jobs_run_the_make_targets():
    wf, _ = workflow()
    jobs = wf["jobs"]
    targets = make_targets()
    assert {"test", "html", "linkcheck"} <= targets

    assert any(run.startswith("make test") for run in job_runs(jobs["test"]))
    assert any(run.startswith("make html") for run in job_runs(jobs["build"]))
    assert any(run.startswith("make linkcheck") for run in job_runs(jobs["linkcheck"]))

    upload = [s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"].rstrip("/") == "_build/html"

    for name, job in jobs.items():
        uses = job_uses(job)
        assert "actions/checkout@v4" in uses, name
        assert "actions/setup-python@v5" in uses, name
        for use in uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", use), f"{name}: unpinned action {use}"
        setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
        assert setup["with"]["python-version"] == "3.11", name
        assert setup["with"].get("cache") == "pip", name
        lock_glob = setup["with"]["cache-dependency-path"]
        assert lock_glob == "requirements/*.lock" and list(PROJECT.glob(lock_glob)), name


def test_workflow_build_warnings_are_errors():
    """`make html` in CI only catches warnings if the Makefile still builds with -W."""
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    opts = re.search(r"^SPHINXOPTS\s*\?=\s*(.*)$", text, re.M)
    assert opts and "-W" in opts.group(1).split()


def test_workflow_linkcheck_only_on_schedule_and_pull_requests():
    wf, _ = workflow()
    job = wf["jobs"]["linkcheck"]
    condition = job["if"]
    assert "'schedule'" in condition and "'pull_request'" in condition and "push" not in condition
    # Must fail on the weekly run.
    continue_on_error = job.get("continue-on-error", False)
    assert continue_on_error is False or (
        isinstance(continue_on_error, str) and "github.event_name != 'schedule'" in continue_on_error
    )


# --- pre-commit and yamllint ------------------------------------------------------


def test_pre_commit_hooks():
    config = load_yaml(".pre-commit-config.yaml")
    repos = {repo["repo"]: repo for repo in config["repos"]}
    for url, repo in repos.items():
        if url != "local":
            assert re.fullmatch(r"v\d+(\.\d+)+", str(repo["rev"])), f"{url}: pin a release tag, not {repo['rev']}"

    standard = {h["id"] for h in repos["https://github.com/pre-commit/pre-commit-hooks"]["hooks"]}
    assert {
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "check-json",
        "check-merge-conflict",
        "check-added-large-files",
    } <= standard

    yamllint = repos["https://github.com/adrienverge/yamllint"]["hooks"]
    assert [h["id"] for h in yamllint] == ["yamllint"]
    args = yamllint[0].get("args", [])
    if "-c" in args:
        assert (PROJECT / args[args.index("-c") + 1]).is_file()

    local = {h["id"]: h for h in repos["local"]["hooks"]}
    hook = local["wispgate-check"]
    assert hook["entry"] == "make check" and "check" in make_targets()
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("data/connectors/mikrotik.yaml") and files.search("data/domains.yaml")
    assert not files.search("conf.py") and not files.search("tests/roots/test-basic/data/domains.yaml")


YAMLLINT_RULES = {
    "anchors",
    "braces",
    "brackets",
    "colons",
    "commas",
    "comments",
    "comments-indentation",
    "document-end",
    "document-start",
    "empty-lines",
    "empty-values",
    "float-values",
    "hyphens",
    "indentation",
    "key-duplicates",
    "key-ordering",
    "line-length",
    "new-line-at-end-of-file",
    "new-lines",
    "octal-values",
    "quoted-strings",
    "trailing-spaces",
    "truthy",
}


def test_yamllint_config():
    """yamllint is not a project dependency: check the config's structure, not a run."""
    config = load_yaml(".yamllint.yaml")
    assert config["extends"] in {"default", "relaxed"}
    rules = config["rules"]
    assert set(rules) <= YAMLLINT_RULES, set(rules) - YAMLLINT_RULES
    for name, value in rules.items():
        assert value in ("enable", "disable") or isinstance(value, dict), name
    assert rules["line-length"] == "disable"
    assert rules["document-start"] == "disable"
    assert rules["truthy"]["allowed-values"] == ["true", "false"]
    assert isinstance(config.get("ignore", ""), str)


# --- VS Code ----------------------------------------------------------------------


def test_vscode_schema_mapping():
    schemas = load_json(".vscode/settings.json")["yaml.schemas"]
    mapping = {
        (PROJECT / schema).resolve(): ([globs] if isinstance(globs, str) else globs)
        for schema, globs in schemas.items()
    }
    for schema in mapping:
        assert schema.is_file(), schema
        json.loads(schema.read_text(encoding="utf-8"))

    assert mapping[CONNECTOR_SCHEMA] == ["data/connectors/*.yaml"]
    assert sorted(mapping[TAXONOMY_SCHEMA]) == ["data/domains.yaml", "data/use-cases.yaml"]
    matched: dict[Path, Path] = {}
    for schema, globs in mapping.items():
        for pattern in globs:
            files = list(PROJECT.glob(pattern))
            assert files, f"{pattern} matches no file"
            for f in files:
                assert matched.setdefault(f, schema) == schema, f"{f} mapped to two schemas"

    settings = load_json(".vscode/settings.json")
    assert settings["files.trimTrailingWhitespace"] is True
    assert settings["files.insertFinalNewline"] is True


def test_vscode_recommended_extensions():
    recommended = load_json(".vscode/extensions.json")["recommendations"]
    assert {"redhat.vscode-yaml", "executablebookproject.myst-highlight"} <= set(recommended)


# --- the yaml-language-server line of the data files ----------------------------------


def schema_of(path: Path) -> Path:
    with path.open(encoding="utf-8") as f:
        first = f.readline()
    match = SCHEMA_LINE.fullmatch(first)
    assert match, f"{path.relative_to(PROJECT)}:1: expected '# yaml-language-server: $schema=...', got {first!r}"
    return (path.parent / match["path"]).resolve()


CONNECTORS = sorted((PROJECT / "data" / "connectors").glob("*.yaml"))


def test_there_are_connectors():
    assert CONNECTORS


@pytest.mark.parametrize("path", CONNECTORS, ids=[p.name for p in CONNECTORS])
def test_connector_schema_line(path):
    assert schema_of(path) == CONNECTOR_SCHEMA


@pytest.mark.parametrize("name", ["domains.yaml", "use-cases.yaml"])
def test_taxonomy_schema_line(name):
    assert schema_of(PROJECT / "data" / name) == TAXONOMY_SCHEMA
