"""The typed model of the connector data, derived from the JSON Schema.

``data/schema/connector.schema.json`` is the one definition of the contract:
each object in it (the connector, and every ``$defs`` or inline mapping) becomes
a frozen :class:`Record` class whose attributes are the schema's properties, so a
new key in the schema is a new attribute here without any code.  Optional keys
that are absent read as the schema's ``default``, ``()`` for lists, or None.
Every record knows the line it starts on; a connector keeps the line of every
value (:attr:`Connector.marks`), so a message can point at the value itself.

The classes declared under ``TYPE_CHECKING`` are the typing view of the core
keys, for mypy; ``tests/test_contract.py`` pins them to the schema.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

#: the published schemas; one copy for every project that uses this extension
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "schema"
SCHEMA_FILE = SCHEMA_DIR / "connector.schema.json"
PAGE_DIR = "integrations"


class Marks(dict[tuple[Any, ...], int]):
    """Maps a path inside a document (a tuple of keys and indexes) to a line."""

    def line(self, path: tuple[Any, ...]) -> int:
        path = tuple(path)
        while path not in self and path:
            path = path[:-1]
        return self.get(path, 1)


class Record:
    """One mapping of the data: attributes for the schema's properties, and ``line``.

    Every key, given or defaulted, is a plain instance attribute: renderers and
    listings read them a million times in a big build.
    """

    #: the schema's property names, in schema order, and their defaults when absent
    keys: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[dict[str, Any]] = {}
    record_name: ClassVar[str] = ""
    line: int
    _given: tuple[str, ...]

    def __init__(self, values: dict[str, Any], line: int = 1) -> None:
        attrs = self.__dict__
        attrs.update(type(self).defaults)
        attrs.update(values)
        attrs["line"] = line
        attrs["_given"] = tuple(k for k in type(self).keys if k in values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy and pickle probe for hooks
            raise AttributeError(name)
        lazy = self.__dict__.pop("_lazy", None)
        if lazy is not None:  # a record the catalog cache keeps whole only as bytes (state.py): load it now
            self.__dict__.update(pickle.loads(lazy).__dict__)
            return getattr(self, name)
        raise AttributeError(f"{type(self).record_name or type(self).__name__} has no key {name!r}")

    @property
    def _values(self) -> dict[str, Any]:
        """The keys the data gives, with their values."""
        return {k: self.__dict__[k] for k in self._given}

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("records are read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        # the classes are made at run time: pickle them by schema name (the catalog cache)
        return (_make_record, (type(self).record_name, self._values, self.line))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values == self._values

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self._values)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._values!r})"

    def given(self) -> Iterator[tuple[str, Any]]:
        """The keys the data gives, in schema order, with their values."""
        for key in self._given:
            yield key, self.__dict__[key]


# --- the schema, as record classes --------------------------------------------------


@cache
def load_schema(name: str = SCHEMA_FILE.name) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return name, root["$defs"][name]
    return None, schema


def _empty(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    _, target = _resolve(schema, root)
    if "default" in schema:
        return schema["default"]
    if "default" in target:
        return target["default"]
    return () if target.get("type") == "array" else None


class _Types:
    """Record classes for one schema, made once per process for every object in it.

    A ``$defs`` object is named after its definition (``field``), the top level
    ``connector``, an inline object after its parent and key (``connector.overview``).
    """

    def __init__(
        self, root: Mapping[str, Any], mixins: Mapping[str, type], prefix: str = "", top: str = "connector"
    ) -> None:
        self.root, self.mixins, self.prefix = root, mixins, prefix
        self.classes: dict[str, type[Record]] = {}
        self.walk(top, root)
        for name, schema in root.get("$defs", {}).items():
            self.walk(name, schema)

    def walk(self, name: str, schema: Mapping[str, Any]) -> None:
        if "$ref" in schema:
            return
        if "properties" in schema:
            self.record(name, schema)
            for key, prop in schema["properties"].items():
                self.walk(f"{name}.{key}", prop)
        for sub in ("items", "additionalProperties"):
            if isinstance(schema.get(sub), dict):
                self.walk(name, schema[sub])
        for sub in ("oneOf", "anyOf", "allOf"):
            for i, alt in enumerate(schema.get(sub, ())):
                self.walk(f"{name}.{sub}{i}", alt)

    def record(self, name: str, schema: Mapping[str, Any]) -> type[Record]:
        found = self.classes.get(name)
        if found is None:
            props = schema.get("properties", {})
            bases = (self.mixins[name], Record) if name in self.mixins else (Record,)
            title = "".join(part.capitalize() for part in name.replace("-", "_").replace(".", "_").split("_"))
            found = type(
                title,
                bases,
                {
                    "keys": tuple(props),
                    "defaults": {k: _empty(p, self.root) for k, p in props.items()},
                    "record_name": self.prefix + name,
                    "__module__": __name__,
                },
            )
            self.classes[name] = found
        return found


def build(
    value: Any,
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    types: _Types,
    name: str,
    path: tuple[Any, ...],
    marks: Marks,
) -> Any:
    """A validated value as records (mappings), tuples (lists) and plain values."""
    ref, target = _resolve(schema, root)
    name = ref or name
    if isinstance(value, dict) and "properties" in target:
        cls = types.record(name, target)
        props = target["properties"]
        built = {
            key: build(item, props.get(key, {}), root, types, f"{name}.{key}", (*path, key), marks)
            for key, item in value.items()
        }
        return cls(built, marks.line(path))
    if isinstance(value, dict):  # a free mapping
        return {
            k: build(v, target.get("additionalProperties", {}), root, types, name, (*path, k), marks)
            for k, v in value.items()
        }
    if isinstance(value, list):
        items = target.get("items", {})
        return tuple(build(item, items, root, types, name, (*path, i), marks) for i, item in enumerate(value))
    return value


def _make_record(name: str, values: dict[str, Any], line: int) -> Record:
    """A record back from the catalog cache: ``values`` is its ``_values``, in schema order."""
    schema, _, local = name.rpartition(":")
    types = types_for(f"{schema}.schema.json") if schema else _connector_types()
    cls = types.classes[local]
    # __init__'s work without its scan of every key: tens of thousands of records a build
    record = cls.__new__(cls)
    attrs = record.__dict__
    attrs.update(cls.defaults)
    attrs.update(values)
    attrs["line"] = line
    attrs["_given"] = tuple(values)
    return record


@cache
def types_for(schema_name: str) -> _Types:
    """Record classes of another data file's schema (e.g. vendor-changes.schema.json)."""
    prefix = schema_name.removesuffix(".schema.json")
    return _Types(load_schema(schema_name), {}, prefix=f"{prefix}:", top=prefix)


