"""Find values that look like live credentials in data and pages.

A guide must never publish a secret: every example uses an obvious
placeholder.  The scan works on raw lines, so it also covers comments and
prose, and reports exact lines.  No Sphinx import: ``make check`` runs it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .model import Catalog
from .report import Problem, Subtype

#: (name, pattern): credentials with a recognisable shape.
KNOWN = [
    ("a live secret key (Stripe, Paystack)", re.compile(r"\b(?:sk|rk)_live_[0-9A-Za-z]{8,}")),
    ("a Stripe webhook signing secret", re.compile(r"\bwhsec_[0-9A-Za-z]{16,}")),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[0-9A-Za-z]{30,}")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{10,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Twilio Account SID or API key", re.compile(r"\b(?:AC|SK)[0-9a-f]{32}\b")),
    ("a JSON Web Token", re.compile(r"\beyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}")),
    ("a Meta/Facebook access token", re.compile(r"\bEAA[A-Za-z0-9]{60,}")),
    ("a Flutterwave secret key", re.compile(r"\bFLWSECK(?:_TEST)?-[0-9A-Za-z]{16,}")),
]

# Long, random-looking tokens: mixed letters and digits, high entropy.
TOKEN = re.compile(r"[A-Za-z0-9+/_=-]{32,}")
PLACEHOLDER = re.compile(
    r"x{4,}|X{4,}|\.\.\.|<[^>]*>|your[-_ ]|example|placeholder|dummy|redacted|changeme|replace[-_ ]?me|"
    r"sk_test_|rk_test_|pk_test_|test[-_]key|0{8,}|1234567|abcdef",
    re.IGNORECASE,
)


def entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(token: str) -> bool:
    """A high-entropy token with letters of both cases and digits (hex digests excluded)."""
    if re.fullmatch(r"[0-9a-fA-F]+", token) or "/" in token.strip("/") and token.count("/") > 2:
        return False  # hashes, paths and URLs are not credentials by themselves
    has = (any(c.islower() for c in token), any(c.isupper() for c in token), any(c.isdigit() for c in token))
    return all(has) and entropy(token) >= 4.5


def is_placeholder(value: str) -> bool:
    return bool(PLACEHOLDER.search(value))


def scan_text(text: str, display: str) -> list[Problem]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "wg-secret-scan: ignore" in line:  # an explicit, reviewable exception
            continue
        for name, pattern in KNOWN:
            for match in pattern.finditer(line):
                if not is_placeholder(match.group()):
                    out.append(Problem(display, number, f"looks like {name} ({match.group()[:12]}...); "
                                       "use an obvious placeholder such as <your-secret>", Subtype.secret))
        for match in TOKEN.finditer(line):
            token = match.group()
            if looks_random(token) and not is_placeholder(token) and not any(p.search(token) for _, p in KNOWN):
                out.append(Problem(display, number, f"looks like a live credential or token ({token[:8]}...); "
                                   "use an obvious placeholder such as <your-api-key>", Subtype.secret))
    return out


def secret_examples(catalog: Catalog) -> list[Problem]:
    """Fields marked secret never show a real-looking example."""
    out = []
    for c in catalog.connectors.values():
        for i, f in enumerate(c.fields):
            if f.is_secret and f.example is not None and not is_placeholder(str(f.example)):
                out.append(Problem(c.path, c.line_of("fields", i, "example"), f"fields[{i}].example: a secret field's example must be an obvious "
                                   f"placeholder such as <your-secret> or sk_test_..., not {str(f.example)[:12]!r}",
                                   Subtype.secret))
    return out


def files_to_scan(root: Path) -> Iterable[Path]:
    for pattern in ("data/**/*.yaml", "*.md", "*.rst", "integrations/**/*.md", "integrations/**/*.rst",
                    "concepts/**/*.md", "catalog/*.md", "docs/**/*.md"):
        yield from sorted(root.glob(pattern))


def scan_project(root: Path, catalog: Catalog, cache: dict | None = None) -> list[Problem]:
    """Scan data and pages; ``cache`` (path -> (stamp, problems)) skips unchanged files."""
    out = secret_examples(catalog)
    seen = set()
    for path in files_to_scan(root):
        if path in seen or path.name == "README.md":
            continue
        seen.add(path)
        display = path.relative_to(root).as_posix()
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        hit = cache.get(display) if cache is not None else None
        if hit is not None and hit[0] == stamp:
            out.extend(hit[1])
            continue
        try:
            found = scan_text(path.read_text(encoding="utf-8"), display)
        except (OSError, UnicodeDecodeError):
            found = []  # unreadable data files are reported by the catalog loader
        if cache is not None:
            cache[display] = (stamp, found)
        out.extend(found)
    return out
