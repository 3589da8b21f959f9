"""Build-time benchmark: our catalog against the same pages in plain MyST on stock furo.

    python bench/run.py                      # N = 100, 300, 1000 (about 35 minutes on 2 cores)
    python bench/run.py --sizes 100 300      # quicker
    python bench/run.py --no-baseline        # skip the furo baseline (about 13 minutes at N = 1000)
    python bench/run.py --first-view-only _build/html   # bytes a reader loads for an existing build
    python bench/run.py --sizes --real-site  # only the project's own site

For each N it generates N synthetic connectors (bench/generate.py) into a
temporary copy of the project and measures, each build in a fresh process:
a full serial build, a full ``-j auto`` build, the baseline (the same content
as hand-written MyST pages on stock furo), the floor (those pages on Sphinx's
``basic`` theme), and incremental rebuilds after one YAML edit, by a one-shot
``sphinx-build`` process and by the live preview's warm builder.  It also weighs
the output (landing page, the largest page of each listing family, the JSON
data files) and the bytes a reader's browser loads for the landing page.  It
prints two tables and writes them as JSON (bench/results.json).  Timings on
shared machines are noisy: compare the ratios measured in one run.  After the
baseline, ours and the floor are built in turn (``--pairs``, default 3): the
floor ratio is the median of the pairs' ratios, and the furo ratio divides the
baseline by the median of all of ours' full builds, made before and after it, and
by the mean of the two made just before and just after it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import PROJECT, make_baseline, make_project

TIMED = Path(__file__).parent / "sphinx_timed.py"
PAGE = "integrations/synthetic-0001.html"


def sphinx(src: Path, out: Path, *args: str) -> dict:
    # flush what earlier builds wrote, so their disk writes do not land in this one's time
    os.sync()
    env = {**os.environ, "PYTHONPATH": str(src / "_ext")}
    cmd = [
        sys.executable,
        str(TIMED),
        "-q",
        "-b",
        "html",
        "-d",
        str(out.parent / f"{out.name}-doctrees"),
        *args,
        str(src),
        str(out),
    ]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=src)
    # what a writer waits for: Python's start, the build and the process's end ("wall" is the build alone)
    process = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
    result["process"] = process
    result.pop("read_list", None)
    result["warnings"] = [w for w in done.stderr.splitlines() if "WARNING" in w][:5]
    return result


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def median_run(runs: list[dict], key: str = "wall") -> dict:
    """The run with the median ``key`` time, with every wall and process time kept beside it."""
    ordered = sorted(runs, key=lambda r: r[key])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["walls"] = [round(r["wall"], 3) for r in runs]
    chosen["processes"] = [round(r["process"], 3) for r in runs if "process" in r]
    return chosen


#: a field no listing shows, then one the cards show
EDITS = (
    ("incremental_guide", "Used on tower routers", "Used on mast routers"),
    ("incremental_card", "for `subscriber` sync", "for `subscriber` and `device` sync"),
)
#: seconds between a preview build and the next edit: a writer looks at the page first; the
#: zygote reads the environment ahead meanwhile (about half a second at N = 1,000)
WRITER_PAUSE = 3.0


def preview_edits(src: Path, out: Path, edits: int) -> dict:
    """The same edits through the live preview's builder (``make livehtml``, warm.py): each
    build forked from a process that has imported the build's modules and read the last
    build's environment; timed from the request to the reply, what the preview waits for
    before it reloads the page (the file watcher's 50 ms are not counted, as above)."""
    sys.path.insert(0, str(src / "_ext"))
    from wispgate_connectors import warm

    args = ["-q", "-b", "html", "-d", str(out.parent / f"{out.name}-doctrees"), str(src), str(out)]
    env = {**os.environ, "PYTHONPATH": str(src / "_ext")}
    yaml_file = src / "data/connectors/synthetic-0001.yaml"
    row = {}
    with warm.running_zygote(args, cwd=src, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as path:
        if warm.request_build(path) != {"code": 0, "warm": True}:  # the preview's first build: nothing changed
            raise SystemExit(f"the warm builder failed on {src}")
        for key, old, new in EDITS:
            runs = []
            for i in range(edits):
                time.sleep(WRITER_PAUSE)
                edit(yaml_file, *((old, new) if i % 2 == 0 else (new, old)))
                started = time.perf_counter()
                reply = warm.request_build(path)
                if reply != {"code": 0, "warm": True}:
                    raise SystemExit(f"a warm build failed: {reply}")
                runs.append({"wall": time.perf_counter() - started})
            row[f"preview_{key.removeprefix('incremental_')}"] = median_run(runs)
    return row


def full_builds(src: Path, out: Path, repeat: int) -> dict:
    """The median of ``repeat`` builds, each from scratch."""
    runs = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(out.parent / f"{out.name}-doctrees", ignore_errors=True)
        runs.append(sphinx(src, out))
    return median_run(runs)


def kb(path: Path) -> float:
    return path.stat().st_size / 1024


def page_weights(out: Path) -> dict:
    """Sizes of the pages and data files that grow with N, found by walking the output.

    Nothing here names today's listing pages: the extension may split a listing into
    an index and sub-pages. Every ``catalog/**.html`` belongs to the family of its
    first path component (``catalog/ports.html`` and ``catalog/ports/*.html`` are both
    ``ports``), and a family is judged by its largest page.
    """
    families: dict[str, dict] = {}
    catalog = out / "catalog"
    for page in sorted(catalog.rglob("*.html")) if catalog.is_dir() else ():
        name = page.relative_to(catalog).parts[0].removesuffix(".html")
        family = families.setdefault(name, {"pages": 0, "total_kb": 0.0, "largest": "", "kb": 0.0})
        size = kb(page)
        family["pages"] += 1
        family["total_kb"] += size
        if size > family["kb"]:
            family["largest"], family["kb"] = page.relative_to(out).as_posix(), size
    # a listing moved out of catalog/ would escape the families: the largest page anywhere catches it
    html = [p for p in out.rglob("*.html") if "_static" not in p.parts]
    biggest = max(html, key=lambda p: p.stat().st_size, default=None)
    connectors = sorted((out / "connectors").glob("*.json"), key=lambda p: -p.stat().st_size)
    index = out / "catalog-index.json"
    return {
        "landing_kb": kb(out / "index.html"),
        "pages": {
            name: kb(out / name)
            for name in ("genindex.html", "search.html", "404.html", "searchindex.js")
            if (out / name).is_file()
        },
        "families": families,
        "largest_listing": max(
            ({"family": f, "page": v["largest"], "kb": v["kb"]} for f, v in families.items()),
            key=lambda v: v["kb"],
            default=None,
        ),
        "largest_html": {"page": biggest.relative_to(out).as_posix(), "kb": kb(biggest)} if biggest else None,
        "catalog_index_kb": kb(index) if index.is_file() else None,
        "connector_json": {
            "files": len(connectors),
            "largest": connectors[0].name if connectors else None,
            "kb": kb(connectors[0]) if connectors else None,
            "total_kb": sum(map(kb, connectors)),
        },
        # catalog.json, failures.json, validation.json, ... and _static/*.json (catalog-index.json too)
        "json": {
            p.relative_to(out).as_posix(): kb(p)
            for p in sorted([*out.glob("*.json"), *(out / "_static").glob("*.json")])
        },
    }


def chromium() -> str | None:
    """Debian's chromium (Playwright's own browser download does not work here)."""
    return os.environ.get("WG_CHROMIUM") or shutil.which("chromium")


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """The folder over HTTP on a free loopback port; http.server sends bodies uncompressed."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def first_view(folder: Path, page: str = "index.html") -> dict:
    """Bytes a reader's browser fetches to show ``page``, cold cache, before any interaction.

    Everything that answers before the network goes idle counts: the HTML, CSS, JS,
    fonts, images, and JSON the page fetches on load. Data the page loads only when
    the reader asks for it (a click, a search) does not.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return {"error": "playwright is not installed"}
    exe = chromium()
    if not exe:
        return {"error": "chromium not found (set WG_CHROMIUM)"}
    responses: list = []
    with served(folder) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe, args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})  # a fresh, empty cache
            tab = context.new_page()
            tab.on("response", lambda r: responses.append(r))
            tab.goto(f"{base}/{page}", wait_until="networkidle")
            items = []
            for r in responses:
                try:
                    size = len(r.body())
                except Error:  # redirects have no body
                    size = 0
                length = r.headers.get("content-length")
                items.append(
                    {
                        "url": r.url.removeprefix(base + "/"),
                        "type": r.request.resource_type,
                        "status": r.status,
                        "bytes": size,
                        "content_length": int(length) if length and length.isdigit() else None,
                    }
                )
            context.close()
        finally:
            browser.close()
    by_type: dict[str, int] = {}
    for item in items:
        by_type[item["type"]] = by_type.get(item["type"], 0) + item["bytes"]
    return {
        "page": page,
        "total_bytes": sum(i["bytes"] for i in items),
        "requests": len(items),
        "by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1])),
        # a body whose length differs from its Content-Length would mean the sum is off
        "length_mismatches": [i["url"] for i in items if i["content_length"] not in (None, i["bytes"])],
        "responses": sorted(items, key=lambda i: -i["bytes"]),
    }


