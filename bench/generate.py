"""Synthetic catalogs for the benchmark: N connectors that follow the data contract.

Each connector has the sizes of a real guide: 8 fields, 4 prerequisites, 4 flow
steps, 5 failure points, 4 validation checks, 3 related links and 2 version
notes.  ``plain_myst_page`` writes the same content as a hand-written MyST page
(field tables, tabs, steps, a troubleshooting table): the baseline a team
would otherwise have.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
DOMAINS = ["network-aaa", "payments-finance", "messaging-support", "operations-monitoring"]
USE_CASES = ["subscriber-auth", "billing-automation", "field-communication", "network-monitoring"]
TYPES = ["RADIUS NAS", "Payment gateway", "SMS provider", "Monitoring API"]
COMPLEXITY = ["low", "medium", "high"]
COPY = ["conf.py", "index.md", "writing-guide.md", "catalog", "concepts", "_static", "_ext"]


def connector(i: int) -> dict:
    cid = f"synthetic-{i:04d}"
    d = i % 4
    return {
        "id": cid,
        "name": f"Synthetic Connector {i:04d}",
        "vendor": f"Vendor {i % 37}",
        "domain": DOMAINS[d],
        "type": TYPES[d],
        "complexity": COMPLEXITY[i % 3],
        "complexity_note": "Easy when the address plan is clean; harder with overlapping VLANs.",
        "featured": i % 50 == 0,
        "summary": f"Connects WISPGate to synthetic system {i} for `subscriber` sync and **policy** enforcement.",
        "use_cases": [USE_CASES[d], USE_CASES[(d + 1) % 4]],
        "overview": {
            "what": "Synchronises subscribers and enforces the package speed with `Rate-Limit` replies. " * 3,
            "where": "Used on tower routers, PoP concentrators and billing back-offices. " * 2,
        },
        "prerequisites": [f"Prerequisite {k}: reachability on UDP 18{k}2 and a shared secret." for k in range(4)],
        "fields": [
            {
                "name": f"Field {k}",
                "required": k < 4,
                "type": ["string", "secret", "ip", "port"][k % 4],
                "description": f"What field {k} holds and why the `vendor` side needs it.",
                "example": "<your-secret>" if k % 4 == 1 else f"value-{k}",
                **({"secret": True} if k % 4 == 1 else {}),
                "where": f"Vendor console: **Settings → API → Field {k}**.",
            }
            for k in range(8)
        ],
        "flow": [
            {
                "title": f"Step {k}",
                "body": f"Do step {k}: register the device and bind its `policy`.",
                **(
                    {
                        "code": {
                            "language": "bash",
                            "text": f"curl -sS https://api.example.com/v1/step/{k} \\\n"
                            "  -H 'Authorization: Bearer <token>'",
                        }
                    }
                    if k % 2
                    else {}
                ),
            }
            for k in range(4)
        ],
        "example": {
            "language": "text",
            "text": "Auth flow: PPPoE -> Access-Request -> policy\nReply: Rate-Limit 10M/50M",
        },
        "failures": [
            {
                "symptom": f"`error {k}01` in the log",
                "cause": f"Cause {k}: the secret differs.",
                "fix": f"Fix {k}: set the same secret on both sides.",
            }
            for k in range(5)
        ],
        "validation": [
            {"check": f"Check {k}", "how": f"Run `tool check {k}`.", "expect": "The reply shows `OK`."}
            for k in range(4)
        ],
        "related": [
            {"title": "Subscriber model", "doc": "concepts/subscriber-model"},
            {"title": "Webhook security", "doc": "concepts/webhook-security"},
            {"title": "Vendor manual", "url": "https://docs.example.com/manual"},
        ],
        "versions": [
            {"version": "1.1", "date": "2026-10-01", "changes": ["Second release."]},
            {"version": "1.0", "date": "2026-01-01", "changes": ["First release."]},
        ],
        "verified": {"date": "2026-11-01", "against": "Vendor OS 7.16"},
        # operational data, as every real guide carries it
        "since": "2025.03",
        **({"status": "beta"} if i % 25 == 3 else {}),
        **({"after": [f"synthetic-{i - 4:04d}"]} if i >= 4 and i % 7 == 0 else {}),
        "network": [
            {
                "from": "NAS",
                "to": "WISPGate RADIUS",
                "protocol": "udp",
                "ports": [1812, 1813],
                "purpose": "Access-Request and accounting from the router's `src-address`.",
            },
            {
                "from": "WISPGate",
                "to": f"Vendor {i % 37} API",
                "protocol": "tcp",
                "ports": [443],
                "purpose": "Provisioning calls over HTTPS.",
                "host": f"api.vendor{i % 37}.example.com",
            },
            {
                "from": "WISPGate",
                "to": "NAS",
                "protocol": "udp",
                "ports": ["3799-3800"],
                "purpose": "CoA and Disconnect.",
                "optional": True,
            },
        ],
        "compatibility": {
            "product": f"Vendor OS {i % 5}",
            "supported": ">= 6.45",
            "tested": ["7.16", "6.49"],
            "notes": "Version 6 lacks `require-message-auth`.",
        },
        "sync": {
            "direction": ["inbound", "outbound", "both"][i % 3],
            "mode": ["push", "poll", "webhook", "request"][i % 4],
            **({"interval": "5m"} if i % 4 == 1 else {}),
        },
        "limitations": ["An address-list change needs a new session.", "No bulk import through the API."],
        "rollback": [
            {"title": f"Rollback {k}", "body": f"Undo step {k} and keep subscribers on the local fallback."}
            for k in range(3)
        ],
        "outage": {
            "fail_mode": ["open", "degraded", "closed"][i % 3],
            "subscribers": "New sessions fail; running sessions stay up.",
            "operations": "The NOC sees timeouts on the NAS.",
            "recovery": "Replay queued events, then reconcile accounting.",
        },
        "sources": [
            {"title": "Vendor manual", "url": "https://docs.example.com/manual", "covers": "fields, flow"},
            {"title": "Vendor API reference", "url": "https://docs.example.com/api", "covers": "failures"},
            {"title": "Vendor changelog", "url": "https://docs.example.com/changes", "covers": "compatibility"},
        ],
    }


def unlink_guides(folder: Path) -> None:
    """Concept pages link to real guides that a synthetic catalog does not have."""
    for page in folder.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"\[([^\]]+)\]\(\.\./integrations/[^)]+\)", r"\1", text)
        page.write_text(re.sub(r"\{(?:wg:)?connector\}`([^`]+)`", r"``\1``", text), encoding="utf-8")


def make_project(dest: Path, n: int) -> Path:
    """A copy of the project whose catalog is N synthetic connectors."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in COPY:
        src = PROJECT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "domains", "use-cases"))
        else:
            shutil.copy2(src, dest / name)
    data = dest / "data"
    # vendor changes name real connectors: a synthetic catalog gets its own, one per 20 connectors
    shutil.copytree(PROJECT / "data", data, ignore=shutil.ignore_patterns("connectors", "vendor-changes.yaml"))
    (data / "vendor-changes.yaml").write_text(
        yaml.safe_dump(
            [
                {
                    "id": f"change-{k:04d}",
                    "vendor": f"Vendor {k % 37}",
                    "product": f"Vendor OS {k % 5}",
                    "version": f"7.{k}",
                    "date": f"2026-{1 + k % 12:02d}-01",
                    "summary": "A default changed.",
                    "action": "Check the setting.",
                    "connectors": [f"synthetic-{j:04d}" for j in range(k * 20, min(n, k * 20 + 3))],
                    "source": {"title": "Changelog", "url": "https://docs.example.com/changes"},
                }
                for k in sorted(
                    range(max(1, n // 20)), key=lambda k: (f"2026-{1 + k % 12:02d}-01", f"change-{k:04d}"), reverse=True
                )
                if k * 20 < n
            ],
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    (data / "connectors").mkdir()
    (dest / "integrations").mkdir()
    for i in range(n):
        c = connector(i)
        (data / "connectors" / f"{c['id']}.yaml").write_text(
            "# yaml-language-server: $schema=../schema/connector.schema.json\n"
            + yaml.safe_dump(c, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        (dest / "integrations" / f"{c['id']}.md").write_text(f"# {c['name']}\n\n```{{connector}} {c['id']}\n```\n")
    unlink_guides(dest / "concepts")
    return dest


def plain_myst_page(c: dict) -> str:
    """The same guide written by hand in MyST, as a team without the extension would."""
    out = [
        f"# {c['name']}\n",
        "## Overview\n",
        c["overview"]["what"] + "\n",
        c["overview"]["where"] + "\n",
        f"**Vendor:** {c['vendor']}  \n**Type:** {c['type']}  \n**Complexity:** {c['complexity']}\n",
        "## Prerequisites\n",
        *(f"- {p}" for p in c["prerequisites"]),
        "",
        "## Key configuration fields\n",
        "::::{tab-set}\n",
    ]
    for label, required in (("Required", True), ("Optional", False)):
        out += [
            f":::{{tab-item}} {label}\n",
            "| Field | Type | Description | Example | Where |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| {f['name']} | {f['type']} | {f['description']} | `{f['example']}` | {f['where']} |"
            for f in c["fields"]
            if f["required"] == required
        ]
        out += ["", ":::\n"]
    out += ["::::\n", "## Implementation flow\n"]
    for k, s in enumerate(c["flow"]):
        out += [f"{k + 1}. **{s['title']}**\n", f"   {s['body']}\n"]
        if "code" in s:
            out += [
                f"   ```{s['code']['language']}",
                *("   " + line for line in s["code"]["text"].splitlines()),
                "   ```\n",
            ]
    out += [
        "## Example configuration notes\n",
        "```text",
        c["example"]["text"],
        "```\n",
        "## Common failure points\n",
        "| Symptom | Cause | Fix |",
        "|---|---|---|",
        *(f"| {f['symptom']} | {f['cause']} | {f['fix']} |" for f in c["failures"]),
        "",
        "## Validation\n",
        *(f"- **{v['check']}**: {v['how']} Expect: {v['expect']}" for v in c["validation"]),
        "",
        "## Network and firewall\n",
        "| From | To | Protocol | Ports | Purpose |",
        "|---|---|---|---|---|",
        *(
            f"| {r['from']} | {r['to']} | {r['protocol']} | {', '.join(map(str, r['ports']))} | {r['purpose']} |"
            for r in c["network"]
        ),
        "",
        f"**Compatibility:** {c['compatibility']['product']} {c['compatibility']['supported']}\n",
        "## Known limitations\n",
        *(f"- {t}" for t in c["limitations"]),
        "",
        "## Rollback\n",
        *(f"{k + 1}. **{r['title']}**: {r['body']}" for k, r in enumerate(c["rollback"])),
        "",
        "## If this integration is down\n",
        f"**Fail mode:** {c['outage']['fail_mode']}  \n"
        f"**Subscribers:** {c['outage']['subscribers']}  \n**Staff:** {c['outage']['operations']}  \n"
        f"**Recovery:** {c['outage']['recovery']}\n",
        "## Related resources\n",
        "- [Subscriber model](../concepts/subscriber-model.md)",
        "- [Webhook security](../concepts/webhook-security.md)",
        "- [Vendor manual](https://docs.example.com/manual)",
        "",
        "## Version notes\n",
        *(f"- **{v['version']}** ({v['date']}): {'; '.join(v['changes'])}" for v in c["versions"]),
        "",
    ]
    return "\n".join(out)


def make_baseline(dest: Path, n: int, theme: str = "furo") -> Path:
    """Plain MyST pages on stock furo: no extension, a globbed toctree.

    ``theme="basic"`` gives the floor: the same pages on Sphinx's plainest theme,
    so what remains is the cost of MyST and Sphinx themselves.
    """
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "integrations").mkdir(parents=True)
    shutil.copytree(PROJECT / "concepts", dest / "concepts")
    unlink_guides(dest / "concepts")
    (dest / "conf.py").write_text(
        f'project = "Baseline"\nextensions = ["myst_parser", "sphinx_design"]\nhtml_theme = "{theme}"\n'
        'myst_enable_extensions = ["colon_fence"]\nexclude_patterns = ["_build"]\n'
    )
    (dest / "index.md").write_text(
        "# Baseline\n\n```{toctree}\n:caption: Connectors\n:glob:\n\nintegrations/*\n```\n\n"
        "```{toctree}\n:caption: Concepts\n:glob:\n\nconcepts/*\n```\n"
    )
    for i in range(n):
        c = connector(i)
        (dest / "integrations" / f"{c['id']}.md").write_text(plain_myst_page(c), encoding="utf-8")
    return dest
