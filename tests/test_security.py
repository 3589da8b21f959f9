"""Issue 18: hostile and broken input against the data pipeline, one section per finding.

Each test builds what it needs in a temporary copy of the basic root (files, links,
FIFOs) and runs `make check` (the CLI's ``main()``, in this process) and the build on it;
the cases of values in connector data share one build, a connector each.  Cases that used
to hang run in subprocesses with a timeout, so a regression fails instead of blocking.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import PROJECT, ROOTS, make_project_app, run_cli, run_sphinx, warnings_of

FIXTURES = Path(__file__).parent / "fixtures"
ALPHA = "data/connectors/alpha.yaml"
ENV = {"PYTHONPATH": str(PROJECT / "_ext"), "PATH": "/usr/bin:/bin"}
#: the real site's MyST extensions, plus dollarmath to prove '$...$' is refused too
MYST = (
    '\nmyst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block", "dollarmath"]\n'
)
HOST_LINE = "root:x:0:0:WG-HOST-FILE-MARK:/root:/bin/bash"
LIVE_KEY = "sk_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD"


# --- helpers ------------------------------------------------------------------------------------


def basic(tmp_path: Path, myst: bool = False) -> Path:
    root = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", root)
    if myst:
        (root / "conf.py").write_text((root / "conf.py").read_text() + MYST)
    return root


def host_file(tmp_path: Path) -> Path:
    """A file outside the project, standing for /etc/passwd."""
    outside = tmp_path / "host"
    outside.mkdir(exist_ok=True)
    path = outside / "passwd"
    path.write_text(HOST_LINE + "\n" + LIVE_KEY + "\n")
    return path


def set_value(root: Path, key_line: str, value: str, data: str = ALPHA) -> int:
    """Replace the value on the first line of alpha.yaml (or ``data``) starting with ``key_line``; return its line."""
    path = root / data
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(key_line))
    lines[at] = f"{lines[at].split(':', 1)[0]}: {json.dumps(value)}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def line_of(root: Path, start: str, data: str = ALPHA) -> int:
    lines = (root / data).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(start)) + 1


def check(root: Path) -> subprocess.CompletedProcess:
    return run_cli("check", str(root))


def check_process(root: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """`make check` in a process of its own: special files once hung it, and file names test its output."""
    return subprocess.run(
        [sys.executable, "-m", "wispgate_connectors", "check", str(root)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=timeout,
    )


def sphinx(root: Path, out: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """sphinx-build as the Makefile runs it, in a subprocess (a hang fails the test)."""
    return run_sphinx(out, *args, srcdir=root, env=ENV, timeout=timeout)


def build(root: Path, **kwargs):
    app = make_project_app(root, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def wispgate(lines) -> set[str]:
    """'file:line: message' of the extension's warnings, as `make check` prints them."""
    out = set()
    for line in lines:
        match = re.match(r"^(?:.*/src/)?(.+?:\d+): WARNING: (.*) \[wispgate\.\w+\]$", line)
        if match:
            out.add(f"{match.group(1)}: {match.group(2)}")
    return out


def pages(out: Path) -> dict[str, BeautifulSoup]:
    return {
        p.relative_to(out).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in sorted(out.rglob("*.html"))
    }


