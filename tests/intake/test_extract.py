"""Tests of minzheng.intake.extract on in-memory grids: cell references, ledgers, skipped rows, totals
checks, per-person counting, monthly summaries, sheet context and cell validation."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng import store
from minzheng.intake import extract
from minzheng.intake.workbook import Grid
from minzheng.store import reference

TODAY = dt.date(2026, 11, 25)
KEY = b"k" * 32
LEDGER = ["日期", "乡镇", "类别", "数量", "单位"]


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
    """extract.extract on one sheet given as rows (plus optional further grids)."""

    def go(rows, sheet="Sheet1", file_name="台账.xlsx", today=TODAY, hidden=False, more=()):
        grids = [Grid(sheet, [list(r) for r in rows], hidden), *more]
        return extract.extract(grids, file_name, ref, KEY, today)

    return go


def facts(out: extract.Extraction, ref: reference.Reference) -> list[dict]:
    """Fact rows as dicts, with the unit's name added."""
    f = out.facts
    rows = [dict(zip(f, values, strict=True)) for values in zip(*f.values(), strict=True)]
    for row in rows:
        row["unit"] = ref.units[row["unit_id"]].name
    return rows


def totals(out, ref) -> dict[tuple[str, str, int], float]:
    """(indicator, unit, month) -> summed quantity."""
    result: dict[tuple[str, str, int], float] = {}
    for row in facts(out, ref):
        key = (row["indicator_key"], row["unit"], row["month"])
        result[key] = result.get(key, 0) + row["quantity"]
    return result


def where(out) -> list[tuple[str, str, str]]:
    """(level, cell, message) of every problem."""
    return [(p.level, p.cell, p.message) for p in out.problems]


# --- cell references --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("col", "letters"),
    [
        (0, "A"),
        (1, "B"),
        (25, "Z"),
        (26, "AA"),
        (27, "AB"),
        (51, "AZ"),
        (52, "BA"),
        (701, "ZZ"),
        (702, "AAA"),
        (16383, "XFD"),
    ],
)
def test_col_letter(col, letters):
    assert extract.col_letter(col) == letters


@pytest.mark.parametrize(("row", "col", "ref_"), [(0, 0, "A1"), (11, 2, "C12"), (99, 27, "AB100")])
def test_cell_ref(row, col, ref_):
    assert extract.cell_ref(row, col) == ref_


# --- ledgers ----------------------------------------------------------------------------------


def test_ledger_facts(run, ref):
    out = run(
        [
            ["日期", "乡镇", "类别", "数量", "单位", "地点", "备注"],
            [dt.date(2023, 3, 5), "丰州镇", "走访慰问留守困境儿童", 12, "人次", "东关村", "入户"],
            [dt.datetime(2023, 4, 1, 9, 30), "洪水", "巡查", "3次", "", "", ""],
        ]
    )
    assert out.problems == [] and out.shapes == {"ledger"} and out.sheets == ["Sheet1"]
    rows = facts(out, ref)
    assert [
        (
            r["indicator_key"],
            r["unit"],
            r["year"],
            r["month"],
            r["activity_date"],
            r["quantity"],
            r["sheet"],
            r["source_row"],
            r["place"],
            r["note"],
        )
        for r in rows
    ] == [
        (
            "children_visited",
            "丰州镇",
            2023,
            3,
            dt.date(2023, 3, 5),
            12.0,
            "Sheet1",
            2,
            "东关村",
            "入户",
        ),
        ("patrols_run", "洪水镇", 2023, 4, dt.date(2023, 4, 1), 3.0, "Sheet1", 3, None, None),
    ]
    assert all(r["person_hash"] is None and r["person_masked"] is None for r in rows)
    assert out.row_count == 2 and out.errors == [] and out.warnings == []


NON_DATA_ROWS = [
    [],
    ["", "", "", "", ""],
    ["合计", "", "", 2, ""],
    ["总计", None, None, "2", None],
    ["小计", "", "", 2],
    ["合　计", "", "", 2],
    ["填表人：王丽　　审核人：张强"],
    ["审核人："],
    ["单位负责人（签名）："],
    ["制表人：李四", "", "", "", "填报日期：2023年4月30日"],
    ["", "", "", "填表人：王丽"],
    ["联系电话：0355-6123456"],
    ["注：1. 数量按实际人次填写。"],
    ["注1：巡查按次统计"],
    ["注：１．以上数据截至月底"],
    ["说明：本表每月5日前报送"],
    ["备注：无"],
    ["附注：略"],
    ["示例", "丰州镇", "某某活动", "若干"],
]


