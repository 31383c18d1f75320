"""Tests of minzheng.intake.layout: header synonyms, header detection (title rows, two-row headers,
month columns) and the text above the header."""

from __future__ import annotations

import pytest

from minzheng.intake import layout


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("日期", "date"),
        ("活动日期", "date"),
        ("走访日期", "date"),
        ("开展时间", "date"),
        ("类别", "category"),
        ("工作类别", "category"),
        ("工作内容", "category"),
        ("指标名称", "category"),
        ("数量", "quantity"),
        ("数量（人次/份/次）", "quantity"),
        ("数量(份)", "quantity"),
        ("完成数量", "quantity"),
        ("人次", "quantity"),
        ("单位", "measure"),
        ("计量单位", "measure"),
        ("乡镇", "township"),
        ("乡 镇", "township"),
        ("乡（镇）", "township"),
        ("所属乡镇", "township"),
        ("填报单位：", "township"),
        ("地点", "place"),
        ("具体地点", "place"),
        ("活动地点", "place"),
        ("所在村", "village"),
        ("村（社区）", "village"),
        ("序号", "seq"),
        ("月份", "month"),
        ("身份证号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("联系电话", "phone"),
        ("手机号码", "phone"),
        ("家庭住址", "address"),
        ("监护人", "guardian"),
        ("姓名", "name"),
        ("儿童姓名", "name"),
        ("备注", "note"),
        ("参加人数", "participants"),
        ("性别", "sex"),
        ("　数　量　", "quantity"),
        ("数量*", "quantity"),
    ],
)
def test_role_of_synonyms(label, role):
    assert layout.role_of(label) == role


@pytest.mark.parametrize(
    "label",
    [
        "",
        "负责人",
        "经费（元）",
        "完成情况",
        "1月",
        "十二月",
        "填报单位：丰州镇",
        "填报日期：2023年5月3日",
        "武乡县丰州镇2023年4月民政工作台账",
        "街面巡查",
        "丰州镇",
        "数" * 31,
    ],
)
def test_role_of_meaningless_labels(label):
    assert layout.role_of(label) is None


def test_find_header_plain():
    rows = [["日期", "乡镇", "类别", "数量", "单位"], ["2023-03-05", "丰州镇", "街面巡查", 2, "次"]]
    header = layout.find_header(rows)
    assert (header.first_row, header.last_row) == (0, 0)
    assert header.roles == {"date": 0, "township": 1, "category": 2, "quantity": 3, "measure": 4}
    assert header.score == 5
    assert header.months == {} and header.total_col is None and header.personal == set()


@pytest.mark.parametrize("blank_rows", [0, 1, 3])
def test_find_header_below_title_rows(blank_rows):
    rows = [
        ["武乡县蟠龙镇2023年4月民政工作台账"],
        ["（2023年4月1日—4月30日）"],
        ["填报单位：蟠龙镇民政办"],
        *[[] for _ in range(blank_rows)],
        ["序号", "活动日期", "工作类别", "数量（人次/份/次）"],
        [1, "2023-04-03", "街面巡查", 5],
    ]
    header = layout.find_header(rows)
    expected = 3 + blank_rows
    assert (header.first_row, header.last_row) == (expected, expected)
    assert header.roles == {"seq": 0, "date": 1, "category": 2, "quantity": 3}
    title = layout.title_text(rows, header)
    assert "蟠龙镇2023年4月" in title and "填报单位：蟠龙镇民政办" in title


def test_find_header_shuffled_with_extra_columns():
    rows = [
        ["负责人", "数量（人次/份/次）", "具体地点", "工作类别", "经费（元）", "活动日期", "乡镇"]
    ]
    header = layout.find_header(rows)
    assert header.roles == {
        "quantity": 1,
        "place": 2,
        "category": 3,
        "date": 5,
        "township": 6,
    }


def test_find_header_two_rows_with_merged_cells_filled():
    # As workbook.read delivers it: merged cells already carry their top-left value.
    rows = [
        ["序号", "日期", "乡镇", "类别", "完成情况", "完成情况", "备注"],
        ["序号", "日期", "乡镇", "类别", "数量", "单位", "备注"],
        [1, "2023-06-02", "故城镇", "法治讲座", 1, "场", ""],
    ]
    header = layout.find_header(rows)
    assert (header.first_row, header.last_row) == (0, 1)
    assert header.labels == ["序号", "日期", "乡镇", "类别", "数量", "单位", "备注"]
    assert header.roles["quantity"] == 4 and header.roles["measure"] == 5


def test_find_header_two_rows_with_empty_cells_below():
    rows = [
        ["日期", "类别", "完成情况", "", "地点"],
        ["", "", "数量", "单位", ""],
        ["2023-06-02", "法治讲座", 1, "场", "礼堂"],
    ]
    header = layout.find_header(rows)
    assert (header.first_row, header.last_row) == (0, 1)
    assert header.roles == {"date": 0, "category": 1, "quantity": 2, "measure": 3, "place": 4}


