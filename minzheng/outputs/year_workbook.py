"""The year's workbook for documents and printing (`export` command and the 总览 download).

Sheets: progress of every indicator × unit (the `progress` numbers), a completion matrix in the
dashboard's status colours, the monthly table, the reporting-completeness grid and the plan.
Every sheet has a title, units in the headers, percentages as percentages, a frozen header and
an A4 landscape, fit-to-width page setup. Text is always written as text (never a formula).
"""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd
import xlsxwriter

from minzheng import formatting
from minzheng.measures import actuals, plan, progress, submissions
from minzheng.outputs.xlsx import safe_text

MONTHS = [f"{m}月" for m in range(1, 13)]
SHEETS = ("进度总表", "完成率矩阵", "月度完成", "上报情况", "年度计划")
FONT = "宋体"


class _Styles:
    """The workbook's cell formats, made once."""

    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        cell = {**base, "border": 1, "border_color": "#9aa3ad"}
        self.title = book.add_format({**base, "bold": True, "font_size": 15})
        self.note = book.add_format({**base, "font_color": "#57606a"})
        self.head = book.add_format(
            {**cell, "bold": True, "bg_color": "#dde4ee", "text_wrap": True, "align": "center"}
        )
        self.text = book.add_format(cell)
        self.bold = book.add_format({**cell, "bold": True})
        self.number = book.add_format({**cell, "num_format": "#,##0.##"})
        self.bold_number = book.add_format({**cell, "bold": True, "num_format": "#,##0.##"})
        self.percent = book.add_format({**cell, "num_format": "0.0%"})
        self.points = book.add_format({**cell, "num_format": "+0.0%;-0.0%;0.0%"})
        self.empty = book.add_format({**cell, "align": "center", "font_color": "#8c959f"})
        self.status = {
            s: book.add_format(
                {**cell, "bold": True, "align": "center", "font_color": "#ffffff", "bg_color": c}
            )
            for s, c in {**formatting.STATUS_COLORS, **formatting.REPORT_COLORS}.items()
        }
        self.status_percent = {
            s: book.add_format(
                {
                    **cell,
                    "align": "center",
                    "font_color": "#ffffff",
                    "bg_color": c,
                    "num_format": "0.0%",
                }
            )
            for s, c in formatting.STATUS_COLORS.items()
        }
        # 未到期 is a pale grey: dark text reads better on it.
        self.status["未到期"] = book.add_format(
            {**cell, "align": "center", "bg_color": formatting.REPORT_COLORS["未到期"]}
        )


def _value(ws, r: int, c: int, value, fmt) -> None:
    """Numbers as numbers, text always as (formula-safe) text, missing as an empty cell."""
    if formatting.missing(value):
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, float(value), fmt)
    else:
        ws.write_string(r, c, safe_text(str(value)), fmt)


