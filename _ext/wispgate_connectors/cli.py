"""Command line: ``python -m wispgate_connectors check [ROOT]``.

Validates the data without Sphinx and prints the same ``file:line: message``
lines the build prints.  Exit status 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .catalog import PAGE_DIR, Problem, Subtype, load_catalog


def page_problems(root: Path, catalog) -> list[Problem]:
    """The page checks that need no build: every connector has its page."""
    out = []
    for cid, c in catalog.connectors.items():
        if not any((root / PAGE_DIR / f"{cid}{ext}").exists() for ext in (".md", ".rst")):
            out.append(Problem(c.path, c.line_of("id"), f"connector '{cid}' has no page: add {PAGE_DIR}/{cid}.md", Subtype.page))
    return out


def cmd_check(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    root = Path(args.root)
    if not (root / "data").is_dir():
        print(f"error: {root} has no data/ folder; run from the project root or pass it", file=sys.stderr)
        return 2
    catalog = load_catalog(root)
    problems = catalog.problems + page_problems(root, catalog)
    for p in sorted(problems, key=lambda p: (p.file, p.line)):
        print(p)
    took = time.perf_counter() - start
    n = len(catalog.connectors) + len(catalog.broken)
    status = "ok" if not problems else f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    print(f"checked {n} connector file{'s' if n != 1 else ''} in {took:.2f}s: {status}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wispgate_connectors", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate data/ against the schema; print file:line: problem")
    check.add_argument("root", nargs="?", default=".", help="project root (default: current folder)")
    check.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    return args.func(args)
