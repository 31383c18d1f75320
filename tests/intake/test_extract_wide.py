"""Wide tables and measure columns: what is loaded, what is checked, what is refused and why.

In-memory grids for the reader's rules; generated workbooks (xlsx, xls, csv; merged titles;
two-row headers; a sheet per month or per township) through `ingest` for the end-to-end path,
including months worked out from cumulative figures against what is already loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from minzheng import store
from minzheng.intake import extract, ingest
from minzheng.intake.extract.measures import CUMULATIVE, DERIVED, MONTH, TARGET, column_meaning
from minzheng.intake.workbook import Grid
from minzheng.store import reference
from tests.data.build import Sheet, book_bytes
from tests.helpers import TODAY

KEY = b"k" * 32


@pytest.fixture(scope="module")
def ref() -> reference.Reference:
    """Units and catalog as seeded from data/."""
    con = store.connect(":memory:")
    try:
        return reference.load(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def run(ref):
    """extract.extract on sheets given as {name: rows}."""

    def go(sheets: dict[str, list[list]], file_name="报表.xlsx", history=None):
        grids = [Grid(name, [list(r) for r in rows], False) for name, rows in sheets.items()]
        return extract.extract(grids, file_name, ref, KEY, TODAY, history)

    return go


def loaded(out, ref) -> dict[tuple[str, str, int], float]:
    """(unit name, indicator key, month) -> quantity of every fact."""
    f = out.facts
    result = {}
    for unit_id, key, month, qty in zip(
        f["unit_id"], f["indicator_key"], f["month"], f["quantity"], strict=True
    ):
        result[(ref.units[unit_id].name, key, month)] = qty
    return result


def where(out, level="error") -> list[tuple[str, str]]:
    """(cell, message) of the problems of one level."""
    return [(p.cell, p.message) for p in out.problems if p.level == level]


# --- header meanings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "key", "measure", "unit"),
    [
        ("走访慰问留守困境儿童（人次）", "children_visited", MONTH, "人次"),
        ("发放宣传资料(份)", "leaflets_distributed", MONTH, "份"),
        ("巡查次数", "patrols_run", MONTH, ""),
        ("走访慰问本月完成", "children_visited", MONTH, ""),
        ("当月|街面巡查", "patrols_run", MONTH, ""),
        ("法治讲座（场）累计", "lectures_held", CUMULATIVE, "场"),
        ("纠纷调解 1-6月累计", "disputes_mediated", CUMULATIVE, ""),
        ("自年初累计巡查", "patrols_run", CUMULATIVE, ""),
        ("走访慰问|年度任务", "children_visited", TARGET, ""),
        ("巡查 计划", "patrols_run", TARGET, ""),
        ("巡查完成率", "patrols_run", DERIVED, ""),
        ("巡查 同比", "patrols_run", DERIVED, ""),
        ("宣传资料发放占比", "leaflets_distributed", DERIVED, ""),
    ],
)
def test_column_meaning(ref, label, key, measure, unit):
    meaning = column_meaning(label, ref)
    assert meaning is not None
    assert (meaning.indicator.key, meaning.measure, meaning.unit_written) == (key, measure, unit)
    assert meaning.conflict == ()


@pytest.mark.parametrize("label", ["乡镇", "2025年3月民政工作统计表", "走访慰问和巡查", "备注", ""])
def test_headers_that_name_no_indicator(ref, label):
    assert column_meaning(label, ref) is None


def test_a_header_with_two_measures_is_a_conflict(ref):
    assert column_meaning("走访慰问本月累计", ref).conflict == (CUMULATIVE, MONTH)


# --- rows of townships for one month -------------------------------------------------------------

TOWNSHIP_ROWS = [
    ["2025年3月各乡镇民政工作进度表"],
    ["乡镇", "走访慰问留守困境儿童（人次）", "发放宣传资料(份)", "巡查次数", "合计"],
    ["全县", 12, 300, 7, 319],
    ["丰州镇", 5, 100, 3, 108],
    ["蟠龙", 7, 200, "—", 207],
    ["县民政局机关", "", "/", 4, 4],
    ["分水岭乡", 0, None, "0", 0],
    ["填表人：张三"],
]


def test_township_rows_load_the_months_figures_and_check_totals(run, ref):
    out = run({"Sheet1": TOWNSHIP_ROWS})
    assert out.problems == []
    assert loaded(out, ref) == {
        ("丰州镇", "children_visited", 3): 5,
        ("丰州镇", "leaflets_distributed", 3): 100,
        ("丰州镇", "patrols_run", 3): 3,
        ("蟠龙镇", "children_visited", 3): 7,
        ("蟠龙镇", "leaflets_distributed", 3): 200,
        ("县民政局机关", "patrols_run", 3): 4,
    }
    assert set(out.facts["year"]) == {2025}
    sentence = out.explanations["Sheet1"]
    for words in (
        "横表",
        "第2行为表头",
        "每行一个乡镇",
        "取自标题",
        "「合计」列只核对",
        "第3行为合计行",
    ):
        assert words in sentence


def test_wrong_totals_warn_with_both_numbers_and_are_not_loaded(run, ref):
    rows = [list(r) for r in TOWNSHIP_ROWS]
    rows[2][1] = 13  # 全县 row, first data row
    rows[3][4] = 100  # 合计 column of 丰州镇
    out = run({"Sheet1": rows})
    assert where(out) == []
    warnings = where(out, "warning")
    assert ("B3", "合计行与明细不一致：明细相加为 12，合计行为 13，合计行未计入统计") in warnings
    assert any(c == "E4" and "108" in m for c, m in warnings)
    assert sum(out.facts["quantity"]) == 5 + 100 + 3 + 7 + 200 + 4


def test_sheet_per_month_with_township_rows(run, ref):
    sheets = {
        f"{m}月": [["乡镇", "走访慰问", "街面巡查"], ["丰州镇", m, 2 * m], ["洪水", 1, ""]]
        for m in (1, 2)
    }
    out = run(sheets, file_name="2025年民政工作月报.xlsx")
    assert out.errors == []
    assert loaded(out, ref) == {
        ("丰州镇", "children_visited", 1): 1,
        ("丰州镇", "patrols_run", 1): 2,
        ("洪水镇", "children_visited", 1): 1,
        ("丰州镇", "children_visited", 2): 2,
        ("丰州镇", "patrols_run", 2): 4,
        ("洪水镇", "children_visited", 2): 1,
    }


# --- rows of months for one township -------------------------------------------------------------


def test_sheet_per_township_with_month_rows(run, ref):
    sheets = {
        name: [
            ["月份", "法治讲座（场）", "纠纷调解(件)"],
            ["一月", 1, 2],
            ["2025年2月", "", 3],
            ["2025.03", 2, "/"],
            ["合计", 3, 5],
        ]
        for name in ("丰州镇", "大有乡")
    }
    out = run(sheets, file_name="2025年一季度.xlsx")
    assert where(out) == [] and where(out, "warning") == []
    expected = {
        ("lectures_held", 1): 1,
        ("disputes_mediated", 1): 2,
        ("disputes_mediated", 2): 3,
        ("lectures_held", 3): 2,
    }
    assert loaded(out, ref) == {(u, k, m): q for u in sheets for (k, m), q in expected.items()}
    assert "每行一个月份，乡镇（大有乡）取自工作表名" in out.explanations["大有乡"]


def test_cumulative_only_month_rows_give_the_differences(run, ref):
    rows = [
        ["月份", "走访慰问 累计", "巡查 1-N月累计", "巡查 年度任务", "完成率"],
        ["1月", 5, 3, 100, "3%"],
        ["2月", 9, 3, 100, "3%"],
        ["3月", 10, 8, 100, "8%"],
    ]
    out = run({"丰州镇2025年": rows})
    assert out.problems == []
    assert loaded(out, ref) == {
        ("丰州镇", "children_visited", 1): 5,
        ("丰州镇", "children_visited", 2): 4,
        ("丰州镇", "children_visited", 3): 1,
        ("丰州镇", "patrols_run", 1): 3,
        ("丰州镇", "patrols_run", 3): 5,
    }
    sentence = out.explanations["丰州镇2025年"]
    assert (
        "减去此前各月" in sentence and "「巡查 年度任务」" in sentence and "「完成率」" in sentence
    )


def test_a_falling_cumulative_is_refused(run):
    rows = [["月份", "走访慰问累计"], ["1月", 5], ["2月", 4]]
    out = run({"丰州镇2025年": rows})
    assert where(out) == [("B3", "累计数 4 小于此前各月之和 5，请核对")]


def test_both_figures_are_checked_against_each_other(run, ref):
    rows = [
        ["丰州镇2025年工作月报"],
        ["月份", "走访慰问", "", "宣传资料发放", ""],
        ["", "本月", "累计", "本月完成", "年度任务"],
        ["1月", 5, 5, 100, 1000],
        ["2月", 3, 9, 50, 1000],
    ]
    out = run({"Sheet1": rows})
    assert where(out) == []
    assert where(out, "warning") == [
        ("C5", "勾稽不符：累计数为 9 人次，而此前各月 5 加本月 3 为 8 人次；已按本月数计入")
    ]
    assert loaded(out, ref)[("丰州镇", "children_visited", 2)] == 3  # the month's own figure
    assert ("丰州镇", "leaflets_distributed", 1) in loaded(out, ref)
    assert max(out.facts["quantity"]) == 100  # the target is never an actual


# --- refusals: any doubt names the cells ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sheets", "file_name", "cell", "fragment"),
    [
        (
            {"Sheet1": [["乡镇", "走访慰问本月累计"], ["丰州镇", 1]]},
            "2025年3月.xlsx",
            "B1",
            "两种含义",
        ),
        (
            {"2025年3月": [["月份", "走访慰问"], ["4月", 1]]},
            "丰州镇.xlsx",
            "A2",
            "本行为4月，而标题、工作表名或文件名写的是3月",
        ),
        (
            {"丰州镇": [["乡镇", "走访慰问"], ["蟠龙镇", 1]]},
            "2025年3月.xlsx",
            "A2",
            "本行乡镇为“蟠龙镇”，而标题、工作表名或文件名写的是“丰州镇”",
        ),
        (
            {"Sheet1": [["乡镇", "填报单位", "走访慰问"], ["丰州镇", "丰州镇", 1]]},
            "2025年3月.xlsx",
            "B1",
            "有两列都像乡镇列（A1 与本列）",
        ),
        (
            {"Sheet1": [["乡镇", "走访慰问", "入户走访"], ["丰州镇", 1, 2]]},
            "2025年3月.xlsx",
            "C1",
            "是同一指标的同一项数字",
        ),
        (
            {"Sheet1": [["乡镇", "走访慰问（份）"], ["丰州镇", 1]]},
            "2025年3月.xlsx",
            "B1",
            "计量单位“份”与「走访慰问留守困境儿童」不符",
        ),
        (
            {"Sheet1": [["乡镇", "走访慰问", "经费"], ["丰州镇", 1, "3万元"]]},
            "2025年3月.xlsx",
            "C1",
            "本列既不是指标目录中的指标，也不是乡镇或月份",
        ),
        (
            {"Sheet1": [["乡镇", "走访慰问"], ["北京市", 1]]},
            "2025年3月.xlsx",
            "A2",
            "不是本县的乡镇",
        ),
        ({"Sheet1": [["乡镇", "走访慰问"], ["丰州镇", "很多"]]}, "2025年3月.xlsx", "B2", "数量"),
        ({"Sheet1": [["乡镇", "走访慰问"], ["丰州镇", 1]]}, "统计表.xlsx", "第1行", "无法确定年月"),
        (
            {"Sheet1": [["月份", "走访慰问"], ["3月", 1]]},
            "2025年统计.xlsx",
            "第1行",
            "无法确定乡镇",
        ),
        (
            {"Sheet1": [["乡镇", "走访慰问"], ["丰州镇", 1], ["丰州", 2]]},
            "2025年3月.xlsx",
            "第3行",
            "与第2行是同一乡镇的同一月份",
        ),
        ({"Sheet1": [["乡镇", "走访慰问"], ["丰州镇", 1]]}, "2027年1月.xlsx", "第2行", "尚未到来"),
    ],
)
def test_doubt_is_refused_naming_the_cells(run, sheets, file_name, cell, fragment):
    out = run(sheets, file_name=file_name)
    assert out.row_count == 0 or out.errors
    assert any(c == cell and fragment in m for c, m in where(out)), where(out)


def test_cumulative_only_refused_naming_the_missing_months(run):
    out = run({"2025年3月": [["乡镇", "走访慰问 累计"], ["丰州镇", 5]]})
    assert where(out) == [
        (
            "B2",
            "本表只给出累计数：要算出丰州镇2025年3月的「走访慰问留守困境儿童」，需先导入1月、2月的数据"
            "（尚未导入）；或在表中填写“本月”数",
        )
    ]


# --- files, end to end ---------------------------------------------------------------------------


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("gb18030")


def _check(con, name, sheets):
    data = _csv(sheets[0].rows) if name.endswith(".csv") else book_bytes(name, sheets)
    return ingest.check_bytes(con, data, name, today=TODAY)


MERGED = Sheet(
    "Sheet1",
    [
        ["2025年3月各乡镇工作进度统计表", "", "", "", "", ""],
        ["乡镇", "走访慰问留守困境儿童（人次）", "", "发放宣传资料（份）", "", "巡查 完成率"],
        ["", "本月完成", "1-3月累计", "当月", "年度任务", ""],
        ["丰州镇", 4, 4, 120, 1000, "10%"],
        ["洪水镇", "", "", 80, 1000, "5%"],
        ["合计", 4, 4, 200, 2000, ""],
    ],
    ["A1:F1", "A2:A3", "B2:C2", "D2:E2", "F2:F3"],
)


@pytest.mark.parametrize("name", ["进度.xlsx", "进度.xls", "进度.csv"])
def test_merged_title_and_two_row_header_in_every_format(name):
    con = store.connect(":memory:")
    try:
        check = _check(con, name, [MERGED])
    finally:
        con.close()
    assert check.errors == [], [p.describe() for p in check.problems]
    # Nothing loaded before March: the 累计 column cannot be checked, and says so.
    assert [p.cell for p in check.warnings] == ["C4"]
    assert "累计数未核对：1月、2月的数据尚未导入" in check.warnings[0].message
    got = sorted(
        zip(
            check.facts["indicator_key"], check.facts["month"], check.facts["quantity"], strict=True
        )
    )
    assert got == [
        ("children_visited", 3, 4.0),
        ("leaflets_distributed", 3, 80.0),
        ("leaflets_distributed", 3, 120.0),
    ]
    sentence = next(iter(check.explanations.values()))
    assert sentence.startswith("横表：第2–3行为两行表头，每行一个乡镇")


def test_cumulative_only_uses_the_months_already_loaded(tmp_path):
    con = store.connect(str(tmp_path / "t.duckdb"))
    try:
        january = Sheet("2025年1月", [["乡镇", "走访慰问", "巡查"], ["丰州镇", 5, 2]])
        february = Sheet("2025年2月", [["乡镇", "走访慰问"], ["丰州镇", 3]])
        march = Sheet("2025年3月", [["乡镇", "走访慰问 累计", "巡查累计"], ["丰州镇", 12, 2]])
        refused = _check(con, "三月.xlsx", [march])
        assert [p.cell for p in refused.errors] == ["B2", "C2"]
        assert all("需先导入1月、2月的数据" in p.message for p in refused.errors)
        for name, sheet in (("一月.xlsx", january), ("二月.xlsx", february)):
            result = ingest.commit(con, _check(con, name, [sheet]))
            assert result.status == ingest.LOADED
        check = _check(con, "三月.xlsx", [march])
        assert check.errors == []
        # 12 - (5 + 3) visits; patrols 2 - (2 + nothing in February): none in March.
        assert list(zip(check.facts["indicator_key"], check.facts["quantity"], strict=True)) == [
            ("children_visited", 4.0)
        ]
        assert "减去此前各月已导入的数" in check.explanations["2025年3月"]
    finally:
        con.close()


def test_ledgers_and_summaries_get_a_sentence_too(run):
    ledger = [["日期", "乡镇", "类别", "数量"], [dt.date(2025, 3, 1), "丰州镇", "巡查", 2]]
    summary = [["指标", "1月", "2月", "3月"], ["巡查", 1, 2, 3]]
    out = run({"台账": ledger, "丰州镇汇总": summary, "填报说明": [["说明"]]}, "2025年.xlsx")
    assert out.errors == []
    assert out.explanations["台账"].startswith("台账：每行一条记录，第1行为表头，「日期」为日期")
    assert out.explanations["丰州镇汇总"].startswith("月度汇总表：第1行为表头，每行一项指标")
    assert out.explanations["填报说明"].startswith("跳过")


def test_seq_note_and_month_date_cells(run, ref):
    rows = [
        ["序号", "月份", "普法讲座（场）", "巡查次数", "备注"],
        [1, dt.datetime(2025, 1, 1), 1, 4, "冬季每日巡查"],
        [2, dt.datetime(2025, 2, 1), "", 2, ""],
    ]
    out = run({"丰州镇": rows}, file_name="2025年.xlsx")
    assert out.problems == []
    assert loaded(out, ref) == {
        ("丰州镇", "lectures_held", 1): 1,
        ("丰州镇", "patrols_run", 1): 4,
        ("丰州镇", "patrols_run", 2): 2,
    }
    assert "跳过「序号」「备注」列" in out.explanations["丰州镇"]


def test_a_column_of_days_is_not_a_month_column(run):
    rows = [["日期", "走访慰问", "巡查"], [dt.datetime(2025, 3, 5), 1, 2]]
    out = run({"丰州镇": rows}, file_name="2025年.xlsx")
    assert out.row_count == 0
    assert [c for c, _m in where(out)] == ["A1"]
