"""`python -m bench`: every speed figure of the issue in one run, at county, city and province scale.

1. The 50,000-row ledger (bench/run.py): ingest_file vs python-calamine alone vs pandas+openpyxl,
   inline strings and shared strings, peak RSS; and command start-up as whole processes
   (bench/cli_start.py: `--help`, `progress`, `indicators`, `ingest` of the ledger).
2. A county year: the 144 township-month workbooks of 2025 (bench/scale.py) loaded end to end
   with `ingest.ingest_paths` into a copy of the demo database, in a fresh child process per
   repetition (time, CPU, peak RSS; the loaded totals are checked against the generator).
3. The queries behind each dashboard page (bench/page_queries.py) on the county, city and
   province databases, in a child process per scale (its peak RSS is the query process's).
4. The browser: first render and page switch on the county demo (bench/pages.py, Playwright),
   with the peak RSS of the Streamlit process.

`--quick` (under 2 minutes): 10,000-row ledger, 2 repetitions, county + city + a reduced
province (24 counties, 2 years), no browser; prints only. Full runs rewrite bench/RESULTS.md
above the line `<!-- notes -->`; what follows that line (profiles, before/after) is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import cli_start, run, scale

ROOT = run.ROOT
RESULTS = run.RESULTS
NOTES_MARK = "<!-- notes -->"

TARGETS = {
    "ratio_calamine": 1.5,  # ingest ≤ 1.5 × calamine
    "speedup_pandas": 8.0,  # ≥ 8 × faster than pandas + openpyxl
    "peak_mb": 400.0,
    "county_year_s": 10.0,
    "page_ms": {"county": 50.0, "city": 300.0, "province": 1000.0, "province-reduced": 1000.0},
}


def _env() -> dict:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


def _child(args: list[str]) -> dict:
    """Run `python -m bench.suite child …` and return the JSON it prints last."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.suite", "child", *args],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _peak_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


# -- children ------------------------------------------------------------------------------------


def child_county_year(demo_db: str, files: str, work: str, keep: str = "") -> dict:
    """Load the county year's workbooks into a copy of the demo database; time, CPU, peak RSS.

    With `keep`, the loaded database (plus the year's plan) is also saved there as the cached
    county database, so that it need not be loaded a second time.
    """
    from minzheng import store
    from minzheng.intake import ingest

    target = Path(work) / "county-year.duckdb"
    scale.copy_db(Path(demo_db), target)
    con = store.connect(target)
    paths = ingest.expand_paths([files])
    start, cpu = time.perf_counter(), time.process_time()
    results = ingest.ingest_paths(con, [files])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    bad = [r.line() for r in results if r.status != ingest.LOADED]
    if bad:
        raise RuntimeError("not loaded: " + "; ".join(bad[:3]))
    _folder, truth = scale.county_year_files(Path(files))
    scale.check_county_year(con, truth)
    rows = sum(r.rows for r in results)
    peak = _peak_kib()
    if keep and not Path(keep).exists():
        scale.add_county_plan(con)
        con.execute("CHECKPOINT")
        con.close()
        scale.publish(target, Path(keep))
    else:
        con.close()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "files": len(paths),
        "rows": rows,
        "peak_kib": peak,
    }


def child_pages(db_path: str, reps: int) -> dict:
    """Every page's queries on one database (read-only): per-page timings and peak RSS."""
    import duckdb

    from bench import page_queries

    con = duckdb.connect(db_path, read_only=True)
    before = _peak_kib()
    ctx, timings = page_queries.time_pages(con, scale.today(), reps)
    con.close()
    return {
        "context": {k: str(v) for k, v in ctx.__dict__.items()},
        "pages": {
            page: {
                "totals": t.totals,
                "cpu": t.cpu,
                "calls": t.calls,
            }
            for page, t in timings.items()
        },
        "peak_kib": _peak_kib(),
        "peak_kib_before": before,
    }


# -- browser ------------------------------------------------------------------------------------


