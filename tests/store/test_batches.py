"""Tests of minzheng.store.batches: monthly aggregate upkeep, supersede, rollback/restore, demo removal."""

import io

import pytest
import python_calamine as pc

from minzheng.errors import MinzhengError, NotFoundError
from minzheng.intake import ingest
from minzheng.store import batches, settings
from tests.helpers import TODAY, fresh_db, write_ledger


def _monthly(con):
    return {
        (r[0], r[1], r[2]): r[3]
        for r in con.execute(
            "SELECT u.name, indicator_key, month, actual FROM monthly_actuals JOIN units u USING (unit_id)"
        ).fetchall()
    }


def _recomputed(con):
    """The aggregate recomputed from raw facts, to check the maintained one against."""
    return {
        (r[0], r[1], r[2]): r[3]
        for r in con.execute(
            """SELECT u.name, indicator_key, month, sum(quantity) FROM facts JOIN units u USING (unit_id)
               WHERE superseded_by IS NULL AND batch_id IN (SELECT batch_id FROM batches WHERE status='active')
               GROUP BY ALL"""
        ).fetchall()
    }


def test_replace_rollback_restore_keep_aggregate_exact(tmp_path):
    con = fresh_db(tmp_path)
    old = write_ledger(
        tmp_path / "old.xlsx",
        [
            ["2023-03-01", "丰州镇", "街面巡查", 5, "次"],
            ["2023-04-01", "丰州镇", "街面巡查", 7, "次"],
        ],
    )
    new = write_ledger(tmp_path / "new.xlsx", [["2023-03-09", "丰州镇", "街面巡查", 9, "次"]])
    first = ingest.ingest_file(con, old, today=TODAY)
    refused = ingest.ingest_file(con, new, today=TODAY)
    assert refused.status == ingest.REFUSED and "重叠" in refused.line()
    second = ingest.ingest_file(con, new, replace=True, today=TODAY)
    assert second.status == ingest.LOADED
    assert _monthly(con) == {("丰州镇", "patrols_run", 3): 9, ("丰州镇", "patrols_run", 4): 7}
    assert _monthly(con) == _recomputed(con)
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 3, "older rows kept"
    batches.rollback(con, second.batch_id)
    assert _monthly(con) == {("丰州镇", "patrols_run", 3): 5, ("丰州镇", "patrols_run", 4): 7}
    batches.restore(con, second.batch_id)
    assert _monthly(con)[("丰州镇", "patrols_run", 3)] == 9
    batches.rollback(con, first.batch_id)
    assert _monthly(con) == {("丰州镇", "patrols_run", 3): 9}
    assert _monthly(con) == _recomputed(con)
    with pytest.raises(MinzhengError):
        batches.rollback(con, first.batch_id)
    with pytest.raises(MinzhengError):
        batches.restore(con, second.batch_id)
    with pytest.raises(NotFoundError):
        batches.rollback(con, 999)


def test_remove_demo_deletes_only_demo_and_stops_autoload(tmp_path):
    con = fresh_db(tmp_path)
    demo = write_ledger(tmp_path / "demo.xlsx", [["2023-03-01", "丰州镇", "街面巡查", 5, "次"]])
    real = write_ledger(tmp_path / "real.xlsx", [["2023-03-01", "洪水镇", "街面巡查", 2, "次"]])
    ingest.ingest_file(con, demo, demo=True, today=TODAY)
    ingest.ingest_file(con, real, today=TODAY)
    assert batches.has_demo(con)
    assert batches.remove_demo(con) == 1
    assert not batches.has_demo(con)
    assert _monthly(con) == {("洪水镇", "patrols_run", 3): 2}
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 1
    assert settings.get(con, "demo.autoload") is False


def test_list_batches_and_kept_file(tmp_path):
    con = fresh_db(tmp_path)
    path = write_ledger(tmp_path / "a.xlsx", [["2023-03-01", "丰州镇", "街面巡查", 5, "次"]])
    result = ingest.ingest_file(con, path, user="analyst1", today=TODAY)
    table = batches.list_batches(con)
    row = table.iloc[0]
    assert (row.file_name, row.loaded_by, row.status, row.row_count) == (
        "a.xlsx",
        "analyst1",
        "active",
        1,
    )
    assert list(row.units) == ["丰州镇"] and list(row.months) == ["2023-03"]
    name, content = batches.kept_file(con, result.batch_id)
    assert name == "a（仅数值副本）.xlsx", "no personal data: the label says it is a values copy"
    assert content != path.read_bytes(), "always rewritten, never the original bytes"
    kept = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    rows = kept.get_sheet_by_name(kept.sheet_names[0]).to_python()
    assert rows[-1][1:4] == ["丰州镇", "街面巡查", 5.0], "the values are kept"
