"""Tests of minzheng.intake.values_xlsx: the kept copy's own .xlsx writer reads back as written."""

import datetime as dt
import io
import zipfile

import openpyxl
import python_calamine as pc

from minzheng.intake import redact, values_xlsx
from minzheng.intake.workbook import Grid

TRICKY = [
    ["文本", "数字", "日期", "其他"],
    ["a & b <c> \"d\" 'e'", 3, dt.date(2023, 5, 6), True],
    ["  前后空格  ", 3.0, dt.datetime(2023, 5, 6, 14, 30), False],
    ["控制\x01字符\x1f", 1, dt.date(1900, 1, 15), 0],
    ["_x0041_ 字面", 1.0, dt.date(1900, 3, 1), 0.0],
    ["多行\n文本", 2.5, "", None],
    ["=SUM(A1:A2)", -7, dt.date(2023, 12, 31), 1e300],
]


def _copy(grids: list[Grid]) -> bytes:
    return redact.redacted_copy(b"", "a.xlsx", grids, {}, {})[1]


def _calamine(content: bytes) -> dict[str, list[list]]:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_values_read_back_as_written():
    (rows,) = _calamine(_copy([Grid("台账", [list(r) for r in TRICKY])])).values()
    assert rows[1] == ["a & b <c> \"d\" 'e'", 3.0, dt.date(2023, 5, 6), "True"]
    assert rows[2] == ["  前后空格  ", 3.0, dt.datetime(2023, 5, 6, 14, 30), "False"]
    assert rows[3][:3] == ["控制\x01字符\x1f", 1.0, dt.date(1900, 1, 15)]
    assert rows[3][3] == 0.0
    assert rows[4][:3] == ["_x0041_ 字面", 1.0, dt.date(1900, 3, 1)]
    assert rows[5][:3] == ["多行\n文本", 2.5, ""]
    assert rows[6] == ["=SUM(A1:A2)", -7.0, dt.date(2023, 12, 31), 1e300]


def test_openpyxl_reads_the_same_and_finds_no_formula():
    content = _copy([Grid("台账", [list(r) for r in TRICKY])])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.cell(2, 1).value == "a & b <c> \"d\" 'e'"
    assert sheet.cell(2, 3).value == dt.datetime(2023, 5, 6)
    assert sheet.cell(2, 3).number_format == "yyyy\\-mm\\-dd"
    assert sheet.cell(3, 1).value == "  前后空格  "
    assert sheet.cell(7, 1).data_type == "s" and sheet.cell(7, 1).value == "=SUM(A1:A2)"
    assert sheet.cell(7, 2).value == -7
    assert sheet.cell(6, 3).value is None and sheet.cell(6, 4).value is None


def test_booleans_and_numbers_never_share_a_cell():
    rows = [[1], [True], [1.0], [False], [0], [True]]
    (read,) = _calamine(_copy([Grid("s", rows)])).values()
    assert [r[0] for r in read] == [1.0, "True", 1.0, "False", 0.0, "True"]


def test_sheet_names_made_valid_and_unique_ignoring_case():
    grids = [Grid("'Data'", [["a"]]), Grid("data", [["b"]]), Grid("a/b:c*", [["c"]])]
    grids.append(Grid("很长的工作表名称" * 5, [["d"]]))
    names = list(_calamine(_copy(grids)))
    assert names[0] == "Data" and names[1] == "data_2" and names[2] == "a_b_c_"
    assert len(names[3]) == 31


def test_package_holds_values_only():
    content = _copy([Grid("台账", [list(r) for r in TRICKY]), Grid("空表", [])])
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert sorted(z.namelist()) == [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
        ]
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "\x00" not in sheet and "\x01" not in sheet
    assert _calamine(content)["空表"] == []


def test_no_sheet_gives_an_empty_workbook():
    assert list(_calamine(_copy([]))) == ["Sheet1"]


def test_column_names():
    assert [values_xlsx.col_letter(i) for i in (0, 25, 26, 51, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "ZZ",
        "AAA",
    ]


def test_columns_of_whole_numbers_and_a_phone_number_among_them():
    serials = [[float(n), n, "x"] for n in range(1, 5000)]
    (rows,) = _calamine(_copy([Grid("s", serials)])).values()
    assert rows == [[float(n), float(n), "x"] for n in range(1, 5000)]
    with_phone = [[float(n)] for n in range(1, 50)] + [[13812345678.0], [13812345678]]
    name, content, redacted = redact.redacted_copy(b"", "a.xlsx", [Grid("s", with_phone)], {}, {})
    (rows,) = _calamine(content).values()
    assert redacted and rows[-2:] == [["[已脱敏]"], ["[已脱敏]"]]
    assert rows[:3] == [[1.0], [2.0], [3.0]]
