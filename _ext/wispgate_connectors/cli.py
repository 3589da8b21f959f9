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
import sys
import time
from pathlib import Path
from typing import cast

from .catalog import DEFAULT_LAYOUT, load_catalog
from .model import Catalog
from .report import Problem, Subtype
from .safety import yaml_quote
from .validation import ID_PATTERN
from .writer_rules import FACTS_DIR, FACTS_SCAFFOLD
from .yamlio import forget_kept, read_yaml


def stale_problems(catalog: Catalog, max_age: int) -> list[Problem]:
    """Guides older than ``max_age`` days, and vendor changes newer than a guide's verification."""
    from .freshness import assess, build_date

    today = build_date()
    changes = {ch.id: ch for ch in catalog.vendor_changes}
    out = []
    for c in catalog.sorted():
        state = assess(c, catalog, today, max_age)
        line = c.line_of("verified", "date") if c.verified else c.line_of("versions")
        verified = c.verified.date if c.verified else "never"
        if state.stale_days is not None:
            out.append(
                Problem(
                    c.path,
                    line,
                    f"verified.date: last verified {verified}, {state.stale_days} days ago "
                    f"(the limit is {max_age}): re-verify the guide",
                    Subtype.schema,
                )
            )
        for cid in state.changes:
            ch = changes[cid]
            out.append(
                Problem(
                    c.path,
                    line,
                    f"verified.date: {verified} is before {ch.product} {ch.version} "
                    f"({ch.date}, vendor change '{ch.id}'): re-verify the guide against it",
                    Subtype.schema,
                )
            )
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
    if args.stale:
        problems = catalog.problems or stale_problems(catalog, args.max_age)
        for p in problems:
            print(p)
        n = len(problems)
        print(
            f"{n} stale guide{'s' if n != 1 else ''} or vendor-change conflict{'s' if n != 1 else ''}"
            if n
            else "every guide is current",
            file=sys.stderr,
        )
        return 1 if problems else 0
    settings = project_settings(root)
    # every rule the build runs that needs no rendering (lint.py), on the same settings
    problems = (
        catalog.problems + check_problems(root, catalog, settings) + scan_project(root, catalog, settings=settings)
    )
    forget_kept()  # the catalog's parses served the scan
    if args.id:
        return report_one(args.id, catalog, problems, start)
    for p in sorted(set(problems), key=lambda p: (p.file, p.line, p.message)):
        print(p)
    took = time.perf_counter() - start
    n = len(catalog.connectors) + len(catalog.broken)
    status = "ok" if not problems else f"{len(set(problems))} problem{'s' if len(set(problems)) != 1 else ''}"
    print(f"checked {n} connector file{'s' if n != 1 else ''} in {took:.2f}s: {status}", file=sys.stderr)
    return 1 if problems else 0


def report_one(cid: str, catalog: Catalog, problems: list[Problem], start: float) -> int:
    """``check --id``: the problems in one connector's files (data, page, content-test file)."""
    from .writer_rules import facts_display

    yaml = (DEFAULT_LAYOUT.connector_dir / f"{cid}.yaml").as_posix()
    if cid not in catalog.connectors and cid not in catalog.broken:
        print(
            f"error: no connector '{cid}': {yaml} does not exist (make new ID={cid} DOMAIN=... writes it)",
            file=sys.stderr,
        )
        return 2
    page = f"{DEFAULT_LAYOUT.page_dir}/{cid}."
    mine = sorted(
        {p for p in problems if p.file in (yaml, facts_display(cid)) or p.file.startswith(page)},
        key=lambda p: (p.file, p.line, p.message),
    )
    for p in mine:
        print(p)
    took = time.perf_counter() - start
    status = "ok" if not mine else f"{len(mine)} problem{'s' if len(mine) != 1 else ''}"
    print(f"checked {cid} in {took:.2f}s: {status}", file=sys.stderr)
    return 1 if mine else 0


