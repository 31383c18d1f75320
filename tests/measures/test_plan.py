"""Tests of minzheng.measures.plan: wide and long plan workbooks, phasing, replacing, bad plans."""

import openpyxl
import pandas as pd
import pytest

from minzheng import store
from minzheng.errors import PlanError
from minzheng.measures import plan


def _book(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def con():
    return store.connect(":memory:")


def _targets(con, year):
    table = plan.targets(con, year)
    return {(r.township, r.indicator): r.target for r in table.itertuples()}


def test_wide_plan_with_units_in_headers(con, tmp_path):
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [
                ["武乡县民政局2023年度工作计划"],
                [
                    "乡镇",
                    "走访慰问留守困境儿童（人次）",
                    "发放宣传资料（份）",
                    "街面巡查（次）",
                    "备注",
                ],
                ["丰州镇", 400, "3,000", 120, ""],
                ["洪水", 300, 2000, None, "新任务"],
                ["县民政局机关", None, 1000, "-", None],
            ]
        },
    )
    plan.load_plan(con, path, 2023)
    assert _targets(con, 2023) == {
        ("丰州镇", "children_visited"): 400,
        ("丰州镇", "leaflets_distributed"): 3000,
        ("丰州镇", "patrols_run"): 120,
        ("洪水镇", "children_visited"): 300,
        ("洪水镇", "leaflets_distributed"): 2000,
        ("县民政局机关", "leaflets_distributed"): 1000,
    }


def test_long_plan_with_county_total_and_phasing(con, tmp_path):
    months = [f"{m}月" for m in range(1, 13)]
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [
                ["乡镇", "指标", "目标"],
                ["丰州镇", "街面巡查", 100],
                ["大有乡", "巡查", 60],
                ["全县", "街面巡查", 200],
            ],
            "分月计划": [["指标", *months], ["街面巡查", 20, 20, *([0] * 9), 60]],
        },
    )
    loaded = plan.load_plan(con, path, 2024)
    assert _targets(con, 2024) == {
        ("丰州镇", "patrols_run"): 100,
        ("大有乡", "patrols_run"): 60,
        ("全县", "patrols_run"): 200,
    }
    assert loaded.phasing["patrols_run"][1] == pytest.approx(0.2)
    assert sum(loaded.phasing["patrols_run"].values()) == pytest.approx(1.0)


def test_loading_replaces_the_years_plan_only(con, tmp_path):
    first = _book(tmp_path / "a.xlsx", {"s": [["乡镇", "街面巡查（次）"], ["丰州镇", 100]]})
    second = _book(tmp_path / "b.xlsx", {"s": [["乡镇", "法治讲座（场）"], ["丰州镇", 4]]})
    plan.load_plan(con, first, 2023)
    plan.load_plan(con, first, 2024)
    plan.load_plan(con, second, 2023)
    assert _targets(con, 2023) == {("丰州镇", "lectures_held"): 4}
    assert _targets(con, 2024) == {("丰州镇", "patrols_run"): 100}


@pytest.mark.parametrize(
    ("rows", "fragment", "cell"),
    [
        ([["乡镇", "街面巡查（次）"], ["丰洲镇", 100]], "丰州镇", "A2"),
        ([["乡镇", "街面巡查（次）"], ["丰州镇", "很多"]], "目标应为不小于 0 的数字", "B2"),
        ([["乡镇", "街面巡查（次）"], ["丰州镇", -5]], "目标应为不小于 0 的数字", "B2"),
        ([["乡镇", "指标", "目标"], ["丰州镇", "发放宣传册", 5]], "发放宣传资料", "B2"),
        ([["随便", "什么"], ["1", "2"]], "没有找到计划目标", ""),
    ],
)
def test_bad_plans_are_refused_whole(con, tmp_path, rows, fragment, cell):
    good = _book(tmp_path / "good.xlsx", {"s": [["乡镇", "街面巡查（次）"], ["丰州镇", 100]]})
    plan.load_plan(con, good, 2023)
    path = _book(tmp_path / "bad.xlsx", {"s": rows})
    with pytest.raises(PlanError) as info:
        plan.load_plan(con, path, 2023)
    assert fragment in str(info.value)
    if cell:
        assert any(p.cell == cell for p in info.value.problems)
    assert _targets(con, 2023) == {("丰州镇", "patrols_run"): 100}, "old plan untouched"


def test_set_targets_from_grid_keeps_phasing(con, tmp_path):
    months = [f"{m}月" for m in range(1, 13)]
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [["乡镇", "指标", "目标"], ["丰州镇", "街面巡查", 100]],
            "分月": [["指标", *months], ["街面巡查", *([1] * 12)]],
        },
    )
    plan.load_plan(con, path, 2023)
    grid = pd.DataFrame(
        {
            "township": ["丰州镇", "洪水镇", "洪水镇"],
            "indicator": ["patrols_run", "patrols_run", "lectures_held"],
            "target": [150, 80, None],
        }
    )
    plan.set_targets(con, 2023, grid)
    assert _targets(con, 2023) == {("丰州镇", "patrols_run"): 150, ("洪水镇", "patrols_run"): 80}
    assert con.execute("SELECT count(*) FROM plan_phasing WHERE year = 2023").fetchone()[0] == 12
    with pytest.raises(PlanError):
        plan.set_targets(
            con,
            2023,
            pd.DataFrame({"township": ["X镇"], "indicator": ["patrols_run"], "target": [1]}),
        )


def test_note_rows_in_plans_are_skipped(con, tmp_path):
    months = [f"{m}月" for m in range(1, 13)]
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [["乡镇", "指标", "目标"], ["丰州镇", "街面巡查", 100], ["注：目标按全年计"]],
            "分月计划": [["指标", *months], ["街面巡查", *([1] * 12)], ["注：1. 以上为百分比"]],
            "宽表": [["乡镇", "法治讲座（场）"], ["丰州镇", 2], ["填表说明：按年度填写"]],
        },
    )
    loaded = plan.load_plan(con, path, 2023)
    assert loaded.targets and "patrols_run" in loaded.phasing
