"""Reading and loading a large ledger workbook, measured side by side against its baselines.

In one run, on the same generated file (bench/make_ledger.py):

(a) python-calamine alone: `CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()`;
(b) the product: `minzheng.intake.ingest.ingest_file(con, p)` into a fresh DuckDB file per repetition
    (`minzheng.store.connect` is done before the clock starts); it must report 已导入 and every row;
(c) `pandas.read_excel(p, engine="openpyxl")`.

(a) and (b) alternate within each repetition after one untimed warm-up of each, so that drift
in the machine's speed affects both alike; medians are reported. Peak memory of (b) is measured
in fresh child processes (peak RSS, `VmHWM`), next to children that only import the package, that also
connect, and that only run (a).

Targets (issue 5): (b) ≤ 1.5 × (a); (c) ≥ 8 × (b); peak RSS of (b) < 400 MB. `python -m bench`
(bench/suite.py) runs this as part of the combined run and records it in bench/RESULTS.md;
`python -m bench.run` alone prints its section (`--write` appends or replaces it in RESULTS.md).
`--quick`: 10,000 rows, 2 repetitions. `--shared-strings` measures the same rows written with a shared-strings table, as Excel
itself saves (python-calamine reads that faster, so the ratio target is harder), in a section of
its own. `python -m bench.profile_ingest` shows where (b) spends its time;
`python -m bench.ingest_timeline`, where the whole `python -m minzheng ingest` command does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bench import make_ledger

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"  # generated workbooks (git-ignored)
RESULTS = ROOT / "bench" / "RESULTS.md"
RESULTS_PREAMBLE = """# Benchmark results

Figures recorded by the benchmarks in `bench/` on the machine named in each section. Each
section belongs to one benchmark, which rewrites only its own section; add new benchmarks as new
`## ` sections.
"""

MAX_RATIO_TO_CALAMINE = 1.5
MIN_SPEEDUP_OVER_PANDAS = 8.0
MAX_PEAK_RSS_MB = 400.0

# Child processes for peak memory. Each prints one JSON line: its peak RSS in KiB. VmHWM (the
# high-water mark of the process's own address space) is used where /proc exists, because Linux
# carries the parent's peak over fork+exec into the child's ru_maxrss, which would then report
# the (larger) benchmark driver instead of the child.
_CHILD = r"""
import json, resource, sys
def peak_kib():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
mode, xlsx, db_file, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if mode == "calamine":
    import python_calamine as pc
    data = pc.CalamineWorkbook.from_path(xlsx).get_sheet_by_index(0).to_python()
    assert len(data) >= rows, len(data)
else:
    import minzheng.store.db, minzheng.intake.ingest
    if mode in ("connect", "ingest"):
        con = minzheng.store.connect(db_file)
    if mode == "ingest":
        result = minzheng.intake.ingest.ingest_file(con, xlsx)
        assert result.status == minzheng.intake.ingest.LOADED and result.rows == rows, result.line()[:500]