SCAFFOLD = """\
# yaml-language-server: $schema=../schema/connector.schema.json
# New connector guide. Replace every TODO (`make check` lists the ones left, with their
# lines), preview with `make livehtml`, then run `make test ID={id}`. Every key, with its
# meaning, an example and its messages: connector-reference.md. A finished file with
# every optional key, annotated: data/examples/annotated.yaml.
id: {id}
name: {name}
vendor: {vendor}
domain: {domain}
type: "TODO: integration type shown on cards, e.g. Payment gateway"
complexity: medium  # low, medium or high
# complexity_note: When it is easy, and when it hurts.
featured: false
# status: beta  # beta, ga (the default), deprecated or archived (these two need replaced_by)
# replaced_by: other-connector-id
# renamed_from: [old-id]  # former ids: their pages redirect here
since: "{month}"  # the WISPGate release that first shipped the connector, YYYY.MM
# after: [mikrotik]  # connectors to set up before this one (orders the stack planner)
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
    # default: the value WISPGate uses when the field is left empty
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
example:  # the example configuration block of the page
  language: text  # a Pygments lexer name: text, bash, json, yaml...
  text: |
    TODO: a complete, working configuration, with placeholders for secrets
failures:
  # At least four: the message users see, its cause, the fix.
  - symptom: "TODO: the exact error message or behaviour"
    cause: "TODO: why it happens."
    fix: "TODO: how to fix it."
    # match: ["exact text from a log or response"]  # used by the error lookup
  - symptom: "TODO: a second failure point"
    cause: "TODO: why it happens."
    fix: "TODO: how to fix it."
  - symptom: "TODO: a third failure point"
    cause: "TODO: why it happens."
    fix: "TODO: how to fix it."
  - symptom: "TODO: a fourth failure point"
    cause: "TODO: why it happens."
    fix: "TODO: how to fix it."
validation:
  - check: "TODO: what is checked"
    how: "TODO: the command or action to run."
    expect: "TODO: what success looks like."
readiness:  # added to the common checklist of data/readiness.yaml; each list is optional
  pre_deployment:
    - "TODO: what to have ready before go-live (or delete this list)"
  post_deployment:
    - "TODO: what to check after go-live (or delete this list)"
  # guide_behaviour: ["What this guide covers, and what it leaves out"]
network:
  # Who opens which connection to whom; ports are numbers or "a-b" ranges.
  - from: WISPGate
    to: "TODO: vendor API"
    protocol: tcp
    ports: [443]
    purpose: "TODO: what the connection carries."
    # host: api.example.com  # only a host the vendor documents
    # optional: true  # needed only for an optional feature
compatibility:
  product: "TODO: vendor product or API"
  supported: "TODO: supported range in words, e.g. >= 7.1"
  tested: ["TODO: a tested version"]
  # notes: What differs between versions.
sync:
  direction: outbound  # inbound, outbound or both, as seen from WISPGate
  mode: request  # push, poll, webhook or request
  # interval: 5m  # for polling
limitations:
  - "TODO: what the integration does not do, or does badly."
rollback:
  - title: "TODO: first step to back out"
    body: "TODO: how, without stranding subscribers or payments."
outage:
  fail_mode: degraded  # open, closed or degraded
  subscribers: "TODO: what subscribers notice while it is down."
  operations: "TODO: what billing, support and the NOC notice."
  recovery: "TODO: what to do when it returns (replays, reconciliation)."
related:
  # Each names exactly one of doc (a page of this site), connector (an id) or url.
  - title: Subscriber model
    doc: concepts/subscriber-model
{related_connector}  - title: "TODO: the vendor's API reference or manual"
    url: "https://TODO.example.com/docs"
sources:
  # Where the guide's facts come from: at least three, one backing the failure points.
  - title: "TODO: vendor manual or API reference"
    url: "https://TODO.example.com/docs"
    covers: "TODO: which sections or facts it backs, e.g. fields, flow"
  - title: "TODO: a second source"
    url: "https://TODO.example.com/errors"
    covers: "TODO: e.g. failures: the error messages and their causes"
  - title: "TODO: a third source"
    url: "https://TODO.example.com/changelog"
    covers: "TODO: e.g. compatibility: supported versions"
versions:
  - version: "1.0"
    date: "{today}"
    changes:
      - First guide.
verified:
  date: "{today}"
  against: "TODO: the vendor product and version you checked, e.g. RouterOS 7.16"
"""

