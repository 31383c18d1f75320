"""Tests of minzheng.measures.overview against hand-computed figures."""

import datetime as dt

import pandas as pd
import pytest

from minzheng.intake import ingest
from minzheng.measures import overview, plan
from tests.helpers import TODAY, fresh_db, write_ledger


@pytest.fixture
def con(tmp_path):
    con = fresh_db(tmp_path)
    rows = [
        ["2023-02-10", "丰州镇", "街面巡查", 10, "次"],
        ["2024-01-10", "丰州镇", "街面巡查", 6, "次"],
        ["2024-02-10", "丰州镇", "街面巡查", 9, "次"],
        ["2024-02-11", "洪水镇", "街面巡查", 1, "次"],
        ["2024-03-11", "洪水镇", "街面巡查", 50, "次"],
        ["2024-02-12", "洪水镇", "法治讲座", 1, "场"],
        ["2024-02-12", "大有乡", "巡查", 2, "次"],
    ]
    ingest.ingest_file(con, write_ledger(tmp_path / "a.xlsx", rows), today=TODAY)
    plan.save_plan(
        con,
        2024,
        plan.Plan(
            targets={
                (1, "patrols_run"): 100.0,
                (2, "patrols_run"): 100.0,
                (7, "patrols_run"): 100.0,
            }
        ),
        "t",
    )
    return con


def test_cards_core_first_with_last_year_and_trend(con):
    cards = overview.cards(con, 2024, dt.date(2024, 2, 29))
    assert list(cards.indicator[:4]) == [
        "children_visited",
        "leaflets_distributed",
        "patrols_run",
        "lectures_held",
    ]
    patrols = cards.set_index("indicator").loc["patrols_run"]
    # as of 29 Feb 2024 time progress is 60/366 = 16.4%; 18 of 300 is 6%: 10.4 points behind
    assert patrols.actual == 18 and patrols.target == 300
    assert patrols.completion == pytest.approx(0.06)
    assert patrols.last_year == 10 and patrols.change == pytest.approx(0.8)
    assert patrols.trend == [6.0, 12.0]
    assert patrols.status == "滞后"
    lectures = cards.set_index("indicator").loc["lectures_held"]
    assert lectures.status == "无计划" and pd.isna(lectures.change)


def test_matrix_and_behind_worst_first(con):
    table = overview.matrix(con, 2024, dt.date(2024, 2, 29))
    assert set(table.township) == {"丰州镇", "洪水镇", "大有乡"}
    late = overview.behind(con, 2024, dt.date(2024, 2, 29))
    # 洪水镇 1% and 大有乡 2% are behind 16.4% time progress; 丰州镇 at 15% is within 10 points
    assert list(late.township) == ["洪水镇", "大有乡"]
    assert list(late.gap) == sorted(late.gap)


def test_same_day_last_year_handles_leap_day():
    assert overview.same_day_last_year(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert overview.same_day_last_year(dt.date(2024, 3, 1)) == dt.date(2023, 3, 1)
