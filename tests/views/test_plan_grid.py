"""Tests of minzheng.views.plan_grid: the plan grid, uploaded plans, county totals, phasing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from minzheng.errors import PlanError
from minzheng.measures import plan
from minzheng.store import catalog, db, reference
from minzheng.views import plan_grid


def _plan_workbook(phasing: bool = True, bad: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "计划"
    sheet.append(["乡镇", "街面巡查（次）", "发放宣传资料（份）"])
    sheet.append(["丰州镇", 120, 3000])
    sheet.append(["洪水镇", 80, "待定" if bad else 2000])
    sheet.append(["全县", 250, None])
    if phasing:
        shares = book.create_sheet("分月")
        shares.append(["指标"] + [f"{m}月" for m in range(1, 13)])
        shares.append(["街面巡查"] + [10] * 6 + [5] * 6)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_plan_years(empty_db):
    assert plan_grid.plan_years(empty_db, dt.date(2026, 5, 1)) == [2027, 2026]
    assert plan_grid.default_plan_year(empty_db, dt.date(2026, 5, 1)) == 2026
    plan.set_targets(
        empty_db,
        2023,
        pd.DataFrame({"township": ["丰州镇"], "indicator": ["patrols_run"], "target": [1]}),
    )
    assert plan_grid.plan_years(empty_db, dt.date(2026, 5, 1)) == [2027, 2026, 2023]
    assert plan_grid.default_plan_year(empty_db, dt.date(2026, 5, 1)) == 2023


def test_read_preview_and_save_uploaded_plan(empty_db):
    parsed = plan_grid.read_plan_bytes(empty_db, _plan_workbook(), "2025年度计划.xlsx", 2025)
    assert not parsed.problems
    shares = plan_grid.plan_phasing_preview(empty_db, parsed)
    assert shares["指标"].tolist() == ["街面巡查"] and shares.iloc[0]["12月"] == pytest.approx(5.6)
    preview = plan_grid.plan_preview(empty_db, parsed)
    assert list(preview.columns) == ["乡镇", "发放宣传资料（份）", "街面巡查（次）"]
    assert preview["乡镇"].tolist() == ["丰州镇", "洪水镇", "全县"]
    assert preview.set_index("乡镇").loc["全县", "街面巡查（次）"] == 250
    assert empty_db.execute("SELECT count(*) FROM plan_targets").fetchone()[0] == 0, "not saved yet"
    before = db.data_version(empty_db)
    plan_grid.save_uploaded_plan(empty_db, 2025, parsed, "2025年度计划.xlsx")
    assert db.data_version(empty_db) > before
    totals = plan_grid.county_totals(empty_db, 2025).set_index("指标")
    assert (
        totals.loc["街面巡查", "全县目标"] == 250 and totals.loc["街面巡查", "来源"] == "计划给定"
    )
    assert totals.loc["街面巡查", "各单位合计"] == 200
    assert totals.loc["发放宣传资料", "全县目标"] == 5000
    assert totals.loc["发放宣传资料", "来源"] == "各单位合计"
    assert totals.loc["法治讲座", "来源"] == "未定" and pd.isna(totals.loc["法治讲座", "全县目标"])
    phasing = plan_grid.phasing_table(empty_db, 2025)
    assert phasing["指标"].tolist() == ["街面巡查"]
    assert phasing.iloc[0]["1月"] == pytest.approx(11.1), "per cent, one decimal"
    assert phasing.iloc[0][[f"{m}月" for m in range(1, 13)]].sum() == pytest.approx(100, abs=0.5)


def test_uploaded_plan_with_problems_is_refused(empty_db):
    parsed = plan_grid.read_plan_bytes(empty_db, _plan_workbook(bad=True), "计划.xlsx", 2025)
    problems = plan_grid.plan_problems(parsed)
    assert list(problems.columns) == ["工作表", "单元格", "值", "问题"]
    assert problems.iloc[0]["单元格"] == "C3" and problems.iloc[0]["值"] == "待定"
    with pytest.raises(PlanError):
        plan_grid.save_uploaded_plan(empty_db, 2025, parsed, "计划.xlsx")
    with pytest.raises(PlanError):
        plan_grid.read_plan_bytes(empty_db, b"not a workbook", "计划.xlsx", 2025)


def test_phasing_table_empty_without_phasing(empty_db):
    parsed = plan_grid.read_plan_bytes(empty_db, _plan_workbook(phasing=False), "p.xlsx", 2025)
    assert plan_grid.plan_phasing_preview(empty_db, parsed).empty
    plan_grid.save_uploaded_plan(empty_db, 2025, parsed, "p.xlsx")
    assert plan_grid.phasing_table(empty_db, 2025).empty


def test_plan_grid_roundtrip(empty_db):
    parsed = plan_grid.read_plan_bytes(empty_db, _plan_workbook(), "p.xlsx", 2025)
    plan_grid.save_uploaded_plan(empty_db, 2025, parsed, "p.xlsx")
    grid = plan_grid.plan_grid(empty_db, 2025)
    ref = reference.load(empty_db)
    assert list(grid.columns) == ["乡镇", *ref.indicators]
    assert grid["乡镇"].tolist()[-1] == "全县" and len(grid) == len(ref.units) + 1
    row = grid.set_index("乡镇")
    assert row.loc["丰州镇", "patrols_run"] == 120 and pd.isna(row.loc["蟠龙镇", "patrols_run"])
    grid.loc[grid["乡镇"] == "蟠龙镇", "patrols_run"] = 60
    grid.loc[grid["乡镇"] == "全县", "patrols_run"] = None
    assert plan_grid.save_grid(empty_db, 2025, grid) == 5
    totals = plan_grid.county_totals(empty_db, 2025).set_index("指标")
    assert (
        totals.loc["街面巡查", "全县目标"] == 260 and totals.loc["街面巡查", "来源"] == "各单位合计"
    )
    assert not plan_grid.phasing_table(empty_db, 2025).empty, "editing keeps the phasing"


def test_grid_to_long_accepts_headers(empty_db):
    ref = reference.load(empty_db)
    grid = pd.DataFrame(
        {"乡镇": ["丰州镇", "全县"], "街面巡查（次）": [3, None], "法治讲座": ["2", ""]}
    )
    long = plan_grid.grid_to_long(grid, ref)
    assert long.to_dict("records") == [
        {"township": "丰州镇", "indicator": "patrols_run", "target": 3.0},
        {"township": "丰州镇", "indicator": "lectures_held", "target": 2.0},
    ]


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("patrols_run", -1, "不能为负数"),
        ("patrols_run", "很多", "应为数字"),
        ("不存在的指标", 1, "不是指标目录中的指标"),
    ],
)
def test_grid_to_long_refuses(empty_db, column, value, fragment):
    grid = pd.DataFrame({"乡镇": ["丰州镇"], column: [value]})
    with pytest.raises(PlanError, match=fragment):
        plan_grid.grid_to_long(grid, reference.load(empty_db))


def test_plan_hidden_targets_of_retired_units(empty_db):
    plan.set_targets(
        empty_db,
        2025,
        pd.DataFrame({"township": ["丰州镇"], "indicator": ["patrols_run"], "target": [9]}),
    )
    assert plan_grid.plan_has_hidden_targets(empty_db, 2025) == []
    catalog.set_unit_active(empty_db, "丰州镇", False)
    assert plan_grid.plan_has_hidden_targets(empty_db, 2025) == ["丰州镇"]
    assert "丰州镇" not in plan_grid.plan_grid(empty_db, 2025)["乡镇"].tolist()
