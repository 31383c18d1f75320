"""What the pre-read guard (`minzheng.intake.filecheck.inspect`) costs, as a ratio to python-calamine.

On a shared machine absolute times move with the load; the guard's time divided by calamine's
read of the same file, both measured alternately in the same child process, does not. Files:
the 50,000-row benchmark ledger (inline strings, and shared strings as Excel writes it), a
30,000 × 30 sheet of numbers (two-letter columns: the exact measure), and the same sheet with
styled empty rows and columns out to XFD1048576 as LibreOffice and WPS write them (a bound over
the limits, measured again on filled cells only before it may refuse).

Run: `python -m bench.guard [--reps N] [--before DIR]`. `--before DIR` also measures the
`minzheng` package found in DIR (e.g. an exported older commit: `git archive COMMIT minzheng |
tar -x -C DIR`), children alternating with the current one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import make_ledger

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import gc, json, resource, sys, time
from pathlib import Path
import python_calamine as pc
from minzheng.intake import filecheck

path, reps = Path(sys.argv[1]), int(sys.argv[2])
data = path.read_bytes()
limits = filecheck.Limits.from_config()

def cpu(fn):
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start

def calamine():
    pc.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()

def guard():
    assert filecheck.inspect(data, path.name, limits) == [], path.name

guard()  # warm-up (imports, regex compilation)
a, g = [], []
for _ in range(reps):
    a.append(cpu(calamine))
    g.append(cpu(guard))
print(json.dumps({"calamine": a, "guard": g}))
"""

_PEAK = r"""
import resource, sys
from pathlib import Path
from minzheng.intake import filecheck
import python_calamine as pc
data = Path(sys.argv[1]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[2] == "guard":
    filecheck.inspect(data, Path(sys.argv[1]).name)
else:
    pc.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) / 1024)
"""


def _wide(path: Path, rows: int = 30_000, cols: int = 30, styled: bool = False) -> Path:
    """A sheet of numbers; `styled`: plus styled empty cells to column XFD and rows to 1,048,576."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("台账")
    fill = book.add_format({"bg_color": "#FFFF00"})
    for c in range(cols):
        sheet.write(0, c, f"列{c}")
    for r in range(1, rows + 1):
        for c in range(cols):
            sheet.write_number(r, c, r * cols + c)
        if styled:
            sheet.write_blank(r, 16_383, None, fill)
    if styled:
        sheet.write_blank(1_048_575, 0, None, fill)
        sheet.write_blank(1_048_575, 16_383, None, fill)
    book.close()
    return path


def files(out: Path) -> dict[str, Path]:
    """The measured workbooks, written into `out`."""
    return {
        "ledger 50k, inline strings": make_ledger.write_ledger(out / "ledger_inline.xlsx"),
        "ledger 50k, shared strings": make_ledger.write_ledger(
            out / "ledger_shared.xlsx", constant_memory=False
        ),
        "30,000 × 30 numbers": _wide(out / "wide.xlsx"),
        "30,000 × 30, styled to XFD1048576": _wide(out / "wide_styled.xlsx", styled=True),
    }


def _run(code: str, args: list[str], package_dir: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(package_dir)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=package_dir,  # `python -c` puts the working directory first on sys.path
        check=True,
    )
    return done.stdout.strip()


def measure(path: Path, reps: int, package_dir: Path) -> dict[str, float]:
    """Medians (CPU ms) of calamine and the guard, their ratio, and the guard's added peak RSS."""
    runs = json.loads(_run(_CHILD, [str(path), str(reps)], package_dir))
    ratios = [g / a for a, g in zip(runs["calamine"], runs["guard"], strict=True)]
    return {
        "calamine_ms": statistics.median(runs["calamine"]) * 1000,
        "guard_ms": statistics.median(runs["guard"]) * 1000,
        "ratio": statistics.median(ratios),
        "guard_peak_mb": float(_run(_PEAK, [str(path), "guard"], package_dir)),
        "calamine_peak_mb": float(_run(_PEAK, [str(path), "calamine"], package_dir)),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: print a Markdown table of the guard's cost per file."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.guard", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--before", type=Path, help="a directory holding an older minzheng/")
    args = parser.parse_args(argv)
    variants = [("now", ROOT)] + ([("before", args.before)] if args.before else [])
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(
        "| File | version | calamine CPU ms | guard CPU ms | guard / calamine "
        "| guard peak +MB | calamine peak +MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in files(Path(tmp)).items():
            for name, package_dir in variants:
                try:
                    m = measure(path, args.reps, package_dir)
                except subprocess.CalledProcessError as exc:  # e.g. the old guard refuses it
                    last = (exc.stderr.strip().splitlines() or ["?"])[-1]
                    print(f"| {label} | {name} | – | – | failed: {last[:80]} | | |")
                    continue
                print(
                    f"| {label} | {name} | {m['calamine_ms']:,.0f} | {m['guard_ms']:,.0f} "
                    f"| {m['ratio']:.3f} | {m['guard_peak_mb']:,.0f} | {m['calamine_peak_mb']:,.0f} |",
                    flush=True,
                )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
