"""Build-time benchmark: our catalog against the same pages in plain MyST on stock furo.

    python bench/run.py                      # N = 100, 300, 1000 (about 20 minutes on 2 cores)
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
from generate import PROJECT, make_baseline, make_project  # noqa: E402

TIMED = Path(__file__).parent / "sphinx_timed.py"
PAGE = "integrations/synthetic-0001.html"


def sphinx(src: Path, out: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src / "_ext")}
    cmd = [sys.executable, str(TIMED), "-q", "-b", "html", "-d", str(out.parent / f"{out.name}-doctrees"),
           *args, str(src), str(out)]
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


def measure(n: int, work: Path, baseline: bool) -> dict:
    row: dict = {"n": n}
    ours = make_project(work / f"ours-{n}", n)
    serial = sphinx(ours, work / f"ours-{n}-html")
    row["serial"] = serial
    row["page_kb"] = (work / f"ours-{n}-html" / PAGE).stat().st_size / 1024
    row["output_mb"] = size_of(work / f"ours-{n}-html") / 2**20
    row["parallel"] = sphinx(ours, work / f"ours-{n}-html-j", "-j", "auto")
    # incremental: a field no listing shows, then one the cards show
    yaml_file = ours / "data/connectors/synthetic-0001.yaml"
    edit(yaml_file, "Used on tower routers", "Used on mast routers")
    row["incremental_guide"] = sphinx(ours, work / f"ours-{n}-html")
    edit(yaml_file, "for `subscriber` sync", "for `subscriber` and `device` sync")
    row["incremental_card"] = sphinx(ours, work / f"ours-{n}-html")
    if baseline:
        base = make_baseline(work / f"base-{n}", n)
        row["baseline"] = sphinx(base, work / f"base-{n}-html")
        row["baseline_page_kb"] = (work / f"base-{n}-html" / PAGE).stat().st_size / 1024
    shutil.rmtree(work / f"ours-{n}-html-j", ignore_errors=True)
    return row


def table(rows: list[dict]) -> str:
    head = ("N", "ours s", "s/page", "read s", "write s", "-j s", "peak MB", "page KB", "out MB",
            "base s", "base page KB", "base/ours", "incr s (read/written)", "incr card s (read)")
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in rows:
        s, p = r["serial"], r["parallel"]
        b = r.get("baseline")
        inc, card = r["incremental_guide"], r["incremental_card"]
        lines.append(" | ".join(str(x) for x in (
            r["n"], f"{s['wall']:.1f}", f"{s['wall'] / r['n']:.3f}", f"{s['read']:.1f}", f"{s['write']:.1f}",
            f"{p['wall']:.1f}", f"{s['peak_rss_mb']:.0f}", f"{r['page_kb']:.1f}", f"{r['output_mb']:.1f}",
            f"{b['wall']:.1f}" if b else "-", f"{r['baseline_page_kb']:.1f}" if b else "-",
            f"{b['wall'] / s['wall']:.2f}x" if b else "-",
            f"{inc['wall']:.2f} ({inc['docs_read']}/{inc['docs_written']})",
            f"{card['wall']:.2f} ({card['docs_read']})",
        )))
    return "\n".join(lines)


def ratios(rows: list[dict]) -> dict:
    first, last = rows[0], rows[-1]
    out = {
        "per_page_growth": (last["serial"]["wall"] / last["n"]) / (first["serial"]["wall"] / first["n"]),
        "page_size_growth": last["page_kb"] / first["page_kb"],
        "read_per_page_ours": last["serial"]["read"] / last["n"],
    }
    if "baseline" in last:
        out["baseline_over_ours"] = last["baseline"]["wall"] / last["serial"]["wall"]
        out["read_per_page_baseline"] = last["baseline"]["read"] / last["n"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.json")
    args = parser.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="wg-bench-") as tmp:
        rows = []
        for n in args.sizes:
            rows.append(measure(n, Path(tmp), not args.no_baseline))
            print(f"N={n} done after {time.time() - started:.0f}s", file=sys.stderr, flush=True)
    result = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "rows": rows, "ratios": ratios(rows), "table": table(rows)}
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(rows))
    print(json.dumps(result["ratios"], indent=1))


if __name__ == "__main__":
    main()
