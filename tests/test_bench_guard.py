"""bench.guard measures the guard and calamine on the same file, in a child process."""

from __future__ import annotations

from bench import guard
from tests.helpers import ROOT


def test_guard_bench_measures_both_readers(tmp_path):
    plain = guard._wide(tmp_path / "wide.xlsx", rows=200, cols=30)
    styled = guard._wide(tmp_path / "styled.xlsx", rows=200, cols=30, styled=True)
    for path in (plain, styled):  # the styled one is accepted: its far cells hold nothing
        m = guard.measure(path, reps=2, package_dir=ROOT)
        assert m["calamine_ms"] > 0 and m["guard_ms"] > 0
        assert m["ratio"] > 0
