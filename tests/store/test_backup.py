"""Backup and restore (minzheng.store.backup and the CLI): a round trip that keeps every indicator,
and refusals of damaged or incomplete backups that leave the current database untouched."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from minzheng import cli, store
from minzheng.errors import MinzhengError
from minzheng.store import backup, batches
from tests.helpers import ROOT, write_ledger

DEMO_2023 = ROOT / "data" / "demo" / "2023"
PLAN_2023 = ROOT / "data" / "demo" / "plans" / "2023年度计划.xlsx"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _every_indicator(capsys, db_file: Path) -> dict[str, str]:
    """The CLI's indicators and progress output (CSV text) for both demo years."""
    out = {}
    for year in (2023, 2024):
        for command in ("indicators", "progress"):
            code, text, _ = run(capsys, command, "--year", year, "--db", db_file)
            assert code == 0
            out[f"{command} {year}"] = text
    return out


def _snapshot(db_file: Path) -> dict:
    con = store.connect(db_file)
    try:
        return {
            "counts": backup.table_counts(con),
            "kept": con.execute("SELECT * FROM batch_files ORDER BY batch_id").fetchall(),
            "people": con.execute(
                "SELECT person_hash, count(*) FROM facts GROUP BY ALL ORDER BY ALL"
            ).fetchall(),
            "batches": con.execute("SELECT * FROM batches ORDER BY batch_id").fetchall(),
            "settings": con.execute("SELECT * FROM settings ORDER BY key").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory) -> Path:
    """A database with the 2023 demo ledgers, its plan, one rolled-back and one replacing batch."""
    folder = tmp_path_factory.mktemp("backup_source")
    path = folder / "live.duckdb"
    assert cli.main(["ingest", str(DEMO_2023), "--db", str(path)]) == 0
    assert cli.main(["plan", str(PLAN_2023), "--year", "2023", "--db", str(path)]) == 0
    con = store.connect(path)
    try:
        batches.rollback(con, 2)
    finally:
        con.close()
    fix = write_ledger(folder / "更正.xlsx", [["2023-03-05", "丰州镇", "街面巡查", 3, "次"]])
    assert cli.main(["ingest", str(fix), "--replace", "--db", str(path)]) == 0
    return path


@pytest.fixture
def live(loaded_db, tmp_path) -> Path:
    """A private copy of the loaded database (and its key)."""
    target = tmp_path / "live.duckdb"
    shutil.copyfile(loaded_db, target)
    shutil.copyfile(loaded_db.with_name("live.duckdb.key"), tmp_path / "live.duckdb.key")
    return target


def test_round_trip_keeps_every_indicator(capsys, live, tmp_path):
    before = _every_indicator(capsys, live)
    snapshot = _snapshot(live)
    assert snapshot["counts"]["facts"] > 1000 and before["progress 2023"].count("\n") > 100
    key = (tmp_path / "live.duckdb.key").read_text()

    code, out, _ = run(capsys, "backup", "--out", tmp_path / "bk", "--db", live)
    assert code == 0 and out.startswith(f"已备份到 {tmp_path / 'bk'}")
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == snapshot["counts"]
    assert manifest["originals"] == snapshot["counts"]["batch_files"]
    assert len(list((tmp_path / "bk" / "originals").iterdir())) == manifest["originals"]

    # Lose the database entirely, then restore into the same place.
    live.unlink()
    (tmp_path / "live.duckdb.key").unlink()
    code, out, _ = run(capsys, "restore", tmp_path / "bk", "--db", live)
    assert code == 0 and out.startswith(f"已从 {tmp_path / 'bk'} 恢复")
    assert _every_indicator(capsys, live) == before
    assert _snapshot(live) == snapshot
    assert (tmp_path / "live.duckdb.key").read_text() == key

    # Batch numbers continue after the restored ones; rollback/restore of a batch still work.
    new = write_ledger(tmp_path / "新.xlsx", [["2023-12-01", "大有乡", "法治讲座", 1, "场"]])
    code, out, _ = run(capsys, "ingest", new, "--replace", "--db", live)
    assert code == 0, out
    assert f"批次 {snapshot['counts']['batches'] + 1}）" in out
    code, out, _ = run(capsys, "restore", 2, "--db", live)
    assert code == 0 and out.strip() == "已恢复批次 2"