def read_corpus(path: Path) -> list[tuple[str, str, str]]:
    """(title, file text, expected 'line: message') from a bad_connectors.txt-style corpus.

    Split on '\\n' only (the corpus writes U+2028 and friends as '<U+2028>'), and expand
    '<U+XXXX>' to the raw character and '<Nx:text>' to text repeated N times.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    while lines and lines[0] != ".":
        lines.pop(0)
    blocks, current = [], []
    for line in lines:
        if line == ".":
            blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    cases = []
    for i in range(0, len(blocks) - 3, 4):
        _, title, text, expect = blocks[i : i + 4]
        text = re.sub(r"<(\d+)x:([^>]*)>", lambda m: m.group(2) * int(m.group(1)), text)
        text = re.sub(r"<U\+([0-9A-F]{4})>", lambda m: chr(int(m.group(1), 16)), text)
        cases.append((title.strip(), text + "\n", expect.strip()))
    return cases


CASES = read_corpus(FIXTURES / "hostile_connectors.txt")


@pytest.mark.parametrize("title,text,expect", CASES, ids=[c[0] for c in CASES])
def test_hostile_corpus_gives_one_located_line(case_root, title, text, expect):
    """Findings 8, 9 and 10: YAML 1.1 retyping, invisible characters, long echoes."""
    from wispgate_connectors.catalog import load_catalog

    (case_root / "data" / "connectors" / "case.yaml").write_text(text, encoding="utf-8")
    got = [f"{p.line}: {p.message}" for p in load_catalog(case_root).problems]
    assert len(got) == 1, got  # one mistake, one message
    if expect.endswith("[...]"):
        assert got[0].startswith(expect[:-5]), (title, got)
    else:
        assert got[0] == expect, (title, got)
    assert len(got[0]) < 500 and "\n" not in got[0]


def test_hostile_corpus_is_large_and_small():
    assert len(CASES) >= 20
    assert (FIXTURES / "hostile_connectors.txt").stat().st_size < 50_000


# --- 1. math ------------------------------------------------------------------------------------


def assert_no_script_link(soups: dict[str, BeautifulSoup]) -> None:
    for name, soup in soups.items():
        for script in soup.find_all("script"):
            assert "mathjax" not in str(script.get("src", "")).lower() + (script.string or "").lower(), name
        for a in soup.find_all(href=True):
            assert not re.sub(r"[\x00-\x20]", "", a["href"]).lower().startswith("javascript:"), (name, a)


@pytest.fixture(scope="module")
def values(tmp_path_factory):
    """The cases of values in connector data, each a connector of its own (a copy of alpha),
    in one build of the basic root with the real site's MyST syntax plus dollarmath, and one
    `make check` of it; its ``lines`` are where each case's values and warnings are."""
    root = tmp_path_factory.mktemp("values") / "src"
    shutil.copytree(ROOTS / "test-basic", root)
    (root / "conf.py").write_text((root / "conf.py").read_text() + MYST)
    base = (root / ALPHA).read_text(encoding="utf-8")
    for n, cid in enumerate(("math", "attrs", "secret-default")):
        text = base.replace("id: alpha\n", f"id: {cid}\n").replace("name: Alpha Router RADIUS", f"name: Case {n}")
        (root / data_of(cid)).write_text(text, encoding="utf-8")
        (root / "integrations" / f"{cid}.md").write_text(f"# Case {n}\n\n```{{connector}} {cid}\n```\n")
    lines = {
        "math what": set_value(
            root, "  what:", "See {math}`\\href{javascript:alert(document.domain)}{click}` here.", data_of("math")
        ),
        "math fix": set_value(
            root,
            "    fix:",
            "Then $\\href{javascript:alert(1)}{x}$ and\n\n$$\\href{javascript:alert(2)}{y}$$",
            data_of("math"),
        ),
    }
    set_value(root, "  what:", "Read the [notes](https://evil.example){.sd-stretched-link} first.", data_of("attrs"))
    set_value(root, "    fix:", "Open `x`{#attrs-fields} and [t]{#beta-fields .c key=v}.", data_of("attrs"))
    set_value(root, "summary:", "Sum [s](https://evil.example){.sd-stretched-link}", data_of("attrs"))
    secret = root / data_of("secret-default")
    secret.write_text(
        secret.read_text().replace(
            "    example: <your-secret>", "    example: <your-secret>\n    default: <your-secret>"
        )
    )
    # connector files in subfolders are not read
    old = root / "data" / "connectors" / "old" / "deeper"
    old.mkdir(parents=True)
    (old.parent / "legacy.yaml").write_text("id: legacy\nname: [unclosed\n")
    (old / "x.yml").write_text("id: x\n")
    checked = check(root)
    app = build(root, freshenv=True)
    return root, app, checked, lines, pages(Path(app.outdir))


def data_of(cid: str) -> str:
    return f"data/connectors/{cid}.yaml"


def test_math_is_refused_and_no_page_loads_mathjax(values):
    root, app, checked, lines, soup = values
    math = data_of("math")
    warnings = wispgate(warnings_of(app))
    expected = {
        f"{math}:{lines['math what'] - 1}: role '{{math}}' is not allowed in connector data; it is shown as text",
        f"{math}:{line_of(root, '  - symptom:', math)}: math ('$...$') is not allowed in connector data; it is shown as text",
    }
    assert expected <= warnings, warnings
    assert_no_script_link(soup)
    guide = soup["integrations/math.html"]
    assert "\\href{javascript:alert(document.domain)}{click}" in guide.select_one("#math-overview-what").get_text()
    assert lines["math fix"]
    # make check says the same
    assert expected <= set(checked.stdout.splitlines())


# --- 2. attributes ------------------------------------------------------------------------------