@pytest.mark.parametrize("row", NON_DATA_ROWS, ids=lambda r: "|".join(map(str, r)) or "empty")
def test_non_data_rows_are_skipped(run, row):
    out = run(
        [
            LEDGER,
            [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"],
            row,
            [dt.date(2023, 3, 6), "丰州镇", "街面巡查", 3, "次"],
        ]
    )
    assert out.problems == []
    assert out.facts["source_row"] == [2, 4]


def test_numbered_but_otherwise_empty_rows_are_blank(run):
    """Templates number every row (序号 1…20) in advance; rows holding only a 序号 are blank."""
    out = run(
        [
            ["序号", *LEDGER],
            [1, dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"],
            [2],
            [3, "", "", "", "", ""],
        ]
    )
    assert out.problems == []
    assert out.row_count == 1


def test_correct_totals_give_no_warning(run):
    out = run(
        [
            LEDGER,
            [dt.date(2023, 3, 1), "丰州镇", "街面巡查", 1, "次"],
            [dt.date(2023, 3, 2), "丰州镇", "街面巡查", 2, "次"],
            ["小计", "", "", 3, ""],
            [dt.date(2023, 3, 3), "丰州镇", "街面巡查", 4, "次"],
            ["小计", "", "", "4", ""],
            ["合计", "", "", 7, ""],
            ["总计", "", "", "7次", ""],
            ["共计", "", "", "-", ""],
        ]
    )
    assert out.problems == []
    assert out.facts["quantity"] == [1.0, 2.0, 4.0]


@pytest.mark.parametrize(
    ("label", "written", "expected"),
    [("合计", 8, "7"), ("总计", "6", "7"), ("小计", 3, "4")],
)
def test_wrong_total_is_a_warning(run, label, written, expected):
    out = run(
        [
            LEDGER,
            [dt.date(2023, 3, 1), "丰州镇", "街面巡查", 1, "次"],
            [dt.date(2023, 3, 2), "丰州镇", "街面巡查", 2, "次"],
            ["小计", "", "", 3, ""],
            [dt.date(2023, 3, 3), "丰州镇", "街面巡查", 4, "次"],
            [label, "", "", written, ""],
        ]
    )
    assert out.errors == []
    [warning] = out.warnings
    assert warning.cell == "D6" and warning.sheet == "Sheet1" and warning.value == str(written)
    assert (
        "合计行与上方明细不一致" in warning.message and f"明细相加为 {expected}" in warning.message
    )
    assert sum(out.facts["quantity"]) == 7


# --- cell validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number", "warned"),
    [
        (12, 12.0, False),
        (12.0, 12.0, False),
        ("1,200", 1200.0, False),
        ("１２０", 120.0, False),
        ("200份", 200.0, False),
        ("30 张", 30.0, False),
        ("约50份", 50.0, True),
        ("200余份", 200.0, True),
        ("100多", 100.0, True),
        ("0", 0.0, False),
    ],
)
def test_quantity_forms(run, value, number, warned):
    out = run([LEDGER, [dt.date(2023, 3, 5), "丰州镇", "发放宣传资料", value, ""]])
    assert out.errors == []
    assert out.facts["quantity"] == [number]
    assert [p.cell for p in out.warnings] == (["D2"] if warned else [])
    if warned:
        assert f"约数，按 {number:,.0f} 份 计入" in out.warnings[0].message


@pytest.mark.parametrize(
    ("value", "unit", "fragment"),
    [
        ("若干", "", "数量应为数字"),
        ("-3", "", "数量不能为负数"),
        (-3, "", "数量不能为负数"),
        (2.5, "", "数量应为整数"),
        (100001, "", "数量过大"),
        ("30人次", "", "计量单位“人次”与「发放宣传资料」不符"),
        (30, "场", "计量单位“场”与「发放宣传资料」不符"),
        ("", "", "数量为空"),
        ("/", "份", "数量为空"),
    ],
)
def test_bad_quantities(run, value, unit, fragment):
    out = run([LEDGER, [dt.date(2023, 3, 5), "丰州镇", "发放宣传资料", value, unit]])
    assert out.row_count == 0
    [error] = out.errors
    assert fragment in error.message
    # a wrong unit written in the 单位 column is that column's cell (E), else the quantity's (D)
    expected = "E2" if unit and "计量单位" in fragment else "D2"
    assert error.cell == expected and error.sheet == "Sheet1"


def test_wrong_unit_column_names_the_unit_cell(run):
    out = run([LEDGER, [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "份"]])
    [error] = out.errors
    assert "计量单位“份”" in error.message
    assert (error.cell, error.value) == ("E2", "份")


def test_unit_in_quantity_header(run):
    ok = run(
        [["日期", "乡镇", "类别", "数量（份）"], [dt.date(2023, 3, 5), "丰州镇", "发放宣传资料", 5]]
    )
    assert ok.problems == [] and ok.facts["quantity"] == [5.0]
    bad = run(
        [["日期", "乡镇", "类别", "数量（份）"], [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 5]]
    )
    assert "计量单位“份”" in bad.errors[0].message


@pytest.mark.parametrize(
    ("value", "day", "month"),
    [
        (dt.date(2023, 3, 5), dt.date(2023, 3, 5), 3),
        (dt.datetime(2023, 3, 5, 14, 0), dt.date(2023, 3, 5), 3),
        (44990, dt.date(2023, 3, 5), 3),
        (44990.0, dt.date(2023, 3, 5), 3),
        ("44990", dt.date(2023, 3, 5), 3),
        ("2023-03-05", dt.date(2023, 3, 5), 3),
        ("2023/3/5", dt.date(2023, 3, 5), 3),
        ("2023.3.5", dt.date(2023, 3, 5), 3),
        ("2023年3月5日", dt.date(2023, 3, 5), 3),
        ("２０２３年３月５日", dt.date(2023, 3, 5), 3),
        ("20230305", dt.date(2023, 3, 5), 3),
        ("2023-03", None, 3),
        ("2023年3月", None, 3),
        (TODAY, TODAY, TODAY.month),
        (dt.date(2000, 1, 1), dt.date(2000, 1, 1), 1),
    ],
)
def test_date_forms(run, value, day, month):
    out = run([LEDGER, [value, "丰州镇", "街面巡查", 2, "次"]])
    assert out.problems == []
    assert out.facts["activity_date"] == [day] and out.facts["month"] == [month]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2023-02-30", "日期不存在"),
        ("2023-13", "月份不存在"),
        ("上周三", "应为日期"),
        ("", "日期为空"),
        (TODAY + dt.timedelta(days=1), "日期晚于今天"),
        (dt.date(1999, 12, 31), "日期早于2000年"),
    ],
)
def test_bad_dates(run, value, fragment):
    out = run(
        [
            LEDGER,
            [dt.date(2023, 3, 1), "丰州镇", "街面巡查", 1, "次"],
            [value, "丰州镇", "街面巡查", 2, "次"],
        ]
    )
    [error] = out.errors
    assert fragment in error.message and error.cell == "A3"
    assert out.row_count == 1


