"""Tests of minzheng.intake.workbook: reading .xlsx/.xlsm/.xls/.csv bytes into grids, merged-cell filling,
CSV encodings and delimiters, and the messages for files that cannot be read."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from minzheng.intake import workbook
from tests.data import build as tb

HEADER = ["日期", "乡镇", "类别", "数量"]
ROWS = [
    ["2023-03-05", "丰州镇", "走访慰问留守困境儿童", "12"],
    ["2023-03-06", "洪水镇", "街面巡查", "1,200"],
]


def _values(grid: workbook.Grid) -> list[list]:
    """Rows without trailing empty cells, for comparisons."""
    out = []
    for row in grid.rows:
        row = list(row)
        while row and row[-1] in ("", None):
            row.pop()
        out.append(row)
    return out


# --- Excel ----------------------------------------------------------------------------------

MERGED = tb.Sheet(
    "台账",
    [
        ["武乡县涌泉乡2023年9月台账", None, None, None],
        ["乡镇", "类别", "日期", "数量"],
        ["涌泉乡", "街面巡查", dt.date(2023, 9, 1), 3],
        [None, None, dt.date(2023, 9, 8), 2],
        [None, "法治讲座", dt.date(2023, 9, 20), 1],
    ],
    merges=["A1:D1", "A3:A5", "B3:B4"],
)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls"])
def test_merged_ranges_are_filled_with_top_left_value(suffix):
    name = f"merged{suffix}"
    grids = workbook.read(tb.book_bytes(name, [MERGED]), name)
    assert [g.name for g in grids] == ["台账"]
    rows = grids[0].rows
    assert rows[0] == ["武乡县涌泉乡2023年9月台账"] * 4
    assert [r[0] for r in rows[2:5]] == ["涌泉乡"] * 3
    assert [r[1] for r in rows[2:5]] == ["街面巡查", "街面巡查", "法治讲座"]
    assert rows[3][2] == dt.date(2023, 9, 8) or rows[3][2] == dt.datetime(2023, 9, 8)
    assert rows[4][3] == 1


def test_merged_range_reaching_past_last_row():
    sheet = tb.Sheet("S", [["乡镇", "数量"], ["丰州镇", 1]], merges=["A2:A6"])
    rows = workbook.read(tb.book_bytes("m.xlsx", [sheet]), "m.xlsx")[0].rows
    assert all(r[0] == "丰州镇" for r in rows[1:])


def test_all_worksheets_in_order_with_hidden_flag():
    sheets = [
        tb.Sheet("1月", [["日期", "数量"]]),
        tb.Sheet("旧数据", [["日期", "数量"]], hidden=True),
        tb.Sheet("2月", [["日期", "数量"]]),
    ]
    grids = workbook.read(tb.book_bytes("h.xlsx", sheets), "h.xlsx")
    assert [(g.name, g.hidden) for g in grids] == [("1月", False), ("旧数据", True), ("2月", False)]


def test_hidden_sheet_in_xls():
    sheets = [tb.Sheet("A", [["x", "y"]]), tb.Sheet("B", [["x", "y"]], hidden=True)]
    grids = workbook.read(tb.book_bytes("h.xls", sheets), "h.xls")
    assert [(g.name, g.hidden) for g in grids] == [("A", False), ("B", True)]


def test_chart_sheets_are_skipped():
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "数据"
    for row in [["月份", "数量"], ["1月", 3], ["2月", 5]]:
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    book.create_chartsheet("图表").add_chart(chart)
    buffer = io.BytesIO()
    book.save(buffer)
    grids = workbook.read(buffer.getvalue(), "chart.xlsx")
    assert [g.name for g in grids] == ["数据"]


def test_cell_types_are_kept():
    sheet = tb.Sheet("S", [["日期", "数量", "文字"], [dt.date(2023, 3, 5), 12, "１２０"]])
    row = workbook.read(tb.book_bytes("t.xlsx", [sheet]), "t.xlsx")[0].rows[1]
    assert row[0] in (dt.date(2023, 3, 5), dt.datetime(2023, 3, 5))
    assert row[1] == 12 and isinstance(row[1], int | float)
    assert row[2] == "１２０"


def test_uppercase_suffix_is_accepted():
    data = tb.book_bytes("a.xlsx", [tb.Sheet("S", [HEADER])])
    assert workbook.read(data, "台账.XLSX")[0].rows[0] == HEADER


def test_empty_sheet_reads_as_no_rows_or_blank_rows():
    data = tb.book_bytes("e.xlsx", [tb.Sheet("空", []), tb.Sheet("S", [HEADER])])
    grids = workbook.read(data, "e.xlsx")
    assert grids[0].name == "空"
    assert all(v in ("", None) for row in grids[0].rows for v in row)


# --- CSV --------------------------------------------------------------------------------------


def _csv_text(delimiter: str = ",") -> str:
    return (
        "\r\n".join(
            delimiter.join(f'"{v}"' if delimiter in v else v for v in row)
            for row in [HEADER, *ROWS]
        )
        + "\r\n"
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_encodings(encoding):
    grids = workbook.read(_csv_text().encode(encoding), "丰州镇台账.csv")
    assert len(grids) == 1
    assert grids[0].name == "丰州镇台账"
    assert _values(grids[0]) == [HEADER, *ROWS]


def test_csv_gb18030_only_characters():
    text = "日期,乡镇,类别,数量,备注\r\n2023-03-05,丰州镇,街面巡查,2,𠮷村\r\n"
    grids = workbook.read(text.encode("gb18030"), "a.csv")
    assert grids[0].rows[1][4] == "𠮷村"


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_csv_delimiters(delimiter):
    grids = workbook.read(_csv_text(delimiter).encode("utf-8"), "a.csv")
    assert _values(grids[0]) == [HEADER, *ROWS]


def test_csv_with_title_row_and_ragged_rows():
    text = (
        "武乡县丰州镇2023年3月台账\n日期,乡镇,类别,数量\n2023-03-05,丰州镇,街面巡查,2\n\n合计,,,2\n"
    )
    rows = _values(workbook.read(text.encode("utf-8"), "a.csv")[0])
    assert rows[0] == ["武乡县丰州镇2023年3月台账"]
    assert rows[1] == HEADER
    assert rows[-1] == ["合计", "", "", "2"]


def test_csv_quoted_thousands_separator_stays_one_cell():
    text = '日期,类别,数量\n2023-03-05,发放宣传资料,"1,200"\n2023-03-06,发放宣传资料,"2,400"\n'
    rows = workbook.read(text.encode("utf-8"), "a.csv")[0].rows
    assert rows[1] == ["2023-03-05", "发放宣传资料", "1,200"]


# --- unreadable files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("a.pdf", b"%PDF-1.4", "不支持的文件类型“.pdf”"),
        ("a.docx", b"PK\x03\x04", "不支持的文件类型“.docx”"),
        ("README", b"text", "不支持的文件类型“无扩展名”"),
        ("a.xlsx", b"", "文件是空的"),
        ("a.csv", b"", "文件是空的"),
        ("a.xlsx", "日期,数量\n".encode(), "不是有效的 Excel 文件"),
        ("a.xls", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "不是有效的 Excel 文件"),
        ("a.csv", "Café,Noël\n".encode("cp1252"), "无法识别文件编码"),
        ("a.csv", b"a,b\n\x00\x01,2\n", "二进制"),
    ],
)
def test_unreadable_files_raise_read_error(name, data, fragment):
    with pytest.raises(workbook.ReadError) as caught:
        workbook.read(data, name)
    problems = caught.value.problems
    assert len(problems) == 1
    assert fragment in problems[0].message
    assert problems[0].file == name and problems[0].level == "error"
    assert str(caught.value) == problems[0].message


def test_truncated_xlsx_raises_read_error():
    data = tb.book_bytes("a.xlsx", [tb.Sheet("S", [HEADER, *ROWS])])
    with pytest.raises(workbook.ReadError) as caught:
        workbook.read(data[: len(data) // 2], "a.xlsx")
    assert "损坏" in caught.value.problems[0].message


def test_supported_suffixes():
    assert {".xlsx", ".xlsm", ".xls", ".csv"} <= workbook.SUFFIXES
    assert ".csv" not in workbook.EXCEL_SUFFIXES


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"])
def test_csv_line_endings_read_the_same(ending):
    # Old Mac files end lines with CR alone; the csv module once raised on them.
    text = ending.join(",".join(row) for row in [HEADER, *ROWS]).replace("1,200", '"1,200"')
    grid = workbook.read(text.encode("utf-8"), "a.csv")[0]
    assert _values(grid) == [HEADER, *ROWS]


def test_csv_line_break_inside_a_quoted_field_stays_in_the_cell():
    text = '日期,类别,备注\r2023-03-05,街面巡查,"第一行\r第二行"\r'
    rows = workbook.read(text.encode("utf-8"), "a.csv")[0].rows
    assert rows[1] == ["2023-03-05", "街面巡查", "第一行\r第二行"]


def test_csv_reader_error_is_a_chinese_refusal():
    text = '日期,备注\n2023-03-05,"' + "长" * 200_000 + '"\n'
    with pytest.raises(workbook.ReadError) as caught:
        workbook.read(text.encode("utf-8"), "a.csv")
    assert caught.value.problems[0].message.startswith("CSV 文件格式有误")


def test_a_calamine_panic_is_a_chinese_refusal():
    from tests.data import build_bad as bb

    data = bb._MAKERS["xls_reader_panic.xls"]()
    with pytest.raises(workbook.ReadError) as caught:
        workbook.read(data, "a.xls")
    [problem] = caught.value.problems
    assert problem.message.startswith("文件已损坏或不是有效的 Excel 文件")
    assert "panic" not in problem.message and "range" not in problem.message


def test_is_panic_knows_pyo3_panics_only():
    panic = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})
    assert workbook.is_panic(panic("boom"))
    assert not workbook.is_panic(KeyboardInterrupt())
    assert not workbook.is_panic(type("PanicException", (BaseException,), {})("elsewhere"))


def test_keyboard_interrupt_inside_the_reader_is_not_swallowed(monkeypatch):
    def interrupted(_file):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbook.pc.CalamineWorkbook, "from_filelike", interrupted)
    data = tb.book_bytes("a.xlsx", [tb.Sheet("S", [HEADER, *ROWS])])
    with pytest.raises(KeyboardInterrupt):
        workbook.read(data, "a.xlsx")


def test_reader_english_goes_to_the_log_not_the_message(caplog):
    data = tb.book_bytes("a.xlsx", [tb.Sheet("S", [HEADER, *ROWS])])
    with caplog.at_level("INFO", logger="minzheng"), pytest.raises(workbook.ReadError) as caught:
        workbook.read(data[: len(data) // 2], "a.xlsx")
    message = caught.value.problems[0].message
    assert "（" not in message.split("；")[0]  # no library reason in brackets
    assert caplog.records, "the reader's own reason is logged"


def test_excel_95_and_older_are_named_as_such():
    from tests.data import build_bad as bb

    with pytest.raises(workbook.ReadError) as caught:
        workbook.read(bb._MAKERS["excel4_worksheet.xls"](), "old.xls")
    assert "Excel 97 之前的旧格式" in caught.value.problems[0].message
