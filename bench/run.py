"""Build-time benchmark: our catalog against the same pages in plain MyST on stock furo.

    python bench/run.py                      # N = 100, 300, 1000 (about 25 minutes on 2 cores)
    python bench/run.py --sizes 100 300      # quicker
    python bench/run.py --no-baseline        # only our builds

For each N it generates N synthetic connectors (bench/generate.py) into a
temporary copy of the project and measures, each build in a fresh process:
a full serial build, a full ``-j auto`` build, the baseline (the same content
as hand-written MyST pages on stock furo), and incremental rebuilds after one
YAML edit.  It prints one table and writes it as JSON (bench/results.json).
Timings on shared machines are noisy: compare the ratios measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import make_baseline, make_project

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
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=src)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
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


def median_run(runs: list[dict]) -> dict:
    """The run with the median wall time, with every wall time kept beside it."""
    ordered = sorted(runs, key=lambda r: r["wall"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["walls"] = [round(r["wall"], 3) for r in runs]
    return chosen


def full_builds(src: Path, out: Path, repeat: int) -> dict:
    """The median of ``repeat`` builds, each from scratch."""
    runs = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(out.parent / f"{out.name}-doctrees", ignore_errors=True)
        runs.append(sphinx(src, out))
    return median_run(runs)


def measure(n: int, work: Path, baseline: bool, repeat: int, edits: int) -> dict:
    row: dict = {"n": n}
    ours = make_project(work / f"ours-{n}", n)
    out = work / f"ours-{n}-html"
    row["serial"] = full_builds(ours, out, repeat)
    row["page_kb"] = (out / PAGE).stat().st_size / 1024
    row["output_mb"] = size_of(out) / 2**20
    row["parallel"] = sphinx(ours, work / f"ours-{n}-html-j", "-j", "auto")
    # incremental, each edit made and undone in turn: a field no listing shows, then one the cards show
    yaml_file = ours / "data/connectors/synthetic-0001.yaml"
    for key, old, new in (
        ("incremental_guide", "Used on tower routers", "Used on mast routers"),
        ("incremental_card", "for `subscriber` sync", "for `subscriber` and `device` sync"),
    ):
        runs = []
        for i in range(edits):
            edit(yaml_file, *((old, new) if i % 2 == 0 else (new, old)))
            runs.append(sphinx(ours, out))
        row[key] = median_run(runs)
    if baseline:
        base = make_baseline(work / f"base-{n}", n)
        bout = work / f"base-{n}-html"
        row["baseline"] = full_builds(base, bout, repeat)
        row["baseline_page_kb"] = (bout / PAGE).stat().st_size / 1024
    shutil.rmtree(work / f"ours-{n}-html-j", ignore_errors=True)
    return row


def table(rows: list[dict]) -> str:
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
        "base/ours",
        "guide read ms (base)",
        "incr s (read/written)",
        "incr card s (read)",
    )
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in rows:
        s, p = r["serial"], r["parallel"]
        b = r.get("baseline")
        inc, card = r["incremental_guide"], r["incremental_card"]
        guide = 1000 * s["guide_read"] / max(s["guides_timed"], 1)
        base_guide = f" ({1000 * b['guide_read'] / max(b['guides_timed'], 1):.0f})" if b else ""
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
                    f"{b['wall'] / s['wall']:.2f}x" if b else "-",
                    f"{guide:.0f}{base_guide}",
                    f"{inc['wall']:.2f} ({inc['docs_read']}/{inc['docs_written']})",
                    f"{card['wall']:.2f} ({card['docs_read']})",
                )
            )
        )
    return "\n".join(lines)


def ratios(rows: list[dict]) -> dict:
    first, last = rows[0], rows[-1]
    s = last["serial"]
    out = {
        "per_page_growth": (s["wall"] / last["n"]) / (first["serial"]["wall"] / first["n"]),
        "page_size_growth": last["page_kb"] / first["page_kb"],
        "serial_seconds_at_largest_n": s["wall"],
        "incremental_seconds_at_largest_n": last["incremental_guide"]["wall"],
        "guide_read_ms_ours": 1000 * s["guide_read"] / max(s["guides_timed"], 1),
    }
    if "baseline" in last:
        b = last["baseline"]
        out["baseline_over_ours"] = b["wall"] / s["wall"]
        out["guide_read_ms_baseline"] = 1000 * b["guide_read"] / max(b["guides_timed"], 1)
        out["guide_read_ours_over_baseline"] = out["guide_read_ms_ours"] / out["guide_read_ms_baseline"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="full builds per N (the median is kept)")
    parser.add_argument("--edits", type=int, default=5, help="incremental rebuilds per kind of edit (median)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.json")
    args = parser.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="wg-bench-") as tmp:
        rows = []
        for n in args.sizes:
            rows.append(measure(n, Path(tmp), not args.no_baseline, args.repeat, args.edits))
            print(f"N={n} done after {time.time() - started:.0f}s", file=sys.stderr, flush=True)
    result = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "args": {"sizes": args.sizes, "repeat": args.repeat, "edits": args.edits},
        "rows": rows,
        "ratios": ratios(rows),
        "table": table(rows),
    }
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(rows))
    print(json.dumps(result["ratios"], indent=1))


if __name__ == "__main__":
    main()