def first_view_line(view: dict | None) -> str:
    if not view:
        return "-"
    if "error" in view:
        return f"({view['error']})"
    parts = ", ".join(f"{k} {v / 1024:.0f}" for k, v in view["by_type"].items())
    return f"{view['total_bytes'] / 1024:.0f} ({view['requests']} req: {parts})"


def measure(n: int, work: Path, baseline: bool, floor: bool, view: bool, repeat: int, edits: int, pairs: int) -> dict:
    row: dict = {"n": n}
    ours = make_project(work / f"ours-{n}", n)
    out = work / f"ours-{n}-html"
    row["serial"] = full_builds(ours, out, repeat)
    row["page_kb"] = (out / PAGE).stat().st_size / 1024
    row["output_mb"] = size_of(out) / 2**20
    row["weights"] = page_weights(out)
    if view:
        row["first_view"] = first_view(out)
    row["parallel"] = sphinx(ours, work / f"ours-{n}-html-j", "-j", "auto")
    # incremental, each edit made and undone in turn: a field no listing shows, then one the cards show
    yaml_file = ours / "data/connectors/synthetic-0001.yaml"
    original = yaml_file.read_text(encoding="utf-8")
    for key, old, new in EDITS:
        runs = []
        for i in range(edits):
            edit(yaml_file, *((old, new) if i % 2 == 0 else (new, old)))
            runs.append(sphinx(ours, out))
        row[key] = median_run(runs, "process")  # an edit is waited for until the process ends
    row |= preview_edits(ours, out, edits)
    yaml_file.write_text(original, encoding="utf-8")  # the paired builds below build what the first did
    # the same plain pages on stock furo (what a team would otherwise have), then on `basic`
    # (the floor: what MyST and Sphinx cost with no theme work)
    if baseline:
        src = make_baseline(work / f"baseline-{n}", n, theme="furo")
        bout = work / f"baseline-{n}-html"
        # ours just before and just after the baseline (the first of the pairs below): the
        # baseline runs for ten minutes, in which the machine's speed drifts
        row["bracket"] = [full_builds(ours, out, 1)["wall"]]
        row["baseline"] = full_builds(src, bout, repeat)
        row["baseline_page_kb"] = (bout / PAGE).stat().st_size / 1024
        shutil.rmtree(src.parent / f"baseline-{n}-html-doctrees", ignore_errors=True)
    if floor:
        # ours and the floor in turn: the machine's speed drifts by more than 10% over a run
        # (the floor alone took 54 to 69 s at N = 1,000 on unchanged code), and each pair shares it
        src = make_baseline(work / f"floor-{n}", n, theme="basic")
        bout = work / f"floor-{n}-html"
        ours_runs, floor_runs = [], []
        for _ in range(max(pairs, 1)):
            ours_runs.append(full_builds(ours, out, 1))
            floor_runs.append(full_builds(src, bout, 1))
        row["pairs"] = {"ours": [r["wall"] for r in ours_runs], "floor": [r["wall"] for r in floor_runs]}
        if "bracket" in row:
            row["bracket"].append(ours_runs[0]["wall"])
        row["floor"] = median_run(floor_runs)
        row["floor_page_kb"] = (bout / PAGE).stat().st_size / 1024
        shutil.rmtree(src.parent / f"floor-{n}-html-doctrees", ignore_errors=True)
    if "bracket" in row and len(row["bracket"]) == 1:  # no pairs: one more build after the baseline
        row["bracket"].append(full_builds(ours, out, 1)["wall"])
    shutil.rmtree(work / f"ours-{n}-html-j", ignore_errors=True)
    return row


