"""File-system guards and text checks shared by ``make check`` and the build.

No Sphinx import.  Every file the project reads goes through :func:`read_regular`:
only regular files inside the project are read, checked with ``stat`` before a
byte is read, so a symlink to ``/dev/zero``, a FIFO, a dangling or looping link
or a link to a host file gives one message instead of a hang, a traceback or a
quoted host file.  :func:`tree_problems` finds the same in the folders Sphinx
walks (pages, ``_static``, ``data``), so both commands refuse them.
"""

from __future__ import annotations

import errno
import hashlib
import ipaddress
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from sphinx.config import Config

#: echoed values in messages are cut to this many characters
ECHO_LIMIT = 80


class UnsafeFile(Exception):
    """A file that is not read; ``message`` never quotes its content or its target."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- messages ---------------------------------------------------------------------------


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """One line, at most ``limit`` characters: an echoed value never floods a message."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def escape_name(name: str) -> str:
    """A file name as messages show it: non-ASCII and invisible characters as escapes.

    'mikrоtik' with a Cyrillic 'о' then reads 'mikr\\u043etik', not like 'mikrotik';
    a newline in a name no longer splits the message.
    """
    out = []
    for ch in name:
        if " " <= ch <= "~" and ch != "\\":
            out.append(ch)
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def plain_name(name: str) -> bool:
    return escape_name(name) == name


def display(path: Path, root: Path) -> str:
    """The project-relative path of a file, safe to print on one line."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    return escape_name(rel)


# --- invisible and bidirectional characters ---------------------------------------------

# Cc and Cf (Unicode 15) except tab and newline, plus the line and paragraph separators:
# bidi overrides and isolates, zero-width characters, NEL, soft hyphen, tags.  Readers
# (and copy buttons) cannot see them; U+2028/U+0085 also count as line breaks to YAML
# but not to editors.
_INVISIBLE_REST = (
    "\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE_REST}]")
#: in a file's raw text carriage returns end lines (CRLF files), so they pass
INVISIBLE_RAW = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_INVISIBLE_REST}]")
_CONTROL_NAMES = {0x85: "NEXT LINE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN"}


def char_name(ch: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "a control character")
    return f"U+{ord(ch):04X} ({name})"


def invisible_message(ch: str) -> str:
    return (
        f"invisible character {char_name(ch)}: it hides or reorders text on the page and in copied commands; delete it"
    )


def editor_line(text: str, index: int) -> int:
    """The line an editor shows for ``text[index]``: only newlines count."""
    return text.count("\n", 0, index) + 1


# --- reading files ------------------------------------------------------------------------


def inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _link_problem(path: Path, root: Path) -> str | None:
    """Why a symbolic link is not followed, or None when it leads to a file in the project."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops; replace it with the file itself"
        return "is a symbolic link to a file that does not exist; replace it with the file itself"
    except RuntimeError:
        return "is a symbolic link that loops; replace it with the file itself"
    if not inside(target, root):
        return "is a symbolic link to a file outside the project; only files inside the project are read"
    return None