def _sheet(book, styles, name: str, title: str, note: str, header: list[str], widths):
    """A sheet with its title, note and header; returns (worksheet, first data row)."""
    ws = book.add_worksheet(name)
    ws.write_string(0, 0, safe_text(title), styles.title)
    ws.write_string(1, 0, safe_text(note), styles.note)
    for c, label in enumerate(header):
        ws.write_string(2, c, safe_text(label), styles.head)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.set_row(2, 30)
    ws.freeze_panes(3, 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.repeat_rows(2)
    ws.center_horizontally()
    ws.set_footer(f"&C{name}　第 &P 页，共 &N 页")
    return ws, 3


def _progress_sheet(book, styles, table: pd.DataFrame, title: str, note: str) -> None:
    header = [
        "指标",
        "计量单位",
        "乡镇（单位）",
        "完成数",
        "年度目标",
        "完成率",
        "序时进度",
        "完成率减序时进度",
        "状态",
        "预计全年",
    ]
    ws, r = _sheet(
        book, styles, SHEETS[0], title, note, header, [22, 8, 14, 11, 11, 9, 9, 11, 8, 11]
    )
    for row in table.itertuples(index=False):
        county = bool(row.is_county)
        text = styles.bold if county else styles.text
        num = styles.bold_number if county else styles.number
        _value(ws, r, 0, row.indicator_name, text)
        _value(ws, r, 1, row.unit_label, text)
        _value(ws, r, 2, row.township, text)
        _value(ws, r, 3, row.actual, num)
        _value(ws, r, 4, row.target, num)
        _value(ws, r, 5, row.completion, styles.percent)
        _value(ws, r, 6, row.time_progress, styles.percent)
        _value(ws, r, 7, row.gap, styles.points)
        _value(ws, r, 8, row.status, styles.status.get(row.status, styles.text))
        _value(ws, r, 9, None if formatting.missing(row.projected) else round(row.projected), num)
        r += 1
    ws.autofilter(2, 0, r - 1, len(header) - 1)


def _matrix_sheet(book, styles, table: pd.DataFrame, title: str, note: str) -> None:
    ind = table.drop_duplicates("indicator")[["indicator", "indicator_name", "unit_label"]]
    header = ["乡镇（单位）"] + [
        f"{n}（{u}）" for n, u in zip(ind.indicator_name, ind.unit_label, strict=True)
    ]
    ws, r = _sheet(book, styles, SHEETS[1], title, note, header, [14] + [11] * len(ind))
    ws.set_row(2, 45)
    cells = {(row.township, row.indicator): row for row in table.itertuples(index=False)}
    towns = list(dict.fromkeys(table.loc[~table["is_county"], "township"])) + ["全县"]
    for town in towns:
        _value(ws, r, 0, town, styles.bold if town == "全县" else styles.text)
        for c, key in enumerate(ind.indicator, start=1):
            row = cells.get((town, key))
            if row is None:
                ws.write_string(r, c, "—", styles.empty)
            elif formatting.missing(row.completion):
                ws.write_string(r, c, "无计划", styles.status["无计划"])
            else:
                ws.write_number(r, c, float(row.completion), styles.status_percent[row.status])
        r += 1
    r += 1
    ws.write_string(r, 0, "颜色：", styles.note)
    for c, status in enumerate(formatting.STATUS_COLORS, start=1):
        ws.write_string(r, c, status, styles.status[status])


def _monthly_sheet(book, styles, monthly: pd.DataFrame, title: str, note: str) -> None:
    header = ["指标", "计量单位", "乡镇（单位）", *MONTHS, "合计"]
    ws, r = _sheet(book, styles, SHEETS[2], title, note, header, [22, 8, 14] + [7] * 12 + [9])
    ws.freeze_panes(3, 3)
    for _key, group in monthly.groupby("indicator", sort=False):
        first = group.iloc[0]
        wide = group.pivot_table(index="township", columns="month", values="actual", aggfunc="sum")
        order = list(dict.fromkeys(group["township"]))
        county = group.groupby("month")["actual"].sum()
        rows = [(t, wide.loc[t], False) for t in order] + [("全县", county, True)]
        for town, values, is_total in rows:
            text = styles.bold if is_total else styles.text
            num = styles.bold_number if is_total else styles.number
            _value(ws, r, 0, first.indicator_name, text)
            _value(ws, r, 1, first.unit_label, text)
            _value(ws, r, 2, town, text)
            total = 0.0
            for m in range(1, 13):
                v = values.get(m)
                v = None if formatting.missing(v) else float(v)
                _value(ws, r, 2 + m, v, num)
                total += v or 0.0
            _value(ws, r, 15, total, num)
            r += 1


def _reporting_sheet(
    book, styles, grid: pd.DataFrame, last_month: int, title: str, note: str
) -> None:
    """Townships × months; months after the as-of month show “—” and are not counted."""
    header = ["乡镇", *MONTHS, "已报", "迟报", "未报"]
    ws, r = _sheet(book, styles, SHEETS[3], title, note, header, [12] + [7] * 12 + [6, 6, 6])
    grid = grid[grid["month"] <= last_month]
    for town, group in grid.groupby("township", sort=False):
        _value(ws, r, 0, town, styles.text)
        by_month = group.set_index("month")["status"]
        for m in range(1, 13):
            status = by_month.get(m, "—")
            _value(ws, r, m, status, styles.status.get(status, styles.empty))
        for c, status in enumerate(("已报", "迟报", "未报"), start=13):
            _value(ws, r, c, int((group["status"] == status).sum()), styles.number)
        r += 1


def _plan_sheet(book, styles, targets: pd.DataFrame, title: str, note: str) -> None:
    if targets.empty:
        ws, r = _sheet(book, styles, SHEETS[4], title, note, ["乡镇（单位）"], [14])
        ws.write_string(r, 0, "本年度还没有年度计划。", styles.note)
        return
    ind = targets.drop_duplicates("indicator")[["indicator", "indicator_name", "unit_label"]]
    header = ["乡镇（单位）"] + [
        f"{n}（{u}）" for n, u in zip(ind.indicator_name, ind.unit_label, strict=True)
    ]
    ws, r = _sheet(book, styles, SHEETS[4], title, note, header, [14] + [11] * len(ind))
    ws.set_row(2, 45)
    cells = {(row.township, row.indicator): row.target for row in targets.itertuples(index=False)}
    towns = [t for t in dict.fromkeys(targets["township"]) if t != "全县"]
    for town in towns:
        _value(ws, r, 0, town, styles.text)
        for c, key in enumerate(ind.indicator, start=1):
            _value(ws, r, c, cells.get((town, key)), styles.number)
        r += 1
    _value(ws, r, 0, "全县", styles.bold)
    for c, key in enumerate(ind.indicator, start=1):
        given = cells.get(("全县", key))
        total = (
            given
            if given is not None
            else sum(v for (t, k), v in cells.items() if k == key and t != "全县")
        )
        _value(ws, r, c, total, styles.bold_number)


def build(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The year's workbook as .xlsx bytes (as_of defaults as `progress` does; `today` decides
    which reports are overdue and defaults to the real today)."""
    as_of = as_of or progress.default_as_of(cur, year)
    today = today or dt.date.today()
    table = progress.progress(cur, year, as_of)
    monthly = actuals.monthly(cur, year)
    monthly = monthly[monthly["month"] <= as_of.month]
    grid = submissions.grid(cur, year, today)
    targets = plan.targets(cur, year)
    stamp = f"截至 {as_of.isoformat()}"
    made = f"导出时间 {dt.datetime.now():%Y-%m-%d %H:%M}；数据来源：各乡镇报送台账"

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"title": f"武乡县民政工作进度 {year}年", "author": "武乡县民政局"})
    styles = _Styles(book)
    _progress_sheet(
        book,
        styles,
        table,
        f"武乡县民政工作进度表（{year}年，{stamp}）",
        f"完成率＝完成数÷年度目标；序时进度按{as_of.month}月{as_of.day}日计；全县行为合计。{made}",
    )
    _matrix_sheet(
        book,
        styles,
        table,
        f"各乡镇完成率（{year}年，{stamp}）",
        "格内为完成率；绿色＝超前，黄色＝正常，红色＝滞后，灰色＝无计划，“—”为无数据无计划。",
    )
    _monthly_sheet(
        book,
        styles,
        monthly,
        f"各指标分月完成情况（{year}年1—{as_of.month}月）",
        "单位见“计量单位”列；空格表示当月无数据。",
    )
    _reporting_sheet(
        book,
        styles,
        grid,
        as_of.month,
        f"各乡镇台账报送情况（{year}年1—{as_of.month}月，统计于 {today.isoformat()}）",
        "已报＝按期报送，迟报＝超过报送期限，未报＝已到期未报送，未到期＝报送期限未到。",
    )
    _plan_sheet(
        book,
        styles,
        targets,
        f"{year}年度计划（各乡镇目标）",
        "全县行：计划给出全县目标时为该目标，否则为各乡镇目标之和。",
    )
    book.close()
    return buffer.getvalue()


def file_name(year: int, as_of: dt.date) -> str:
    """The suggested file name of the export."""
    return f"武乡县民政工作进度{year}年（截至{as_of.isoformat()}）.xlsx"