def test_today_decides_what_is_future(run):
    rows = [LEDGER, [dt.date(2026, 6, 1), "丰州镇", "街面巡查", 2, "次"]]
    assert run(rows, today=dt.date(2026, 6, 1)).errors == []
    assert "晚于今天" in run(rows, today=dt.date(2026, 5, 31)).errors[0].message


def test_unknown_township_and_category_name_the_closest(run):
    out = run(
        [
            LEDGER,
            [dt.date(2023, 3, 5), "丰洲镇", "发放宣传资料", 2, "份"],
            [dt.date(2023, 3, 5), "丰州镇", "发放宣传册", 2, "份"],
        ]
    )
    messages = {p.cell: p.message for p in out.errors}
    assert "丰州镇" in messages["B2"]
    assert "发放宣传资料" in messages["C3"] and "同义词" in messages["C3"]


def test_every_bad_cell_of_one_row_is_reported(run):
    """One upload should list everything to fix, including several bad cells in the same row."""
    out = run([LEDGER, ["2023-02-30", "丰洲镇", "发放宣传册", "若干", ""]])
    assert sorted(p.cell for p in out.errors) == ["A2", "B2", "C2", "D2"], where(out)


def test_problem_values_are_scrubbed(run):
    out = run([LEDGER, [dt.date(2023, 3, 5), "丰州镇", "街面巡查", "13812345678", "次"]])
    [error] = out.errors
    assert "13812345678" not in error.value and "[已脱敏]" in error.value


