"""Tests of minzheng.outputs.year_workbook: the year's workbook read back with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from minzheng import cli, formatting
from minzheng.measures import actuals, plan, progress, submissions
from minzheng.outputs import year_workbook
from minzheng.store import reference

AS_OF = dt.date(2024, 9, 30)
TODAY = dt.date(2024, 10, 20)


def _cli_progress(capsys, db_file, year, as_of) -> list[dict]:
    assert (
        cli.main(["progress", "--db", str(db_file), "--year", str(year), "--as-of", str(as_of)])
        == 0
    )
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


@pytest.fixture
def demo_export(demo_con):
    data = year_workbook.build(demo_con, 2024, AS_OF, today=TODAY)
    return openpyxl.load_workbook(io.BytesIO(data)), demo_con


def _rows(ws, first=4):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True) if any(r)]


def test_sheets_and_print_setup(demo_export):
    book, _ = demo_export
    assert book.sheetnames == list(year_workbook.SHEETS)
    for ws in book:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.freeze_panes and ws.freeze_panes[1:] == "4", ws.title
        assert ws.print_title_rows == "$3:$3"
        assert ws["A1"].value and ws["A1"].font.b, ws.title
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)


def test_progress_sheet_equals_the_progress_command(demo_export, capsys, tmp_path):
    book, con = demo_export
    names = {k: i.name for k, i in reference.load(con).indicators.items()}
    con.close()  # the command opens the same file (demo_con's copy)
    expected = _cli_progress(capsys, tmp_path / "demo.duckdb", 2024, AS_OF)
    ws = book["进度总表"]
    assert [c.value for c in ws[3]][:9] == [
        "指标",
        "计量单位",
        "乡镇（单位）",
        "完成数",
        "年度目标",
        "完成率",
        "序时进度",
        "完成率减序时进度",
        "状态",
    ]
    got = _rows(ws)
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        name, _unit, town, actual, target, completion, time_progress, _gap, status, _proj = row
        assert (name, town, status) == (names[want["indicator"]], want["township"], want["status"])
        assert actual == float(want["actual"])
        assert target == (float(want["target"]) if want["target"] else None)
        assert (f"{completion:.4f}" if completion is not None else "") == want["completion"]
        assert f"{time_progress:.4f}" == want["time_progress"]
    assert ws["F4"].number_format == "0.0%"
    # The status cells carry the dashboard's colours.
    for r, want in enumerate(expected, start=4):
        colour = ws.cell(r, 9).fill.fgColor.rgb[-6:].lower()
        assert "#" + colour == formatting.STATUS_COLORS[want["status"]].lower()


def test_matrix_monthly_reporting_and_plan_sheets(demo_export):
    book, con = demo_export
    monthly = actuals.monthly(con, 2024)
    monthly = monthly[monthly["month"] <= AS_OF.month]
    rows = _rows(book["月度完成"])
    by_key = {(r[0], r[2]): r for r in rows}
    for row in monthly.itertuples(index=False):
        assert by_key[(row.indicator_name, row.township)][2 + row.month] == row.actual
    county = monthly.groupby("indicator_name")["actual"].sum()
    for name, total in county.items():
        assert by_key[(name, "全县")][15] == pytest.approx(total)
    assert all(r[12:15] == [None, None, None] for r in rows)  # Oct–Dec after the as-of month

    grid = submissions.grid(con, 2024, TODAY)
    rep = {r[0]: r for r in _rows(book["上报情况"])}
    for row in grid.itertuples(index=False):
        expected = row.status if row.month <= AS_OF.month else "—"  # after the as-of month
        assert rep[row.township][row.month] == expected
    assert {rep[t][10] for t in rep} == {"—"}
    counted = grid[(grid.township == "丰州镇") & (grid.month <= AS_OF.month)]
    assert rep["丰州镇"][13] == int((counted.status == "已报").sum())

    targets = plan.targets(con, 2024)
    ws = book["年度计划"]
    header = [c.value for c in ws[3]]
    plan_rows = {r[0]: r for r in _rows(ws)}
    for row in targets.itertuples(index=False):
        col = header.index(f"{row.indicator_name}（{row.unit_label}）")
        assert plan_rows[row.township][col] == row.target

    matrix = book["完成率矩阵"]
    header = [c.value for c in matrix[3]]
    cells = {r[0]: r for r in _rows(matrix)}
    table = progress.progress(con, 2024, AS_OF)
    for row in table.itertuples(index=False):
        value = cells[row.township][header.index(f"{row.indicator_name}（{row.unit_label}）")]
        if pd.isna(row.completion):
            assert value == "无计划"
        else:
            assert value == pytest.approx(row.completion)


def test_user_text_is_never_a_formula(empty_db):
    reference.insert_indicator(empty_db, "evil", '=HYPERLINK("http://x","点我")', "场", core=False)
    reference.insert_unit(empty_db, "+丰州", "township", code="")
    table = pd.DataFrame(
        {"township": ["+丰州", "丰州镇"], "indicator": ["evil", "evil"], "target": [5.0, 3.0]}
    )
    plan.set_targets(empty_db, 2024, table)
    book = openpyxl.load_workbook(io.BytesIO(year_workbook.build(empty_db, 2024, AS_OF, TODAY)))
    texts = []
    for ws in book:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.append(c.value)
    assert '\'=HYPERLINK("http://x","点我")' in texts
    assert "'+丰州" in texts
    assert not any(t.startswith(("=", "+", "@")) for t in texts)


def test_cli_export(demo_db_file, tmp_path, capsys):
    import shutil

    db_file = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_file, db_file)
    out = tmp_path / "进度.xlsx"
    argv = ["export", "--db", str(db_file), "--year", "2024", "--as-of", "2024-06-30"]
    assert cli.main([*argv, "--out", str(out)]) == 0
    assert "已导出" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(year_workbook.SHEETS)
    assert book["进度总表"]["A1"].value == "武乡县民政工作进度表（2024年，截至 2024-06-30）"
    rows = list(book["月度完成"].iter_rows(min_row=4, values_only=True))
    assert rows and all(r[9:15] == (None,) * 6 for r in rows)  # July–December: after the as-of
    assert any(isinstance(r[8], float | int) for r in rows if r[2] == "全县")  # June is there
