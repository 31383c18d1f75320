"""The audit log: one entry per write with who, what, which batch or setting and the values
before and after; filters; the Excel export; and nothing anywhere that updates or deletes it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from minzheng.errors import MinzhengError
from minzheng.intake import ingest
from minzheng.measures import plan
from minzheng.outputs import xlsx
from minzheng.store import audit, auth, batches, catalog, reference, settings
from minzheng.store.permissions import Actor, operator
from minzheng.views import plan_grid
from tests.helpers import ROOT, write_ledger

ANNA = Actor("安娜", "web")


@pytest.fixture
def con(empty_db):
    auth.add_user(empty_db, ANNA.name, "admin", "anna-pass-1")
    return empty_db


def test_every_write_leaves_one_entry_with_who_what_and_which(con, tmp_path):
    path = write_ledger(tmp_path / "=丰州镇1月.xlsx", [["2025-01-03", "丰州镇", "巡查", 3, "次"]])
    batch = ingest.ingest_file(con, path, actor=ANNA).batch_id
    batches.rollback(con, batch, actor=ANNA)
    batches.restore(con, batch, actor=ANNA)
    settings.put(con, "status.ahead_margin", 0.15, actor=ANNA)
    catalog.add_alias(con, "丰州镇", "丰州街道", actor=ANNA)
    catalog.add_synonym(con, "patrols_run", "夜巡", actor=ANNA)
    log = audit.entries(con).iloc[::-1]  # oldest first
    assert log["action"].tolist() == [
        "user_add",
        "ingest",
        "rollback",
        "restore",
        "setting_change",
        "unit_alias",
        "catalog_synonym",
    ]
    assert set(log["username"][1:]) == {ANNA.name} and set(log["role"][1:]) == {"admin"}
    assert log["batch_id"].tolist()[1:4] == [batch] * 3
    assert log["target"].tolist()[1] == "=丰州镇1月.xlsx"
    setting = log[log["action"] == "setting_change"].iloc[0]
    assert setting["target"] == "status.ahead_margin"
    assert (json.loads(setting["before_value"]), json.loads(setting["after_value"])) == (0.1, 0.15)
    assert json.loads(log.iloc[5]["after_value"]) == {"别名": "丰州街道"}


def test_plan_edits_keep_the_changed_targets_before_and_after(con):
    ref = reference.load(con)
    fengzhou = ref.unit("丰州镇").unit_id
    first = plan.Plan()
    first.targets[(fengzhou, "patrols_run")] = 40.0
    first.targets[(fengzhou, "lectures_held")] = 2.0
    plan.save_plan(con, 2025, first, "计划表.xlsx", actor=ANNA)
    grid = plan_grid.plan_grid(con, 2025)
    grid.loc[grid["乡镇"] == "丰州镇", "patrols_run"] = 48.0
    plan_grid.save_grid(con, 2025, grid, actor=ANNA)
    edits = audit.entries(con, actions=["plan_save"])
    latest, initial = edits.iloc[0], edits.iloc[1]
    assert json.loads(initial["before_value"]) == {
        "丰州镇/法治讲座": None,
        "丰州镇/街面巡查": None,
    }
    assert json.loads(initial["after_value"]) == {"丰州镇/法治讲座": 2.0, "丰州镇/街面巡查": 40.0}
    assert json.loads(latest["before_value"]) == {"丰州镇/街面巡查": 40.0}
    assert json.loads(latest["after_value"]) == {"丰州镇/街面巡查": 48.0}
    assert latest["target"] == "2025年度计划" and "1 个目标有变化" in latest["detail"]


def test_the_command_line_is_logged_as_the_operator(con, tmp_path):
    path = write_ledger(tmp_path / "洪水镇1月.xlsx", [["2025-01-03", "洪水镇", "巡查", 3, "次"]])
    ingest.ingest_paths(con, [path])
    entry = audit.entries(con, actions=["ingest"]).iloc[0]
    assert entry["via"] == "cli" and entry["role"] == "admin"


def test_a_failed_write_leaves_no_entry(con):
    with pytest.raises(MinzhengError):
        catalog.add_alias(con, "丰州镇", "丰州镇", actor=ANNA)  # already its name
    with pytest.raises(MinzhengError):
        settings.put(con, "status.ahead_margin", "high", actor=ANNA)
    assert audit.entries(con)["action"].tolist() == ["user_add"]


def test_filters_by_user_action_and_date(con):
    day = dt.datetime(2025, 6, 1, 10)
    audit.record(con, ANNA, "login", role="admin", at=day)
    audit.record(con, Actor("李"), "login_failed", at=day + dt.timedelta(days=1))
    audit.record(con, ANNA, "logout", role="admin", at=day + dt.timedelta(days=2, hours=13))
    assert audit.entries(con, users=["李"])["action"].tolist() == ["login_failed"]
    june = audit.entries(con, start=dt.date(2025, 6, 2), end=dt.date(2025, 6, 3))
    assert june["action"].tolist() == ["logout", "login_failed"]  # end date inclusive
    only = audit.entries(
        con, users=[ANNA.name], actions=["login", "logout"], end=dt.date(2025, 6, 2)
    )
    assert only["action"].tolist() == ["login"]
    assert set(audit.usernames(con)) == {ANNA.name, "李", operator().name}


def test_unknown_actions_are_refused(con):
    with pytest.raises(ValueError):
        audit.record(con, ANNA, "delete_everything")


def test_the_excel_export_is_readable_and_neutralises_formulas(con, tmp_path):
    path = write_ledger(
        tmp_path / "=HYPERLINK(1).xlsx", [["2025-01-03", "丰州镇", "巡查", 3, "次"]]
    )
    ingest.ingest_file(con, path, actor=ANNA)
    shown = audit.table(audit.entries(con))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.audit_log_to_xlsx(shown, "导出人：安娜")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "审计日志" and rows[1][0] == "导出人：安娜"
    assert list(rows[2]) == audit.COLUMNS
    body = rows[3:]
    assert len(body) == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", body[0][0])  # the time of day kept
    assert body[0][4] == "导入台账" and body[0][6] == "'=HYPERLINK(1).xlsx"
    assert all(not str(v).startswith("=") for row in body for v in row if v is not None)


# --- append-only -----------------------------------------------------------------------------

_WRITES_TO_AUDIT = re.compile(
    r"(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE|ALTER\s+TABLE|INSERT\s+OR\s+REPLACE\s+INTO)"
    r"\s+audit_log",
    re.IGNORECASE,
)


def test_nothing_in_the_product_updates_or_deletes_audit_entries():
    sources = list((ROOT / "minzheng").rglob("*.py")) + list((ROOT / "minzheng").rglob("*.sql"))
    sources += list((ROOT / "pages").glob("*.py")) + list((ROOT / "queries").glob("*.sql"))
    sources.append(ROOT / "app.py")
    assert len(sources) > 40
    offending = [p.name for p in sources if _WRITES_TO_AUDIT.search(p.read_text(encoding="utf-8"))]
    assert offending == []
    # only the audit module itself inserts
    inserting = [
        p.name
        for p in sources
        if re.search(r"INSERT\s+INTO\s+audit_log", p.read_text(encoding="utf-8"), re.IGNORECASE)
    ]
    assert inserting == ["audit.py"]


def test_the_audit_module_offers_no_way_to_change_an_entry():
    public = [name for name in dir(audit) if not name.startswith("_")]
    functions = [n for n in public if callable(getattr(audit, n)) and n[0].islower()]
    assert sorted(functions) == ["entries", "record", "table", "usernames"]  # to_xlsx: outputs.xlsx


def test_removing_the_demo_keeps_the_log(con, tmp_path):
    path = write_ledger(tmp_path / "演示.xlsx", [["2025-01-03", "丰州镇", "巡查", 3, "次"]])
    ingest.ingest_file(con, path, demo=True)
    before = len(audit.entries(con))
    batches.remove_demo(con, actor=ANNA)
    after = audit.entries(con)
    assert len(after) == before + 2  # remove_demo and the autoload setting it turns off
    assert after["action"].tolist()[:2] == ["setting_change", "remove_demo"]


def test_regex_catches_an_update():
    """The append-only scan above would see a statement that changes the log."""
    assert _WRITES_TO_AUDIT.search("cur.execute(\"UPDATE audit_log SET username = 'x'\")")
    assert _WRITES_TO_AUDIT.search("DELETE FROM audit_log WHERE true")
    assert not _WRITES_TO_AUDIT.search("INSERT INTO audit_log (logged_at) VALUES (now())")