def test_restore_over_a_changed_database_keeps_the_old_one(capsys, live, tmp_path):
    before = _every_indicator(capsys, live)
    backup_dir = tmp_path / "bk"
    assert run(capsys, "backup", "--out", backup_dir, "--db", live)[0] == 0
    run(capsys, "rollback", 1, "--db", live)
    changed = _every_indicator(capsys, live)
    assert changed != before
    assert run(capsys, "restore", backup_dir, "--db", live)[0] == 0
    assert _every_indicator(capsys, live) == before
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 2  # the replaced database and its key
    old = next(p for p in kept if not p.name.endswith(".key"))
    assert _every_indicator(capsys, old) == changed


def _damaged(capsys, live, tmp_path, damage) -> tuple[int, str]:
    backup_dir = tmp_path / "bk"
    assert run(capsys, "backup", "--out", backup_dir, "--db", live)[0] == 0
    damage(backup_dir)
    before_bytes = live.read_bytes()
    before = _every_indicator(capsys, live)
    code, _out, err = run(capsys, "restore", backup_dir, "--db", live)
    assert code == 1
    assert _every_indicator(capsys, live) == before
    # Opening the database for the checks above may rewrite its header, never its content.
    assert len(live.read_bytes()) == len(before_bytes)
    assert not [
        p for p in tmp_path.iterdir() if "restoring" in p.name or "before-restore" in p.name
    ]
    return code, err


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_damaged_file_is_refused(capsys, live, tmp_path):
    _code, err = _damaged(
        capsys, live, tmp_path, lambda d: _flip_byte(d / "database" / "facts.parquet")
    )
    assert "备份已损坏" in err and "database/facts.parquet" in err


def test_missing_manifest_is_refused(capsys, live, tmp_path):
    _code, err = _damaged(capsys, live, tmp_path, lambda d: (d / "manifest.json").unlink())
    assert "备份不完整" in err


def test_missing_table_file_is_refused(capsys, live, tmp_path):
    _code, err = _damaged(
        capsys, live, tmp_path, lambda d: (d / "database" / "batches.parquet").unlink()
    )
    assert "缺少文件 database/batches.parquet" in err


def test_missing_key_is_refused(capsys, live, tmp_path):
    def drop_key(d: Path) -> None:
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
        del manifest["files"]["hash.key"]
        (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    _code, err = _damaged(capsys, live, tmp_path, drop_key)
    assert "备份不完整" in err and "hash.key" in err


def test_counts_not_matching_the_manifest_are_refused(capsys, live, tmp_path):
    def lie(d: Path) -> None:
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
        manifest["tables"]["facts"] += 1
        (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    _code, err = _damaged(capsys, live, tmp_path, lie)
    assert "表 facts 应有" in err


def test_backup_from_a_newer_version_is_refused(capsys, live, tmp_path):
    def newer(d: Path) -> None:
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
        manifest["schema_version"] = 999
        (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    _code, err = _damaged(capsys, live, tmp_path, newer)
    assert "更新版本" in err


def test_backup_never_writes_into_a_used_folder(live, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "something.txt").write_text("keep me")
    con = store.connect(live)
    try:
        with pytest.raises(MinzhengError, match="不是空目录"):
            backup.create(con, used)
    finally:
        con.close()
    assert [p.name for p in used.iterdir()] == ["something.txt"]


def test_restore_while_another_process_holds_the_database(capsys, live, tmp_path):
    backup_dir = tmp_path / "bk"
    assert run(capsys, "backup", "--out", backup_dir, "--db", live)[0] == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
            "sys.stdin.read()",
            str(live),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        result = subprocess.run(
            [sys.executable, "-m", "minzheng", "restore", str(backup_dir), "--db", str(live)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        holder.communicate("", timeout=30)
    assert result.returncode == 3  # "database in use", distinct from a refused file
    assert "同一时间只能由一个程序打开它" in result.stderr
    assert "PID" not in result.stderr and sys.executable not in result.stderr
    assert "Traceback" not in result.stderr
    assert not [p for p in tmp_path.iterdir() if "before-restore" in p.name]
