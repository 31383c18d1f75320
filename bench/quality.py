"""`python -m bench.quality`: what the outlier check adds to a county file's upload.

The 144 township-month workbooks of the county year (bench/scale.py, the demo's standard ledger
layout) are loaded, in order, into two copies of a freshly loaded demo database in the same run:
one with the data-quality check (minzheng/quality/outliers.py) and one with it switched off. The
two loads alternate file by file (which goes first alternates too), so both see the same machine
load and the same growing history. Reported per file: the upload (check + commit) with and
without the check, the check alone, and the ratio of the totals. `--write` puts the result into
bench/RESULTS.md between the markers `<!-- quality -->` and `<!-- /quality -->` (below the notes
line, which a full `python -m bench` keeps).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from bench import run, scale
from minzheng import store
from minzheng.demo import loader
from minzheng.intake import ingest, outliers

START, END = "<!-- quality -->", "<!-- /quality -->"
TARGET_MS = 100.0


def measure(limit: int | None = None, log=print) -> dict:
    """Load the county year's files into two demo copies, with and without the check."""
    files, _truth = scale.county_year_files()
    paths = ingest.expand_paths([files])[:limit]
    with tempfile.TemporaryDirectory(prefix="minzheng-quality-") as tmp:
        base = Path(tmp) / "demo.duckdb"
        con = store.connect(base)
        loader.load_demo(con)
        con.execute("CHECKPOINT")
        con.close()
        cons = {}
        for name in ("with", "without"):
            target = Path(tmp) / f"{name}.duckdb"
            scale.copy_db(base, target)
            cons[name] = store.connect(target)
        detect = outliers.detect
        check_ms: list[float] = []

        def timed(cur, facts, ref):
            start = time.perf_counter()
            found = detect(cur, facts, ref)
            check_ms.append((time.perf_counter() - start) * 1000)
            return found

        times: dict[str, list[float]] = {"with": [], "without": []}
        flags = 0
        for n, path in enumerate(paths):
            order = ("with", "without") if n % 2 == 0 else ("without", "with")
            for name in order:
                outliers.detect = timed if name == "with" else (lambda cur, facts, ref: [])
                try:
                    start = time.perf_counter()
                    result = ingest.ingest_file(cons[name], path)
                    times[name].append((time.perf_counter() - start) * 1000)
                finally:
                    outliers.detect = detect
                if result.status != ingest.LOADED:
                    raise RuntimeError(result.line())
                if name == "with":
                    flags += len(result.check.flags)
        for c in cons.values():
            c.close()
    total = {k: sum(v) for k, v in times.items()}
    log(
        f"{len(paths)} files: {statistics.median(times['with']):.1f} ms with, "
        f"{statistics.median(times['without']):.1f} ms without (median per file); "
        f"check alone {statistics.median(check_ms):.1f} ms, max {max(check_ms):.1f} ms"
    )
    return {
        "files": len(paths),
        "with_ms": times["with"],
        "without_ms": times["without"],
        "check_ms": check_ms,
        "ratio": total["with"] / total["without"],
        "flags": flags,
        "load": os.getloadavg(),
        "when": dt.datetime.now(dt.UTC),
    }


def render(report: dict) -> str:
    """The RESULTS.md section."""
    med = statistics.median
    added = [a - b for a, b in zip(report["with_ms"], report["without_ms"], strict=True)]
    check = report["check_ms"]
    p95 = sorted(check)[max(0, int(len(check) * 0.95) - 1)]
    # Judged on the typical file: on this shared machine single files stall for hundreds of ms
    # with or without the check (see the max of both uploads), which says nothing about it.
    ok = med(added) < TARGET_MS and med(check) < TARGET_MS
    lines = [
        START,
        "## Data-quality check at upload (`python -m bench.quality`)",
        "",
        f"{report['when']:%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {report['load'][0]:.1f} (shared machine). The {report['files']} "
        "township-month workbooks of the county year loaded in order into two copies of the "
        "demo database, alternating file by file, with and without the outlier and repeated-visit "
        "check (`minzheng/quality/outliers.py`).",
        "",
        "| per file | median | mean | max |",
        "|---|---:|---:|---:|",
        f"| upload with the check | {med(report['with_ms']):.1f} ms | "
        f"{statistics.fmean(report['with_ms']):.1f} ms | {max(report['with_ms']):.1f} ms |",
        f"| upload without it | {med(report['without_ms']):.1f} ms | "
        f"{statistics.fmean(report['without_ms']):.1f} ms | {max(report['without_ms']):.1f} ms |",
        f"| the check alone | {med(check):.1f} ms | {statistics.fmean(check):.1f} ms | "
        f"{max(check):.1f} ms |",
        f"| difference (with − without, same file) | {med(added):.1f} ms | "
        f"{statistics.fmean(added):.1f} ms | {max(added):.1f} ms |",
        "",
        f"Ratio of the totals, with / without: **{report['ratio']:.2f}**. The check alone: "
        f"95th percentile {p95:.1f} ms, slowest file {max(check):.1f} ms. Target: under "
        f"{TARGET_MS:g} ms added to a county file's upload (median file) — "
        f"**{'met' if ok else 'not met'}**. "
        f"Flags raised on these clean generated files: {report['flags']}.",
        END,
    ]
    return "\n".join(lines)


def write(section: str, path: Path = run.RESULTS) -> None:
    """Replace (or append) the section in RESULTS.md."""
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Measure, print, and with --write record the result in bench/RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench.quality")
    parser.add_argument("--files", type=int, help="only the first N files (a quick look)")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    report = measure(args.files)
    section = render(report)
    print(section)
    if args.write:
        write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