def build_records(data: Any, schema_name: str, marks: Marks) -> Any:
    """A validated data file of ``schema_name`` as records."""
    root = load_schema(schema_name)
    return build(data, root, root, types_for(schema_name), schema_name.removesuffix(".schema.json"), (), marks)


# --- behaviour the records add to their data ---------------------------------------------


class _ConnectorMixin:
    __slots__ = ()
    id: str
    fields: tuple[Any, ...]
    marks: Marks
    path: str

    @property
    def docname(self) -> str:
        return f"{PAGE_DIR}/{self.id}"

    def line_of(self, *path: Any) -> int:
        """The line of the value at ``path`` (keys and indexes), e.g. ``line_of("related", 0, "connector")``."""
        return self.marks.line(path)

    @property
    def required_fields(self) -> tuple[Any, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def optional_fields(self) -> tuple[Any, ...]:
        return tuple(f for f in self.fields if not f.required)


class _FieldMixin:
    __slots__ = ()
    type: str

    @property
    def is_secret(self) -> bool:
        """Masked on pages, never exported with an example: ``secret: true`` or type secret."""
        return bool(self.secret) or self.type == "secret"  # type: ignore[attr-defined]


class _CodeMixin:
    __slots__ = ()

    @property
    def body(self) -> str:
        """The code without its trailing newlines (YAML's ``|`` keeps one)."""
        return str(self.text).rstrip("\n")  # type: ignore[attr-defined]


MIXINS: dict[str, type] = {"connector": _ConnectorMixin, "field": _FieldMixin, "code": _CodeMixin}


@cache
def _connector_types() -> _Types:
    return _Types(load_schema(), MIXINS)


class _ConnectorRecord(Record):
    """The connector record with its file and the line of every value."""

    marks: Marks
    path: str

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make_connector, (self._values, self.marks, self.path))


