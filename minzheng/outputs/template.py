"""The township ledger template (填报模板): the form the bureau hands out so that what comes back
reads cleanly.

One ledger sheet (title naming the township and year, a frozen and protected header, dropdowns
for 类别 and 单位 built from the catalog, date and number checks, one example row marked 示例
that the reader skips) and a 填表说明 sheet in plain Chinese that also holds the dropdown lists.
The header words are the ones `layout` recognises; the reader skips 示例 rows and 说明 sheets.
"""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import xlsxwriter

from minzheng.errors import NotFoundError
from minzheng.store import reference

LEDGER_SHEET = "工作台账"
GUIDE_SHEET = "填表说明"
HEADER = ("序号", "日期", "类别", "数量", "单位", "地点", "备注")
WIDTHS = (7, 14, 26, 9, 8, 22, 44)
HEADER_ROW = 2  # 0-based: title, 填报单位 line, header
DATA_ROWS = 300  # bordered rows prepared below the example row
CHECKED_ROWS = 2000  # rows with dropdowns and checks
EXAMPLE_MARK = "示例"


def _township(ref: reference.Reference, name: str) -> reference.Unit:
    unit = ref.unit(name)
    if unit is None:
        near = ref.closest_units(name)
        hint = f"，是否为“{'”或“'.join(near)}”？" if near else ""
        raise NotFoundError(f"没有名为“{name}”的乡镇或单位{hint}")
    return unit


def units_for_dropdown(ref: reference.Reference) -> list[str]:
    """Every unit of count the catalog accepts, each indicator's own unit first."""
    seen: list[str] = []
    for ind in ref.indicators.values():
        for label in (ind.unit_label, *ind.accepted_units):
            if label and label not in seen:
                seen.append(label)
    return seen


