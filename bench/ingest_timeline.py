"""Where the wall time of `python -m minzheng ingest` goes, thread by thread, as a whole process.

`bench/cli_start.py` times the command; `bench/profile_ingest.py` splits `ingest_file` into
phases inside one process. This shows the whole command's critical path: each process runs the
command line as `python -m minzheng` does, with a small bootstrap that times the loading of the
heavy modules and the main steps (wrapped as their modules load; nothing in minzheng changes)
and reports them when the command ends. Times are seconds from the bootstrap's start; the
interpreter's own start-up before it is in the whole-process figure only.

Run: `python -m bench.ingest_timeline [--rows N] [--reps N]`. It prints the median start and
end of each step, the whole process, and a bare python-calamine read of the same file (the
benchmark's baseline) measured in the same loop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import cli_start, make_ledger, run

# module -> functions timed when it loads (the steps of one file's import, in order)
STEPS = {
    "minzheng.store": ["connect"],
    "minzheng.intake.upgrades": ["run_pending"],
    "minzheng.intake.workbook": ["read"],
    "minzheng.intake.ingest": ["_check_bytes", "_commit_checked"],
    "minzheng.intake.extract": ["extract"],
    "minzheng.intake.content_hash": ["content_hash"],
    "minzheng.intake.redact": ["redacted_copy_book"],
    "minzheng.intake.outliers": ["detect"],
    "minzheng.store.batches": ["write_batch"],
}
LOADS = ("python_calamine", "pyarrow", "duckdb", "pandas")  # module loads worth a line

BOOTSTRAP = r"""
import functools, importlib.abc, importlib.machinery, json, sys, threading, time
T0 = time.perf_counter()
STEPS, LOADS = json.loads(sys.argv.pop(1)), set(json.loads(sys.argv.pop(1)))
events = []

def timed(label, f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return f(*args, **kwargs)
        finally:
            end = time.perf_counter()
            events.append([threading.current_thread().name, label, start - T0, end - T0])
    return wrapper

class Loader(importlib.abc.Loader):
    def __init__(self, inner, name):
        self.inner, self.name = inner, name
    def create_module(self, spec):
        return self.inner.create_module(spec)
    def exec_module(self, module):
        start = time.perf_counter()
        self.inner.exec_module(module)
        if self.name in LOADS:
            end = time.perf_counter()
            events.append([threading.current_thread().name, "load " + self.name, start - T0, end - T0])
        for attr in STEPS.get(self.name, []):
            setattr(module, attr, timed(self.name.rsplit(".", 1)[-1] + "." + attr, getattr(module, attr)))

class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in STEPS and name not in LOADS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = Loader(spec.loader, name)
        return spec

sys.meta_path.insert(0, Finder())
from minzheng.cli import main
try:
    code = main(sys.argv[1:], private=True)
finally:
    events.append(["MainThread", "command returns", time.perf_counter() - T0, time.perf_counter() - T0])
    sys.stderr.write("\nTIMELINE " + json.dumps(events) + "\n")
sys.exit(code)
"""


def one_run(ledger: Path, database: Path) -> tuple[float, list[list]]:
    """(whole-process seconds, events) of one timed `ingest` into `database`."""
    argv = [
        sys.executable,
        "-c",
        BOOTSTRAP,
        json.dumps(STEPS),
        json.dumps(LOADS),
        "ingest",
        str(ledger),
        "--db",
        str(database),
    ]
    env = {**os.environ, "PYTHONPATH": str(run.ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=run.ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"ingest exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    line = next(x for x in proc.stderr.splitlines() if x.startswith("TIMELINE "))
    return seconds, json.loads(line.removeprefix("TIMELINE "))


def measure(rows: int, reps: int) -> dict:
    """Medians per step {(thread, label): (start, end)}, whole-process and bare-read seconds."""
    ledger = run.OUT_DIR / f"ledger_{rows}.xlsx"
    if not ledger.exists():
        make_ledger.write_ledger(ledger, rows)
    read = [sys.executable, "-c", cli_start.CALAMINE_READ, str(ledger), str(rows)]
    steps: dict[tuple[str, str], list[tuple[float, float]]] = {}
    whole, bare = [], []
    with tempfile.TemporaryDirectory(prefix="minzheng-timeline-") as tmp:
        empty = cli_start._empty_database(Path(tmp) / "empty.duckdb")
        cli_start._timed(read)  # the OS file cache holds the ledger and the modules afterwards
        for rep in range(reps + 1):  # the first run warms the caches and is not counted
            database = Path(tmp) / f"ingest-{rep}.duckdb"
            for suffix in ("", ".key"):
                shutil.copyfile(f"{empty}{suffix}", f"{database}{suffix}")
            seconds, events = one_run(ledger, database)
            base = cli_start._timed(read)
            if rep == 0:
                continue
            whole.append(seconds)
            bare.append(base)
            for thread, label, start, end in events:
                kind = "main" if thread == "MainThread" else "read-ahead"
                steps.setdefault((kind, label), []).append((start, end))
    return {
        "steps": {
            key: (statistics.median(s for s, _ in v), statistics.median(e for _, e in v))
            for key, v in steps.items()
        },
        "whole": statistics.median(whole),
        "bare": statistics.median(bare),
        "reps": reps,
        "rows": rows,
    }


def report(result: dict) -> str:
    """The timeline as a text table, in order of start."""
    lines = [
        f"`python -m minzheng ingest` of the {result['rows']:,}-row ledger into an existing empty"
        f" database, medians of {result['reps']} runs (seconds from the bootstrap's start):",
        "",
        f"{'thread':<11} {'step':<34} {'start':>6} {'end':>6} {'took':>6}",
    ]
    for (thread, label), (start, end) in sorted(result["steps"].items(), key=lambda x: x[1][0]):
        lines.append(f"{thread:<11} {label:<34} {start:6.3f} {end:6.3f} {end - start:6.3f}")
    ratio = result["whole"] / result["bare"]
    lines += [
        "",
        f"whole process {result['whole']:.3f} s; bare python-calamine read {result['bare']:.3f} s"
        f" as a whole process; ratio {ratio:.2f} (target ≤ {cli_start.MAX_INGEST_RATIO})",
        "(the bootstrap's timers add a little: `python -m bench.cli_start` gives the figure judged)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line of `python -m bench.ingest_timeline`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest_timeline", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    print(report(measure(args.rows, args.reps)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