def test_find_header_two_rows_below_a_merged_title():
    title = "故城镇2023年6月民政工作台账"
    rows = [
        [title] * 7,
        ["序号", "日期", "乡镇", "类别", "完成情况", "完成情况", "备注"],
        ["序号", "日期", "乡镇", "类别", "数量", "单位", "备注"],
        [1, "2023-06-02", "故城镇", "法治讲座", 1, "场", ""],
    ]
    header = layout.find_header(rows)
    assert (header.first_row, header.last_row) == (1, 2)
    assert layout.title_text(rows, header).startswith(title)


def test_merged_title_is_not_part_of_a_single_row_header():
    """A title merged across the table (every cell filled) sits above, not inside, the header."""
    title = "武乡县贾豁乡2023年7月民政工作台账"
    rows = [
        [title] * 4,
        ["日期", "类别", "数量", "单位"],
        ["2023-07-03", "走访慰问留守困境儿童", 5, "人次"],
    ]
    header = layout.find_header(rows)
    assert (header.first_row, header.last_row) == (1, 1)
    assert title in layout.title_text(rows, header)


def test_unit_line_directly_above_header_is_title_text():
    rows = [
        ["2023年4月民政工作台账"],
        ["填报单位：蟠龙镇民政办", "", "", "填报日期：2023年5月3日"],
        ["日期", "类别", "数量", "单位"],
        ["2023-04-03", "街面巡查", 5, "次"],
    ]
    header = layout.find_header(rows)
    assert (header.first_row, header.last_row) == (2, 2)
    assert "填报单位：蟠龙镇民政办" in layout.title_text(rows, header)


def test_data_row_is_not_taken_for_a_second_header_row():
    rows = [
        ["日期", "乡镇", "类别", "数量", "单位"],
        ["2023-03-05", "丰州镇", "走访慰问", 12, "人次"],
    ]
    assert layout.find_header(rows).last_row == 0


def test_find_header_month_columns_and_total():
    rows = [
        ["武乡县石北乡2023年民政工作月度汇总表"],
        ["序号", "工作内容", *[f"{m}月" for m in range(1, 13)], "合计"],
        [1, "发放宣传资料（份）", 100, 200],
    ]
    header = layout.find_header(rows)
    assert header.first_row == 1
    assert header.months == {c: c - 1 for c in range(2, 14)}
    assert header.total_col == 14
    assert header.roles == {"seq": 0, "category": 1}


@pytest.mark.parametrize(
    "months",
    [
        ["一月", "二月", "三月", "四月"],
        ["01月", "02月", "03月"],
        ["十月", "十一月", "十二月份"],
    ],
)
def test_month_header_spellings(months):
    header = layout.find_header([["指标", *months]])
    assert sorted(header.months.values()) == sorted(
        {
            "一月": 1,
            "二月": 2,
            "三月": 3,
            "四月": 4,
            "01月": 1,
            "02月": 2,
            "03月": 3,
            "十月": 10,
            "十一月": 11,
            "十二月份": 12,
        }[m]
        for m in months
    )


def test_fewer_than_three_months_are_not_month_columns():
    header = layout.find_header([["日期", "类别", "数量", "1月", "2月"]])
    assert header.months == {}
    assert header.roles == {"date": 0, "category": 1, "quantity": 2}


def test_personal_columns_are_marked():
    labels = [
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
    header = layout.find_header([labels])
    assert header.personal == {1, 3, 5, 6, 7}
    assert header.roles["date"] == 8 and header.roles["village"] == 4


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [["武乡县民政工作台账"], ["2023-03-05", "丰州镇", "街面巡查", 2]],
        [["只有一个表头", "日期"]],
        [["丰州镇", "街面巡查"], ["洪水镇", "法治讲座"]],
    ],
)
def test_no_header(rows):
    assert layout.find_header(rows) is None


def test_header_beyond_scan_rows_is_not_found():
    filler = [[f"说明第{i}行"] for i in range(layout.HEADER_SCAN_ROWS)]
    rows = [*filler, ["日期", "类别", "数量"], ["2023-03-05", "街面巡查", 2]]
    assert layout.find_header(rows) is None
    assert layout.find_header(rows[1:]).first_row == layout.HEADER_SCAN_ROWS - 1


def test_best_scoring_row_wins():
    rows = [
        ["日期", "备注", "", ""],
        ["日期", "乡镇", "类别", "数量"],
        ["2023-03-05", "丰州镇", "街面巡查", 2],
    ]
    header = layout.find_header(rows)
    assert header.roles == {"date": 0, "township": 1, "category": 2, "quantity": 3}


def test_title_text_without_header_uses_first_rows():
    rows = [[f"第{i}行"] for i in range(8)]
    assert layout.title_text(rows, None) == "第0行 第1行 第2行 第3行 第4行"


def test_title_text_is_empty_when_header_is_first():
    rows = [["日期", "类别", "数量"]]
    assert layout.title_text(rows, layout.find_header(rows)) == ""


def test_duplicated_decisive_columns():
    two_quantities = layout.find_header([["日期", "乡镇", "类别", "数量", "次数"]])
    assert two_quantities.duplicates == {"quantity": 4}
    same_date = layout.find_header([["日期", "乡镇", "类别", "数量", "日期"]])
    assert same_date.duplicates == {"date": 4}
    # Two differently named date columns: the first (the activity date) is meant.
    two_dates = layout.find_header([["活动日期", "乡镇", "类别", "数量", "填报日期"]])
    assert two_dates.duplicates == {} and two_dates.roles["date"] == 0
