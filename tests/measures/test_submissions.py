"""Tests of minzheng.measures.submissions: 已报 / 迟报 / 未报 / 未到期 by the due day, and the reminder."""

import datetime as dt

import pytest

from minzheng.intake import ingest
from minzheng.measures import submissions
from minzheng.store import settings
from tests.helpers import TODAY, fresh_db, write_ledger
from tests.samples import grid_frame


@pytest.fixture
def con(tmp_path):
    con = fresh_db(tmp_path)
    on_time = write_ledger(tmp_path / "a.xlsx", [["2024-01-10", "丰州镇", "街面巡查", 4, "次"]])
    late = write_ledger(tmp_path / "b.xlsx", [["2024-02-10", "丰州镇", "街面巡查", 4, "次"]])
    for path, received in (
        (on_time, dt.datetime(2024, 2, 5, 17)),
        (late, dt.datetime(2024, 3, 6, 9)),
    ):
        check = ingest.check_bytes(con, path.read_bytes(), path.name, today=TODAY)
        assert ingest.commit(con, check, received_at=received).status == ingest.LOADED
    return con


def _status(table, township, month):
    return table[(table.township == township) & (table.month == month)].status.item()


def test_grid_statuses(con):
    table = submissions.grid(con, 2024, dt.date(2024, 3, 10))
    assert len(table) == 12 * 12
    assert _status(table, "丰州镇", 1) == "已报"
    assert _status(table, "丰州镇", 2) == "迟报"
    assert _status(table, "洪水镇", 1) == "未报"
    assert _status(table, "丰州镇", 3) == "未到期"
    assert submissions.latest_due_month(table, dt.date(2024, 3, 10)) == 2
    assert submissions.missing(table, 2)[:2] == [
        "洪水镇",
        "蟠龙镇",
    ] and "丰州镇" not in submissions.missing(table, 2)


def test_due_day_is_configuration(con):
    settings.put(con, "reporting.due_day", 10)
    table = submissions.grid(con, 2024, dt.date(2024, 3, 10))
    assert _status(table, "丰州镇", 2) == "已报"


def test_reminder_text():
    text = submissions.reminder(2024, 10, ["洪水镇", "大有乡"], dt.date(2024, 11, 5))
    assert "洪水镇、大有乡" in text and "2024年10月" in text and "11月5日" in text
    assert "均已报送" in submissions.reminder(2024, 10, [], dt.date(2024, 11, 5))


def test_report_counts_due_date_and_late_reports():
    grid = grid_frame()
    assert submissions.report_counts(grid) == {"已报": 4, "迟报": 2, "未报": 14, "未到期": 4}
    assert submissions.due_date(grid, 12) == dt.date(2025, 1, 5)
    late = submissions.late_reports(grid)
    assert list(late.columns) == ["乡镇", "月份", "截止日期", "首次报送"]
    assert list(late["月份"]) == ["3月", "3月"]