def test_free_text_is_scrubbed(run):
    out = run(
        [
            ["日期", "乡镇", "类别", "数量", "地点", "备注"],
            [
                dt.date(2023, 3, 5),
                "丰州镇",
                "街面巡查",
                2,
                "身份证140429201503150012",
                "电话13812345678",
            ],
        ]
    )
    assert out.facts["place"] == ["身份证[已脱敏]"] and out.facts["note"] == ["电话[已脱敏]"]


# --- sheet context ----------------------------------------------------------------------------


def test_township_from_sheet_title_or_file_name(run, ref):
    rows = [["日期", "类别", "数量"], [dt.date(2023, 3, 5), "街面巡查", 2]]
    assert totals(run(rows, sheet="洪水镇"), ref) == {("patrols_run", "洪水镇", 3): 2}
    assert totals(run(rows, file_name="监漳镇3月.xlsx"), ref) == {("patrols_run", "监漳镇", 3): 2}
    titled = [["武乡县故城镇2023年3月台账"], *rows]
    assert totals(run(titled), ref) == {("patrols_run", "故城镇", 3): 2}
    # the sheet name is nearer to the data than the file name
    assert totals(run(rows, sheet="洪水镇", file_name="监漳镇.xlsx"), ref) == {
        ("patrols_run", "洪水镇", 3): 2
    }


def test_township_column_wins_over_context(run, ref):
    rows = [
        ["日期", "乡镇", "类别", "数量"],
        [dt.date(2023, 3, 5), "石北乡", "街面巡查", 2],
        [dt.date(2023, 3, 5), "", "街面巡查", 1],
    ]
    assert totals(run(rows, sheet="洪水镇"), ref) == {
        ("patrols_run", "石北乡", 3): 2,
        ("patrols_run", "洪水镇", 3): 1,
    }


@pytest.mark.parametrize(
    ("sheet", "file_name", "title"),
    [
        ("2023年5月", "丰州镇.xlsx", None),
        ("5月", "丰州镇2023年台账.xlsx", None),
        ("Sheet1", "丰州镇.xlsx", "2023年5月民政工作台账"),
        ("5月", "丰州镇.xlsx", "2023年民政工作台账"),
    ],
)
def test_month_from_sheet_title_or_file_name(run, ref, sheet, file_name, title):
    rows = [["类别", "数量"], ["街面巡查", 2]]
    if title:
        rows.insert(0, [title])
    out = run(rows, sheet=sheet, file_name=file_name)
    assert out.problems == []
    assert totals(out, ref) == {("patrols_run", "丰州镇", 5): 2}
    assert out.facts["activity_date"] == [None] and out.facts["year"] == [2023]


def test_month_column_with_year_in_title(run, ref):
    out = run(
        [
            ["丰州镇2023年工作台账"],
            ["月份", "类别", "数量"],
            ["1月", "街面巡查", 1],
            ["2月份", "街面巡查", 2],
            [3, "街面巡查", 3],
            ["13", "街面巡查", 4],
        ]
    )
    assert totals(out, ref) == {("patrols_run", "丰州镇", m): m for m in (1, 2, 3)}
    [error] = out.errors
    assert error.cell == "A6" and "月份" in error.message


def test_category_from_sheet_name(run, ref):
    out = run([["日期", "乡镇", "数量"], [dt.date(2023, 3, 5), "丰州镇", 2]], sheet="街面巡逻")
    assert totals(out, ref) == {("patrols_run", "丰州镇", 3): 2}


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        (
            [["日期", "乡镇", "类别", "地点"], [dt.date(2023, 3, 5), "丰州镇", "巡查", "街"]],
            "缺少“数量”列",
        ),
        ([["日期", "乡镇", "数量"], [dt.date(2023, 3, 5), "丰州镇", 2]], "缺少“类别”列"),
        ([["乡镇", "类别", "数量"], ["丰州镇", "街面巡查", 2]], "缺少“日期”列"),
        ([["日期", "类别", "数量"], [dt.date(2023, 3, 5), "街面巡查", 2]], "无法确定乡镇"),
    ],
)
def test_missing_columns(run, rows, fragment):
    out = run(rows)
    [error] = out.errors
    assert fragment in error.message and error.sheet == "Sheet1" and error.cell == "第1行"
    assert out.row_count == 0


