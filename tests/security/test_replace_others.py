"""Finding 8: one analyst could supersede another's batch with 替换, which the other could not
roll back. Replacing someone else's data now needs an admin; the refusal is audited."""

from __future__ import annotations

import pytest

from minzheng.intake import ingest
from minzheng.measures import actuals
from minzheng.store import auth, batches
from minzheng.store.permissions import Actor
from tests.helpers import write_ledger

LI, ZHAO, BOSS = Actor("李填报", "web"), Actor("赵填报", "web"), Actor("张管理", "web")


@pytest.fixture
def con(empty_db):
    auth.add_user(empty_db, "张管理", "admin", "admin-pass-1")
    auth.add_user(empty_db, "李填报", "analyst", "analyst-pass-1")
    auth.add_user(empty_db, "赵填报", "analyst", "analyst-pass-2")
    return empty_db


def _ledger(tmp_path, name: str, quantity: int):
    return write_ledger(tmp_path / name, [["2025-01-03", "丰州镇", "街面巡查", quantity, "次"]])


def _total(con) -> float:
    return float(actuals.monthly(con, 2025)["actual"].sum())


def test_an_analyst_cannot_replace_another_analysts_batch(con, tmp_path):
    first = ingest.ingest_file(con, _ledger(tmp_path, "a.xlsx", 3), actor=LI)
    assert first.status == ingest.LOADED
    result = ingest.ingest_file(con, _ledger(tmp_path, "b.xlsx", 9), replace=True, actor=ZHAO)
    assert result.status == ingest.REFUSED
    assert "由“李填报”导入" in result.line()
    assert _total(con) == 3.0  # 李's data still counts
    denied = con.execute(
        "SELECT username, target, detail FROM audit_log WHERE action = 'denied'"
    ).fetchall()
    assert denied == [("赵填报", "b.xlsx", result.check.problems[-1].message)]
    assert batches.list_batches(con)["status"].tolist() == ["active"]


def test_an_analyst_may_replace_their_own_and_an_admin_anyones(con, tmp_path):
    ingest.ingest_file(con, _ledger(tmp_path, "a.xlsx", 3), actor=LI)
    own = ingest.ingest_file(con, _ledger(tmp_path, "a2.xlsx", 4), replace=True, actor=LI)
    assert own.status == ingest.LOADED and _total(con) == 4.0
    boss = ingest.ingest_file(con, _ledger(tmp_path, "a3.xlsx", 5), replace=True, actor=BOSS)
    assert boss.status == ingest.LOADED and _total(con) == 5.0
    # 李 (the analyst whose data was replaced) sees it in the audit log with the admin's name
    entry = con.execute(
        "SELECT username, detail FROM audit_log WHERE action = 'ingest' ORDER BY entry_id DESC"
    ).fetchone()
    assert entry[0] == "张管理" and "替换已有数据" in entry[1]