def ours_wall(row: dict) -> float:
    """Ours for the ratios: the median of every full build of the row (the first, the one just
    before the furo baseline, and those paired with the floor, made after it)."""
    before = row.get("bracket", [])[:1]
    return statistics.median([row["serial"]["wall"], *before, *row.get("pairs", {}).get("ours", [])])


def bracketed(row: dict) -> float:
    """The baseline over the mean of ours built just before and just after it."""
    return row["baseline"]["wall"] / statistics.mean(row["bracket"])


def over_floor(row: dict) -> float:
    """Ours over the floor: the median of the paired builds' ratios."""
    pairs = row["pairs"]
    return statistics.median(o / f for o, f in zip(pairs["ours"], pairs["floor"], strict=True))


def measure_real(work: Path, view: bool) -> dict:
    """The project's own site (its real connectors), built from scratch into ``work``."""
    out = work / "real-html"
    row: dict = {"n": len(list((PROJECT / "data/connectors").glob("*.yaml")))}
    row["serial"] = full_builds(PROJECT, out, 1)
    row["output_mb"] = size_of(out) / 2**20
    row["weights"] = page_weights(out)
    if view:
        row["first_view"] = first_view(out)
    return row


def per_guide_ms(build: dict) -> float:
    return 1000 * build["guide_read"] / max(build["guides_timed"], 1)