PAGE = """\
# TODO: {id} page title (same as `name` in data/connectors/{id}.yaml)

% The directive below places every section of the guide, generated from
% data/connectors/{id}.yaml. To put your own text between sections, use the
% section directives instead: see "Prose between the generated sections" in
% writing-guide.md. Lines starting with '%' are comments.

```{{connector}} {id}
```
"""


def related_connector(root: Path, domain: str, cid: str) -> str:
    """A ``related`` entry naming another connector of the domain, for the scaffold to show the shape."""
    import re

    for path in sorted((root / DEFAULT_LAYOUT.connector_dir).glob("*.yaml")):
        if path.stem != cid and re.search(
            rf"^domain: {re.escape(domain)}\s*$", path.read_text("utf-8", "replace"), re.M
        ):
            return (
                f'  - title: "TODO: a connector to read with this one (or delete this entry)"\n'
                f"    connector: {path.stem}\n"
            )
    return ""


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
    yaml_path = root / DEFAULT_LAYOUT.connector_dir / f"{cid}.yaml"
    page_path = root / DEFAULT_LAYOUT.page_dir / f"{cid}.md"
    # the content-test file, in a project with content tests (writer_rules.FACTS_DIR)
    facts_path = root / FACTS_DIR / f"{cid}.txt" if (root / FACTS_DIR).is_dir() else None
    for path in (yaml_path, page_path, root / DEFAULT_LAYOUT.page_dir / f"{cid}.rst", facts_path):
        if path is None:
            continue
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
    today = datetime.date.today()
    # quoted for YAML, whatever the vendor's name holds (a '"', a '\\', a '#')
    text = SCAFFOLD.format(
        id=cid,
        domain=args.domain,
        vendor=yaml_quote(vendor),
        name=yaml_quote(f"TODO: page title, e.g. {vendor} Payment Webhooks"),
        use_case=first_use_case,
        today=today.isoformat(),
        month=today.strftime("%Y.%m"),
        related_connector=related_connector(root, args.domain, cid),
    )
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    page_path.parent.mkdir(parents=True, exist_ok=True)
    yaml_path.write_text(text, encoding="utf-8")
    page_path.write_text(PAGE.format(id=cid), encoding="utf-8")
    written = [yaml_path, page_path]
    if facts_path is not None:
        facts_path.write_text(FACTS_SCAFFOLD.format(id=cid), encoding="utf-8")
        written.append(facts_path)
    names = [p.relative_to(root).as_posix() for p in written]
    print(f"wrote {', '.join(names[:-1])} and {names[-1]}")
    print(
        f"next: replace every TODO in {'these files' if len(names) > 2 else 'both'} (`make check` lists them with "
        f"their lines), preview with `make livehtml`, then run `make test ID={cid}`"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wispgate_connectors", description="WISPGate connector data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate data/ and pages; print file:line: problem")
    check.add_argument("root", nargs="?", default=".", help="project root (default: current folder)")
    check.add_argument(
        "--stale",
        action="store_true",
        help="list guides that need re-verification (age, vendor changes) instead; the build date "
        "honours SOURCE_DATE_EPOCH",
    )
    check.add_argument(
        "--max-age",
        type=int,
        default=365,
        metavar="DAYS",
        help="with --stale: days after verified.date (default 365, as wispgate_stale_after_days)",
    )
    check.add_argument("--id", metavar="ID", help="report only the files of this connector (data, page, content test)")
    check.set_defaults(func=cmd_check)
    new = sub.add_parser("new", help="scaffold a connector: data/connectors/ID.yaml and integrations/ID.md")
    new.add_argument("id", help="connector id: lowercase letters, digits and hyphens")
    new.add_argument("--domain", required=True, help="a key of data/domains.yaml")
    new.add_argument("--vendor", help="vendor name")
    new.add_argument("--root", default=".", help="project root (default: current folder)")
    new.set_defaults(func=cmd_new)
    args = parser.parse_args(argv)
    return cast(int, args.func(args))