def check_file(path: Path, root: Path) -> os.stat_result:
    """``stat`` a file before it is read; raise :class:`UnsafeFile` unless it is a
    regular file inside ``root`` (following links that stay inside)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise UnsafeFile("file disappeared while it was being checked") from None
    except OSError as exc:
        raise UnsafeFile(f"cannot read file: {exc.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        problem = _link_problem(path, root)
        if problem:
            raise UnsafeFile("file " + problem)
        st = os.stat(path)
    elif not inside(path, root):
        raise UnsafeFile("file is outside the project; only files inside the project are read")
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFile(f"file is {_kind(st.st_mode)}, not a regular file; only regular files are read")
    return st


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_regular(path: Path, root: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file inside ``root``, at most ``limit`` of them.

    Size and type are checked before reading; the file is opened without following
    a last-moment link and without blocking, and read no further than the limit.
    """
    st = check_file(path, root)
    if limit is not None and st.st_size > limit:
        raise UnsafeFile(f"file is {st.st_size} bytes; the limit is {limit}")
    real = os.path.realpath(path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise UnsafeFile(f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):  # swapped between the checks and the open
            raise UnsafeFile(f"file is {_kind(st.st_mode)}, not a regular file; only regular files are read")
        data = f.read(limit + 1 if limit is not None else -1)
    if limit is not None and len(data) > limit:
        raise UnsafeFile(f"file is more than {limit} bytes; the limit is {limit}")
    return data


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


Stamp = tuple[int, ...]


def stat_stamp(path: Path) -> Stamp | None:
    """What changes whenever a file's content may have: its inode, size, and modification
    and inode-change times.  The change time moves on every write and no copy tool
    (``cp -p``, ``rsync -t``, ``tar x``) can set it back, so caches keyed on content can
    trust an unchanged stamp instead of reading the file again.  The link itself, not
    its target: a file swapped for a link is read (and refused) again."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_digest(path: Path, root: Path, limit: int | None = None) -> str:
    """The content key of a file (or of why it cannot be read): caches are keyed on it,
    so an edit that keeps the size and the time stamp (``cp -p``, ``rsync -t``) counts."""
    try:
        return digest(read_regular(path, root, limit))
    except UnsafeFile as exc:
        return "unsafe:" + exc.message


# --- the tree Sphinx walks ------------------------------------------------------------------


def _translate(pattern: str) -> str:
    """Sphinx's exclude-pattern syntax: '**' crosses folders, '*' and '?' do not."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end]
                body = "^/" + body[1:] if body.startswith("!") else body.replace("\\", "\\\\")
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out) + r"\Z"


def exclude_matcher(patterns: Iterable[str]) -> Callable[[str], bool]:
    compiled = [re.compile(_translate(p)) for p in patterns]
    return lambda rel: any(c.match(rel) for c in compiled)


#: what Sphinx never reads, whatever conf.py says
ALWAYS_EXCLUDED = ("**/_sources", ".#*", "**/.#*", "*.lproj/**")