print(json.dumps({"peak_kib": peak_kib(), "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
MEMORY_MODES = {
    "import": "child that only imports minzheng.store.db and minzheng.intake.ingest",
    "connect": "… and opens a fresh database (`minzheng.store.connect`)",
    "ingest": "… and runs `ingest_file` on the workbook — **(b)**",
    "calamine": "child that only imports python-calamine and runs (a)",
}


@dataclass
class Timing:
    """Wall-clock and CPU seconds of the repetitions of one measure."""

    label: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall-clock seconds of the repetitions."""
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        """Median CPU seconds (all threads of this process) of the repetitions."""
        return statistics.median(self.cpu)

    def add(self, sample: tuple[float, float]) -> None:
        """Record one (wall, cpu) repetition."""
        self.seconds.append(sample[0])
        self.cpu.append(sample[1])


@dataclass
class Report:
    """Everything one run measured, ready to print or record."""

    rows: int
    file: Path
    file_bytes: int
    file_sha256: str
    generate_seconds: float
    calamine: Timing
    ingest: Timing
    pandas: Timing
    memory_mib: dict[str, float]
    quick: bool
    started: dt.datetime
    shared_strings: bool = False
    wall_seconds: float = 0.0
    load_before: tuple[float, float, float] | None = None
    load_after: tuple[float, float, float] | None = None

    @property
    def ratio_ingest_calamine(self) -> float:
        """(b) / (a): the product's cost relative to reading alone."""
        return self.ingest.median / self.calamine.median

    @property
    def ratio_pandas_ingest(self) -> float:
        """(c) / (b): how many times faster than pandas + openpyxl the product is."""
        return self.pandas.median / self.ingest.median


# -- the three measures ---------------------------------------------------------------------------


def read_calamine(path: Path) -> int:
    """(a): read the first sheet with python-calamine alone; returns the number of rows."""
    import python_calamine as pc

    return len(pc.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python())


def read_pandas(path: Path) -> int:
    """(c): read the workbook with pandas + openpyxl; returns the number of rows."""
    import pandas as pd

    return len(pd.read_excel(path, engine="openpyxl"))


def ingest_once(path: Path, rows: int, work_dir: Path) -> tuple[float, float]:
    """(b): (wall, CPU) seconds of `ingest_file` into a fresh database; raises unless all loaded."""
    import minzheng.intake.ingest
    import minzheng.store.db

    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        con = minzheng.store.connect(Path(tmp) / "bench.duckdb")
        try:
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            result = minzheng.intake.ingest.ingest_file(con, path)
            seconds = time.perf_counter() - start, time.process_time() - cpu
        finally:
            con.close()
    if result.status != minzheng.intake.ingest.LOADED or result.rows != rows:
        raise RuntimeError(f"ingest did not load all {rows:,} rows: {result.line()[:1000]}")
    return seconds


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds one call of `fn` takes (after a garbage collection outside the clock)."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def peak_memory(path: Path, rows: int, work_dir: Path) -> dict[str, float]:
    """Peak RSS (MiB) of fresh child processes per MEMORY_MODES, each run once."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    peaks = {}
    for mode in MEMORY_MODES:
        with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
            db_file = str(Path(tmp) / "mem.duckdb")
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, mode, str(path), db_file, str(rows)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        if proc.returncode != 0:
            raise RuntimeError(f"memory child '{mode}' failed:\n{proc.stderr[-2000:]}")
        peaks[mode] = json.loads(proc.stdout.strip().splitlines()[-1])["peak_kib"] / 1024
    return peaks


def measure(
    rows: int, reps: int, pandas_reps: int, quick: bool, shared_strings: bool = False, log=print
) -> Report:
    """Generate the workbook, then time (a), (b), (c) and measure peak memory."""
    started = dt.datetime.now().astimezone()
    load_before = _loadavg()
    if load_before and load_before[0] > 0.5:
        log(f"note: load average {load_before[0]:.2f} before the run: other work may skew times")
    clock = time.perf_counter()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"ledger_{rows}{'_sst' if shared_strings else ''}.xlsx"
    gen_start = time.perf_counter()
    make_ledger.write_ledger(path, rows, constant_memory=not shared_strings)
    generate_seconds = time.perf_counter() - gen_start
    data = path.read_bytes()
    log(
        f"workbook: {path.relative_to(ROOT)} ({rows:,} rows, {len(data) / 1e6:.2f} MB, "
        f"written in {generate_seconds:.1f} s)"
    )

    import minzheng.intake.ingest  # noqa: F401
    import minzheng.store.db  # noqa: F401  (imports are not part of any measure)

    calamine, ingest, pandas = (
        Timing("(a) python-calamine"),
        Timing("(b) ingest_file"),
        Timing("(c) pandas"),
    )
    with tempfile.TemporaryDirectory(prefix="minzheng-bench-") as tmp:
        work_dir = Path(tmp)
        log("warm-up (untimed): (a), (b)")
        read_calamine(path)
        ingest_once(path, rows, work_dir)
        for rep in range(1, reps + 1):
            calamine.add(timed(lambda: read_calamine(path)))
            ingest.add(ingest_once(path, rows, work_dir))
            log(
                f"rep {rep}/{reps}: (a) {calamine.seconds[-1]:.3f} s   (b) {ingest.seconds[-1]:.3f} s"
            )
        for rep in range(1, pandas_reps + 1):
            pandas.add(timed(lambda: read_pandas(path)))
            log(f"pandas rep {rep}/{pandas_reps}: (c) {pandas.seconds[-1]:.3f} s")
        log("peak memory: child processes …")
        memory = peak_memory(path, rows, work_dir)
    report = Report(
        rows,
        path,
        len(data),
        hashlib.sha256(data).hexdigest(),
        generate_seconds,
        calamine,
        ingest,
        pandas,
        memory,
        quick,
        started,
        shared_strings,
    )
    report.wall_seconds = time.perf_counter() - clock
    report.load_before, report.load_after = load_before, _loadavg()
    return report


def _loadavg() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


# -- machine and versions --------------------------------------------------------------------------


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def machine() -> list[tuple[str, str]]:
    """(label, value) pairs describing the machine and the software measured."""
    uname = subprocess.run(
        ["uname", "-a"], capture_output=True, text=True, check=False
    ).stdout.strip()
    cpu = _first_line("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    mem_kib = _first_line("/proc/meminfo", "MemTotal").split()
    ram = f"{int(mem_kib[0]) / 1024**2:.1f} GiB" if mem_kib else "unknown"
    cores = f"{os.cpu_count()} logical"
    if hasattr(os, "sched_getaffinity"):
        cores += f", {len(os.sched_getaffinity(0))} usable by this process"
    try:
        quota = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota and quota[0] != "max":
            cores += f", cgroup quota {int(quota[0]) / int(quota[1]):g} CPUs"
    except (OSError, ValueError, IndexError):
        pass
    return [
        ("uname -a", uname or platform.platform()),
        ("CPU", cpu),
        ("Cores", cores),
        ("RAM", ram),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("duckdb", _version("duckdb")),
        ("python-calamine", _version("python-calamine")),
        ("pandas", _version("pandas")),
        ("openpyxl", _version("openpyxl")),
        ("Commit", _git_commit()),
    ]


# -- report --------------------------------------------------------------------------------------


def _load(values: tuple[float, float, float] | None) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else "unknown"


def _verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**MISS**"


def section(report: Report) -> str:
    """The RESULTS.md section (heading included) for this run."""
    r = report
    lines = [
        f"## {r.rows:,}-row ledger{' (shared strings)' if r.shared_strings else ''}",
        "",
        f"Recorded {r.started:%Y-%m-%d %H:%M %Z} by `python -m bench"
        f"{' --quick' if r.quick else ''}{' --shared-strings' if r.shared_strings else ''}"
        f" --reps {len(r.ingest.seconds)}` "
        f"(whole run {r.wall_seconds:.0f} s).",
        "",
        "### Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | `{v}` |" if k == "uname -a" else f"| {k} | {v} |" for k, v in machine()),
        f"| Load average (1/5/15 min) | before {_load(r.load_before)}; after {_load(r.load_after)} |",
        "",
        "### Workload",
        "",
        f"`bench/make_ledger.py`: one sheet, title + 填报单位 rows, header "
        f"`{' | '.join(make_ledger.HEADER)}`, {r.rows:,} data rows over the 12 townships and "
        f"all of {make_ledger.YEAR} (date cells), catalog categories and synonyms; "
        f"{'shared-strings table, as Excel writes' if r.shared_strings else 'inline strings (xlsxwriter constant_memory)'}; "
        f"{r.file_bytes / 1e6:.2f} MB, sha256 `{r.file_sha256[:16]}…`.",
        "",
        "- (a) `CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()`",
        "- (b) `minzheng.intake.ingest.ingest_file(con, p)` into a fresh DuckDB file per repetition "
        "(`minzheng.store.connect` outside the clock); checked: status 已导入 and "
        f"{r.rows:,} rows",
        '- (c) `pandas.read_excel(p, engine="openpyxl")`',
        "",
        "One untimed warm-up of (a) and (b), then (a) and (b) alternate in each repetition; "
        "wall-clock `time.perf_counter()`, medians; targets are judged on wall-clock time. "
        "CPU time (`time.process_time()`, all threads of the process) is shown as well: it "
        "is less disturbed by other work on a shared machine.",
        "",
        "### Times",
        "",
        "| Measure | Median (s) | Min (s) | Max (s) | Median CPU (s) | Repetitions |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in (r.calamine, r.ingest, r.pandas):
        lines.append(
            f"| {t.label} | {t.median:.3f} | {min(t.seconds):.3f} | {max(t.seconds):.3f} "
            f"| {t.cpu_median:.3f} | {len(t.seconds)} |"
        )
    lines += [
        "",
        f"(b)/(a) = **{r.ratio_ingest_calamine:.2f}**; (c)/(b) = **{r.ratio_pandas_ingest:.1f}** "
        f"(CPU time: {r.ingest.cpu_median / r.calamine.cpu_median:.2f} and "
        f"{r.pandas.cpu_median / r.ingest.cpu_median:.1f}).",
        "",
        "### Peak memory (fresh child process each, peak RSS = `VmHWM`)",
        "",
        "| Child process | Peak RSS (MiB) |",
        "|---|---:|",
        *(f"| {MEMORY_MODES[m]} | {mib:.0f} |" for m, mib in r.memory_mib.items()),
        "",
        f"Increment of (b) over the import-only child: "
        f"{r.memory_mib['ingest'] - r.memory_mib['import']:.0f} MiB; over import + connect: "
        f"{r.memory_mib['ingest'] - r.memory_mib['connect']:.0f} MiB.",
        "",
        "### Targets",
        "",
        "| Target | Measured | Result |",
        "|---|---:|---|",
        f"| (b) ≤ {MAX_RATIO_TO_CALAMINE:g} × (a) | {r.ratio_ingest_calamine:.2f} × | "
        f"{_verdict(r.ratio_ingest_calamine <= MAX_RATIO_TO_CALAMINE)} |",
        f"| (b) at least {MIN_SPEEDUP_OVER_PANDAS:g} × faster than (c) | {r.ratio_pandas_ingest:.1f} × | "
        f"{_verdict(r.ratio_pandas_ingest >= MIN_SPEEDUP_OVER_PANDAS)} |",
        f"| Peak RSS of (b) < {MAX_PEAK_RSS_MB:g} MB | {r.memory_mib['ingest'] * 1.048576:.0f} MB "
        f"({r.memory_mib['ingest']:.0f} MiB) | {_verdict(r.memory_mib['ingest'] * 1.048576 < MAX_PEAK_RSS_MB)} |",
        "",
    ]
    return "\n".join(lines)


def passed(report: Report) -> bool:
    """True if every target is met."""
    return (
        report.ratio_ingest_calamine <= MAX_RATIO_TO_CALAMINE
        and report.ratio_pandas_ingest >= MIN_SPEEDUP_OVER_PANDAS
        and report.memory_mib["ingest"] * 1.048576 < MAX_PEAK_RSS_MB
    )


def write_section(text: str, path: Path = RESULTS) -> None:
    """Replace the section with the same `## ` heading in `path`, or append it (creating the file)."""
    heading = text.splitlines()[0]
    old = path.read_text(encoding="utf-8") if path.exists() else RESULTS_PREAMBLE
    lines = old.splitlines()
    try:
        start = lines.index(heading)
    except ValueError:
        new = old.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        before = "\n".join(lines[:start]).rstrip("\n")
        after = "\n".join(lines[end:]).strip("\n")
        new = before + "\n\n" + text.rstrip("\n") + "\n" + ("\n" + after + "\n" if after else "")
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line of `python -m bench`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="10,000 rows, 2 repetitions, no RESULTS.md"
    )
    parser.add_argument(
        "--reps", type=int, help="repetitions of (a) and (b) (default 5; --quick: 2)"
    )
    parser.add_argument(
        "--pandas-reps", type=int, help="repetitions of (c) (default 2; --quick: 1)"
    )
    parser.add_argument("--rows", type=int, help="data rows (default 50,000; --quick: 10,000)")
    parser.add_argument(
        "--shared-strings",
        action="store_true",
        help="write the workbook with a shared-strings table, as Excel does (own RESULTS section)",
    )
    parser.add_argument(
        "--write", action="store_true", help="also write the section into bench/RESULTS.md"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    reps = args.reps or (2 if args.quick else 5)
    pandas_reps = args.pandas_reps or (1 if args.quick else 2)
    rows = args.rows or (10_000 if args.quick else 50_000)
    if min(reps, pandas_reps, rows) < 1:
        parser.error("--reps, --pandas-reps and --rows must be at least 1")
    report = measure(rows, reps, pandas_reps, args.quick, args.shared_strings)
    text = section(report)
    print()
    print(text)
    if args.quick or not args.write:
        print(
            f"(not written to {RESULTS.relative_to(ROOT)}; `python -m bench` records the figures)"
        )
    else:
        write_section(text)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    print(f"total run time: {report.wall_seconds:.1f} s")
    return 1 if args.check and not passed(report) else 0


if __name__ == "__main__":
    raise SystemExit(main())
