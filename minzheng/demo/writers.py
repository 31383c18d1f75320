"""Writers of a book to .xlsx/.xlsm (openpyxl, fixed zip timestamps), .xls (xlwt) and .csv."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import xlwt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from minzheng.demo.sheets import _Book, _Sheet
from minzheng.demo.units import _DOC_TIME, _ZIP_TIME

_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _write_xlsx(book: _Book, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sh in book.sheets:
        ws = wb.create_sheet(sh.name)
        for r, row in enumerate(sh.rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, date):
                    cell.number_format = sh.date_format
                elif isinstance(value, str) and value.isdigit() and len(value) >= 11:
                    cell.number_format = "@"  # ID and phone numbers typed as text
                if r - 1 in sh.bold:
                    cell.font = bold
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
            ws.cell(r1 + 1, c1 + 1).alignment = Alignment(horizontal="center", vertical="center")
        for c, w in enumerate(sh.widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = w
    props = wb.properties
    props.creator = props.lastModifiedBy = "Administrator"
    props.created = props.modified = _DOC_TIME
    _save_openpyxl(wb, path, macro=path.suffix == ".xlsm")


def _save_openpyxl(wb: Workbook, path: Path, macro: bool) -> None:
    """Save without the timestamps openpyxl and zipfile would embed (byte-identical output)."""
    buf = io.BytesIO()
    ExcelWriter(wb, ZipFile(buf, "w", ZIP_DEFLATED)).save()
    with ZipFile(io.BytesIO(buf.getvalue())) as src, ZipFile(path, "w", ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if macro and info.filename == "[Content_Types].xml":
                data = data.replace(
                    _XLSX_MAIN, _XLSM_MAIN
                )  # a macro-enabled workbook without macros
            entry = ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, data)


def _write_xls(book: _Book, path: Path) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    for sh in book.sheets:
        _write_xls_sheet(wb.add_sheet(sh.name), sh)
    wb.save(str(path))


def _write_xls_sheet(ws: xlwt.Worksheet, sh: _Sheet) -> None:
    plain = xlwt.easyxf("")
    bold = xlwt.easyxf("font: bold on; align: horiz center, vert center")
    dated = xlwt.easyxf("", num_format_str=sh.date_format)

    def style(r: int, value: Any) -> xlwt.XFStyle:
        return dated if isinstance(value, date) else bold if r in sh.bold else plain

    covered = {
        (r, c) for r1, c1, r2, c2 in sh.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    }
    for r1, c1, r2, c2 in sh.merges:
        value = sh.rows[r1][c1] if c1 < len(sh.rows[r1]) else None
        ws.write_merge(r1, r2, c1, c2, "" if value is None else value, style(r1, value))
    for r, row in enumerate(sh.rows):
        for c, value in enumerate(row):
            if value is not None and (r, c) not in covered:
                ws.write(r, c, value, style(r, value))
    for c, w in enumerate(sh.widths):
        ws.col(c).width = 256 * w


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}/{value.month}/{value.day}"  # as Excel on Chinese Windows saves a date
    return str(value)


def _write_csv(book: _Book, path: Path) -> None:
    (sheet,) = book.sheets
    # A merged title only keeps its text in the first cell; a vertical merge would leave blanks
    # meaning "same as above", which a CSV must not have.
    assert all(r1 == r2 for r1, _, r2, _ in sheet.merges), "CSV has no vertical merges"
    width = max(len(r) for r in sheet.rows)
    with path.open("w", encoding=book.encoding, newline="") as fh:
        writer = csv.writer(fh)  # Excel dialect: CRLF line ends
        for row in sheet.rows:
            writer.writerow([_csv_text(v) for v in row] + [""] * (width - len(row)))


_WRITERS = {".xlsx": _write_xlsx, ".xlsm": _write_xlsx, ".xls": _write_xls, ".csv": _write_csv}
