"""Excel files the product writes: formatted, and safe against formula injection."""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import xlsxwriter

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that Excel will never run as a formula: a leading = + - @ is escaped with a quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def table_to_xlsx(table: pd.DataFrame, title: str, sheet: str = "数据", note: str = "") -> bytes:
    """One table as an .xlsx: title row, optional note, bold frozen header, sized columns."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#eaeef2", "border": 1, "text_wrap": True})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    pct_fmt = book.add_format({"num_format": "0.0%"})
    ws.write_string(0, 0, safe_text(title), bold)
    first = 1
    if note:
        ws.write_string(1, 0, safe_text(note))
        first = 2
    for c, name in enumerate(table.columns):
        ws.write_string(first, c, safe_text(str(name)), head)
        width = max([len(str(name)) * 2] + [len(str(v)) * 1.6 for v in table.iloc[:200, c]] + [8])
        ws.set_column(c, c, min(width, 40))
    for r, row in enumerate(table.itertuples(index=False), start=first + 1):
        for c, value in enumerate(row):
            name = str(table.columns[c])
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
                continue
            if isinstance(value, bool):
                ws.write_string(r, c, "是" if value else "否")
            elif isinstance(value, int | float):
                if "率" in name or "进度" in name or "占比" in name:
                    ws.write_number(r, c, value, pct_fmt)
                else:
                    ws.write_number(r, c, value)
            elif isinstance(value, dt.datetime | dt.date | pd.Timestamp):
                stamp = pd.Timestamp(value).to_pydatetime()
                ws.write_datetime(r, c, stamp, date_fmt)
            else:
                ws.write_string(r, c, safe_text(str(value)))
    ws.freeze_panes(first + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()


def audit_log_to_xlsx(shown: pd.DataFrame, note: str = "") -> bytes:
    """The entries shown (as from `audit.table`) as an Excel file, safe against formula injection."""
    out = shown.copy()
    # the export's date format would drop the time of day, which matters here
    out["时间"] = pd.to_datetime(out["时间"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    return table_to_xlsx(out, "审计日志", sheet="审计日志", note=note)
