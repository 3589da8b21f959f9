"""Find values that look like live credentials in data and pages.

A guide must never publish a secret: every example uses an obvious
placeholder.  The scan works on raw lines, so it also covers comments and
prose, and reports exact lines.  No Sphinx import: ``make check`` runs it.
"""

from __future__ import annotations

import bisect
import html
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import safety
from .model import Catalog
from .report import Problem, Subtype
from .yamlio import read_yaml

#: (name, pattern): credentials with a recognisable shape.
KNOWN: list[tuple[str, Any]] = [
    ("a live secret key (Stripe, Paystack)", re.compile(r"\b(?:sk|rk)_live_[0-9A-Za-z]{8,}")),
    ("a Stripe webhook signing secret", re.compile(r"\bwhsec_[0-9A-Za-z]{16,}")),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[0-9A-Za-z]{30,}")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{10,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Twilio Account SID or API key", re.compile(r"\b(?:AC|SK)[0-9a-f]{32}\b")),
    ("a JSON Web Token", None),  # _LinearJWT below: the expression is quadratic on 'eyJ-eyJ-eyJ-...'
    ("a Meta/Facebook access token", re.compile(r"\bEAA[A-Za-z0-9]{60,}")),
    ("a Flutterwave secret key", re.compile(r"\bFLWSECK(?:_TEST)?-[0-9A-Za-z]{16,}")),
]


class _Found:
    """What ``re.Match`` offers the scan: ``group()``, ``start()``, ``end()``."""

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def group(self, *_: object) -> str:
        return self._text[self._start : self._end]

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


class _LinearJWT:
    """``\\beyJ[..]{10,}\\.eyJ[..]{10,}\\.[..]{10,}`` in one pass over each run of token characters.

    The expression restarts at every 'eyJ' of a long run and scans to its end, so a
    1 MB line of 'eyJ-eyJ-...' took minutes.  Here each run is split at its dots
    once: a token is three dot-separated parts, the first holding 'eyJ' at a word
    boundary with ten characters after it, the second starting with 'eyJ'.
    """

    _RUN = re.compile(r"[0-9A-Za-z_.-]+")
    _START = re.compile(r"\beyJ")

    def finditer(self, text: str) -> Iterator[_Found]:
        if "eyJ" not in text:
            return
        for run in self._RUN.finditer(text):
            parts, at = [], run.start()
            for part in run.group().split("."):
                parts.append((at, at + len(part)))
                at += len(part) + 1
            i = 0
            while i + 2 < len(parts):
                (s1, e1), (s2, e2), (s3, e3) = parts[i : i + 3]
                first = self._START.search(text, s1, e1)
                if (
                    first
                    and e1 - first.start() >= 13
                    and text.startswith("eyJ", s2)
                    and e2 - s2 >= 13
                    and e3 - s3 >= 10
                ):
                    yield _Found(text, first.start(), e3)
                    i += 3
                else:
                    i += 1

    def search(self, text: str) -> _Found | None:
        return next(self.finditer(text), None)


KNOWN = [(name, _LinearJWT() if pattern is None else pattern) for name, pattern in KNOWN] + [
    ("a GitLab token", re.compile(r"\bglpat-[0-9A-Za-z_-]{20,}")),
    (
        "a Slack webhook URL",
        re.compile(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[0-9A-Za-z]{6,}/[0-9A-Za-z]{6,}/[0-9A-Za-z]{16,}"
        ),
    ),
    ("a PGP private key", re.compile(r"-----BEGIN PGP PRIVATE KEY BLOCK-----")),
    ("a PuTTY private key", re.compile(r"\bPuTTY-User-Key-File-\d+:|^Private-Lines: \d+", re.MULTILINE)),
    ("a Mailgun API key", re.compile(r"\bkey-[0-9a-z]{32}\b")),
]

