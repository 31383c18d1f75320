"""Tests of minzheng.measures.progress and queries/progress.sql against hand-computed figures."""

import datetime as dt

import openpyxl
import pytest

from minzheng.intake import ingest
from minzheng.measures import actuals, plan, progress
from minzheng.store import settings
from tests.helpers import TODAY, fresh_db, write_ledger

ROWS = [
    ["2023-01-10", "丰州镇", "街面巡查", 10, "次"],
    ["2023-02-03", "丰州镇", "街面巡查", 20, "次"],
    ["2023-03-15", "丰州镇", "街面巡查", 5, "次"],
    ["2023-02-20", "洪水镇", "巡查", 7, "次"],
    ["2023-02-21", "洪水镇", "发放宣传资料", 300, "份"],
]


@pytest.fixture
def con(tmp_path):
    con = fresh_db(tmp_path)
    result = ingest.ingest_file(con, write_ledger(tmp_path / "ledger.xlsx", ROWS), today=TODAY)
    assert result.status == ingest.LOADED, result.line()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["乡镇", "街面巡查（次）"])
    sheet.append(["丰州镇", 100])
    sheet.append(["洪水镇", 50])
    book.save(tmp_path / "plan.xlsx")
    plan.load_plan(con, tmp_path / "plan.xlsx", 2023)
    return con


def _row(table, indicator, township):
    rows = table[(table.indicator == indicator) & (table.township == township)]
    assert len(rows) == 1, (indicator, township)
    return rows.iloc[0]


def test_progress_by_hand(con):
    table = progress.progress(con, 2023, dt.date(2023, 2, 28))
    tp = 59 / 365
    feng = _row(table, "patrols_run", "丰州镇")
    assert feng.actual == 30 and feng.target == 100
    assert feng.completion == pytest.approx(0.30)
    assert feng.time_progress == pytest.approx(tp)
    assert feng.status == "超前"
    assert feng.projected == pytest.approx(30 / tp)
    hong = _row(table, "patrols_run", "洪水镇")
    assert hong.actual == 7 and hong.completion == pytest.approx(0.14)
    assert hong.status == "正常"
    county = _row(table, "patrols_run", "全县")
    assert county.actual == 37 and county.target == 150
    assert county.status == "正常"
    leaflets = _row(table, "leaflets_distributed", "洪水镇")
    assert leaflets.actual == 300 and leaflets.status == "无计划"
    assert list(table.is_county) == sorted(table.is_county), "county rows come last"


def test_march_data_counts_only_from_march(con):
    feb = _row(progress.progress(con, 2023, dt.date(2023, 2, 28)), "patrols_run", "丰州镇")
    mar = _row(progress.progress(con, 2023, dt.date(2023, 3, 1)), "patrols_run", "丰州镇")
    assert (feb.actual, mar.actual) == (30, 35)


def test_default_as_of_is_last_data_date(con):
    assert progress.default_as_of(con, 2023) == dt.date(2023, 3, 15)
    assert progress.default_as_of(con, 2019) == dt.date(2019, 12, 31)


def test_thresholds_are_configuration(con):
    settings.put(con, "status.behind_margin", 0.01)
    hong = _row(progress.progress(con, 2023, dt.date(2023, 2, 28)), "patrols_run", "洪水镇")
    assert hong.status == "滞后"
    settings.put(con, "status.ahead_margin", 0.5)
    feng = _row(progress.progress(con, 2023, dt.date(2023, 2, 28)), "patrols_run", "丰州镇")
    assert feng.status == "正常"


def test_monthly_phasing_replaces_even_time_progress(con):
    shares = {"patrols_run": {m: (0.5 if m <= 2 else 0.0) for m in range(1, 13)}}
    current = plan.Plan(
        targets={(1, "patrols_run"): 100.0, (2, "patrols_run"): 50.0}, phasing=shares
    )
    plan.save_plan(con, 2023, current, "test")
    table = progress.progress(con, 2023, dt.date(2023, 1, 31))
    feng = _row(table, "patrols_run", "丰州镇")
    assert feng.time_progress == pytest.approx(0.5)
    assert feng.projected == pytest.approx(20)
    assert feng.status == "滞后"  # 10 of 100 done where half was planned


def test_plan_given_county_total_wins(con):
    current = plan.Plan(targets={(1, "patrols_run"): 100.0, (None, "patrols_run"): 400.0})
    plan.save_plan(con, 2023, current, "test")
    county = _row(progress.progress(con, 2023, dt.date(2023, 2, 28)), "patrols_run", "全县")
    assert county.target == 400


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2023, 1, 1), 1 / 365),
        (dt.date(2023, 7, 2), 183 / 365),
        (dt.date(2024, 12, 31), 1.0),
        (dt.date(2024, 2, 29), 60 / 366),
    ],
)
def test_time_progress(day, expected):
    assert progress.time_progress(day) == pytest.approx(expected)


def test_sql_time_progress_matches_python(con):
    for day in (dt.date(2023, 1, 1), dt.date(2023, 6, 30), dt.date(2023, 12, 31)):
        county = _row(progress.progress(con, 2023, day), "patrols_run", "全县")
        assert county.time_progress == pytest.approx(progress.time_progress(day))


def test_cached_progress_follows_every_write(con, tmp_path):
    as_of = dt.date(2023, 3, 31)
    first = progress.progress(con, 2023, as_of)
    first.loc[:, "actual"] = -1.0  # a caller changing its table must not change the cache
    again = progress.progress(con, 2023, as_of)
    assert _row(again, "patrols_run", "丰州镇").actual == 35
    assert _row(again, "patrols_run", "全县").actual == 42
    more = [["2023-03-20", "监漳镇", "街面巡查", 4, "次"]]
    result = ingest.ingest_file(con, write_ledger(tmp_path / "more.xlsx", more), today=TODAY)
    assert result.status == ingest.LOADED, result.line()
    assert _row(progress.progress(con, 2023, as_of), "patrols_run", "全县").actual == 46
    assert _row(progress.progress(con, 2023, as_of), "patrols_run", "洪水镇").status == "滞后"
    settings.put(con, "status.behind_margin", 0.5)
    assert _row(progress.progress(con, 2023, as_of), "patrols_run", "洪水镇").status == "正常"


def test_default_dates_give_the_years_and_their_default_as_of(con):
    plan.save_plan(con, 2024, plan.Plan(targets={(1, "patrols_run"): 10.0}), "test")
    dates = progress.default_dates(con)
    assert list(dates) == actuals.years(con) == [2024, 2023]
    assert dates == {y: progress.default_as_of(con, y) for y in (2023, 2024)}
    assert dates[2023] == dt.date(2023, 3, 15)  # the last ledger date
