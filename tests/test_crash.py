"""Crash safety: an ingest killed with SIGKILL at many points leaves only whole batches.

A calibration run of `python -m minzheng ingest` on a folder of ledgers measures when the first
and the last file are reported; then the same load is started again and again on a fresh copy of
the database and killed after delays spread over that span. After every kill the database must
open, and each batch must be wholly present (its facts, coverage, warnings and kept original all
there and consistent with the monthly aggregate) or wholly absent (nothing left of it).

A reader failing on one file of a folder (python-calamine panicking on a damaged .xls) refuses
that file alone: the run reports every file and ends with its summary.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import python_calamine as pc

from minzheng import store
from tests.data import build_bad as bb
from tests.helpers import ROOT, write_ledger

KILLS = 16
FILES = 5
ROWS = 1500
CATEGORIES = [("街面巡查", "次"), ("发放宣传资料", "份"), ("法治讲座", "场"), ("业务培训", "场")]


def _ledgers(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(FILES):
        month = n + 1
        rows = [
            [f"2023-{month:02d}-{1 + r % 28:02d}", "丰州镇", *_category(r), f"村{r}"]
            for r in range(ROWS)
        ]
        rows = [[d, t, c, 1, u, p] for d, t, c, u, p in rows]
        header = ["日期", "乡镇", "类别", "数量", "单位", "地点"]
        paths.append(write_ledger(folder / f"丰州镇2023年{month}月.xlsx", rows, header=header))
    return paths


def _category(r: int) -> tuple[str, str]:
    return CATEGORIES[r % len(CATEGORIES)]


def _start(db_file: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "minzheng", "ingest", str(folder), "--db", str(db_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _fresh(template: Path, target: Path) -> Path:
    for suffix in ("", ".wal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def _check_whole_batches(db_file: Path) -> int:
    """Assert every batch is whole and nothing belongs to a missing batch; the batch count."""
    con = store.connect(db_file)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        for table in ("facts", "batch_files", "batch_coverage", "batch_warnings"):
            orphans = q(
                f"SELECT count(*) FROM {table} WHERE batch_id NOT IN (SELECT batch_id FROM batches)"
            )
            assert orphans == [(0,)], f"orphan rows in {table}"
        rows = q(
            """
            SELECT b.batch_id, b.row_count, b.sha256,
                   (SELECT count(*) FROM facts f WHERE f.batch_id = b.batch_id),
                   (SELECT coalesce(sum(row_count), 0) FROM batch_coverage c
                    WHERE c.batch_id = b.batch_id),
                   (SELECT count(*) FROM batch_files k WHERE k.batch_id = b.batch_id)
            FROM batches b ORDER BY 1
            """
        )
        for batch_id, row_count, _sha, facts, coverage, kept in rows:
            assert facts == row_count == coverage, (batch_id, row_count, facts, coverage)
            assert kept == 1, batch_id
        for batch_id, content, sha in q(
            "SELECT k.batch_id, k.content, b.sha256 FROM batch_files k "
            "JOIN batches b USING (batch_id)"
        ):
            # Every kept copy is a complete workbook written anew (never the original bytes).
            assert hashlib.sha256(bytes(content)).hexdigest() != sha, batch_id
            assert pc.CalamineWorkbook.from_filelike(io.BytesIO(bytes(content))).sheet_names
        # The aggregate equals the live facts, key by key.
        mismatch = q(
            """
            WITH live AS (
                SELECT year, month, unit_id, indicator_key, sum(quantity) AS actual,
                       count(*) AS n
                FROM facts WHERE superseded_by IS NULL
                 AND batch_id IN (SELECT batch_id FROM batches WHERE status = 'active')
                GROUP BY ALL)
            SELECT count(*) FROM live FULL JOIN monthly_actuals m
                USING (year, month, unit_id, indicator_key)
            WHERE live.actual IS DISTINCT FROM m.actual OR live.n IS DISTINCT FROM m.row_count
            """
        )
        assert mismatch == [(0,)]
        return len(rows)
    finally:
        con.close()


def test_sigkill_during_ingest_leaves_whole_batches(tmp_path, template_db_file):
    folder = tmp_path / "files"
    _ledgers(folder)
    target = tmp_path / "crash.duckdb"

    # Calibrate from the load's own output: each file's line is printed once its batch is
    # committed, so the span from the first line to the last is when kills land mid-load.
    _fresh(template_db_file, target)
    started = time.monotonic()
    proc = _start(target, folder)
    reported = []
    for line in proc.stdout:
        if line.startswith("已导入"):
            reported.append(time.monotonic() - started)
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, err
    assert len(reported) == FILES
    assert _check_whole_batches(target) == FILES

    first, last = reported[0], reported[-1]
    begin = first * 0.8  # a little before the first commit: some kills find nothing loaded
    delays = [begin + (last - begin) * i / (KILLS - 1) for i in range(KILLS)]
    seen = [_kill_after(template_db_file, target, folder, d) for d in delays]
    # The machine's speed changes between runs: more kills spread wider around the calibrated
    # span, until some landed in the middle of the load (the point of the test).
    extra = [first + (last - first) * f for f in (0.5, 0.25, 0.75, -0.5, 1.5, -1.0, 2.5, 0.1)]
    while not any(0 < n < FILES for n in seen) and extra:
        seen.append(_kill_after(template_db_file, target, folder, max(extra.pop(0), 0.05)))
    print(f"lines at {[round(t, 2) for t in reported]} s; kills left {seen} batches")
    assert any(0 < n < FILES for n in seen), seen
    assert len(set(seen)) >= 2, seen


def _kill_after(template: Path, target: Path, folder: Path, delay: float) -> int:
    """Start the load on a fresh database, SIGKILL it after `delay` s; the whole batches left."""
    _fresh(template, target)
    proc = _start(target, folder)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return _check_whole_batches(target)


def test_a_reader_failure_mid_folder_refuses_that_file_only(tmp_path, template_db_file):
    folder = tmp_path / "files"
    folder.mkdir()
    header = ["日期", "乡镇", "类别", "数量", "单位"]
    for month in (1, 3):
        rows = [[f"2023-{month:02d}-{d:02d}", "丰州镇", "街面巡查", d, "次"] for d in (1, 2, 3)]
        write_ledger(folder / f"丰州镇2023年{month}月.xlsx", rows, header=header)
    # Between the two in name order: an .xls python-calamine panics on, and a CR-only CSV.
    (folder / "丰州镇2023年2月.xls").write_bytes(bb._MAKERS["xls_reader_panic.xls"]())
    lines = [",".join(header), "2023-02-05,丰州镇,发放宣传资料,100,份"]
    (folder / "丰州镇2023年2月补报.csv").write_bytes("\r".join(lines).encode())
    target = _fresh(template_db_file, tmp_path / "run.duckdb")
    proc = _start(target, folder)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert [line.split("：")[0] for line in out.splitlines()] == [
        "已导入 丰州镇2023年1月.xlsx",
        "拒绝 丰州镇2023年2月.xls",
        "已导入 丰州镇2023年2月补报.csv",
        "已导入 丰州镇2023年3月.xlsx",
    ]
    assert "文件已损坏" in out.splitlines()[1]
    assert "共 4 个文件：已导入 3 个，重复 0 个，拒绝 1 个" in err
    assert _check_whole_batches(target) == 3


def test_a_reader_panic_prints_no_english_at_the_terminal(tmp_path, template_db_file):
    """The Rust panic message and backtrace go to the log: stderr keeps only the Chinese summary."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "丰州镇2023年2月.xls").write_bytes(bb._MAKERS["xls_reader_panic.xls"]())
    target = _fresh(template_db_file, tmp_path / "run.duckdb")
    proc = _start(target, folder)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert out.startswith("拒绝 丰州镇2023年2月.xls：文件已损坏")
    assert err.strip() == "共 1 个文件：已导入 0 个，重复 0 个，拒绝 1 个", err
