"""Where `ingest_file` spends its time on the benchmark ledger: phases, then a function profile.

Phases are timed by wrapping the functions `minzheng.intake.ingest.check_bytes` and `commit` call (no
profiler running, so the shares are undistorted); what the wrappers do not cover (building the
facts table, sha256, …) is shown as the remainder. The function profile uses pyinstrument
(sampling) when installed, else cProfile (which inflates Python-heavy code).

Run: `python -m bench.profile_ingest [--rows N] [--reps N] [--top N] [--profiler cprofile]`.
Nothing in minzheng is changed; the wrappers live only in this process.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import make_ledger
from bench.run import OUT_DIR, ingest_once, read_calamine, timed

# (module, attribute, phase label, nested?) in the order ingest_file calls them. Nested phases
# run inside the phase above them and are left out of the remainder. Attributes missing from the
# code being measured are skipped, so the table follows the package as it changes.
PHASES = (
    ("minzheng.store.reference", "load", "reference.load (units, catalog)", False),
    ("minzheng.intake.ingest", "hash_key", "ingest.hash_key", False),
    ("minzheng.intake.workbook", "read", "workbook.read (calamine + merged cells)", False),
    ("minzheng.intake.extract", "extract", "extract.extract (find header, check every row)", False),
    ("minzheng.intake.layout", "find_header", "layout.find_header", True),
    ("minzheng.intake.extract.fast", "LedgerFast._ledger_fast", "LedgerFast._ledger_fast", True),
    ("minzheng.intake.privacy", "cells_have_sensitive", "privacy.cells_have_sensitive", True),
    (
        "minzheng.intake.extract.cells",
        "CellReader.add_fact",
        "CellReader.add_fact (row path)",
        True,
    ),
    ("minzheng.intake.content_hash", "content_hash", "content_hash.content_hash", False),
    ("minzheng.store.batches", "find_duplicate", "batches.find_duplicate", False),
    ("minzheng.store.batches", "overlap_rows", "batches.overlap_rows", False),
    (
        "minzheng.intake.redact",
        "redacted_copy_book",
        "redact.redacted_copy_book (compression goes on in a thread)",
        False,
    ),
    ("minzheng.intake.outliers", "detect", "outliers.detect", False),
    ("minzheng.store.batches", "write_batch", "batches.write_batch (DuckDB insert, commit)", False),
)


def _owner(module_name: str, dotted: str):
    """(object holding the attribute, attribute name), or None when the code has no such thing."""
    import importlib

    owner = importlib.import_module(module_name)
    *path, attr = dotted.split(".")
    for part in path:
        owner = getattr(owner, part, None)
    return (owner, attr) if owner is not None and hasattr(owner, attr) else None


def phase_times(path: Path, rows: int, reps: int) -> tuple[dict[str, float], float, float]:
    """Median seconds per phase and of the whole `ingest_file`, and (a) for comparison."""
    spent: dict[str, list[float]] = defaultdict(list)
    current: dict[str, float] = {}
    originals = []
    for module_name, dotted, label, _nested in PHASES:
        found = _owner(module_name, dotted)
        if found is None:
            continue
        owner, attr = found
        original = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
        originals.append((owner, attr, original))

        def wrapper(*args, _f=original, _label=label, **kwargs):
            start = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                current[_label] = current.get(_label, 0.0) + time.perf_counter() - start

        setattr(owner, attr, functools.wraps(original)(wrapper))
    totals, calamine = [], []
    try:
        with tempfile.TemporaryDirectory(prefix="minzheng-profile-") as tmp:
            ingest_once(path, rows, Path(tmp))  # warm-up
            for _ in range(reps):
                current.clear()
                calamine.append(timed(lambda: read_calamine(path))[0])
                totals.append(ingest_once(path, rows, Path(tmp))[0])
                for label in {o[2] for o in PHASES}:
                    spent[label].append(current.get(label, 0.0))
    finally:
        for owner, attr, original in originals:
            setattr(owner, attr, original)
    medians = {o[2]: statistics.median(spent[o[2]]) for o in PHASES if o[2] in spent}
    return medians, statistics.median(totals), statistics.median(calamine)


def function_profile(path: Path, rows: int, profiler: str, top: int) -> str:
    """A text profile of one `ingest_file` call (after a warm-up)."""
    import minzheng.intake.ingest
    import minzheng.store

    with tempfile.TemporaryDirectory(prefix="minzheng-profile-") as tmp:
        ingest_once(path, rows, Path(tmp))
        con = minzheng.store.connect(Path(tmp) / "profiled.duckdb")
        try:
            if profiler == "pyinstrument":
                from pyinstrument import Profiler

                prof = Profiler(interval=0.0005)
                prof.start()
                minzheng.intake.ingest.ingest_file(con, path)
                prof.stop()
                return prof.output_text(unicode=True, color=False, show_all=False)
            import cProfile
            import io
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            minzheng.intake.ingest.ingest_file(con, path)
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
            return out.getvalue()
        finally:
            con.close()


def main(argv: list[str] | None = None) -> int:
    """Command line: print the phase table and the function profile."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile_ingest", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--top", type=int, default=40, help="cProfile: functions to list")
    parser.add_argument("--profiler", choices=("pyinstrument", "cprofile"), default=None)
    args = parser.parse_args(argv)
    profiler = args.profiler
    if profiler is None:
        try:
            import pyinstrument  # noqa: F401

            profiler = "pyinstrument"
        except ImportError:
            profiler = "cprofile"

    path = OUT_DIR / f"ledger_{args.rows}.xlsx"
    make_ledger.write_ledger(path, args.rows)
    phases, total, calamine = phase_times(path, args.rows, args.reps)
    print(f"ingest_file on {path.name}: median {total:.3f} s over {args.reps} reps")
    print(f"(a) python-calamine alone: median {calamine:.3f} s; (b)/(a) = {total / calamine:.2f}\n")
    nested = {o[2] for o in PHASES if o[3]}
    print(f"{'phase':<56} {'seconds':>8} {'share':>7}")
    for label, seconds in phases.items():
        shown = f"  {label}" if label in nested else label
        print(f"{shown:<56} {seconds:>8.3f} {seconds / total:>7.1%}")
    rest = total - sum(v for k, v in phases.items() if k not in nested)
    label = "remainder (facts table, keys, sha256, glue)"
    print(f"{label:<56} {rest:>8.3f} {rest / total:>7.1%}")
    print(f"\n--- {profiler} profile of one ingest_file call ---\n")
    print(function_profile(path, args.rows, profiler, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