class _StreamlitPeak(threading.Thread):
    """Polls the Streamlit child processes of this process for their peak RSS (VmHWM)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(0.2):
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    stat = (entry / "stat").read_text()
                    ppid = int(stat.rsplit(")", 1)[1].split()[1])
                    if ppid != me or b"streamlit" not in (entry / "cmdline").read_bytes():
                        continue
                    for line in (entry / "status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kib = max(self.peak_kib, int(line.split()[1]))
                except (OSError, ValueError, IndexError):
                    continue


def browser(reps: int, log=print) -> dict:
    """bench/pages.py's measurement, plus the Streamlit process's peak RSS."""
    from bench import pages

    poller = _StreamlitPeak()
    poller.start()
    log(f"browser: {len(pages.PAGES)} pages × {reps} repetitions (Playwright, chromium) …")
    try:
        times = pages.measure(reps)
    finally:
        poller.stop.set()
        poller.join()
    log("browser: one traced first render per page (bench/browser_profile.py) …")
    from bench import browser_profile

    return {
        "times": times,
        "app_peak_kib": poller.peak_kib,
        "profile": browser_profile.profile(),
    }


# -- the run ----------------------------------------------------------------------------------------


def _median(values) -> float:
    return statistics.median(values)


def measure(args, log=print) -> dict:
    """Everything, in order: ledger, county year, page queries per scale, browser."""
    started = dt.datetime.now(dt.UTC)
    report: dict = {"started": started, "quick": args.quick, "load_before": os.getloadavg()}
    clock = time.perf_counter()
    reps = args.reps or (2 if args.quick else 5)
    rows = args.rows or (10_000 if args.quick else 50_000)

    log("command start-up (whole processes) …")
    report["cli"] = cli_start.measure(
        3 if args.quick else 10, 2 if args.quick else 5, rows, log=log
    )

    report["ledger"] = {}
    for shared in (False, True):
        log(f"ledger: {rows:,} rows, {'shared strings' if shared else 'inline strings'}")
        report["ledger"][shared] = run.measure(
            rows, reps, 1 if args.quick else 2, args.quick, shared_strings=shared, log=log
        )

    log("county: demo database and the 144 workbooks of the county year …")
    demo_db = scale.demo_db(log)
    files, _truth = scale.county_year_files()
    county_reps = 1 if args.quick else 3
    loads = []
    for rep in range(county_reps):
        with tempfile.TemporaryDirectory(prefix="minzheng-county-") as tmp:
            keep = str(scale.db_file("county")) if rep == 0 else ""
            loads.append(_child(["county-year", str(demo_db), str(files), tmp, keep]))
        log(
            f"county year {rep + 1}/{county_reps}: {loads[-1]['seconds']:.2f} s, "
            f"{loads[-1]['files']} files, {loads[-1]['rows']:,} rows"
        )
    report["county_year"] = loads

    names = ["county", "city", "province-reduced" if args.quick else "province"]
    if args.scales:
        names = args.scales.split(",")
    report["scales"] = {}
    page_reps = 2 if args.quick else 5
    for name in names:
        built = None
        if name == "county":
            path = scale.county_db(log)
        else:
            path, built = scale.generated_db(scale.SCALES[name], log)
        size = scale.describe(path)
        log(f"{name}: {size['facts']:,} fact rows, {size['bytes'] / 1e6:.0f} MB; page queries …")
        result = _child(["pages", str(path), str(page_reps)])
        report["scales"][name] = {"size": size, "built_s": built, **result}

    if args.browser or (not args.quick and not args.no_browser):
        report["browser"] = browser(1 if args.quick else 3, log)
    report["load_after"] = os.getloadavg()
    report["wall_s"] = time.perf_counter() - clock
    return report


# -- the report ------------------------------------------------------------------------------------


def _ok(ok: bool) -> str:
    return "**PASS**" if ok else "**MISS**"


def _scale_label(name: str) -> str:
    if name == "county":
        return (
            "county: 12 townships + the bureau, 2023–2025 (the demo's 2023 and 2024 and the "
            "county year 2025, all loaded from workbooks)"
        )
    return f"{name}: {scale.SCALES[name].label}"


def render(report: dict) -> str:
    """The generated part of bench/RESULTS.md."""
    quick = report["quick"]
    lb, la = report["load_before"], report["load_after"]
    lines = [
        "# Benchmark results",
        "",
        f"Recorded {report['started']:%Y-%m-%d %H:%M} UTC by `python -m bench"
        f"{' --quick' if quick else ''}` in {report['wall_s']:.0f} s. Load average (1/5/15 min) "
        f"before {lb[0]:.2f} / {lb[1]:.2f} / {lb[2]:.2f}, after {la[0]:.2f} / {la[1]:.2f} / "
        f"{la[2]:.2f}.",
        "",
        "The machine is shared with other sessions (2 cores): a load average above 2 means other "
        "work competed for the CPU, and wall-clock figures are then inflated; CPU time (all "
        "threads of the measuring process) is shown beside them because it is disturbed less.",
        "",
        "| Machine | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in run.machine()),
        "",
    ]
    if quick:
        lines += [
            "**Quick run** (`--quick`): 10,000-row ledger, 2 repetitions, county and city and a "
            "*reduced* province (24 counties, 2 years), no browser. Not the recorded figures.",
            "",
        ]

    summary: list[tuple[str, str, bool | None]] = []

    # ledger
    lines += [
        "## One ledger workbook",
        "",
        f"`bench/make_ledger.py`: {report['ledger'][False].rows:,} data rows (title, 填报单位 line, "
        f"header `{' | '.join(run.make_ledger.HEADER)}`), twelve townships, all of 2023, date cells. "
        "(a) `CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()`; (b) "
        "`ingest.ingest_file(con, p)` into a fresh database (connect outside the clock), checked "
        "已导入 with every row; (c) `pandas.read_excel(p, engine='openpyxl')`. (a) and (b) "
        "alternate after one untimed warm-up; medians. Peak RSS of (b) in a fresh child process "
        "(`VmHWM`, the import of the package and DuckDB included).",
        "",
        "| Workbook | (a) calamine s | (b) ingest s | (c) pandas s | (b)/(a) | (b)/(a) CPU | "
        "(c)/(b) | peak RSS (b) MB | reps |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for shared, r in report["ledger"].items():
        kind = "shared strings (as Excel saves)" if shared else "inline strings"
        peak_mb = r.memory_mib["ingest"] * 1.048576
        cpu_ratio = r.ingest.cpu_median / r.calamine.cpu_median
        lines.append(
            f"| {kind}, {r.file_bytes / 1e6:.2f} MB | {r.calamine.median:.3f} | "
            f"{r.ingest.median:.3f} | {r.pandas.median:.2f} | {r.ratio_ingest_calamine:.2f} | "
            f"{cpu_ratio:.2f} | {r.ratio_pandas_ingest:.1f} | {peak_mb:.0f} | "
            f"{len(r.ingest.seconds)} |"
        )
        summary += [
            (
                f"ledger ({kind}): (b) ≤ {TARGETS['ratio_calamine']} × (a)",
                f"{r.ratio_ingest_calamine:.2f} × (CPU {cpu_ratio:.2f} ×)",
                r.ratio_ingest_calamine <= TARGETS["ratio_calamine"],
            ),
            (
                f"ledger ({kind}): ≥ {TARGETS['speedup_pandas']:g} × faster than pandas",
                f"{r.ratio_pandas_ingest:.1f} ×",
                r.ratio_pandas_ingest >= TARGETS["speedup_pandas"],
            ),
            (
                f"ledger ({kind}): peak RSS < {TARGETS['peak_mb']:g} MB",
                f"{peak_mb:.0f} MB",
                peak_mb < TARGETS["peak_mb"],
            ),
        ]
    lines.append("")

    # command start-up
    cli = report["cli"]
    lines += cli_start.section_lines(cli)
    med = {k: _median(v) for k, v in cli["times"].items()}
    met = cli_start.passed(cli)
    summary += [
        (f"`{name}` ≤ {limit:g} s (whole process)", f"{med[name]:.2f} s", met[name])
        for name, limit in cli_start.TARGETS.items()
    ]
    summary.append(
        (
            f"`ingest` of the ledger into an existing database ≤ {cli_start.MAX_INGEST_RATIO:g} × "
            "a bare calamine read (whole processes)",
            f"{med['ingest'] / med['calamine_read']:.2f} ×",
            met["ingest"],
        )
    )

    # county year
    loads = report["county_year"]
    secs = _median([x["seconds"] for x in loads])
    cpu = _median([x["cpu"] for x in loads])
    peak = max(x["peak_kib"] for x in loads) * 1.024 / 1000
    first = loads[0]
    lines += [
        "## A county year, end to end",
        "",
        f"{first['files']} workbooks (12 townships × 12 months of 2025, written by the demo "
        "generator: ledger sheet with title, 填报单位, 合计 and signature; a per-person visit sheet "
        "for the four townships that keep one) loaded with `ingest.ingest_paths` into a copy of "
        "the demo database (2023, 2024), in a fresh child process per repetition; every total "
        "checked against the generator.",
        "",
        "| Files | Fact rows | Median s | Median CPU s | Files/s | Rows/s | Peak RSS MB | reps |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {first['files']} | {first['rows']:,} | {secs:.2f} | {cpu:.2f} | "
        f"{first['files'] / secs:.1f} | {first['rows'] / secs:,.0f} | {peak:.0f} | {len(loads)} |",
        "",
    ]
    summary += [
        (
            f"county year (144 files) < {TARGETS['county_year_s']:g} s",
            f"{secs:.2f} s",
            secs < TARGETS["county_year_s"],
        ),
        (f"county-year load: peak RSS < {TARGETS['peak_mb']:g} MB", f"{peak:.0f} MB", peak < 400),
    ]

    # scales
    lines += [
        "## Scales",
        "",
        "| Scale | Units (townships) | Batches | Fact rows | Monthly-aggregate rows | Years | "
        "DB size MB | Built in s |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for name, s in report["scales"].items():
        z = s["size"]
        built = f"{s['built_s']:.0f}" if s["built_s"] else "cached"
        lines.append(
            f"| {name} | {z['units']:,} ({z['townships']:,}) | {z['batches']:,} | "
            f"{z['facts']:,} | {z['monthly_rows']:,} | {z['first_year']}–{z['last_year']} | "
            f"{z['bytes'] / 1e6:.0f} | {built} |"
        )
    lines += [""] + [f"- {_scale_label(n)}" for n in report["scales"]]
    lines += [
        "",
        "City and province are generated in DuckDB (bench/scale.py), not from workbooks: every "
        "fact row is drawn from the county's live rows (indicator, quantity, undated share, "
        "place, note, masked person), `monthly_actuals` and `batch_coverage` are computed from "
        "the facts as loading maintains them, targets are 0.85–1.25 × each unit's actual. The "
        "kept redacted copy of each file is a 64-byte placeholder there (real copies are about "
        "10–30 kB per file), so DB size counts facts, aggregates and batches only.",
        "",
        "## Dashboard page queries",
        "",
        "Each page's `minzheng` calls as its script makes them (sidebar filters included), "
        "with its default choices (latest year, its last data date, first core indicator, "
        "first township, newest batch), on a cold cache (every result `minzheng.store.memo` keeps per "
        "data version cleared before each page); one untimed warm-up, then medians of the page totals. A child process per "
        "scale opens the database read-only; its peak RSS is shown below the table.",
        "",
    ]
    scales = list(report["scales"])
    head = "| Page | " + " | ".join(f"{n} ms (CPU ms)" for n in scales) + " | slowest call |"
    lines += [head, "|---|" + "---:|" * len(scales) + "---|"]
    pages = list(next(iter(report["scales"].values()))["pages"])
    worst = {n: 0.0 for n in scales}
    for page in pages:
        cells = []
        slow = ""
        for n in scales:
            p = report["scales"][n]["pages"][page]
            ms = _median(p["totals"]) * 1000
            worst[n] = max(worst[n], ms)
            cells.append(f"{ms:.0f} ({_median(p['cpu']) * 1000:.0f})")
            if n == scales[-1]:
                name, val = max(
                    ((c, _median(v)) for c, v in p["calls"].items()), key=lambda x: x[1]
                )
                slow = f"{n}: `{name}` {val * 1000:.0f} ms"
        lines.append(f"| {page} | " + " | ".join(cells) + f" | {slow} |")
    lines += [
        "",
        "Peak RSS of the query process: "
        + "; ".join(f"{n} {report['scales'][n]['peak_kib'] * 1.024 / 1000:.0f} MB" for n in scales)
        + ".",
        "",
    ]
    for n in scales:
        limit = TARGETS["page_ms"][n]
        summary.append(
            (
                f"every page's queries < {limit:g} ms ({n})",
                f"slowest {worst[n]:.0f} ms",
                worst[n] < limit,
            )
        )

    # browser
    if "browser" in report:
        from bench import pages as bpages

        times = report["browser"]["times"]
        lines += [
            "## Pages in the browser (county demo)",
            "",
            "`bench/pages.py`: the app on the demo database (2023, 2024), Playwright with "
            "Debian's chromium, 1920×1080, until the page's title is drawn, Streamlit is idle and the "
            "page has not changed for 300 ms (every chart drawn). First "
            "render: the page's URL in a new tab of a browser that has the app's files; cold: an "
            "empty browser cache (one run); switch: a click in the menu from the previous page. "
            "Medians.",
            "",
            *bpages.table_lines(times),
        ]
        rows = bpages.ratios(times)
        worst = max(rows, key=lambda row: row[3])
        met = sum(row[-1] for row in rows)
        app_mb = report["browser"]["app_peak_kib"] * 1.024 / 1000
        lines += ["", f"Peak RSS of the Streamlit process during these runs: {app_mb:.0f} MB.", ""]
        lines += bpages.baseline_lines(times)
        from bench import browser_profile

        lines += [*browser_profile.section_lines(report["browser"]["profile"]), ""]
        summary += [
            (
                "every page ≤ 1.25 × its baseline, every switch within its limit",
                f"{met} of {len(rows)} pages; highest ratio {worst[3]:.2f} ({worst[0]})",
                met == len(rows),
            ),
            ("app process peak RSS", f"{app_mb:.0f} MB", None),
        ]
    else:
        lines += ["Browser pages: not measured in this run (`--quick` or `--no-browser`).", ""]

    table = ["## Targets", "", "| Target | Measured | Result |", "|---|---|---|"]
    table += [f"| {t} | {m} | {_ok(ok) if ok is not None else '—'} |" for t, m, ok in summary]
    # The summary goes first, right after the machine.
    machine_end = lines.index("## One ledger workbook")
    return "\n".join(lines[:machine_end] + table + [""] + lines[machine_end:]).rstrip() + "\n"


def write(text: str, path: Path = RESULTS) -> None:
    """Replace the generated part of RESULTS.md, keeping the notes after NOTES_MARK."""
    notes = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old[old.index(NOTES_MARK) :]
    path.write_text(text + "\n" + (notes or NOTES_MARK + "\n"), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line of `python -m bench`."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "child":
        kind, rest = argv[1], argv[2:]
        if kind == "county-year":
            out = child_county_year(*rest)
        else:
            out = child_pages(rest[0], int(rest[1]))
        print(json.dumps(out))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="under 2 minutes; prints only")
    parser.add_argument("--reps", type=int, help="ledger repetitions (default 5; --quick: 2)")
    parser.add_argument("--rows", type=int, help="ledger rows (default 50,000; --quick: 10,000)")
    parser.add_argument("--scales", help="comma-separated: county,city,province,province-reduced")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser pages")
    parser.add_argument("--browser", action="store_true", help="measure the browser in --quick too")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    report = measure(args, log=lambda m: print(m, flush=True))
    text = render(report)
    print()
    print(text)
    if args.quick or args.no_write:
        print(f"(not written to {RESULTS.relative_to(ROOT)})")
    else:
        write(text)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    print(f"total run time: {report['wall_s']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
