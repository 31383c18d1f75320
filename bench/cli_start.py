"""Command start-up: `python -m minzheng` commands as whole processes, against bare Python.

Every figure is a whole process (interpreter start, imports, work, exit), because that is what a
user waits for. The machine is shared, so absolute seconds move with its load; each repetition
therefore runs every command once in turn, together with two baselines measured in the same loop:

- `python -c pass` (the interpreter alone);
- `python -c "import python_calamine"` (the interpreter and the workbook reader, no work).

Commands: `--help`; `progress --year 2024` and `indicators --year 2024` on a copy of the demo
database; `ingest` of the 50,000-row ledger (bench/make_ledger.py) into an existing empty database
(created before the clock, a fresh copy of it with its key file per repetition: what a bureau
does) and into a new database file (created and migrated by the command), against a bare
python-calamine read of the same file (`CalamineWorkbook.from_path(p)` and `to_python()` of the
first sheet), also as a whole process.

Targets (issue 16): `--help` ≤ 0.3 s; `progress`, `indicators` ≤ 1.0 s; ingest into the existing
database ≤ 2.0 × the bare read (the new-database figure is reported beside it). `python -m bench.cli_start` prints the section; `--write` records it in bench/RESULTS.md
after the generated part (`python -m bench` includes the same section in its own run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import make_ledger, run

ROOT = run.ROOT
HEADING = "## Command start-up"
TARGETS = {"help": 0.3, "progress": 1.0, "indicators": 1.0}
MAX_INGEST_RATIO = 2.0
CALAMINE_READ = (
    "import sys, python_calamine as pc\n"
    "rows = pc.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()\n"
    "assert len(rows) > int(sys.argv[2]), len(rows)\n"
)


def _env() -> dict:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


def _timed(argv: list[str]) -> float:
    """Wall-clock seconds of one whole process; raises if it fails."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return seconds


EMPTY_DATABASE = (
    "import sys\n"
    "from minzheng import store\n"
    "from minzheng.store import db\n"
    "store.connect(sys.argv[1]).close()\n"
    "db.hash_key(sys.argv[1])\n"
)


def _empty_database(path: Path) -> Path:
    """An empty product database (migrated, seeded) and its key file, made by the product."""
    _timed([sys.executable, "-c", EMPTY_DATABASE, str(path)])
    return path