def edits_of(rows: list[dict]) -> int:
    return len(rows[0]["incremental_guide"]["walls"]) if rows else 0


def preview_line(row: dict) -> str:
    if "preview_guide" not in row:
        return "-"
    return f"{row['preview_guide']['wall']:.2f}, {row['preview_card']['wall']:.2f}"


def time_table(rows: list[dict]) -> str:
    k = edits_of(rows)
    head = (
        "N",
        "ours s",
        "s/page",
        "read s",
        "write s",
        "-j s",
        "peak MB",
        "page KB",
        "out MB",
        "base s",
        "base page KB",
        "base/ours (median ours; ours before and after)",
        "floor s (median)",
        "ours/floor (median of pairs)",
        "guide read ms (base)",
        f"guide edit s, median of {k}: process (build; read/written)",
        f"card edit s, median of {k}: process (build; read/written)",
        f"live preview edit s, median of {k}: guide, card",
    )
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in rows:
        s, p = r["serial"], r["parallel"]
        b, f = r.get("baseline"), r.get("floor")
        inc, card = r["incremental_guide"], r["incremental_card"]
        base_guide = f" ({per_guide_ms(b):.0f})" if b else ""
        lines.append(
            " | ".join(
                str(x)
                for x in (
                    r["n"],
                    f"{s['wall']:.1f}",
                    f"{s['wall'] / r['n']:.3f}",
                    f"{s['read']:.1f}",
                    f"{s['write']:.1f}",
                    f"{p['wall']:.1f}",
                    f"{s['peak_rss_mb']:.0f}",
                    f"{r['page_kb']:.1f}",
                    f"{r['output_mb']:.1f}",
                    f"{b['wall']:.1f}" if b else "-",
                    f"{r['baseline_page_kb']:.1f}" if b else "-",
                    base_ratios(r) if b else "-",
                    f"{f['wall']:.1f}" if f else "-",
                    f"{over_floor(r):.2f}x" if f else "-",
                    f"{per_guide_ms(s):.0f}{base_guide}",
                    f"{inc['process']:.2f} ({inc['wall']:.2f}; {inc['docs_read']}/{inc['docs_written']})",
                    f"{card['process']:.2f} ({card['wall']:.2f}; {card['docs_read']}/{card['docs_written']})",
                    preview_line(r),
                )
            )
        )
    return "\n".join(lines)


def base_ratios(row: dict) -> str:
    median = f"{row['baseline']['wall'] / ours_wall(row):.2f}x"
    return f"{median}; {bracketed(row):.2f}x" if "bracket" in row else median


