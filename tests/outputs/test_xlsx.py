"""Tests of minzheng.outputs.xlsx: formatted Excel tables that never run a formula."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from minzheng.outputs import xlsx


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("丰州镇", "丰州镇"),
        ("a=b", "a=b"),
    ],
)
def test_safe_text(raw, safe):
    assert xlsx.safe_text(raw) == safe


def test_table_to_xlsx_reads_back_with_no_formulas():
    table = pd.DataFrame(
        {
            "乡镇": ["丰州镇", '=HYPERLINK("http://x")'],
            "完成数": [12.0, 3.0],
            "完成率": [0.5, None],
            "日期": [dt.date(2024, 1, 2), dt.date(2024, 2, 3)],
        }
    )
    content = xlsx.table_to_xlsx(table, "街面巡查 2024年", note="截至 2024-11-30")
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "街面巡查 2024年" and values[1][0] == "截至 2024-11-30"
    assert values[2] == ["乡镇", "完成数", "完成率", "日期"]
    assert values[3][:3] == ["丰州镇", 12, 0.5]
    assert values[4][0].startswith("'=")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet.freeze_panes == "A4"
    assert sheet["C4"].number_format == "0.0%"
