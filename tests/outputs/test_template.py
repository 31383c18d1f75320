"""Tests of minzheng.outputs.template: the township form reads back through the normal import path."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from minzheng import cli
from minzheng.errors import NotFoundError
from minzheng.intake import ingest
from minzheng.measures import actuals
from minzheng.outputs import template
from minzheng.store import reference
from tests.helpers import TODAY


def _book(con, township="丰州", year=2024):
    return openpyxl.load_workbook(io.BytesIO(template.build(con, township, year)))


def test_template_layout_header_validation_and_protection(empty_db):
    book = _book(empty_db)
    assert book.sheetnames == [template.LEDGER_SHEET, template.GUIDE_SHEET]
    ws = book[template.LEDGER_SHEET]
    assert ws["A1"].value == "武乡县丰州镇2024年民政工作台账"
    assert "丰州镇" in ws["A2"].value
    header_row = template.HEADER_ROW + 1
    assert [c.value for c in ws[header_row]][: len(template.HEADER)] == list(template.HEADER)
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.protection.sheet
    assert ws["C3"].protection.locked  # header locked
    assert not ws[f"C{header_row + 2}"].protection.locked  # data rows editable
    assert not ws.column_dimensions["C"].protection.locked  # also below the prepared rows
    assert ws[f"A{header_row + 1}"].value == "示例"

    rules = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert rules["B"].type == "date"
    assert rules["D"].type == "whole" and rules["D"].operator == "greaterThanOrEqual"
    guide = book[template.GUIDE_SHEET]
    ref = reference.load(empty_db)

    def listed(rule):
        sheet, cells = rule.formula1.split("!")
        assert sheet.strip("'") == template.GUIDE_SHEET
        first, last = cells.replace("$", "").split(":")
        return [row[0].value for row in guide[first:last]]

    assert listed(rules["C"]) == [i.name for i in ref.indicators.values()]
    units = listed(rules["E"])
    assert {i.unit_label for i in ref.indicators.values()} <= set(units)
    assert len(units) == len(set(units))
    low, high = rules["B"].formula1, rules["B"].formula2
    # Excel stores dates as serial numbers: 45292 is 2024-01-01.
    assert (int(low), int(high)) == (45292, 45292 + 365)
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "示例" in text and "下拉" in text and "身份证" in text


def test_unknown_township_is_refused_with_a_hint(empty_db):
    with pytest.raises(NotFoundError, match="丰州镇"):
        template.build(empty_db, "丰洲镇", 2024)


def test_filled_template_round_trips_through_ingest(empty_db, tmp_path):
    """Fill the form by program as a township would, import it, read the indicators back."""
    book = _book(empty_db, "韩北", 2024)
    ws = book[template.LEDGER_SHEET]
    rows = [
        (dt.date(2024, 1, 8), "走访慰问留守困境儿童", 14, "人次", "韩北村"),
        (dt.date(2024, 1, 20), "街面巡查", 3, "次", "镇区"),
        (dt.date(2024, 2, 2), "发放宣传资料", 250, "份", ""),
        (dt.date(2024, 2, 15), "走访慰问留守困境儿童", 9, "人次", ""),
        (dt.date(2024, 3, 1), "法治讲座", 1, "场", "=cmd|' /C calc'!A0"),
    ]
    first = template.HEADER_ROW + 3  # 1-based row after the example row
    for i, (day, category, qty, unit, place) in enumerate(rows):
        r = first + i
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, day)
        ws.cell(r, 3, category)
        ws.cell(r, 4, qty)
        ws.cell(r, 5, unit)
        ws.cell(r, 6, place or None)
    path = tmp_path / "韩北镇2024年1-3月台账.xlsx"
    book.save(path)

    result = ingest.ingest_file(empty_db, path, today=TODAY)
    assert result.status == ingest.LOADED, result.line()
    assert result.rows == len(rows)  # the 示例 row and the 填表说明 sheet were skipped
    table = actuals.monthly(empty_db, 2024)
    got = {(r.indicator, r.township, r.month): r.actual for r in table.itertuples(index=False)}
    assert got == {
        ("children_visited", "韩北镇", 1): 14.0,
        ("children_visited", "韩北镇", 2): 9.0,
        ("patrols_run", "韩北镇", 1): 3.0,
        ("leaflets_distributed", "韩北镇", 2): 250.0,
        ("lectures_held", "韩北镇", 3): 1.0,
    }


def test_template_for_a_new_indicator_lists_it(empty_db):
    reference.insert_indicator(empty_db, "elderly_visited", "走访慰问老年人", "人次", core=False)
    ws = _book(empty_db)[template.GUIDE_SHEET]
    assert "走访慰问老年人" in [c.value for c in ws["A"]]


def test_cli_template(tmp_path, capsys):
    out = tmp_path / "丰州镇模板.xlsx"
    db_file = tmp_path / "t.duckdb"
    code = cli.main(
        [
            "template",
            "--db",
            str(db_file),
            "--township",
            "丰州",
            "--year",
            "2025",
            "--out",
            str(out),
        ]
    )
    assert code == 0 and "已生成填报模板" in capsys.readouterr().out
    assert openpyxl.load_workbook(out)[template.LEDGER_SHEET]["A1"].value == (
        "武乡县丰州镇2025年民政工作台账"
    )
    code = cli.main(
        [
            "template",
            "--db",
            str(db_file),
            "--township",
            "火星镇",
            "--year",
            "2025",
            "--out",
            str(out),
        ]
    )
    assert code == 1 and "没有名为“火星镇”的乡镇或单位" in capsys.readouterr().err