def connector_class() -> type[_ConnectorRecord]:
    types = _connector_types()
    cls = types.classes.get("connector+file")
    if cls is None:
        cls = type(
            "Connector",
            (_ConnectorRecord, types.classes["connector"]),
            {
                "__module__": __name__,
            },
        )
        types.classes["connector+file"] = cls
    return cls  # type: ignore[return-value]


def _make_connector(values: dict[str, Any], marks: Marks, path: str) -> Connector:
    record = connector_class()(values, 1)
    object.__setattr__(record, "marks", marks)
    object.__setattr__(record, "path", path)
    return record  # type: ignore[return-value]


def build_connector(data: dict[str, Any], marks: Marks, path: str) -> Connector:
    """The record of one validated connector file."""
    root = load_schema()
    built = build(data, root, root, _connector_types(), "connector", (), marks)
    return _make_connector(built._values, marks, path)


def record_class(name: str) -> type[Record]:
    """The record class of a ``$defs`` entry (or ``connector``), e.g. for tests."""
    types = _connector_types()
    root = load_schema()
    schema = root if name == "connector" else root["$defs"][name]
    return types.record(name, schema)


# --- taxonomies and the common readiness items ---------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    """One entry of domains.yaml or use-cases.yaml."""

    key: str
    title: str
    description: str
    line: int
    icon: str | None = None


if TYPE_CHECKING:
    # The typing view of the records: what mypy sees.  Keys not declared here are
    # still attributes (``Any``); tests/test_contract.py checks these against the schema.

    class Code(Record):
        language: str
        text: str
        body: str

    class ConfigField(Record):
        name: str
        required: bool
        type: str
        description: str
        choices: tuple[Any, ...]
        example: Any
        default: Any
        secret: bool | None
        where: str | None
        is_secret: bool

    class Step(Record):
        title: str
        body: str
        code: Code | None

    class Failure(Record):
        symptom: str
        cause: str
        fix: str
        match: tuple[str, ...]

    class Check(Record):
        check: str
        how: str
        expect: str

    class Related(Record):
        title: str
        doc: str | None
        connector: str | None
        url: str | None

    class Version(Record):
        version: str
        date: str
        changes: tuple[str, ...]

    class Connector(_ConnectorMixin, _ConnectorRecord):
        id: str
        name: str
        vendor: str
        domain: str
        type: str
        complexity: str
        complexity_note: str | None
        featured: bool
        summary: str
        use_cases: tuple[str, ...]
        overview: Any
        prerequisites: tuple[str, ...]
        fields: tuple[ConfigField, ...]
        flow: tuple[Step, ...]
        example: Code | None
        failures: tuple[Failure, ...]
        validation: tuple[Check, ...]
        readiness: Any
        related: tuple[Related, ...]
        versions: tuple[Version, ...]
        verified: Any
else:
    Connector = ConfigField = Code = Step = Failure = Check = Related = Version = Record


@dataclass
class Catalog:
    root: Path
    connectors: dict[str, Connector] = field(default_factory=dict)
    domains: dict[str, Taxonomy] = field(default_factory=dict)
    use_cases: dict[str, Taxonomy] = field(default_factory=dict)
    readiness: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[Any] = field(default_factory=list)
    #: ids whose file exists but did not load; their pages say so instead of failing twice
    broken: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    #: data/vendor-changes.yaml, newest first (undated last)
    vendor_changes: tuple[Any, ...] = ()
    #: old connector id -> the id it was renamed to (``renamed_from``)
    renamed: dict[str, str] = field(default_factory=dict)
    #: per connector id, its freshness on this build's date (see freshness.py)
    freshness: dict[str, Any] = field(default_factory=dict)
    #: connector id -> the content key of its file (digest and schema context): what made its record
    sources: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: what this build derived from the data once (listing views, exports), by any hashable key
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def by_domain(self, key: str) -> list[Connector]:
        return [c for c in self.sorted() if c.domain == key]

    def by_use_case(self, key: str) -> list[Connector]:
        return [c for c in self.sorted() if key in c.use_cases]

    def sorted(self) -> list[Connector]:
        return sorted(self.connectors.values(), key=lambda c: (c.name.lower(), c.id))

    def featured(self) -> list[Connector]:
        return [c for c in self.sorted() if c.featured]