def weight_table(rows: list[dict]) -> str:
    head = (
        "N",
        "landing KB",
        "largest listing (KB)",
        "genindex KB",
        "search KB",
        "catalog-index KB",
        "largest connector JSON (KB)",
        "other JSON KB",
        "first view KB (requests: by type)",
    )
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in rows:
        w = r["weights"]
        top, conn, pages = w["largest_listing"], w["connector_json"], w["pages"]
        other = ", ".join(
            f"{name.removesuffix('.json')} {size:.0f}"
            for name, size in w["json"].items()
            if name != "catalog-index.json"
        )
        lines.append(
            " | ".join(
                (
                    str(r["n"]),
                    f"{w['landing_kb']:.0f}",
                    f"{top['page']} ({top['kb']:.0f})" if top else "-",
                    f"{pages['genindex.html']:.0f}" if "genindex.html" in pages else "-",
                    f"{pages['search.html']:.0f}" if "search.html" in pages else "-",
                    f"{w['catalog_index_kb']:.0f}" if w["catalog_index_kb"] is not None else "-",
                    f"{conn['largest']} ({conn['kb']:.1f})" if conn["largest"] else "-",
                    other or "-",
                    first_view_line(r.get("first_view")),
                )
            )
        )
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    return time_table(rows) + "\n\n" + weight_table(rows)


def ratios(rows: list[dict]) -> dict:
    first, last = rows[0], rows[-1]
    s = last["serial"]
    w = last["weights"]
    out = {
        "per_page_growth": (s["wall"] / last["n"]) / (first["serial"]["wall"] / first["n"]),
        "page_size_growth": last["page_kb"] / first["page_kb"],
        "serial_seconds_at_largest_n": s["wall"],
        # edits: start to end of the process, as a writer's preview waits (the build alone beside it)
        "incremental_seconds_at_largest_n": last["incremental_guide"]["process"],
        "card_edit_seconds_at_largest_n": last["incremental_card"]["process"],
        "preview_guide_edit_seconds_at_largest_n": last["preview_guide"]["wall"],
        "preview_card_edit_seconds_at_largest_n": last["preview_card"]["wall"],
        "incremental_build_seconds_at_largest_n": last["incremental_guide"]["wall"],
        "card_edit_build_seconds_at_largest_n": last["incremental_card"]["wall"],
        "guide_read_ms_ours": per_guide_ms(s),
        # landing growth is against the smallest N measured (the target names N = 100)
        "landing_growth": w["landing_kb"] / first["weights"]["landing_kb"],
        "landing_kb_at_largest_n": w["landing_kb"],
        "largest_listing_at_largest_n": w["largest_listing"],
        "catalog_index_kb_at_largest_n": w["catalog_index_kb"],
    }
    if "baseline" in last:
        b = last["baseline"]
        out["ours_median_seconds_at_largest_n"] = ours_wall(last)
        out["baseline_over_ours"] = b["wall"] / ours_wall(last)
        if "bracket" in last:
            out["ours_bracket_seconds_at_largest_n"] = last["bracket"]
            out["baseline_over_bracket"] = bracketed(last)
        out["guide_read_ms_baseline"] = per_guide_ms(b)
        out["guide_read_ours_over_baseline"] = out["guide_read_ms_ours"] / out["guide_read_ms_baseline"]
    if "floor" in last:
        out["ours_over_floor"] = over_floor(last)
    view = last.get("first_view") or {}
    if "total_bytes" in view:
        out["first_view_kb_at_largest_n"] = view["total_bytes"] / 1024
    return out