def walk(root: Path, exclude_patterns: Iterable[str] = ()) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry below ``root`` that Sphinx's walk would meet, without following links.

    Yields (relative path, entry); excluded folders are not entered.
    """
    excluded = exclude_matcher([*exclude_patterns, *ALWAYS_EXCLUDED])
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(root / rel_dir), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if excluded(unicodedata.normalize("NFC", rel)):
                continue
            yield rel, entry
            if entry.is_dir(follow_symlinks=False):
                stack.append(rel)


def source_files(root: Path, exclude_patterns: Iterable[str], suffixes: Iterable[str]) -> list[str]:
    """Relative paths of the pages Sphinx reads (every folder, not a fixed list)."""
    suffixes = tuple(suffixes)
    return sorted(
        rel
        for rel, entry in walk(root, exclude_patterns)
        if rel.endswith(suffixes) and not entry.is_dir(follow_symlinks=False)
    )


FOLDER_LINK = (
    "this is a symbolic link to a folder: Sphinx would follow it (perhaps forever) and the build "
    "writes nothing through it; replace it with the folder"
)


def tree_problems(
    root: Path, exclude_patterns: Iterable[str], suffixes: Iterable[str], read_folders: Iterable[str] = ("data",)
) -> list[tuple[str, str]]:
    """(relative path, problem) for what Sphinx or the loader would read unsafely.

    Folder links anywhere in the walked tree (Sphinx follows them, and two of them
    can make the walk endless), and, for pages and files under ``read_folders``
    (data, static files), links leaving the project, dangling or looping links,
    and special files (FIFOs, devices).
    """
    root = Path(root)
    suffixes = tuple(suffixes)
    folders = tuple(f.strip("/") + "/" for f in read_folders if f.strip("/"))
    out = []
    for rel, entry in walk(root, exclude_patterns):
        read = rel.endswith(suffixes) or rel.startswith(folders) or rel + "/" in folders
        if entry.is_symlink():
            if os.path.isdir(entry.path):
                out.append((rel, FOLDER_LINK))
            elif read:
                problem = _link_problem(Path(entry.path), root)
                if problem:
                    out.append((rel, "file " + problem))
                elif not os.path.isfile(entry.path):
                    out.append(
                        (
                            rel,
                            (
                                f"file is a symbolic link to {_kind(os.stat(entry.path).st_mode)}, "
                                "not a regular file; only regular files are read"
                            ),
                        )
                    )
            continue
        if read and not entry.is_dir(follow_symlinks=False) and not entry.is_file(follow_symlinks=False):
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            out.append((rel, f"file is {_kind(mode)}, not a regular file; only regular files are read"))
    return out


# --- generated pages ------------------------------------------------------------------------


#: what :func:`generated_plan` learned of a page in a folder of generated pages, by its
#: project-relative path: (its stamp, the marker looked for, whether it starts with it, its digest)
KnownPages = dict[str, tuple[Stamp, str, bool, str]]


def know_page(known: KnownPages, rel: str, stamp: Stamp | None, marker: str, data: bytes) -> tuple[bool, str]:
    """Remember a page just read or written (not without a stamp); return (generated, digest)."""
    generated, content = data.startswith(marker.encode()), digest(data)
    if stamp is None:
        known.pop(rel, None)
    else:
        known[rel] = (stamp, marker, generated, content)
    return generated, content


def generated_plan(
    root: Path, folder: str, wanted: dict[str, str], marker: str, known: KnownPages | None = None
) -> tuple[list[tuple[str, str]], list[Path], list[tuple[Path, str]]]:
    """What writing generated pages into ``folder`` may do: (problems, deletions, writes).

    Nothing is written or deleted through a symbolic link or outside the project,
    and a page without the generator's first line is never deleted or overwritten.
    ``wanted`` maps file names to their text; problems are (relative path, message).
    ``known`` (updated in place) spares reading again a page whose stamp did not move.
    """
    root = Path(root)
    base = root / folder
    problems: list[tuple[str, str]] = []
    # the folder and every folder above it up to the project
    parts = Path(folder).parts
    for i in range(1, len(parts) + 1):
        here = root.joinpath(*parts[:i])
        if os.path.islink(here):
            return (
                [
                    (
                        "/".join(parts[:i]),
                        FOLDER_LINK
                        if os.path.isdir(here)
                        else "file "
                        + (_link_problem(here, root) or "is a symbolic link where a folder of generated pages belongs"),
                    )
                ],
                [],
                [],
            )
        if os.path.lexists(here) and not os.path.isdir(here):
            return [("/".join(parts[:i]), "this is not a folder; generated pages belong here: move it away")], [], []
    if not inside(base, root):
        return [(folder, "this folder leads outside the project; generated pages are not written there")], [], []
    deletions, writes = [], []
    existing = {}
    if base.is_dir():
        for entry in sorted(os.scandir(base), key=lambda e: e.name):
            if entry.name.endswith(".md"):
                existing[entry.name] = entry
    for name, entry in existing.items():
        rel = f"{folder}/{name}"
        if entry.is_symlink():
            problem = _link_problem(Path(entry.path), root)
            problems.append(
                (
                    escape_name(rel),
                    "file " + problem
                    if problem
                    else "file is a symbolic link; generated pages are not written through links: delete it",
                )
            )
            continue
        hit = known.get(rel) if known is not None else None
        fstamp = stat_stamp(Path(entry.path))
        if hit is not None and fstamp is not None and hit[0] == fstamp and hit[1] == marker:
            generated, content = hit[2], hit[3]  # the same file as when it was read
        else:
            try:
                data = read_regular(Path(entry.path), root, 1 << 20)
            except UnsafeFile as exc:
                problems.append((escape_name(rel), exc.message))
                continue
            generated, content = know_page(known if known is not None else {}, rel, fstamp, marker, data)
        if not generated:
            problems.append(
                (
                    escape_name(rel),
                    (
                        f"this page is not generated (its first line is not "
                        f"{clip(marker.strip(), 40)!r}), so it is kept; pages in {folder}/ "
                        "are generated from data/: move it to another folder"
                    ),
                )
            )
            continue
        if name not in wanted:
            deletions.append(base / name)
        elif content != digest(wanted[name].encode("utf-8")):
            writes.append((base / name, wanted[name]))
    for name, text in wanted.items():
        if name not in existing:
            writes.append((base / name, text))
    if known is not None:  # pages gone since
        prefix = f"{folder}/"
        for rel in [r for r in known if r.startswith(prefix)]:
            name = rel[len(prefix) :]
            if "/" not in name and name not in existing:
                del known[rel]
    return problems, deletions, writes


def write_new(path: Path, text: str) -> None:
    """Write a generated page without following a link put there meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)  # replaces a link itself, never its target


