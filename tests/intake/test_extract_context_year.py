"""Dates written without a year (3月5日) take the year of the sheet's title, name or file.

The parsing is normalize.date's (year=…); this checks that extract hands it the sheet's year on
both ledger paths, and that a sheet with no year anywhere refuses such a date at its cell.
"""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng import store
from minzheng.intake import extract
from minzheng.intake.workbook import Grid
from minzheng.store import reference

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def ref() -> reference.Reference:
    """Units and catalog as seeded from data/."""
    con = store.connect(":memory:")
    try:
        return reference.load(con)
    finally:
        con.close()


@pytest.mark.parametrize("fast", [True, False], ids=["columnar", "row-by-row"])
def test_year_from_the_title_serves_dates_without_one(ref, monkeypatch, fast):
    if not fast:
        monkeypatch.setattr(extract.Extractor, "_ledger_fast", lambda *args: False)
    rows = [
        ["丰州镇2025年民政工作台账"],
        ["日期", "类别", "数量"],
        ["3月5日", "街面巡查", 2],
        ["2024-12-30", "街面巡查", 1],
    ]
    out = extract.extract([Grid("台账", rows, False)], "台账.xlsx", ref, b"k" * 32, TODAY)
    assert out.errors == []
    assert out.facts["activity_date"] == [dt.date(2025, 3, 5), dt.date(2024, 12, 30)]


def test_no_year_anywhere_refuses_the_date_at_its_cell(ref):
    rows = [["日期", "乡镇", "类别", "数量"], ["3月5日", "丰州镇", "街面巡查", 2]]
    out = extract.extract([Grid("台账", rows, False)], "台账.xlsx", ref, b"k" * 32, TODAY)
    assert out.row_count == 0
    assert [p.cell for p in out.errors] == ["A2"]


@pytest.mark.parametrize("fast", [True, False], ids=["columnar", "row-by-row"])
def test_two_years_in_title_and_file_name_refuse_dates_without_a_year(ref, monkeypatch, fast):
    if not fast:
        monkeypatch.setattr(extract.Extractor, "_ledger_fast", lambda *args: False)
    rows = [
        ["丰州镇2025年民政工作台账"],
        ["日期", "类别", "数量"],
        ["3月5日", "街面巡查", 2],
    ]
    out = extract.extract(
        [Grid("台账", rows, False)], "丰州镇2024年台账.xlsx", ref, b"k" * 32, TODAY
    )
    assert out.row_count == 0
    assert [p.cell for p in out.errors] == ["A3"]
    assert "2024" in out.errors[0].message and "2025" in out.errors[0].message
