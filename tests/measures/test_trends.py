"""Tests of minzheng.measures.trends: cumulative actual vs the plan line (phasing respected) and last year."""

import datetime as dt

import pytest

from minzheng.intake import ingest
from minzheng.measures import plan, trends
from tests.helpers import TODAY, fresh_db, write_ledger


@pytest.fixture
def con(tmp_path):
    con = fresh_db(tmp_path)
    rows = [
        ["2023-01-10", "丰州镇", "街面巡查", 4, "次"],
        ["2024-01-10", "丰州镇", "街面巡查", 6, "次"],
        ["2024-03-10", "丰州镇", "街面巡查", 9, "次"],
        ["2024-03-11", "洪水镇", "街面巡查", 5, "次"],
    ]
    ingest.ingest_file(con, write_ledger(tmp_path / "a.xlsx", rows), today=TODAY)
    shares = {m: (0.25 if m in (1, 2, 3, 12) else 0.0) for m in range(1, 13)}
    current = plan.Plan(
        targets={(1, "patrols_run"): 40.0, (2, "patrols_run"): 60.0},
        phasing={"patrols_run": shares},
    )
    plan.save_plan(con, 2024, current, "t")
    return con


def test_county_months(con):
    frame = trends.months(con, 2024, "patrols_run", dt.date(2024, 3, 31))
    assert list(frame.actual[:4]) == [6, 0, 14, 0]
    assert list(frame.cumulative[:3]) == [6, 6, 20] and frame.cumulative[3:].isna().all()
    assert list(frame.plan_cumulative) == pytest.approx(
        [25, 50, 75, 75, 75, 75, 75, 75, 75, 75, 75, 100]
    )
    assert frame.last_year[0] == 4 and frame.last_year_cumulative[11] == 4


def test_township_months_and_no_target(con):
    frame = trends.months(con, 2024, "patrols_run", dt.date(2024, 3, 31), township="洪水镇")
    assert list(frame.actual[:3]) == [0, 0, 5]
    assert frame.plan_cumulative[11] == pytest.approx(60)
    none = trends.months(con, 2024, "lectures_held", dt.date(2024, 3, 31))
    assert none.plan_cumulative.isna().all()


def test_ranking_best_first(con):
    table = trends.ranking(con, 2024, "patrols_run", dt.date(2024, 3, 31))
    assert list(table.township) == ["丰州镇", "洪水镇"]
    assert list(table.completion) == pytest.approx([15 / 40, 5 / 60])


def test_unit_trends(con):
    table = trends.unit_trends(con, 2024, "丰州镇")
    assert list(zip(table.month, table.actual, strict=True)) == [(1, 6), (3, 9)]