def test_attributes_are_refused_and_shown_as_text(values):
    root, app, checked, _, soup = values
    attrs = data_of("attrs")
    warnings = wispgate(warnings_of(app))
    message = (
        "an attribute block ('{.class}', '{#id}', '{key=value}') is not allowed in connector data; it is shown as text"
    )
    expected = {
        f"{attrs}:{line_of(root, 'overview:', attrs)}: {message}",
        f"{attrs}:{line_of(root, '  - symptom:', attrs)}: {message}",
        f"{attrs}:{line_of(root, 'summary:', attrs)}: {message}",
    }
    assert expected <= warnings, warnings
    # once per value, not per page showing it
    assert sum(message in w for w in warnings_of(app)) == 3, [w for w in warnings_of(app) if message in w]
    what = soup["integrations/attrs.html"].select_one("#attrs-overview-what")
    assert what.select("a.sd-stretched-link") == [] and "{.sd-stretched-link}" in what.get_text()
    assert len(soup["integrations/attrs.html"].select("#attrs-fields")) == 1
    assert soup["integrations/beta.html"].select("#beta-fields")[0].name == "section"
    summaries = soup["index.html"].select(".wg-card-summary")
    assert summaries and all(s.select("a.sd-stretched-link") == [] for s in summaries)
    assert any("{.sd-stretched-link}" in s.get_text() for s in summaries)
    assert [a["href"] for a in soup["index.html"].select("a.sd-stretched-link") if "evil" in a["href"]] == []
    assert expected <= set(checked.stdout.splitlines())


# --- 3. generated folders ----------------------------------------------------------------------


def test_linked_generated_folder_is_not_written_or_emptied(tmp_path):
    root = basic(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "victim.md").write_text("# Victim\n")
    (outside / "network-aaa.md").write_text("# Not yours\n")
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    (root / "catalog").mkdir(exist_ok=True)
    (root / "catalog" / "domains").symlink_to(outside, target_is_directory=True)
    message = (
        "catalog/domains:1: this is a symbolic link to a folder: Sphinx would follow it (perhaps forever) "
        "and the build writes nothing through it; replace it with the folder"
    )
    assert message in check(root).stdout.splitlines()
    app = build(root, freshenv=True)
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    assert sum("catalog/domains:1: WARNING: this is a symbolic link to a folder" in w for w in warnings_of(app)) == 1


@pytest.fixture(scope="module")
def generated_folder(tmp_path_factory):
    """One build of the basic root whose catalog/domains/ holds what the build must not touch or
    must name: a generated page's name linked to a file outside, a hand-written page, and a page
    an old build generated; then `make check` of the result."""
    from wispgate_connectors.lint import GENERATED_NOTE

    tmp_path = tmp_path_factory.mktemp("generated")
    root = basic(tmp_path)
    target = tmp_path / "elsewhere.md"
    target.write_text("# Keep me\n")
    folder = root / "catalog" / "domains"
    folder.mkdir(parents=True)
    (folder / "network-aaa.md").symlink_to(target)
    (folder / "notes.md").write_text("# Notes\n\nHand-written.\n")
    (folder / "retired.md").write_text(GENERATED_NOTE + "# Retired\n")  # written by an old build
    app = build(root, freshenv=True)
    return root, target, app, check(root)


def test_generated_page_linked_elsewhere_is_not_overwritten(generated_folder):
    _, target, app, _ = generated_folder
    assert target.read_text() == "# Keep me\n"
    assert any(
        w.startswith("catalog/domains/network-aaa.md:1: WARNING: file is a symbolic link to a file outside")
        for w in warnings_of(app)
    ), warnings_of(app)


def test_hand_written_page_in_generated_folder_is_kept_and_named(generated_folder):
    root, _, app, checked = generated_folder
    folder = root / "catalog" / "domains"
    assert (folder / "notes.md").read_text() == "# Notes\n\nHand-written.\n"
    assert not (folder / "retired.md").exists()
    mine = [w for w in warnings_of(app) if "notes.md:1" in w]
    assert len(mine) == 1 and "this page is not generated" in mine[0] and "it is kept" in mine[0], warnings_of(app)
    assert any("catalog/domains/notes.md:1: this page is not generated" in line for line in checked.stdout.splitlines())


