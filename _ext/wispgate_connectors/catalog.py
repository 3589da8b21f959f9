"""Load the data of a project into a :class:`~.model.Catalog`.

Stages: :mod:`.yamlio` reads each file with its line marks, :mod:`.validation`
checks it against its JSON Schema and the rules beside it, :mod:`.model` turns it
into records.  Every problem becomes a :class:`~.report.Problem` naming the file,
the line and what is wrong; nothing here raises on bad data.  No Sphinx import:
the quick check (``cli.py``) uses it on its own and stays fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import safety
from .model import SCHEMA_FILE, Catalog, Connector, Marks, Taxonomy, build_connector, build_records, load_schema
from .report import Problem, Subtype
from .validation import connector_rules, schema_problems, taxonomy_rules, todo_problems, vendor_change_rules
from .yamlio import MAX_FILE_BYTES, read_yaml

READINESS_SCHEMA = "readiness.schema.json"
VENDOR_CHANGES_SCHEMA = "vendor-changes.schema.json"
TAXONOMY_SCHEMA = "taxonomy.schema.json"
#: the phases of the readiness component, in page order
READINESS_KEYS: tuple[str, ...] = tuple(load_schema(READINESS_SCHEMA)["properties"])


@dataclass(frozen=True)
class Layout:
    """Where a project keeps its data and its guides (Sphinx config values set these)."""

    data_dir: str = "data"
    page_dir: str = "integrations"

    @property
    def connector_dir(self) -> Path:
        return Path(self.data_dir) / "connectors"

    @property
    def domains(self) -> Path:
        return Path(self.data_dir) / "domains.yaml"

    @property
    def use_cases(self) -> Path:
        return Path(self.data_dir) / "use-cases.yaml"

    @property
    def readiness(self) -> Path:
        return Path(self.data_dir) / "readiness.yaml"

    @property
    def vendor_changes(self) -> Path:
        return Path(self.data_dir) / "vendor-changes.yaml"


DEFAULT_LAYOUT = Layout()


def _load_taxonomy(root: Path, rel: Path, catalog: Catalog) -> dict[str, Taxonomy]:
    display = rel.as_posix()
    data, marks, problems = read_yaml(root / rel, display, root)
    if not problems:
        problems = schema_problems(data, marks, display, TAXONOMY_SCHEMA)
    if not problems:
        problems = taxonomy_rules(data, marks, display)
    catalog.problems.extend(problems)
    if not isinstance(data, list):
        return {}
    # entries with problems are left out; the others still give their pages
    bad = {p.line for p in problems}
    out: dict[str, Taxonomy] = {}
    for i, entry in enumerate(data):
        lines = {line for path, line in marks.items() if path[:1] == (i,)}
        if lines & bad or not isinstance(entry, dict) or entry.get("key") in out:
            continue
        out[entry["key"]] = Taxonomy(
            entry["key"], entry["title"], entry["description"], marks.line((i,)), entry.get("icon")
        )
    return out


def _load_readiness(root: Path, rel: Path, catalog: Catalog) -> None:
    catalog.readiness = {k: () for k in READINESS_KEYS}
    if not os.path.lexists(root / rel):  # a dangling link is reported, not skipped
        return
    display = rel.as_posix()
    data, marks, problems = read_yaml(root / rel, display, root)
    if not problems:
        problems = schema_problems(
            data, marks, display, READINESS_SCHEMA, what="data/readiness.yaml must be a mapping of phases to lists"
        )
    catalog.problems.extend(problems)
    if problems:
        return
    catalog.readiness.update({k: tuple(v) for k, v in data.items()})


def _load_vendor_changes(root: Path, rel: Path, catalog: Catalog) -> tuple[Any, ...]:
    if not os.path.lexists(root / rel):
        return ()
    display = rel.as_posix()
    data, marks, problems = read_yaml(root / rel, display, root)
    if not problems:
        problems = schema_problems(data, marks, display, VENDOR_CHANGES_SCHEMA)
    if not problems:
        problems = vendor_change_rules(data, marks, display)
    catalog.problems.extend(problems)
    if problems:
        return ()
    changes = build_records(data, VENDOR_CHANGES_SCHEMA, marks)
    for i, change in enumerate(changes):
        for j, cid in enumerate(change.connectors):
            if cid not in catalog.connectors and cid not in catalog.broken:
                catalog.problems.append(
                    Problem(
                        display,
                        marks.line((i, "connectors", j)),
                        f"[{i}].connectors[{j}]: unknown connector '{cid}'",
                        Subtype.reference,
                    )
                )
    return tuple(changes)


def _load_connector(path: Path, display: str, catalog: Catalog) -> tuple[Connector | None, list[Problem]]:
    """One connector file: its record, or None and the reasons; plus non-fatal problems."""
    # kept for the secret scan's look at the parsed values (secrets.value_findings): nothing below changes it
    data, marks, problems = read_yaml(path, display, catalog.root, keep=True)
    if not problems:
        problems = schema_problems(data, marks, display)
    if not problems:
        problems = connector_rules(data, marks, display, path.stem, catalog.domains, catalog.use_cases)
    if problems:
        return None, problems
    return build_connector(data, marks, display), todo_problems(data, (), marks, display)


def _cross_references(catalog: Catalog) -> None:
    def known(cid: str) -> bool:
        return cid in catalog.connectors or cid in catalog.broken

    for c in catalog.connectors.values():
        for i, r in enumerate(c.related):
            if r.connector and not known(r.connector):
                catalog.problems.append(
                    Problem(
                        c.path,
                        c.line_of("related", i, "connector"),
                        f"related[{i}].connector: unknown connector '{r.connector}'",
                        Subtype.reference,
                    )
                )
        if c.replaced_by and not known(c.replaced_by):
            catalog.problems.append(
                Problem(
                    c.path,
                    c.line_of("replaced_by"),
                    f"replaced_by: unknown connector '{c.replaced_by}'",
                    Subtype.reference,
                )
            )
        for i, cid in enumerate(c.after):
            if not known(cid):
                catalog.problems.append(
                    Problem(c.path, c.line_of("after", i), f"after[{i}]: unknown connector '{cid}'", Subtype.reference)
                )
        for i, old in enumerate(c.renamed_from):
            if known(old):
                catalog.problems.append(
                    Problem(
                        c.path,
                        c.line_of("renamed_from", i),
                        f"renamed_from[{i}]: '{old}' is still a connector's id",
                        Subtype.duplicate,
                    )
                )
            elif old in catalog.renamed:
                catalog.problems.append(
                    Problem(
                        c.path,
                        c.line_of("renamed_from", i),
                        f"renamed_from[{i}]: '{old}' is also renamed to '{catalog.renamed[old]}'",
                        Subtype.duplicate,
                    )
                )
            else:
                catalog.renamed[old] = c.id


def _nested_files(root: Path, connector_dir: Path) -> list[Problem]:
    """Connector files in subfolders are not loaded: say so, once per file."""
    out = []
    for rel, entry in safety.walk(root / connector_dir):
        if "/" in rel and rel.endswith((".yaml", ".yml")) and not entry.is_dir(follow_symlinks=False):
            out.append(
                Problem(
                    safety.display(root / connector_dir / rel, root),
                    1,
                    f"connector files live directly in {connector_dir.as_posix()}/; this one is not read: move it up",
                    Subtype.page,
                )
            )
    return out


def _plain_named(files: list[Path], root: Path, catalog: Catalog) -> list[Path]:
    """Connector files whose names print as they are; the others are reported once.

    A name is the connector's id, so it is plain ASCII: a Cyrillic 'о' or a newline
    in it would otherwise give messages that look right or split in two.
    """
    out = []
    for path in files:
        if safety.plain_name(path.name):
            out.append(path)
            continue
        odd = next(ch for ch in path.name if not safety.plain_name(ch))
        catalog.problems.append(
            Problem(
                safety.display(path, root),
                1,
                f"the file name holds {safety.char_name(odd)}; name the file after the connector id "
                "(lowercase ASCII letters, digits and hyphens)",
                Subtype.syntax,
            )
        )
    return out


def load_catalog(
    root: str | os.PathLike[str], cache: dict[str, Any] | None = None, layout: Layout = DEFAULT_LAYOUT
) -> Catalog:
    """Read every data file below ``root``; collect every problem, raise none.

    ``cache`` (path -> (content key, result, file stamp)) lets a long-running caller skip files that
    did not change: a build re-validates only the edited YAML.  It is updated in place.
    """
    root = Path(root)
    catalog = Catalog(root=root)
    catalog.domains = _load_taxonomy(root, layout.domains, catalog)
    catalog.use_cases = _load_taxonomy(root, layout.use_cases, catalog)
    _load_readiness(root, layout.readiness, catalog)
    files = sorted((root / layout.connector_dir).glob("*.yaml"))
    catalog.files = [root / layout.domains, root / layout.use_cases, *files]
    if (root / layout.vendor_changes).exists():
        catalog.files.append(root / layout.vendor_changes)
    for extra in sorted((root / layout.connector_dir).glob("*.yml")):
        catalog.problems.append(
            Problem(
                extra.relative_to(root).as_posix(), 1, "connector files end in .yaml, not .yml; rename it", Subtype.page
            )
        )
    catalog.problems.extend(_nested_files(root, layout.connector_dir))
    # results depend on the file, the taxonomies and the schema
    context = (tuple(catalog.domains), tuple(catalog.use_cases), safety.digest(SCHEMA_FILE.read_bytes()))
    seen: dict[str, str] = {}
    files = _plain_named(files, root, catalog)
    for path in files:
        display = path.relative_to(root).as_posix()
        # keyed on content ('cp -p' or 'rsync -t' keep size and time stamp but not the text),
        # read again only when the file's stamp moved (safety.stat_stamp)
        hit = cache.get(display) if cache is not None else None
        fstamp = safety.stat_stamp(path)
        if hit is not None and fstamp is not None and hit[2] == fstamp and hit[0][1] == context:
            stamp = hit[0]
        else:
            stamp = (safety.file_digest(path, root, MAX_FILE_BYTES), context)
        if hit is not None and hit[0] == stamp:
            connector, problems = hit[1]
        else:
            connector, problems = _load_connector(path, display, catalog)
        if cache is not None and (hit is None or hit[0] != stamp or hit[2] != fstamp):
            cache[display] = (stamp, (connector, problems), fstamp)
        catalog.problems.extend(problems)
        if connector is None:
            catalog.broken[path.stem] = display
            continue
        if connector.id in seen:
            catalog.problems.append(
                Problem(
                    display,
                    connector.line_of("id"),
                    f"id: duplicate id '{connector.id}' (also in {seen[connector.id]})",
                    Subtype.duplicate,
                )
            )
            continue
        seen[connector.id] = display
        catalog.connectors[connector.id] = connector
        catalog.sources[connector.id] = stamp
    if cache is not None:
        for gone in set(cache) - {f.relative_to(root).as_posix() for f in files}:
            del cache[gone]
    _cross_references(catalog)
    catalog.vendor_changes = _load_vendor_changes(root, layout.vendor_changes, catalog)
    return catalog


__all__ = [
    "DEFAULT_LAYOUT",
    "READINESS_KEYS",
    "Catalog",
    "Connector",
    "Layout",
    "Marks",
    "Problem",
    "Subtype",
    "load_catalog",
    "read_yaml",
]
