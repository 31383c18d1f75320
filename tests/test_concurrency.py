"""One server process under load: two uploads at once and 20 readers, each thread on its own
cursor of the one connection (as pages/shared.py does); and a second process that finds the
database taken."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from minzheng import store
from minzheng.intake import uploads
from minzheng.measures import actuals, overview, progress, submissions
from minzheng.store import db
from tests.helpers import ROOT, TODAY, write_ledger

READERS = 20


def _file(folder: Path, township: str, month: int, per_row: int, rows: int = 300) -> Path:
    records = [
        [f"2023-{month:02d}-{1 + r % 28:02d}", township, "街面巡查", per_row, "次"]
        for r in range(rows)
    ]
    return write_ledger(folder / f"{township}{month}月_{per_row}.xlsx", records)


def _upload(con, paths: list[Path], results: list, errors: list, start: threading.Barrier):
    """What the upload page does: check every file, then load the checked files."""
    cur = con.cursor()
    try:
        files = [(p.name, p.read_bytes()) for p in paths]
        start.wait()
        checks = uploads.check_files(cur, files, today=TODAY)
        results.extend(uploads.load(cur, checks, user="并发测试"))
    except Exception as exc:  # anything here would reach the analyst as an error
        errors.append(repr(exc))


def _read(con, stop: threading.Event, seen: list, errors: list, start: threading.Barrier):
    """What the leadership pages do, over and over: totals, progress, overview, reporting."""
    cur = con.cursor()
    start.wait()
    try:
        while not stop.is_set():
            seen.append(float(actuals.monthly(cur, 2023)["actual"].sum()))
            as_of = dt.date(2023, 12, 31)
            progress.progress(cur, 2023, as_of)
            overview.cards(cur, 2023, as_of)
            submissions.grid(cur, 2023, TODAY)
            db.data_version(cur)
        seen.append(float(actuals.monthly(cur, 2023)["actual"].sum()))  # after the uploads
    except Exception as exc:
        errors.append(repr(exc))


def _run(con, uploads_a: list[Path], uploads_b: list[Path]):
    results_a, results_b, errors, seen = [], [], [], [[] for _ in range(READERS)]
    start = threading.Barrier(2 + READERS)
    stop = threading.Event()
    writers = [
        threading.Thread(target=_upload, args=(con, uploads_a, results_a, errors, start)),
        threading.Thread(target=_upload, args=(con, uploads_b, results_b, errors, start)),
    ]
    readers = [
        threading.Thread(target=_read, args=(con, stop, seen[i], errors, start))
        for i in range(READERS)
    ]
    for t in writers + readers:
        t.start()
    for t in writers:
        t.join(timeout=300)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    return results_a, results_b, errors, seen


@pytest.fixture
def con(template_db_file, tmp_path):
    target = tmp_path / "server.duckdb"
    shutil.copyfile(template_db_file, target)
    con = store.connect(target)
    yield con
    con.close()


def _subset_sums(values: list[float]) -> set[float]:
    return {sum(c) for n in range(len(values) + 1) for c in itertools.combinations(values, n)}


def test_two_uploads_and_twenty_readers(con, tmp_path):
    a = [_file(tmp_path, "丰州镇", m, 1 + m) for m in (1, 2, 3)]
    b = [_file(tmp_path, "洪水镇", m, 10 + m) for m in (1, 2, 3)]
    results_a, results_b, errors, seen = _run(con, a, b)
    assert errors == []
    assert [r.status for r in results_a + results_b] == ["已导入"] * 6
    file_totals = [300.0 * (1 + m) for m in (1, 2, 3)] + [300.0 * (10 + m) for m in (1, 2, 3)]
    assert float(actuals.monthly(con, 2023)["actual"].sum()) == sum(file_totals)
    # Every read saw whole batches only: each total it computed is a sum of whole files.
    possible = _subset_sums(file_totals)
    reads = [total for thread in seen for total in thread]
    assert len(reads) >= READERS and all(total in possible for total in reads)
    assert all(thread[-1] == sum(file_totals) for thread in seen if thread)
    ids = con.execute("SELECT batch_id FROM batches ORDER BY 1").fetchall()
    assert [i for (i,) in ids] == [1, 2, 3, 4, 5, 6]


def test_two_uploads_of_overlapping_data_load_one(con, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = [_file(tmp_path / "a", "丰州镇", 4, 2)]
    b = [_file(tmp_path / "b", "丰州镇", 4, 3)]  # same township and month, other numbers
    results_a, results_b, errors, _seen = _run(con, a, b)
    assert errors == []
    statuses = sorted(r.status for r in results_a + results_b)
    assert statuses == ["已导入", "拒绝"]
    refused = next(r for r in results_a + results_b if r.status == "拒绝")
    assert "重叠" in refused.line()
    loaded = next(r for r in results_a + results_b if r.status == "已导入")
    total = float(actuals.monthly(con, 2023)["actual"].sum())
    assert total == 300.0 * (2 if loaded in results_a else 3)


def test_same_file_uploaded_twice_at_once(con, tmp_path):
    path = _file(tmp_path, "监漳镇", 5, 4)
    results_a, results_b, errors, _seen = _run(con, [path], [path])
    assert errors == []
    assert sorted(r.status for r in results_a + results_b) == ["已导入", "重复"]
    assert float(actuals.monthly(con, 2023)["actual"].sum()) == 1200.0


def test_second_process_gets_a_clear_message(con):
    path = db.path_of(con)
    result = subprocess.run(
        [sys.executable, "-m", "minzheng", "batches", "--db", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 3  # "database in use", distinct from a refused file
    assert "同一时间只能由一个程序打开它" in result.stderr
    assert "PID" not in result.stderr and sys.executable not in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_second_dashboard_shows_the_message(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from pages import shared

    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
            "sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("MINZHENG_DB", str(path))
        shared.connection.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
    finally:
        holder.communicate("", timeout=30)
        shared.connection.clear()
    assert not at.exception, at.exception
    assert any("同一时间只能由一个程序打开它" in e.value for e in at.error)
    assert not any("PID" in e.value or sys.executable in e.value for e in at.error)