def test_generated_notes_agree():
    from wispgate_connectors import generate, lint
    from wispgate_connectors.config import CONFIG_VALUES

    assert lint.GENERATED_NOTE == generate.GENERATED_NOTE
    listing = CONFIG_VALUES["wispgate_listing_pages"][0]
    assert set(lint.generated_folders(type("C", (), {"domains": {}, "use_cases": {}, "connectors": {}})())) == {
        CONFIG_VALUES["wispgate_domain_pages"][0],
        CONFIG_VALUES["wispgate_use_case_pages"][0],
        CONFIG_VALUES["wispgate_sheet_pages"][0],
        *(f"{listing}/{page}" for page in [*generate.SPLIT, generate.WHATS_NEW]),
    }


# --- 4. special files ------------------------------------------------------------------------------


def special_root(tmp_path: Path) -> Path:
    root = basic(tmp_path)
    connectors = root / "data" / "connectors"
    (connectors / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(connectors / "pipe.yaml")
    (connectors / "gone.yaml").symlink_to(connectors / "missing-target.yaml")
    (connectors / "passwd.yaml").symlink_to(host_file(tmp_path))
    concepts = root / "concepts"
    concepts.mkdir()
    (concepts / "self").symlink_to(".", target_is_directory=True)  # concepts/self/self/self/...
    (concepts / "a.md").symlink_to("b.md")
    (concepts / "b.md").symlink_to("a.md")
    (root / "leak.md").symlink_to(host_file(tmp_path))
    os.mkfifo(root / "stuck.md")
    (root / "_static").mkdir()
    (root / "_static" / "site.css").write_text("body {}\n")
    (root / "_static" / "leak.txt").symlink_to(host_file(tmp_path))
    (root / "conf.py").write_text((root / "conf.py").read_text() + '\nhtml_static_path = ["_static"]\n')
    return root


SPECIAL = {
    "data/connectors/zero.yaml:1: file is a symbolic link to a file outside the project; only files inside the project are read",
    "data/connectors/pipe.yaml:1: file is a named pipe (FIFO), not a regular file; only regular files are read",
    "data/connectors/gone.yaml:1: file is a symbolic link to a file that does not exist; replace it with the file itself",
    "data/connectors/passwd.yaml:1: file is a symbolic link to a file outside the project; only files inside the project are read",
    "concepts/a.md:1: file is a symbolic link that loops; replace it with the file itself",
    "concepts/b.md:1: file is a symbolic link that loops; replace it with the file itself",
    "leak.md:1: file is a symbolic link to a file outside the project; only files inside the project are read",
    "stuck.md:1: file is a named pipe (FIFO), not a regular file; only regular files are read",
    "_static/leak.txt:1: file is a symbolic link to a file outside the project; only files inside the project are read",
}


def test_special_files_are_refused_by_check_without_hanging_or_quoting(tmp_path):
    root = special_root(tmp_path)
    result = check_process(root, timeout=60)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert SPECIAL <= set(lines), lines
    assert any(line.startswith("concepts/self:1: this is a symbolic link to a folder") for line in lines)
    assert "WG-HOST-FILE-MARK" not in result.stdout + result.stderr and "sk_live" not in result.stdout
    assert len(lines) == len(set(lines))  # one message per file


def test_special_files_are_refused_by_the_build_and_never_published(tmp_path):
    root = special_root(tmp_path)
    out = tmp_path / "out"
    result = sphinx(root, out, timeout=180)
    assert result.returncode != 0 and "Traceback" not in result.stderr and "Exception occurred" not in result.stderr
    assert wispgate(result.stderr.splitlines()) >= SPECIAL, result.stderr
    assert "WG-HOST-FILE-MARK" not in result.stderr
    assert (out / "_static" / "site.css").exists() and not (out / "_static" / "leak.txt").exists()
    assert not (out / "leak.html").exists()
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt", ".js", ".json"):
            assert "WG-HOST-FILE-MARK" not in path.read_text(encoding="utf-8", errors="replace"), path


# --- 5. linear time -------------------------------------------------------------------------------

BASE = (ROOTS / "test-basic" / ALPHA).read_text()
SIZE = 60_000


def normal_file(size: int) -> str:
    entry = (
        '  - symptom: "`radius timeout` in the log"\n    cause: Firewall drops UDP 1812 between the tower '
        "and the core.\n    fix: Open UDP 1812 and 1813 on every hop, then test again.\n"
    )
    return BASE.replace("failures:\n", "failures:\n" + entry * ((size - len(BASE)) // len(entry)))


WORST = {
    # the one-line pattern ran after maxLength failed
    "long name": lambda n: BASE.replace("name: Alpha Router RADIUS", 'name: "' + "a" * (n - len(BASE)) + '\\nb"'),
    # jsonschema's uniqueItems compares every pair of a mixed list
    "mixed list": lambda n: BASE.replace(
        "use_cases: [subscriber-auth, billing-automation]",
        "use_cases: [" + ", ".join(f'{i}, "x{i}"' for i in range((n - len(BASE)) // 16)) + "]",
    ),
    # the JSON Web Token expression restarted at every 'eyJ'
    "eyJ run": lambda n: BASE + "# " + "eyJ-" * ((n - len(BASE)) // 4) + ".\n",
    # the placeholder expression on an unbounded secret example
    "open brackets": lambda n: BASE.replace("example: <your-secret>", 'example: "' + "<" * (n - len(BASE)) + '"'),
}


def timed_check(tmp_path: Path, name: str, text: str, page: str | None = None) -> float:
    from wispgate_connectors.catalog import load_catalog
    from wispgate_connectors.lint import check_problems
    from wispgate_connectors.secrets import scan_project

    root = tmp_path / name
    if not root.exists():
        shutil.copytree(ROOTS / "test-basic", root)
    (root / ALPHA).write_text(text, encoding="utf-8")
    if page is not None:
        (root / "concept.md").write_text(page, encoding="utf-8")
    best = float("inf")
    for _ in range(5):  # the best of five: the machine is shared, a slow run says nothing
        start = time.perf_counter()
        catalog = load_catalog(root)
        scan_project(root, catalog)
        check_problems(root, catalog)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.fixture(scope="module")
def normal_time(tmp_path_factory) -> float:
    """The check of a normal data file of the size, timed once for every worst case."""
    return timed_check(tmp_path_factory.mktemp("timed"), "normal", normal_file(SIZE))


#: timings, not answers: each case checks a 60 kB file ten times (the best of five against a
#: normal file's), a guard against quadratic checks that runs with the full suite (CI)
TIMED = pytest.mark.slow


@TIMED
@pytest.mark.parametrize("case", sorted(WORST))
def test_worst_data_file_checks_in_linear_time(tmp_path, normal_time, case):
    """The worst file of a size against a normal file of that size: a ratio, not a clock.

    Measured at 60 kB before the fix: long name 160x, mixed list 92x, eyJ run 18x, open
    brackets 38x, each growing with the size; after: 0.4x to 2.8x, flat.
    """
    worst = WORST[case](SIZE)
    normal = normal_file(SIZE)
    assert abs(len(worst) - len(normal)) < SIZE * 0.1
    ratio = timed_check(tmp_path, "worst", worst) / normal_time
    # linear cases measure 0.4x-2.8x (a mixed list reports every item); quadratic ones were 18x-160x
    assert ratio < 10, f"{case}: {ratio:.1f}x a normal file of the same size"


@TIMED
def test_worst_page_line_scans_in_linear_time(tmp_path):
    """A 60 kB line of 'eyJ-eyJ-...' in a page (pages have no size limit): 57x before, 1.1x after."""
    normal = ("Words of a normal page, as writers write them. " * (SIZE // 47)) + "\n"
    worst = "eyJ-" * (SIZE // 4) + ".\n"
    ratio = timed_check(tmp_path, "worst", BASE, worst) / timed_check(tmp_path, "normal", BASE, normal)
    assert ratio < 5, f"{ratio:.1f}x"


# --- 6. credentials ----------------------------------------------------------------------------------

FORMATS = [
    ("gitlab", "token: glpat-xR7kP2mQ9vL4tW8nZ3bY", "a GitLab token"),
    (
        "slack webhook",
        "url: https://hooks.slack.com/services/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",
        "a Slack webhook URL",
    ),
    ("pgp", "-----BEGIN PGP PRIVATE KEY BLOCK-----", "a PGP private key"),
    ("putty", "PuTTY-User-Key-File-3: ssh-ed25519", "a PuTTY private key"),
    (
        "64 hex",
        "api_token: 3f9e2b7c1d4a6f8e0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a",
        "an API token (hexadecimal)",
    ),
    ("uuid", "api_key: 3fa85f64-5717-4562-b3fc-2c963f66afa6", "an API token (UUID)"),
    ("https userinfo", "see https://admin:Tr0ub4dor3@10.0.0.1/api", "a password in a URL"),
    ("postgres url", "DATABASE_URL=postgres://wispgate:S3cr3tPg2026@db.internal:5432/wg", "a password in a URL"),
    ("routeros secret=", "/radius add address=10.0.0.1 secret=Rad1usS3cret2026 service=ppp", "a live credential"),
    ("mailgun", "MAILGUN=key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "a Mailgun API key"),
    ("short consumer secret", "consumer_secret: Zk3pQ9xR7vLm2T", "a live credential"),
]
PLACEHOLDERS = [
    "url: https://user:<password>@host/api",
    "postgres://wispgate:PASSWORD@db/wg",
    "https://user:pass@host",
    "/radius add address=10.0.0.1 secret=<shared-secret>",
    "api_key: <your-api-key>",
    "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "token: glpat-xxxxxxxxxxxxxxxxxxxx",
    "hub.verify_token=wrong&hub.challenge=1158201444",
]


@pytest.mark.parametrize("name,line,what", FORMATS, ids=[f[0] for f in FORMATS])
def test_eleven_missed_formats_are_found(name, line, what):
    from wispgate_connectors.secrets import scan_text

    problems = scan_text(f"intro\n{line}\n", "x.md")
    assert len(problems) == 1 and problems[0].line == 2 and f"looks like {what} (" in problems[0].message, problems


@pytest.mark.parametrize("line", PLACEHOLDERS)
def test_new_formats_leave_placeholders_alone(line):
    from wispgate_connectors.secrets import scan_text

    assert scan_text(line + "\n", "x.md") == []


def test_published_forms_of_a_key_are_found(tmp_path):
    """YAML escapes, double-quoted continuations, HTML entities, Markdown escapes, .rst
    pages in any folder, and a secret field's default."""
    root = basic(tmp_path)
    alpha = root / ALPHA
    text = alpha.read_text()
    text = text.replace(
        "  what: Alpha does **RADIUS** for subscribers.", '  what: "\\x73k_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD"'
    )
    text = text.replace("  where: Alpha is used on towers.", '  where: "sk_live_51HqLyjW\\\n    DarjtT1zdp7dcXyZ0aBcD"')
    text = text.replace("    example: <your-secret>", "    example: <your-secret>\n    default: s3cr3tRadius!")
    alpha.write_text(text)
    (root / "concept.md").write_text(
        (root / "concept.md").read_text() + "\nKey: &#115;k_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD\n"
    )
    (root / "roles.md").write_text(
        (root / "roles.md").read_text() + "\nKey: sk\\_live\\_51HqLyjWDarjtT1zdp7dcXyZ0aBcD\n"
    )
    deep = root / "guides" / "deep"
    deep.mkdir(parents=True)
    (deep / "page.rst").write_text("Page\n====\n\nUse ``sk_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD``.\n")
    lines = check(root).stdout.splitlines()
    stripe = "looks like a live secret key (Stripe, Paystack) (sk_live_51Hq...)"
    for where in (
        f"{ALPHA}:{line_of(root, '  what:')}",
        f"{ALPHA}:{line_of(root, '  where:')}",
        f"concept.md:{len((root / 'concept.md').read_text().splitlines())}",
        f"roles.md:{len((root / 'roles.md').read_text().splitlines())}",
        "guides/deep/page.rst:4",
    ):
        assert any(line.startswith(f"{where}: {stripe}") for line in lines), (where, lines)
    assert any(
        line.startswith(f"{ALPHA}:") and "fields[1].default: a secret field's default is published" in line
        for line in lines
    ), lines


def test_secret_default_is_not_in_catalog_json(values):
    _, app, _, _, _ = values
    data = json.loads((Path(app.outdir) / "catalog.json").read_text())
    field = next(f for c in data["connectors"] if c["id"] == "secret-default" for f in c["fields"] if f["secret"])
    assert "default" not in field and "example" not in field


# --- 7. check and build agree; the build does not depend on history ----------------------------------


def test_check_and_build_report_the_same_rules_every_build(tmp_path):
    root = basic(tmp_path, myst=True)
    set_value(root, "  what:", "```{raw} html\n<b>x</b>\n```")
    alpha = root / ALPHA
    alpha.write_text(
        alpha.read_text()
        .replace("      language: text\n      text: /radius", "      language: routeros\n      text: /radius")
        .replace("doc: concept", "doc: concepts/missing")
    )
    (root / "ghost.md").write_text("# Ghost\n\n```{connector} ghost\n```\n")
    (root / "index.md").write_text((root / "index.md").read_text().replace("roles_rst\n", "roles_rst\nghost\n"))
    (root / "integrations" / "beta.rst").write_text("Beta\n====\n\nNo directive here.\n")
    expected = {
        f"{ALPHA}:{line_of(root, 'overview:')}: directive '{{raw}}' is not allowed in connector data; it is shown as text",
        (
            f"{ALPHA}:{line_of(root, '    code:')}: code block language 'routeros' is not a Pygments lexer name "
            "(e.g. bash, json, text); it is shown as plain text"
        ),
        f"{ALPHA}:{line_of(root, '    doc: concepts/missing')}: related[1].doc: no page 'concepts/missing' in this site",
        "ghost.md:3: unknown connector id 'ghost': no data/connectors/ghost.yaml",
        (
            "data/connectors/beta.yaml:2: connector 'beta' has no page: add integrations/beta.md containing the "
            "connector directive for 'beta'"
        ),
    }
    checked = set(check(root).stdout.splitlines())
    assert expected <= checked, checked
    first = wispgate(warnings_of(build(root, freshenv=True)))
    assert expected <= first, first
    again = wispgate(warnings_of(build(root)))  # nothing changed: the same verdict, not a pass
    assert expected <= again, again
    # every rule the build reported, check reported too (roles to the page-less beta included)
    assert first <= checked | {w for w in first if "roles" in w}, first - checked


def test_guide_at_another_path_builds_the_same_every_time(tmp_path):
    root = basic(tmp_path)
    (root / "guides").mkdir()
    shutil.move(root / "integrations" / "alpha.md", root / "guides" / "alpha.md")
    index = root / "index.md"
    index.write_text(index.read_text().replace("integrations/alpha\n", ""))  # only its domain page lists it
    assert check(root).returncode == 0
    assert warnings_of(build(root, freshenv=True)) == []
    alpha = root / ALPHA
    alpha.write_text(alpha.read_text().replace("Alpha summary sentence.", "Alpha summary, edited."))
    assert warnings_of(build(root)) == []
    assert warnings_of(build(root)) == []
    shutil.move(root / "guides" / "alpha.md", root / "integrations" / "alpha.md")  # and back home
    assert warnings_of(build(root)) == []
    assert check(root).returncode == 0


def test_catalog_cache_is_keyed_on_content_not_stamps(built_basic):
    root = built_basic
    alpha = root / ALPHA
    stat = alpha.stat()
    text = alpha.read_text()
    # same size, same time stamps: as 'cp -p', 'rsync -t' or 'tar x' leave a file
    alpha.write_text(
        text.replace("Alpha summary sentence.", "Omega summary sentence.").replace(
            "Alpha does **RADIUS**", "Omega does **RADIUS**"
        )
    )
    os.utime(alpha, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert alpha.stat().st_size == stat.st_size
    app = build(root)
    out = Path(app.outdir)
    assert "Omega summary sentence." in (out / "index.html").read_text()
    assert "Omega does" in (out / "integrations" / "alpha.html").read_text()


# --- 9. link checking --------------------------------------------------------------------------------

PRIVATE = [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/admin",
    "http://192.168.88.1/webfig/",
    "http://172.16.0.1/",
    "http://localhost:8080/x",
    "http://[::1]:9000/",
    "http://[fd00::1]/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://100.64.0.1/",
    "http://[fe80::1]/",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_addresses_are_recognised(url):
    from wispgate_connectors.safety import private_url

    assert private_url(url)


@pytest.mark.parametrize(
    "url",
    ["https://docs.stripe.com/", "https://8.8.8.8/", "https://example.com:8443/a", "https://help.mikrotik.com/docs/"],
)
def test_public_addresses_are_checked(url):
    from wispgate_connectors.safety import private_url

    assert not private_url(url)


def test_linkcheck_never_fetches_private_addresses(tmp_path):
    root = basic(tmp_path)
    alpha = root / ALPHA
    related = "".join(f"  - title: Private {i}\n    url: {url}\n" for i, url in enumerate(PRIVATE))
    alpha.write_text(alpha.read_text().replace("related:\n", "related:\n" + related))
    set_value(root, "    fix:", "Open [the metadata](http://169.254.169.254/latest/) page.")
    (root / "conf.py").write_text((root / "conf.py").read_text() + "\nlinkcheck_timeout = 2\nlinkcheck_retries = 1\n")
    app = make_project_app(root, buildername="linkcheck", freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    results = [json.loads(line) for line in (Path(app.outdir) / "output.json").read_text().splitlines()]
    status = {r["uri"]: r["status"] for r in results}
    assert {url: status.get(url) for url in PRIVATE} == {url: "ignored" for url in PRIVATE}
    assert status["http://169.254.169.254/latest/"] == "ignored"


# --- 10. messages ---------------------------------------------------------------------------------


def test_file_names_print_as_escapes(tmp_path):
    root = basic(tmp_path)
    connectors = root / "data" / "connectors"
    (connectors / "alpha.yaml").rename(connectors / "alph\u0430.yaml")  # a Cyrillic 'а'
    (connectors / "two\nlines.yaml").write_text("id: x\n")
    lines = check_process(root).stdout.splitlines()
    assert (
        "data/connectors/alph\\u0430.yaml:1: the file name holds U+0430 (CYRILLIC SMALL LETTER A); name the file "
        "after the connector id (lowercase ASCII letters, digits and hyphens)" in lines
    ), lines
    assert any(line.startswith("data/connectors/two\\nlines.yaml:1: the file name holds U+000A") for line in lines), (
        lines
    )
    assert all(line.startswith(("data/", "concept", "roles", "catalog", "index", "integrations")) for line in lines), (
        lines
    )


# --- 11. housekeeping -------------------------------------------------------------------------------


def test_connector_files_in_subfolders_are_reported(values):
    _, app, checked, _, _ = values
    expected = [
        "data/connectors/old/deeper/x.yml:1: connector files live directly in data/connectors/; this one is not read: move it up",
        "data/connectors/old/legacy.yaml:1: connector files live directly in data/connectors/; this one is not read: move it up",
    ]
    assert [line for line in checked.stdout.splitlines() if "/old/" in line] == expected
    assert set(expected) <= wispgate(warnings_of(app))


def test_make_new_quotes_the_vendor_for_yaml(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    shutil.copy2(PROJECT / "Makefile", root / "Makefile")
    (root / "_ext").symlink_to(PROJECT / "_ext")
    (root / ".venv").symlink_to(PROJECT / ".venv")
    (root / "requirements").mkdir()
    for lock in (PROJECT / "requirements").glob("*.lock"):
        shutil.copy2(lock, root / "requirements" / lock.name)
        os.utime(root / "requirements" / lock.name, (0, 0))  # older than the venv's install stamp
    vendor = 'Acme "Pay" \\ Co # 100% it\'s $HOME'
    result = subprocess.run(
        ["make", "-s", "new", "ID=acme-pay", "DOMAIN=payments-finance", f"VENDOR={vendor}"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load((root / "data" / "connectors" / "acme-pay.yaml").read_text())
    assert data["vendor"] == vendor and vendor in data["name"]


def test_full_disk_is_one_line(tmp_path):
    root = basic(tmp_path)
    code = (
        "import errno, sys\n"
        "from sphinx.builders.html import StandaloneHTMLBuilder\n"
        "def full(self, *args, **kwargs):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device', str(self.outdir / 'index.html'))\n"
        "StandaloneHTMLBuilder.handle_page = full\n"
        "from sphinx.cmd.build import main\n"
        f"sys.exit(main(['-q', '-b', 'html', {str(root)!r}, {str(tmp_path / 'out')!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no space left on the disk while writing" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "Exception occurred" not in result.stderr


def test_no_manager_process_is_left_for_a_killed_build(tmp_path):
    import multiprocessing
    import queue

    root = basic(tmp_path)
    (root / "conf.py").write_text(
        (root / "conf.py")
        .read_text()
        .replace('extensions = ["wispgate_connectors"]', 'extensions = ["sphinx_sitemap", "wispgate_connectors"]')
        + '\nhtml_baseurl = "https://docs.example.com/"\n'
    )
    app = make_project_app(root, freshenv=True, parallel=2)
    try:
        # after builder-inited: a SIGKILL from here on would have orphaned sphinx-sitemap's manager
        assert isinstance(app.sitemap_links, queue.Queue)
        assert not [
            p for p in multiprocessing.active_children() if "Manager" in type(p).__name__ or "SyncManager" in p.name
        ]
        app.build()
    finally:
        app.cleanup()
    sitemap = (Path(app.outdir) / "sitemap.xml").read_text()
    listed = set(re.findall(r"<loc>https://docs\.example\.com/(?:en/)?([^<]*)</loc>", sitemap))
    assert {"index.html", "integrations/alpha.html", "integrations/beta.html", "catalog.html"} <= listed, listed


def test_deleted_page_leaves_the_output(built_basic):
    root = built_basic
    out = root / "_build" / "html"
    assert (out / "roles_rst.html").exists()
    (root / "roles_rst.rst").unlink()
    (root / "index.md").write_text((root / "index.md").read_text().replace("roles_rst\n", ""))
    build(root)
    assert not (out / "roles_rst.html").exists()
    assert (out / "roles.html").exists()
