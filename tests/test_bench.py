"""The benchmark runs from a clean checkout: `python -m bench --quick` (issue 5) builds its own
data and prints every section, without writing bench/RESULTS.md."""

import subprocess
import sys

from tests.helpers import ROOT


def test_quick_benchmark_runs_and_reports_every_section():
    before = (ROOT / "bench" / "RESULTS.md").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--rows", "2000", "--reps", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    headings = ("## Targets", "## One ledger workbook", "## Command start-up", "## A county year")
    for heading in (*headings, "## Scales"):
        assert heading in out, heading
    assert "## Dashboard page queries" in out and "| 总览 |" in out
    for scale in ("county", "city", "province"):
        assert f"| {scale}" in out, scale
    assert "not written to bench/RESULTS.md" in out
    assert (ROOT / "bench" / "RESULTS.md").read_bytes() == before