# --- the project's settings, without running conf.py -----------------------------------------

DEFAULT_SETTINGS = {
    "exclude_patterns": [],
    "source_suffix": [".rst", ".md"],
    "myst_enable_extensions": [],
    "html_static_path": [],
    "templates_path": [],
}


def project_settings(root: Path) -> dict[str, Any]:
    """The conf.py values the checks need, read as literals (``make check`` runs no Sphinx).

    The build passes its real configuration instead (:func:`settings_from_config`).
    """
    import ast

    out = {k: list(v) for k, v in DEFAULT_SETTINGS.items()}
    try:
        tree = ast.parse(read_regular(Path(root) / "conf.py", Path(root), 1 << 20).decode("utf-8"))
    except (UnsafeFile, UnicodeDecodeError, SyntaxError, ValueError):
        return out
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in out:
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                out[name] = list(value) if not isinstance(value, str) else [value]
    out["exclude_patterns"] = [*out["exclude_patterns"], *out["templates_path"]]
    return out


def settings_from_config(config: Config) -> dict[str, Any]:
    suffix = config.source_suffix
    return {
        "exclude_patterns": [*config.exclude_patterns, *config.templates_path],
        "source_suffix": list(suffix) if not isinstance(suffix, str) else [suffix],
        "myst_enable_extensions": list(getattr(config, "myst_enable_extensions", []) or []),
        "html_static_path": list(getattr(config, "html_static_path", []) or []),
        "templates_path": list(config.templates_path),
    }


# --- link checking ---------------------------------------------------------------------------

_METADATA_HOSTS = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"}
)


def private_host(host: str) -> bool:
    """True for localhost, cloud metadata names and IP literals in private, loopback,
    link-local, shared or reserved ranges (written in any notation ``inet_aton`` takes)."""
    host = host.strip("[]").rstrip(".").lower()
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost") or host in _METADATA_HOSTS:
        return True
    address = _ip(host)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    # 2130706433, 0x7f.1, 0177.0.0.1: what a resolver accepts as an IPv4 address
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(re.fullmatch(r"0x[0-9a-f]*|[0-9]+", p) for p in parts):
        return None
    try:
        values = [
            int(p, 16) if p.startswith("0x") else int(p, 8) if len(p) > 1 and p.startswith("0") else int(p)
            for p in parts
        ]
    except ValueError:
        return None
    widths = {1: (32,), 2: (8, 24), 3: (8, 8, 16), 4: (8, 8, 8, 8)}[len(parts)]
    number = 0
    for value, width in zip(values, widths, strict=False):
        if value >= 1 << width:
            return None
        number = number << width | value
    return ipaddress.IPv4Address(number)


def private_url(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return private_host(host)


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly (JSON strings are YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)