def targets(rows: list[dict]) -> list[dict]:
    """Issue 16's targets, checked at the largest N measured (they are set for N = 1,000)."""
    r = ratios(rows)
    last = rows[-1]
    listing = r["largest_listing_at_largest_n"]
    checks = [
        (f"landing at most 1.2x its size at N = {rows[0]['n']}", r["landing_growth"], "<=", 1.2),
        ("landing under 300 KB", r["landing_kb_at_largest_n"], "<", 300),
        ("every listing page under 400 KB", listing["kb"] if listing else None, "<", 400),
        ("catalog index under 200 KB", r["catalog_index_kb_at_largest_n"], "<", 200),
        # what a writer waits for: the live preview (make livehtml), whose builds are warm
        ("card edit under 3 s (live preview)", r["preview_card_edit_seconds_at_largest_n"], "<", 3),
        ("guide edit under 2 s (live preview)", r["preview_guide_edit_seconds_at_largest_n"], "<", 2),
        # the same edits built by a one-shot sphinx-build process, for comparison
        ("card edit under 3 s (one sphinx-build process)", r["card_edit_seconds_at_largest_n"], "<", 3),
        ("guide edit under 2 s (one sphinx-build process)", r["incremental_seconds_at_largest_n"], "<", 2),
        ("full serial at least 10x the furo baseline", r.get("baseline_over_ours"), ">=", 10),
        ("the same, ours built just before and after the baseline", r.get("baseline_over_bracket"), ">=", 10),
        ("full serial at most 1.3x the basic floor", r.get("ours_over_floor"), "<=", 1.3),
        ("first view under 500 KB", r.get("first_view_kb_at_largest_n"), "<", 500),
    ]
    met = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
    return [
        {
            "n": last["n"],
            "target": name,
            "measured": None if value is None else round(value, 3),
            "limit": f"{op} {limit}",
            "met": None if value is None else met[op](value, limit),
        }
        for name, value, op, limit in checks
    ]


def target_lines(rows: list[dict]) -> str:
    return "\n".join(
        f"{'-' if t['met'] is None else 'yes' if t['met'] else 'NO':3} | N = {t['n']} | {t['target']}: "
        f"{'not measured' if t['measured'] is None else t['measured']} ({t['limit']})"
        for t in targets(rows)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 300, 1000], help="none: no synthetic catalog")
    parser.add_argument("--no-baseline", action="store_true", help="skip the furo baseline (the slow one)")
    parser.add_argument("--no-floor", action="store_true", help="skip the basic-theme floor")
    parser.add_argument("--no-first-view", action="store_true", help="skip the browser (bytes of the first view)")
    parser.add_argument("--real-site", action="store_true", help="also build and weigh the project's own site")
    parser.add_argument(
        "--first-view-only",
        type=Path,
        metavar="HTML_DIR",
        help="only weigh an existing build (pages, JSON, first view) and print it",
    )
    parser.add_argument("--repeat", type=int, default=1, help="full builds per N (the median is kept)")
    parser.add_argument(
        "--pairs", type=int, default=3, help="full builds of ours and of the floor in turn, after the baseline"
    )
    parser.add_argument("--edits", type=int, default=5, help="incremental rebuilds per kind of edit (median)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.json")
    args = parser.parse_args()
    if args.first_view_only:
        folder = args.first_view_only.resolve()
        if not (folder / "index.html").is_file():
            raise SystemExit(f"no index.html in {folder}")
        found = {"folder": str(folder), "weights": page_weights(folder), "first_view": first_view(folder)}
        print(json.dumps(found, indent=1))
        print(f"first view KB of {folder}/index.html: {first_view_line(found['first_view'])}", file=sys.stderr)
        return
    started = time.time()
    view = not args.no_first_view
    with tempfile.TemporaryDirectory(prefix="wg-bench-") as tmp:
        rows = []
        for n in args.sizes:
            wanted = (not args.no_baseline, not args.no_floor, view)
            rows.append(measure(n, Path(tmp), *wanted, args.repeat, args.edits, args.pairs))
            print(f"N={n} done after {time.time() - started:.0f}s", file=sys.stderr, flush=True)
        real = measure_real(Path(tmp), view) if args.real_site else None
    result: dict = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "args": {"sizes": args.sizes, "repeat": args.repeat, "edits": args.edits, "pairs": args.pairs},
        "rows": rows,
    }
    if rows:
        result |= {"ratios": ratios(rows), "targets": targets(rows), "table": table(rows)}
        print(table(rows))
        print()
        print(target_lines(rows))
    if real:
        result["real_site"] = real
        w = real["weights"]
        top = w["largest_listing"]
        print(
            f"\nreal site, {real['n']} connectors: serial {real['serial']['wall']:.1f} s, "
            f"landing {w['landing_kb']:.0f} KB, largest listing {top['page']} {top['kb']:.0f} KB, "
            f"first view KB {first_view_line(real.get('first_view'))}"
        )
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    if rows:
        print(json.dumps(result["ratios"], indent=1))


if __name__ == "__main__":
    main()
