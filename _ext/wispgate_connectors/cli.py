"""Command line for writers, without Sphinx.

``python -m wispgate_connectors check [ROOT]``
    Validate every data file, look for live credentials, and check that each
    connector has its page.  Prints the ``file:line: problem`` lines the build
    prints; exit status 1 when anything is wrong.

``python -m wispgate_connectors new ID --domain KEY [--vendor NAME] [--root ROOT]``
    Write ``data/connectors/ID.yaml`` (every required key, with hints) and
    ``integrations/ID.md``.  Refuses an invalid or existing id and then writes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from .catalog import CONNECTOR_DIR, PAGE_DIR, Problem, Subtype, load_catalog, read_yaml
from .safety import yaml_quote

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def page_problems(root: Path, catalog) -> list[Problem]:
    """The page checks that need no build: every connector has its page."""
    out = []
    for cid, c in catalog.connectors.items():
        if not any((root / PAGE_DIR / f"{cid}{ext}").exists() for ext in (".md", ".rst")):
            out.append(Problem(c.path, c.line_of("id"), f"connector '{cid}' has no page: add {PAGE_DIR}/{cid}.md", Subtype.page))
    return out


def cmd_check(args: argparse.Namespace) -> int:
    from .lint import check_problems
    from .safety import project_settings
    from .secrets import scan_project

    start = time.perf_counter()
    root = Path(args.root)
    if not (root / "data").is_dir():
        print(f"error: {root} has no data/ folder; run from the project root or pass it", file=sys.stderr)
        return 2
    catalog = load_catalog(root)
    settings = project_settings(root)
    # every rule the build runs that needs no rendering (lint.py), on the same settings
    problems = catalog.problems + check_problems(root, catalog, settings) + scan_project(root, catalog, settings=settings)
    for p in sorted(set(problems), key=lambda p: (p.file, p.line, p.message)):
        print(p)
    took = time.perf_counter() - start
    n = len(catalog.connectors) + len(catalog.broken)
    status = "ok" if not problems else f"{len(set(problems))} problem{'s' if len(set(problems)) != 1 else ''}"
    print(f"checked {n} connector file{'s' if n != 1 else ''} in {took:.2f}s: {status}", file=sys.stderr)
    return 1 if problems else 0


SCAFFOLD = """\
# yaml-language-server: $schema=../schema/connector.schema.json
# New connector guide. Replace every TODO (`make check` lists the ones left), then
# preview with `make livehtml`. The data contract, key by key, is in the site's
# "Writing a connector guide" page and in data/schema/connector.schema.json.
id: {id}
name: {name}
vendor: {vendor}
domain: {domain}
type: "TODO: integration type shown on cards, e.g. Payment gateway"
complexity: medium  # low, medium or high
# complexity_note: When it is easy, and when it hurts.
featured: false
summary: "TODO: one sentence for the catalog card."
use_cases: [{use_case}]  # keys of data/use-cases.yaml
overview:
  what: "TODO: what this integration does for an ISP."
  where: "TODO: where it is used (networks, services, teams)."
prerequisites:
  - "TODO: what must be true before starting (accounts, reachability, permissions)."
fields:
  # One entry per field on the WISPGate side. type: string, secret, integer, boolean,
  # enum (with choices), url, ip, cidr, port, hostname, duration, list, email, phone, json.
  - name: "TODO: field label"
    required: true
    type: string
    description: "TODO: what the value is for."
    where: "TODO: where the value is found on the vendor's side (menu path, API response)."
    # example: a value, never a real credential
  - name: API key
    required: true
    type: secret
    secret: true
    description: "TODO: what the key allows."
    example: <your-api-key>
flow:
  # Ordered steps, shown as A, B, C. Exact commands or API calls go in `code`.
  - title: "TODO: first step"
    body: "TODO: what to do and why."
    # code:
    #   language: bash
    #   text: |
    #     curl -sS https://api.example.com/...
failures:
  # At least four in a finished guide: the message users see, its cause, the fix.
  - symptom: "TODO: the exact error message or behaviour"
    cause: "TODO: why it happens."
    fix: "TODO: how to fix it."
validation:
  - check: "TODO: what is checked"
    how: "TODO: the command or action to run."
    expect: "TODO: what success looks like."
related:
  - title: Subscriber model
    doc: concepts/subscriber-model
versions:
  - version: "1.0"
    date: "{today}"
    changes:
      - First guide.
# verified:
#   date: "{today}"
#   against: "TODO: vendor product or API version"
"""

PAGE = """\
# TODO: {id} page title (same as `name` in data/connectors/{id}.yaml)

```{{connector}} {id}
```
"""


def cmd_new(args: argparse.Namespace) -> int:
    import datetime

    root = Path(args.root)
    cid = args.id
    errors = []
    if not ID_PATTERN.fullmatch(cid):
        errors.append(f"invalid id '{cid}': use lowercase letters, digits and single hyphens, e.g. acme-billing")
    domains, _, problems = read_yaml(root / "data" / "domains.yaml", "data/domains.yaml", root)
    keys = [d.get("key") for d in domains] if isinstance(domains, list) and not problems else []
    if args.domain not in keys:
        errors.append(f"unknown domain '{args.domain}' (known: {', '.join(k for k in keys if k)})")
    yaml_path = root / CONNECTOR_DIR / f"{cid}.yaml"
    page_path = root / PAGE_DIR / f"{cid}.md"
    for path in (yaml_path, page_path, root / PAGE_DIR / f"{cid}.rst"):
        if path.exists():
            errors.append(f"{path.relative_to(root).as_posix()} already exists; choose another id or edit that file")
    if errors:
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 2
    use_cases, _, _ = read_yaml(root / "data" / "use-cases.yaml", "data/use-cases.yaml", root)
    first_use_case = use_cases[0]["key"] if isinstance(use_cases, list) and use_cases else "subscriber-auth"
    vendor = args.vendor or "TODO: vendor"
    # quoted for YAML, whatever the vendor's name holds (a '"', a '\\', a '#')
    text = SCAFFOLD.format(id=cid, domain=args.domain, vendor=yaml_quote(vendor),
                           name=yaml_quote(f"TODO: page title, e.g. {vendor} Payment Webhooks"),
                           use_case=first_use_case, today=datetime.date.today().isoformat())
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    page_path.parent.mkdir(parents=True, exist_ok=True)
    yaml_path.write_text(text, encoding="utf-8")
    page_path.write_text(PAGE.format(id=cid), encoding="utf-8")
    print(f"wrote {yaml_path.relative_to(root).as_posix()} and {page_path.relative_to(root).as_posix()}")
    print("next: replace the TODOs, run `make check`, preview with `make livehtml`")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wispgate_connectors", description="WISPGate connector data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate data/ and pages; print file:line: problem")
    check.add_argument("root", nargs="?", default=".", help="project root (default: current folder)")
    check.set_defaults(func=cmd_check)
    new = sub.add_parser("new", help="scaffold a connector: data/connectors/ID.yaml and integrations/ID.md")
    new.add_argument("id", help="connector id: lowercase letters, digits and hyphens")
    new.add_argument("--domain", required=True, help="a key of data/domains.yaml")
    new.add_argument("--vendor", help="vendor name")
    new.add_argument("--root", default=".", help="project root (default: current folder)")
    new.set_defaults(func=cmd_new)
    args = parser.parse_args(argv)
    return args.func(args)