#: text every match of a known shape holds
_NEEDS = {
    "a live secret key (Stripe, Paystack)": ("_live_",),
    "a Stripe webhook signing secret": ("whsec_",),
    "an AWS access key id": ("AKIA", "ASIA"),
    "a private key": ("PRIVATE KEY",),
    "a GitHub token": ("gh",),
    "a Slack token": ("xox",),
    "a Google API key": ("AIza",),
    "a JSON Web Token": ("eyJ",),
    "a Meta/Facebook access token": ("EAA",),
    "a Flutterwave secret key": ("FLWSECK",),
    "a GitLab token": ("glpat-",),
    "a Slack webhook URL": ("hooks.slack.com",),
    "a PGP private key": ("PGP PRIVATE",),
    "a PuTTY private key": ("PuTTY-User-Key-File-", "Private-Lines:"),
    "a Mailgun API key": ("key-",),
}
assert set(_NEEDS) <= {name for name, _ in KNOWN}

#: a password inside a URL: https://user:pass@host, postgres://user:pass@db
URL_PASSWORD = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s/:@<>\"'`]{1,100}:([^\s/@<>\"'`]{1,100})@")
#: a value given to a key that names a credential: api_key: ..., secret=..., "token": "..."
ASSIGNED = re.compile(
    r"(?i)(?:secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|"
    r"password|passwd|pwd|auth[_-]?key)[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?([A-Za-z0-9_+/=.~!@#$%^*-]{8,200})"
)
HEX_TOKEN = re.compile(r"[0-9a-fA-F]{32,}")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
#: words that stand for a password in examples (https://user:password@host)
PASSWORD_WORDS = re.compile(r"(?i:pass|password|passwd|pwd|secret)|\$\{?\w+\}?|\{\w+\}|\*+|%\w|[A-Z_]+")