# --- sheets -----------------------------------------------------------------------------------


def test_hidden_and_instruction_sheets_are_not_read(run):
    bad_rows = [LEDGER, [dt.date(2023, 3, 5), "丰州镇", "不存在的类别", "若干", ""]]
    more = [
        Grid("填表说明", bad_rows),
        Grid("目录", bad_rows),
        Grid("封面", bad_rows),
        Grid("隐藏", bad_rows, hidden=True),
        Grid("空白", [[], ["", ""]]),
    ]
    out = run([LEDGER, [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"]], more=more)
    assert out.errors == []
    assert out.sheets == ["Sheet1"]
    [warning] = out.warnings
    assert warning.sheet == "隐藏" and "隐藏" in warning.message


def test_sheet_without_header_is_a_warning(run):
    out = run(
        [LEDGER, [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"]],
        more=[Grid("草稿", [["随便写写", "没有表头"]])],
    )
    assert out.errors == [] and out.row_count == 1
    assert [(p.sheet, "未找到表头" in p.message) for p in out.warnings] == [("草稿", True)]


def test_no_data_rows_is_an_error_naming_the_sheets(run):
    out = run([LEDGER])
    [error] = out.errors
    assert "中没有数据行" in error.message and "「Sheet1」" in error.message


def test_no_table_anywhere_message_reads_correctly(run):
    out = run([["随便写写", "没有表头"]])
    [error] = out.errors
    assert "所有工作表都未找到表头" in error.message
    assert "已查看任何工作表" not in error.message, error.message


# --- per-person ledgers -------------------------------------------------------------------------

PERSON_HEADER = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "所在村",
    "监护人",
    "联系电话",
    "家庭住址",
    "走访日期",
]


def _person(i, name, id_number, village, day):
    return [i, name, "男", id_number, village, "王建国", "13812345678", "某村1号", day]


def test_each_person_row_counts_one(run, ref):
    out = run(
        [
            ["武乡县丰州镇2023年留守儿童走访台账"],
            PERSON_HEADER,
            _person(1, "王小明", "140429201503150012", "东关村", dt.date(2023, 3, 10)),
            _person(2, "李小红", "14042920160720002X", "西关村", dt.date(2023, 3, 12)),
            _person(3, "王小明", "140429201503150012", "东关村", dt.date(2023, 4, 2)),
            _person(4, "李小红", "14042920160720002x", "西关村", dt.date(2023, 4, 3)),
            ["合计", "4人"],
        ],
        sheet="留守儿童走访台账",
    )
    assert out.problems == [] and out.shapes == {"person"}
    assert totals(out, ref) == {
        ("children_visited", "丰州镇", 3): 2,
        ("children_visited", "丰州镇", 4): 2,
    }
    hashes = out.facts["person_hash"]
    assert hashes[0] == hashes[2] and hashes[1] == hashes[3] and hashes[0] != hashes[1]
    assert out.facts["person_masked"] == ["王*明", "李*红", "王*明", "李*红"]
    assert out.facts["place"] == ["东关村", "西关村", "东关村", "西关村"]
    assert out.personal_cols == {"留守儿童走访台账": {1, 3, 5, 6, 7}}
    assert out.header_rows == {"留守儿童走访台账": 1}


def test_person_hash_without_id_uses_name_and_village(run):
    out = run(
        [
            ["姓名", "所在村", "走访日期"],
            ["王小明", "东关村", dt.date(2023, 3, 10)],
            ["王小明", "东关村", dt.date(2023, 3, 11)],
            ["王小明", "西关村", dt.date(2023, 3, 12)],
        ],
        sheet="留守儿童走访",
        file_name="丰州镇.xlsx",
    )
    hashes = out.facts["person_hash"]
    assert hashes[0] == hashes[1] != hashes[2]


def test_person_total_row_is_checked_by_count(run):
    rows = [
        PERSON_HEADER,
        _person(1, "王小明", "140429201503150012", "东关村", dt.date(2023, 3, 10)),
    ]
    ok = run([*rows, ["合计", "1人"]], sheet="留守儿童走访", file_name="丰州镇.xlsx")
    assert ok.problems == []
    wrong = run([*rows, ["合计", "3人"]], sheet="留守儿童走访", file_name="丰州镇.xlsx")
    [warning] = wrong.warnings
    assert warning.cell == "B3" and "明细相加为 1" in warning.message


def test_person_category_from_title(run, ref):
    out = run(
        [
            ["蟠龙镇2023年5月入户走访登记表"],
            ["序号", "儿童姓名", "身份证号", "日期"],
            [1, "赵小虎", "140429201601010016", dt.date(2023, 5, 8)],
        ]
    )
    assert totals(out, ref) == {("children_visited", "蟠龙镇", 5): 1}


def test_numbered_empty_rows_do_not_count_as_people(run, ref):
    out = run(
        [
            ["武乡县丰州镇2023年3月留守儿童走访台账"],
            ["序号", "姓名", "身份证号码", "走访日期"],
            [1, "王小明", "140429201503150012", dt.date(2023, 3, 10)],
            [2],
            [3],
        ],
        sheet="留守儿童走访台账",
    )
    assert totals(out, ref) == {("children_visited", "丰州镇", 3): 1}


# --- monthly summaries --------------------------------------------------------------------------

MONTHS = [f"{m}月" for m in range(1, 13)]


def test_summary_reading(run, ref):
    out = run(
        [
            ["武乡县石北乡2023年民政工作月度汇总表"],
            ["序号", "工作内容", "单位", *MONTHS, "合计"],
            [
                1,
                "发放宣传资料（份）",
                "",
                100,
                "",
                "-",
                "—",
                "/",
                "无",
                "0",
                0,
                50,
                None,
                None,
                None,
                150,
            ],
            [
                2,
                "街面巡查",
                "次",
                2,
                3,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "5",
            ],
            [3, "走访慰问", "人次", 4] + [None] * 11 + [5],
            ["合计", "", "", 106, 3],
        ],
        sheet="汇总",
    )
    assert out.shapes == {"summary"}
    assert out.errors == []
    assert totals(out, ref) == {
        ("leaflets_distributed", "石北乡", 1): 100,
        ("leaflets_distributed", "石北乡", 9): 50,
        ("patrols_run", "石北乡", 1): 2,
        ("patrols_run", "石北乡", 2): 3,
        ("children_visited", "石北乡", 1): 4,
    }
    assert set(out.facts["activity_date"]) == {None}
    [warning] = out.warnings
    assert (warning.cell, warning.value) == ("P5", "5") and "各月相加（4）" in warning.message


def test_summary_with_township_column(run, ref):
    out = run(
        [
            ["2023年各乡镇街面巡查汇总"],
            ["乡镇", "指标", "1月", "2月", "3月"],
            ["丰州镇", "街面巡查", 1, 2, 3],
            ["洪水镇", "街面巡查", 4, None, 6],
        ]
    )
    assert out.problems == []
    assert totals(out, ref) == {
        ("patrols_run", "丰州镇", 1): 1,
        ("patrols_run", "丰州镇", 2): 2,
        ("patrols_run", "丰州镇", 3): 3,
        ("patrols_run", "洪水镇", 1): 4,
        ("patrols_run", "洪水镇", 3): 6,
    }


def test_summary_label_column_without_header(run, ref):
    out = run([["", "1月", "2月", "3月"], ["街面巡查", 1, 2, 3]], file_name="丰州镇2023年汇总.xlsx")
    assert out.problems == []
    assert totals(out, ref) == {("patrols_run", "丰州镇", m): m for m in (1, 2, 3)}


@pytest.mark.parametrize(
    ("row", "cell", "fragment"),
    [
        (["街面巡查（份）", 1, 2, 3], "A3", "计量单位“份”"),
        (["街面巡查", 1, "较多", 3], "C3", "数量应为数字"),
        (["街面巡查", 1, 2, 501], "D3", "数量过大"),
        (["法治宣讲", 1, 2, 3], "A3", "不是指标目录中的类别"),
    ],
)
def test_summary_bad_cells(run, row, cell, fragment):
    out = run([["丰州镇2023年汇总表"], ["指标", "1月", "2月", "3月"], row])
    assert any(p.cell == cell and fragment in p.message for p in out.errors), where(out)


def test_summary_future_months_are_refused(run):
    rows = [["丰州镇2026年汇总表"], ["指标", *MONTHS], ["街面巡查", *range(1, 13)]]
    out = run(rows, today=dt.date(2026, 10, 15))
    assert sorted(p.cell for p in out.errors) == ["L3", "M3"]
    assert all("尚未到来" in p.message for p in out.errors)


def test_summary_needs_a_year(run):
    out = run([["丰州镇汇总表"], ["指标", "1月", "2月", "3月"], ["街面巡查", 1, 2, 3]])
    [error] = out.errors
    assert "无法确定年份" in error.message


def test_summary_year_from_month_headers(run, ref):
    out = run(
        [["丰州镇汇总表"], ["指标", "2023年1月", "2023年2月", "2023年3月"], ["街面巡查", 1, 2, 3]]
    )
    assert out.errors == [], where(out)
    assert totals(out, ref) == {("patrols_run", "丰州镇", m): m for m in (1, 2, 3)}


@pytest.mark.parametrize(
    "sheets",
    [
        {
            "台账": [
                LEDGER,
                [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"],
                ["填表人：张三 电话13812345678"],
            ]
        },
        {
            "台账": [LEDGER, [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"]],
            "填表说明": [["咨询 0355-6221234"]],
        },
        {
            "台账": [
                ["丰州镇台账 联系人13812345678"],
                LEDGER,
                [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"],
            ]
        },
    ],
    ids=["signature-row", "instruction-sheet", "title-row"],
)
def test_phone_numbers_anywhere_mark_the_file_sensitive(ref, sheets):
    grids = [Grid(name, [list(r) for r in rows]) for name, rows in sheets.items()]
    out = extract.extract(grids, "a.xlsx", ref, b"k" * 32, dt.date(2026, 11, 25))
    assert out.row_count == 1 and out.sensitive


def test_clean_ledger_is_not_sensitive(ref):
    grids = [Grid("台账", [LEDGER, [dt.date(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"]])]
    assert not extract.extract(grids, "a.xlsx", ref, b"k" * 32, dt.date(2026, 11, 25)).sensitive


# --- the column-wise fast path gives what the row-by-row path gives ---------------------------

MIXED_LEDGER = [
    ["丰州镇2023年民政工作台账"],
    ["序号", "日期", "乡镇", "类别", "数量", "单位", "地点", "备注"],
    [1, dt.date(2023, 3, 1), "丰州镇", "街面巡查", 1, "次", "主街", ""],
    [2, dt.datetime(2023, 3, 2, 9, 30), "", "街面巡查", 2.0, "次", "", "电话13812345678"],
    [3, "2023-03-05", "丰州镇", "发放宣传资料", "300", "份", "集市", "上午"],
    [4.0, dt.date(2023, 3, 1), "丰州镇", "法治讲座", 1, "场", "主街", ""],
    [5, dt.date(2023, 4, 2), "", "发放宣传资料", "120份", "", "礼堂", "上午"],
    ["合计", "", "", "", 424, "", "", ""],
]


PLAIN_LEDGER = [
    ["序号", "日期", "乡镇", "类别", "数量（次）", "单位", "地点"],
    [1, dt.date(2023, 3, 1), "丰州镇", "街面巡查", 1, "", "主街"],
    [2, dt.date(2023, 3, 2), "蟠龙镇", "发放宣传资料", 250.0, "份", "集市"],
    [3, dt.date(2023, 3, 2), "丰州镇", "街面巡查", 3, "次", 13812345678],
    [4, dt.date(2023, 3, 9), "蟠龙镇", "发放宣传资料", 250, "份", "集市"],
]


@pytest.mark.parametrize(
    ("grid", "rows"), [(MIXED_LEDGER, 5), (PLAIN_LEDGER, 4)], ids=["mixed", "plain"]
)
def test_fast_path_matches_the_row_by_row_path(run, monkeypatch, grid, rows):
    taken = []
    original = extract._Extractor._ledger_fast

    def spy(*args):
        taken.append(original(*args))
        return taken[-1]

    monkeypatch.setattr(extract._Extractor, "_ledger_fast", spy)
    fast = run(grid, sheet="台账")
    assert taken == [True]  # mixed cell types do not push the sheet off the fast path
    assert fast.errors == [] and fast.row_count == rows
    assert fast.sensitive  # a phone number in a free-text column, as text or as a number
    monkeypatch.setattr(extract._Extractor, "_ledger_fast", lambda *args: False)
    slow = run(grid, sheet="台账")
    assert fast.table().equals(slow.table())
    assert (fast.problems, fast.sensitive) == (slow.problems, slow.sensitive)
