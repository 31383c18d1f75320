"""Tests of minzheng.intake.redact: the kept copy of a file never holds personal data in clear."""

import io

import openpyxl
import python_calamine as pc

from minzheng.intake import redact
from minzheng.intake.workbook import Grid

ROWS = [
    ["洪水镇2023年5月走访留守儿童台账", "", "", "", ""],
    ["姓名", "身份证号码", "联系电话", "家庭住址", "走访日期"],
    ["王小明", "14042920150101123X", "13812345678", "洪水镇东村3号", "2023-05-06"],
    ["李红", 140429201601021234.0, 15912345678.0, "洪水镇西村", "2023-05-07"],
]


def _cells(content: bytes) -> list[str]:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [
        str(v)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for v in row
    ]


def test_personal_columns_are_replaced_or_masked():
    grid = Grid("走访台账", [list(r) for r in ROWS])
    name, content, redacted = redact.redacted_copy(
        b"orig", "a.xlsx", [grid], {"走访台账": {0, 1, 2, 3}}, {"走访台账": 1}
    )
    assert redacted and name.endswith("（已脱敏）.xlsx")
    cells = _cells(content)
    joined = "\n".join(cells)
    for secret in (
        "王小明",
        "李红",
        "14042920150101123X",
        "13812345678",
        "东村3号",
        "1404292016",
        "15912345678",
    ):
        assert secret not in joined
    assert "王*明" in cells and "李*" in cells
    assert "姓名" in cells and "身份证号码" in cells, "header kept"
    assert "2023-05-06" in cells, "other columns kept"


def test_numbers_in_free_text_are_scrubbed():
    grid = Grid(
        "台账",
        [["日期", "类别", "数量", "备注"], ["2023-05-06", "巡查", 3, "联系人电话13812345678"]],
    )
    _name, content, redacted = redact.redacted_copy(b"orig", "a.xlsx", [grid], {}, {"台账": 0})
    assert redacted and "13812345678" not in "\n".join(_cells(content))


def test_clean_file_is_rewritten_as_values_and_labelled_so():
    grid = Grid(
        "台账",
        [
            ["日期", "类别", "数量", "备注"],
            ["2023-05-06", "巡查", 3, '=HYPERLINK("http://x","点击")'],
        ],
    )
    name, content, redacted = redact.redacted_copy(
        b"original bytes", "a.xlsx", [grid], {}, {"台账": 0}, sensitive=False
    )
    assert not redacted and name == "a（仅数值副本）.xlsx"
    assert content != b"original bytes" and content[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    note = sheet.cell(2, 4)
    assert note.data_type == "s" and note.value.startswith("=HYPERLINK"), "text, not a formula"
    assert sheet.cell(2, 3).value == 3


def test_free_text_names_and_addresses_are_masked():
    grid = Grid(
        "走访",
        [
            ["姓名", "走访内容"],
            ["周子轩", "到周子轩家（武乡县丰州镇城关村2号）走访，监护人周建国在家"],
            ["李华", "李华、王芳两名儿童由奶奶照看，电话13812345678"],
        ],
    )
    name, content, redacted = redact.redacted_copy(
        b"", "b.xlsx", [grid], {"走访": {0}}, {"走访": 0}
    )
    joined = "\n".join(_cells(content))
    assert redacted and name == "b（已脱敏）.xlsx"
    for secret in ("周子轩", "城关村2号", "周建国", "李华", "王芳", "13812345678"):
        assert secret not in joined
    assert "周*轩" in joined and "[地址已脱敏]" in joined