def build(cur: duckdb.DuckDBPyConnection, township: str, year: int) -> bytes:
    """The template workbook for one township (or the bureau) and year, as .xlsx bytes."""
    ref = reference.load(cur)
    unit = _township(ref, township)
    indicators = list(ref.indicators.values())
    measures = units_for_dropdown(ref)

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    title = book.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
    line = book.add_format({**base})
    head = book.add_format(
        {**base, "bold": True, "bg_color": "#dde4ee", "border": 1, "align": "center"}
    )
    example = book.add_format(
        {**base, "italic": True, "font_color": "#8c959f", "bg_color": "#f3f4f6", "border": 1}
    )
    example_date = book.add_format(
        {**base, "italic": True, "font_color": "#8c959f", "bg_color": "#f3f4f6", "border": 1}
    )
    example_date.set_num_format("yyyy-mm-dd")
    cell = book.add_format({**base, "locked": False, "border": 1, "border_color": "#c9ced6"})
    date_cell = book.add_format(
        {
            **base,
            "locked": False,
            "border": 1,
            "border_color": "#c9ced6",
            "num_format": "yyyy-mm-dd",
        }
    )
    number_cell = book.add_format(
        {**base, "locked": False, "border": 1, "border_color": "#c9ced6", "num_format": "0"}
    )

    ws = book.add_worksheet(LEDGER_SHEET)
    guide = book.add_worksheet(GUIDE_SHEET)

    # --- the guide sheet, which also holds the dropdown lists ------------------------------------
    guide.set_column(0, 0, 26)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 60)
    guide.write_string(0, 0, f"{unit.name}{year}年民政工作台账 填表说明", title)
    lines = [
        f"1. 本表由{unit.name}民政办填写，每做一次工作（一次走访、一次巡查、一场讲座等）填一行。",
        f"2. 日期：填写工作开展的日期，如 {year}-03-05，只能填 {year} 年内的日期。",
        "3. 类别：点击单元格右侧的小箭头，从下拉列表中选择，不要自己改写。",
        "4. 数量：只填阿拉伯数字（整数），不要带“人次”“份”等字，也不要写“200余份”。",
        "5. 单位：从下拉列表中选择，与类别对应（见下表“计量单位”）。",
        "6. 地点、备注：可不填。请不要填写身份证号、电话号码、家庭住址等个人信息。",
        "7. 第一条灰色斜体的“示例”行只作参考，导入时自动跳过，不必删除。",
        "8. 表头已锁定，请勿修改；行不够时可在表格下方继续填写。",
        "9. 每月 5 日前把上月的台账报送县民政局，文件名可写成“乡镇名+年月+工作台账”。",
    ]
    for r, text in enumerate(lines, start=2):
        guide.write_string(r, 0, text, line)
    list_top = len(lines) + 3
    guide.write_string(list_top, 0, "类别（下拉列表）", head)
    guide.write_string(list_top, 1, "计量单位", head)
    guide.write_string(list_top, 2, "还可以写成", head)
    for i, ind in enumerate(indicators, start=1):
        guide.write_string(list_top + i, 0, ind.name)
        guide.write_string(list_top + i, 1, ind.unit_label)
        synonyms = [
            name for name, key in ref.category_names.items() if key == ind.key and name != ind.name
        ]
        guide.write_string(list_top + i, 2, "、".join(synonyms))
    cat_first, cat_last = list_top + 1, list_top + len(indicators)
    unit_top = cat_last + 2
    guide.write_string(unit_top, 0, "单位（下拉列表）", head)
    for i, label in enumerate(measures, start=1):
        guide.write_string(unit_top + i, 0, label)
    unit_first, unit_last = unit_top + 1, unit_top + len(measures)
    guide.protect()

    # --- the ledger sheet ------------------------------------------------------------------------
    last_col = len(HEADER) - 1
    free = book.add_format({**base, "locked": False})
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width, free)  # cells below the prepared rows stay editable
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last_col, f"武乡县{unit.name}{year}年民政工作台账", title)
    ws.merge_range(
        1,
        0,
        1,
        last_col,
        f"填报单位：{unit.name}（盖章）        填表人：              审核人：",
        line,
    )
    for c, label in enumerate(HEADER):
        ws.write_string(HEADER_ROW, c, label, head)
    first_ind = indicators[0] if indicators else None
    ex = HEADER_ROW + 1
    ws.write_string(ex, 0, EXAMPLE_MARK, example)
    ws.write_datetime(ex, 1, dt.datetime(year, 3, 5), example_date)
    ws.write_string(ex, 2, first_ind.name if first_ind else "", example)
    ws.write_number(ex, 3, 12, example)
    ws.write_string(ex, 4, first_ind.unit_label if first_ind else "", example)
    ws.write_string(ex, 5, "某某村", example)
    ws.write_string(ex, 6, "示例行，导入时自动跳过，请从下一行开始填写", example)

    first, last = ex + 1, ex + CHECKED_ROWS
    for r in range(first, first + DATA_ROWS):
        ws.write_blank(r, 0, None, cell)
        ws.write_blank(r, 1, None, date_cell)
        ws.write_blank(r, 2, None, cell)
        ws.write_blank(r, 3, None, number_cell)
        for c in range(4, len(HEADER)):
            ws.write_blank(r, c, None, cell)

    quote = f"'{GUIDE_SHEET}'"
    ws.data_validation(
        first,
        1,
        last,
        1,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(year, 1, 1),
            "maximum": dt.date(year, 12, 31),
            "input_title": "日期",
            "input_message": f"填写 {year} 年内的日期，如 {year}-03-05",
            "error_title": "日期不对",
            "error_message": f"请填写 {year} 年内的日期，格式如 {year}-03-05。",
        },
    )
    ws.data_validation(
        first,
        2,
        last,
        2,
        {
            "validate": "list",
            "source": f"={quote}!$A${cat_first + 1}:$A${cat_last + 1}",
            "input_title": "类别",
            "input_message": "点右侧小箭头选择类别",
            "error_title": "类别不在列表中",
            "error_message": "请从下拉列表中选择类别；列表见“填表说明”工作表。",
        },
    )
    ws.data_validation(
        first,
        3,
        last,
        3,
        {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "input_title": "数量",
            "input_message": "只填整数，不带单位",
            "error_title": "数量不对",
            "error_message": "数量只能填不小于 0 的整数，不要带“人次”“份”等字。",
        },
    )
    ws.data_validation(
        first,
        4,
        last,
        4,
        {
            "validate": "list",
            "source": f"={quote}!$A${unit_first + 1}:$A${unit_last + 1}",
            "input_title": "单位",
            "input_message": "点右侧小箭头选择计量单位",
            "error_title": "单位不在列表中",
            "error_message": "请从下拉列表中选择计量单位（人次、份、次、场、件等）。",
        },
    )
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.protect(
        "",
        {
            "insert_rows": True,
            "delete_rows": True,
            "format_columns": True,
            "format_rows": True,
            "sort": True,
            "autofilter": True,
        },
    )
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.activate()
    book.close()
    return buffer.getvalue()


def file_name(township: str, year: int) -> str:
    """The suggested file name of a template."""
    return f"{township}{year}年民政工作台账（填报模板）.xlsx"
