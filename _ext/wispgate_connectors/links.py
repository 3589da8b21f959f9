"""``make linkcheck`` for writers: no network said up front, data links named at their YAML line.

- ``python -m wispgate_connectors.links probe [--id ID]`` (the Makefile runs it first): when none
  of the hosts the data links to resolves to a public address, one line says there is no network
  and nothing is checked, instead of one DNS traceback per link after a full read of the site;
- the ``linkcheck`` builder reports a link that comes from data (a source, a related page, a link
  inside a value) at ``data/connectors/<id>.yaml:<line>``, not at the guide's page with the YAML's
  line number (:class:`DataLinkcheckBuilder`);
- :func:`data_links`: every external link of one connector, with its line, for ``make test ID=``.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .catalog import DEFAULT_LAYOUT
from .model import Connector

#: hosts looked up at most, and how long the lookups may take together
PROBE_HOSTS = 6
PROBE_SECONDS = 4.0
_URL_HOST = re.compile(r"https?://([A-Za-z0-9.-]+\.[A-Za-z]{2,})[/:\"'\s)>]")


# --- the network probe -------------------------------------------------------------------------


def data_hosts(root: Path, cid: str | None = None) -> list[str]:
    """The hosts the connector files link to, most linked first (read as text: no YAML parsing)."""
    folder = Path(root) / DEFAULT_LAYOUT.connector_dir
    files = [folder / f"{cid}.yaml"] if cid else sorted(folder.glob("*.yaml"))
    counts: dict[str, int] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for host in _URL_HOST.findall(text + "\n"):
            host = host.lower()
            if not host.endswith((".example.com", ".example.net", ".example.org")) and "todo" not in host:
                counts[host] = counts.get(host, 0) + 1
    return sorted(counts, key=lambda h: (-counts[h], h))


def _public(host: str) -> bool:
    """True when ``host`` resolves to a public address (a sandbox may answer with private ones)."""
    try:
        infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    for info in infos:
        try:
            if ipaddress.ip_address(info[4][0]).is_global:
                return True
        except ValueError:
            continue
    return False


def reachable(hosts: list[str], seconds: float = PROBE_SECONDS) -> bool:
    """Look the hosts up at once; True as soon as one is public, False after ``seconds``."""
    found = threading.Event()
    done = threading.Semaphore(0)

    def look(host: str) -> None:
        if _public(host):
            found.set()
        done.release()

    for host in hosts:
        threading.Thread(target=look, args=(host,), daemon=True).start()  # getaddrinfo has no timeout
    for _ in hosts:
        if not done.acquire(timeout=seconds) or found.is_set():
            break
    return found.is_set()


def probe(root: Path, cid: str | None = None) -> str | None:
    """The one line to print when links cannot be checked from here, or None."""
    if any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return None  # requests goes through the proxy: local DNS says nothing
    hosts = data_hosts(root, cid)[:PROBE_HOSTS] or ["github.com"]
    if reachable(hosts):
        return None
    shown = ", ".join(hosts[:3]) + (", ..." if len(hosts) > 3 else "")
    return (
        f"no network: no public address for {shown} (DNS); nothing was checked. "
        "Run make linkcheck where the vendors' sites are reachable"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wispgate_connectors.links")
    parser.add_argument("command", choices=["probe"])
    parser.add_argument("--id", help="the hosts of one connector's links only")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.id and not (root / DEFAULT_LAYOUT.connector_dir / f"{args.id}.yaml").is_file():
        print(f"make linkcheck: no connector '{args.id}' ({DEFAULT_LAYOUT.connector_dir}/{args.id}.yaml)")
        return 2
    message = probe(root, args.id)
    if message:
        print(f"make linkcheck: {message}")
        return 2
    return 0


# --- the links of one connector ------------------------------------------------------------------


def _value_links(text: str, inline: bool, extensions: frozenset[str]) -> Iterator[str]:
    from .lint import needs_parser, parsers, tokens_for

    if not needs_parser(text, inline, extensions):
        return
    md_full, md_plain = parsers(extensions)
    tokens, _ = tokens_for(md_full, md_plain, text, inline)
    stack = list(tokens)
    while stack:
        token = stack.pop(0)
        if token.type in ("link_open", "link"):
            href = str(token.attrs.get("href") or "")
            if href.startswith(("http://", "https://")):
                yield href
        stack[:0] = token.children or []


def data_links(c: Connector, extensions: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """Every external link the guide shows from this connector's data, with its line."""
    from .lint import rendered_values

    out = [(r.url, c.line_of("related", i, "url")) for i, r in enumerate(c.related) if r.url]
    out += [(s.url, c.line_of("sources", i, "url")) for i, s in enumerate(c.sources)]
    for value in rendered_values(c):
        out += [(url, value.line) for url in _value_links(value.text, value.inline, extensions)]
    return out


# --- the linkcheck builder ---------------------------------------------------------------------------


def _data_origin(node: Any, srcdir: Path) -> tuple[str, int] | None:
    """The YAML file and line a node was made from (markup.py and render.py set them), or None."""
    while node is not None:
        source = getattr(node, "source", None)
        if source:
            path = Path(source)
            if path.suffix not in (".yaml", ".yml"):
                return None
            try:
                rel = path.relative_to(srcdir).as_posix() if path.is_absolute() else path.as_posix()
            except ValueError:
                return None
            return rel, int(getattr(node, "line", None) or 1)
        node = node.parent
    return None


def setup_links(app: Any) -> None:
    from docutils import nodes
    from sphinx.builders.linkcheck import CheckExternalLinksBuilder, CheckResult
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class DataLinkcheckBuilder(CheckExternalLinksBuilder):
        """Sphinx's link check, naming the YAML file and line of links made from data."""

        def init(self) -> None:
            super().init()
            #: uri -> (YAML file, line) when its first occurrence came from data, else None
            self.wg_origins: dict[str, tuple[str, int] | None] = {}

        def process_result(self, result: CheckResult) -> None:
            origin = self.wg_origins.get(result.uri)
            if origin is None:
                return super().process_result(result)
            path, line = origin
            # the report, the warning and the progress line all name a "document": the YAML file
            known = self.env.project._docname_to_path
            known.setdefault(path, Path(path))
            super().process_result(result._replace(docname=path, lineno=line))

    class DataOrigins(SphinxPostTransform):
        """Before Sphinx collects the links (priority 800): where each first came from."""

        builders = ("linkcheck",)
        default_priority = 799

        def run(self, **kwargs: Any) -> None:
            builder = self.env._app.builder
            origins = getattr(builder, "wg_origins", None)
            if origins is None:
                return
            srcdir = Path(self.env.srcdir)
            for node in self.document.findall(nodes.reference):
                uri = node.get("refuri")
                if uri and uri not in origins and "://" in uri:
                    origins[uri] = _data_origin(node, srcdir)

    app.add_builder(DataLinkcheckBuilder, override=True)
    app.add_post_transform(DataOrigins)


if __name__ == "__main__":
    sys.exit(main())