# Long, random-looking tokens: mixed letters and digits, high entropy.
TOKEN = re.compile(r"[A-Za-z0-9+/_=-]{32,}")
PLACEHOLDER = re.compile(
    r"x{4,}|X{4,}|\.\.\.|<[^<>]{0,200}>|your[-_ ]|example|placeholder|dummy|redacted|changeme|replace[-_ ]?me|"
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
    """Problems for the credential-looking values of a text, at the lines editors show."""
    return [Problem(display, line, message, Subtype.secret) for line, message, _ in text_findings(text)]


def _published_forms(line: str) -> list[str]:
    """What readers see of a line besides the line: HTML entities and Markdown escapes resolved."""
    forms = []
    if "&" in line:
        forms.append(html.unescape(line))
    if "\\" in (forms[-1] if forms else line):
        forms.append(_MD_ESCAPE.sub(r"\1", forms[-1] if forms else line))
    return forms


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_NEWLINE = re.compile("\n")


def line_findings(line: str) -> list[tuple[str, str]]:
    """(message, matched text) for every credential-looking value of one line."""
    return [(message, token) for _, message, token in text_findings(line)]


def text_findings(text: str) -> list[tuple[int, str, str]]:
    """(line, message, matched text) for every credential-looking value of a text.

    Each expression runs once over the whole text (none crosses a line end), not once
    per line; lines with entities or escapes are also scanned as readers see them.
    """
    ends = [m.start() for m in _NEWLINE.finditer(text)]
    found: dict[int, list[tuple[str, str]]] = {}

    def line_of(offset: int) -> int:
        return bisect.bisect_left(ends, offset) + 1

    def scan(form: str, line: int | None) -> None:
        for offset, message, token in _raw_findings(form):
            where = line if line is not None else line_of(offset)
            mine = found.setdefault(where, [])
            if all(m != message for m, _ in mine):
                mine.append((message, token))

    line: str | int  # a line of the text below, then a line number
    scan(text, None)
    if "&" in text or "\\" in text:
        for number, line in enumerate(text.split("\n"), start=1):
            for form in _published_forms(line):
                scan(form, number)
    lines = text.split("\n") if found else []
    out = []
    for line in sorted(found):
        if "wg-secret-scan: ignore" in lines[line - 1]:  # an explicit, reviewable exception
            continue
        mine = found[line]
        # one value, one message: a generic finding yields to a named one on the same text
        named = [t for m, t in mine if not m.startswith(_GENERIC)]
        out += [(line, m, t) for m, t in mine if not (m.startswith(_GENERIC) and any(t in n or n in t for n in named))]
    return out


_GENERIC = ("looks like a live credential", "looks like an API token")


def _raw_findings(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, message, matched text), known shapes first, then the generic rules."""
    known: list[tuple[int, int]] = []
    for name, pattern in KNOWN:
        if name in _NEEDS and not any(literal in text for literal in _NEEDS[name]):
            continue  # a plain substring test is much faster than the expression
        for match in pattern.finditer(text):
            if not is_placeholder(match.group()):
                known.append((match.start(), match.end()))
                yield (
                    match.start(),
                    (f"looks like {name} ({match.group()[:12]}...); use an obvious placeholder such as <your-secret>"),
                    match.group(),
                )
    for match in URL_PASSWORD.finditer(text):
        password = match.group(1)
        if not is_placeholder(password) and not PASSWORD_WORDS.fullmatch(password):
            yield (
                match.start(),
                (
                    f"looks like a password in a URL ({match.group()[:12]}...); "
                    "use an obvious placeholder such as https://user:<password>@host"
                ),
                match.group(),
            )
    for match in TOKEN.finditer(text):
        token = match.group()
        if looks_random(token) and not is_placeholder(token) and not any(p.search(token) for _, p in KNOWN):
            known.append((match.start(), match.end()))
            yield (
                match.start(),
                (
                    f"looks like a live credential or token ({token[:8]}...); "
                    "use an obvious placeholder such as <your-api-key>"
                ),
                token,
            )
    for match in ASSIGNED.finditer(text):
        value = match.group(1)
        what = _credential_value(value)
        if what and not any(s <= match.start(1) < e for s, e in known):
            yield (
                match.start(1),
                (f"looks like {what} ({value[:8]}...); use an obvious placeholder such as <your-api-key>"),
                value,
            )


def _credential_value(value: str) -> str | None:
    """What a value given to a credential key looks like, or None when it is no secret."""
    value = value.rstrip(".,;:!*")
    if is_placeholder(value) or PASSWORD_WORDS.fullmatch(value):
        return None
    if HEX_TOKEN.fullmatch(value):
        return "an API token (hexadecimal)"
    if UUID.fullmatch(value):
        return "an API token (UUID)"
    letters, digits = any(c.isalpha() for c in value), any(c.isdigit() for c in value)
    if len(value) >= 10 and letters and digits and entropy(value) >= 3.0 and not value.startswith(("$", "{", "%")):
        return "a live credential"
    return None


def secret_examples(catalog: Catalog) -> list[Problem]:
    """Fields marked secret never show a real-looking example or default."""
    out = []
    for c in catalog.connectors.values():
        for i, f in enumerate(c.fields):
            if f.is_secret and f.example is not None and not is_placeholder(str(f.example)):
                out.append(
                    Problem(
                        c.path,
                        c.line_of("fields", i, "example"),
                        f"fields[{i}].example: a secret field's example must be an obvious "
                        f"placeholder such as <your-secret> or sk_test_..., not {str(f.example)[:12]!r}",
                        Subtype.secret,
                    )
                )
            # the default is published on the guide and in catalog.json like the example
            if f.is_secret and f.default is not None and not is_placeholder(str(f.default)):
                out.append(
                    Problem(
                        c.path,
                        c.line_of("fields", i, "default"),
                        f"fields[{i}].default: a secret field's default is published; "
                        f"leave it out or use an obvious placeholder, not {str(f.default)[:12]!r}",
                        Subtype.secret,
                    )
                )
    return out


def value_findings(path: Path, root: Path, display: str, raw_lines: list[str], raw: list[Problem]) -> list[Problem]:
    """Credentials in the parsed values of a YAML file: what readers see after YAML
    escapes ('\\x73k_live_') and line continuations are resolved."""
    data, marks, problems = read_yaml(path, display, root, reuse=True)  # the catalog's parse, when it kept it
    if problems:
        return []
    found_raw = {(p.line, p.message) for p in raw}
    pieces: list[tuple[str, int]] = []

    def walk(value: Any, where: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(k, where)
                walk(v, where + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, where + (i,))
        elif isinstance(value, str):
            line = marks.line(where)
            raw_line = raw_lines[line - 1] if 0 < line <= len(raw_lines) else ""
            # written as is on its (short) line: the line scan saw it already
            pieces.extend(
                (piece, line) for piece in value.split("\n") if not (len(raw_line) <= 200 and piece in raw_line)
            )

    walk(data, ())
    # one pass over all values, one per line: linear however many values there are
    out: dict[Problem, None] = {}
    for index, message, _ in text_findings("\n".join(piece for piece, _ in pieces)):
        line = pieces[index - 1][1]
        if (line, message) in found_raw or (
            0 < line <= len(raw_lines) and "wg-secret-scan: ignore" in raw_lines[line - 1]
        ):
            continue
        out[Problem(display, line, message, Subtype.secret)] = None
    return list(out)


def _named_first(problems: list[Problem]) -> list[Problem]:
    """One value, one message: on a line where the parsed value shows a named credential
    ('\\x73k_live_...' is a Stripe key), the raw text's generic finding goes."""
    named = {p.line for p in problems if not p.message.startswith(_GENERIC)}
    return [p for p in problems if p.line not in named or not p.message.startswith(_GENERIC)]


def files_to_scan(root: Path, settings: dict[str, Any] | None = None) -> Iterable[Path]:
    """Data files and every page Sphinx reads, in every folder (not a fixed list)."""
    settings = settings if settings is not None else safety.project_settings(root)
    for rel, entry in safety.walk(root / "data"):
        if rel.endswith((".yaml", ".yml")) and not entry.is_dir(follow_symlinks=False):
            yield root / "data" / rel
    for rel in safety.source_files(root, settings["exclude_patterns"], settings["source_suffix"]):
        yield root / rel


def scan_project(
    root: Path,
    catalog: Catalog,
    cache: dict[str, tuple[str, list[Problem], safety.Stamp | None]] | None = None,
    settings: dict[str, Any] | None = None,
    examples: list[Problem] | None = None,
) -> list[Problem]:
    """Scan data and pages; ``cache`` (path -> (content digest, problems)) skips unchanged files.
    ``examples``: what :func:`secret_examples` finds in ``catalog``, when the caller kept it."""
    out = secret_examples(catalog) if examples is None else list(examples)
    seen = set()
    for path in files_to_scan(root, settings):
        if path in seen:
            continue
        seen.add(path)
        display = safety.display(path, root)
        hit = cache.get(display) if cache is not None else None
        fstamp = safety.stat_stamp(path)
        if hit is not None and fstamp is not None and hit[2] == fstamp:
            out.extend(hit[1])  # the same file as when it was read and scanned
            continue
        try:
            data = safety.read_regular(path, root)
        except safety.UnsafeFile:
            continue  # reported by the loader or the tree check, without reading it
        stamp = safety.digest(data)
        if hit is not None and hit[0] == stamp:
            out.extend(hit[1])
            if cache is not None:
                cache[display] = (stamp, hit[1], fstamp)
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None  # unreadable data files are reported by the catalog loader
        found = scan_text(text, display) if text is not None else []
        if text is not None and path.suffix in (".yaml", ".yml"):
            found = _named_first(found + value_findings(path, root, display, text.splitlines(), found))
        if cache is not None:
            cache[display] = (stamp, found, fstamp)
        out.extend(found)
    return out