def measure(reps: int = 10, ingest_reps: int = 5, rows: int = 50_000, log=print) -> dict:
    """Interleaved whole-process timings: {name: [seconds…]}, plus the load average."""
    from bench import scale

    py = sys.executable
    ledger = run.OUT_DIR / f"ledger_{rows}.xlsx"
    if not ledger.exists():
        log(f"writing the {rows:,}-row ledger …")
        make_ledger.write_ledger(ledger, rows)
    demo = scale.demo_db(log)
    times: dict[str, list[float]] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="minzheng-cli-") as tmp:
        db = Path(tmp) / "demo.duckdb"
        shutil.copy(demo, db)
        quick = {
            "pass": [py, "-c", "pass"],
            "import_calamine": [py, "-c", "import python_calamine"],
            "help": [py, "-m", "minzheng", "--help"],
            "progress": [py, "-m", "minzheng", "progress", "--year", "2024", "--db", str(db)],
            "indicators": [py, "-m", "minzheng", "indicators", "--year", "2024", "--db", str(db)],
        }
        # One untimed run each: the OS file cache holds the modules afterwards, as for a user who
        # runs a second command.
        for argv in quick.values():
            _timed(argv)
        for rep in range(reps):
            for name, argv in quick.items():
                times.setdefault(name, []).append(_timed(argv))
            log(
                f"start-up {rep + 1}/{reps}: "
                + ", ".join(f"{k} {v[-1]:.2f}" for k, v in times.items())
            )
        read = [py, "-c", CALAMINE_READ, str(ledger), str(rows)]
        _timed(read)
        empty = _empty_database(Path(tmp) / "empty.duckdb")
        for rep in range(ingest_reps):
            existing = Path(tmp) / f"ingest-{rep}.duckdb"
            for suffix in ("", ".key"):  # the database and its key file, as a bureau has them
                shutil.copyfile(f"{empty}{suffix}", f"{existing}{suffix}")
            fresh = Path(tmp) / f"ingest-new-{rep}.duckdb"
            times.setdefault("pass_ingest_loop", []).append(_timed(quick["pass"]))
            times.setdefault("calamine_read", []).append(_timed(read))
            times.setdefault("ingest", []).append(
                _timed([py, "-m", "minzheng", "ingest", str(ledger), "--db", str(existing)])
            )
            times.setdefault("ingest_new_db", []).append(
                _timed([py, "-m", "minzheng", "ingest", str(ledger), "--db", str(fresh)])
            )
            log(
                f"ledger {rep + 1}/{ingest_reps}: ingest {times['ingest'][-1]:.2f} s "
                f"(new database {times['ingest_new_db'][-1]:.2f} s), "
                f"calamine read {times['calamine_read'][-1]:.2f} s"
            )
    return {
        "times": times,
        "reps": reps,
        "ingest_reps": ingest_reps,
        "rows": rows,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def passed(result: dict) -> dict[str, bool]:
    """Each target against the medians: name -> met."""
    med = {k: statistics.median(v) for k, v in result["times"].items()}
    verdict = {name: med[name] <= limit for name, limit in TARGETS.items()}
    verdict["ingest"] = med["ingest"] / med["calamine_read"] <= MAX_INGEST_RATIO
    if "ingest_new_db" in med:
        verdict["ingest_new_db"] = med["ingest_new_db"] / med["calamine_read"] <= MAX_INGEST_RATIO
    return verdict


def section_lines(result: dict, heading: str = HEADING) -> list[str]:
    """The RESULTS.md section: min and median seconds, and ratios to the same-run baselines."""
    t = result["times"]
    med = {k: statistics.median(v) for k, v in t.items()}
    lb, la = result["load_before"], result["load_after"]
    verdict = passed(result)
    lines = [
        heading,
        "",
        "`bench/cli_start.py`: whole processes (interpreter start, imports, work, exit), every "
        f"command once per repetition in turn with the baselines, {result['reps']} repetitions "
        f"after one untimed run each (ledger: {result['ingest_reps']}). Load average (1/5/15 min) "
        f"before {lb[0]:.2f} / {lb[1]:.2f} / {lb[2]:.2f}, after {la[0]:.2f} / {la[1]:.2f} / "
        f"{la[2]:.2f}: on a loaded machine the seconds are inflated, the ratios much less.",
        "",
        "| Process | Min s | Median s | ÷ `python -c pass` | ÷ `import python_calamine` | Target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    rows = [
        ("pass", "`python -c pass`", ""),
        ("import_calamine", '`python -c "import python_calamine"`', ""),
        ("help", "`python -m minzheng --help`", "help"),
        ("progress", "`progress --year 2024` (demo)", "progress"),
        ("indicators", "`indicators --year 2024` (demo)", "indicators"),
    ]
    for key, label, target in rows:
        check = ""
        if target:
            check = f"≤ {TARGETS[target]:g} s: {'**PASS**' if verdict[target] else '**MISS**'}"
        lines.append(
            f"| {label} | {min(t[key]):.3f} | {med[key]:.3f} | {med[key] / med['pass']:.2f} | "
            f"{med[key] / med['import_calamine']:.2f} | {check} |"
        )
    ratio = med["ingest"] / med["calamine_read"]
    lines += [
        "",
        f"The {result['rows']:,}-row ledger (bench/make_ledger.py, inline strings), whole processes "
        "alternating: `python -m minzheng ingest` into an existing empty database (made before "
        "the clock, a fresh copy with its key file each repetition: the target is judged on this "
        "one) and into a new database file (created and migrated by the command), vs a bare "
        "python-calamine read of the same file.",
        "",
        "| Process | Min s | Median s | ÷ bare read | Target |",
        "|---|---:|---:|---:|---|",
        f"| `python -c pass` (same loop) | {min(t['pass_ingest_loop']):.3f} | "
        f"{med['pass_ingest_loop']:.3f} | | |",
        f"| bare python-calamine read | {min(t['calamine_read']):.3f} | "
        f"{med['calamine_read']:.3f} | 1.00 | |",
        f"| `python -m minzheng ingest`, existing database | {min(t['ingest']):.3f} | "
        f"{med['ingest']:.3f} | {ratio:.2f} | ≤ {MAX_INGEST_RATIO:g} ×: "
        f"{'**PASS**' if verdict['ingest'] else '**MISS**'} |",
    ]
    if "ingest_new_db" in t:
        new_ratio = med["ingest_new_db"] / med["calamine_read"]
        lines.append(
            f"| `python -m minzheng ingest`, new database | {min(t['ingest_new_db']):.3f} | "
            f"{med['ingest_new_db']:.3f} | {new_ratio:.2f} | (reported) |"
        )
    lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line of `python -m bench.cli_start`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.cli_start", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--reps", type=int, default=10, help="start-up repetitions (default 10)")
    parser.add_argument("--ingest-reps", type=int, default=5, help="ledger repetitions (default 5)")
    parser.add_argument("--rows", type=int, default=50_000, help="ledger rows (default 50,000)")
    parser.add_argument("--write", action="store_true", help="record the section in RESULTS.md")
    args = parser.parse_args(argv)
    result = measure(args.reps, args.ingest_reps, args.rows, log=lambda m: print(m, flush=True))
    text = "\n".join(section_lines(result, HEADING + " (`python -m bench.cli_start`)"))
    print()
    print(text)
    if args.write:
        run.write_section(text)
        print(f"written to {run.RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
