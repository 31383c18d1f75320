"""HTML tables of the leadership pages: the 红黄绿 matrix and the reporting grid as coloured
cells, the behind and late lists, and `table_html` for any small display table.

Drawn as plain HTML on the normal pages: a page without plotly or a data grid renders in a
fraction of the time in a new browser tab (no 4.6 MB chart bundle to parse), and a table of
coloured cells reads as well as a heatmap. The presentation mode keeps the plotly figures.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable, Mapping

import pandas as pd

from minzheng import formatting
from minzheng.views.style import MONTHS, esc

GRID_CSS = """
<style>
.mz-grid-wrap{overflow-x:auto;max-width:100%}
.mz-grid{border-collapse:separate;border-spacing:3px;font-size:14px;color:#1f2328}
.mz-grid th{font-weight:600;color:#57606a;padding:4px 6px;vertical-align:bottom;line-height:1.25}
.mz-grid thead th{text-align:center;min-width:64px;max-width:96px}
.mz-grid tbody th{text-align:right;vertical-align:middle;white-space:nowrap;position:sticky;left:0;background:#fff;
  color:#1f2328;padding-right:10px}
.mz-grid td{text-align:center;color:#fff;font-weight:600;padding:7px 6px;border-radius:3px;
  white-space:nowrap;font-variant-numeric:tabular-nums;cursor:default}
.mz-grid td.mz-light{color:#1f2328;font-weight:500}
.mz-grid td.mz-none{background:#f6f8fa;color:#8c959f;font-weight:400}
.mz-grid-legend{display:flex;gap:16px;flex-wrap:wrap;font-size:13px;color:#57606a;margin-top:6px}
.mz-grid-legend span::before{content:"";display:inline-block;width:12px;height:12px;
  border-radius:2px;margin-right:5px;vertical-align:-1px;background:var(--c)}
</style>
"""


def _legend_html(colors: Mapping[str, str], order: Iterable[str]) -> str:
    return (
        '<div class="mz-grid-legend">'
        + "".join(f'<span style="--c:{colors[s]}">{esc(s)}</span>' for s in order)
        + "</div>"
    )


def _grid_html(head: list[str], body: list[str], legend: str) -> str:
    cells = "".join(f"<th>{h}</th>" for h in head)
    return (
        f'{GRID_CSS}<div class="mz-grid-wrap"><table class="mz-grid">'
        f"<thead><tr><th></th>{cells}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        f"{legend}"
    )


def status_matrix_html(matrix: pd.DataFrame, indicators: list[tuple[str, str, str]]) -> str:
    """The 红黄绿 matrix (`overview.matrix()`) as an HTML table: townships × indicators, each cell
    in its status colour showing the completion; the cell's tooltip gives actual and target with
    units and the time progress. Every text is escaped."""
    townships = list(dict.fromkeys(matrix["township"]))
    cells = {(r.township, r.indicator): r for r in matrix.itertuples(index=False)}
    body = []
    for township in townships:
        row_html = [f"<th>{esc(township)}</th>"]
        for key, name, unit in indicators:
            row = cells.get((township, key))
            if row is None:
                tip = f"{township} · {name}\n无数据"
                row_html.append(f'<td class="mz-none" title="{esc(tip)}">—</td>')
                continue
            status = row.status if row.status in formatting.STATUS_COLORS else "无计划"
            text = (
                formatting.percent(row.completion, 0)
                if not formatting.missing(row.completion)
                else "—"
            )
            tip = (
                f"{township} · {name}\n状态：{status}"
                f"\n完成：{formatting.number(row.actual, unit)}"
                f"\n目标：{formatting.number(row.target, unit)}"
                f"\n完成率：{formatting.percent(row.completion)}"
                f"\n序时进度：{formatting.percent(row.time_progress)}"
            )
            row_html.append(
                f'<td style="background:{formatting.STATUS_COLORS[status]}" '
                f'title="{esc(tip)}">{esc(text)}</td>'
            )
        body.append(f"<tr>{''.join(row_html)}</tr>")
    head = [esc(name) for _, name, _ in indicators]
    return _grid_html(head, body, _legend_html(formatting.STATUS_COLORS, formatting.STATUS_COLORS))


def reporting_grid_html(grid: pd.DataFrame, year: int) -> str:
    """Townships × months (`reporting.grid()`) as an HTML table: 已报 / 迟报 / 未报 / 未到期 in
    their colours; the tooltip gives the first receipt and the due date."""
    townships = list(dict.fromkeys(grid["township"]))
    cells = {(r["township"], int(r["month"])): r for r in grid.to_dict("records")}
    body = []
    for township in townships:
        row_html = [f"<th>{esc(township)}</th>"]
        for month in range(1, 13):
            row = cells.get((township, month))
            if row is None:
                row_html.append('<td class="mz-none">—</td>')
                continue
            status = row["status"]
            received = row["first_received"]
            tip = (
                f"{township} · {year}年{month}月\n状态：{status}"
                "\n首次报送："
                + (
                    pd.Timestamp(received).strftime("%Y-%m-%d %H:%M")
                    if not formatting.missing(received)
                    else "尚未收到"
                )
                + f"\n截止日期：{pd.Timestamp(row['due_date']).strftime('%Y-%m-%d')}"
            )
            light = ' class="mz-light"' if status == "未到期" else ""
            row_html.append(
                f'<td{light} style="background:{formatting.REPORT_COLORS[status]}" '
                f'title="{esc(tip)}">{esc(status)}</td>'
            )
        body.append(f"<tr>{''.join(row_html)}</tr>")
    return _grid_html(
        MONTHS, body, _legend_html(formatting.REPORT_COLORS, formatting.REPORT_COLORS)
    )


def behind_html(behind: pd.DataFrame, large: bool = False) -> str:
    """The 滞后 list (`overview.behind()`) as an HTML table, worst first."""
    size = "clamp(20px,1.55vw,30px)" if large else "15px"
    color = formatting.STATUS_COLORS["滞后"]
    rows = []
    for i, row in enumerate(behind.to_dict("records"), start=1):
        unit = row["unit_label"]
        rows.append(
            "<tr>"
            f"<td>{i}</td><td><b>{esc(row['township'])}</b></td><td>{esc(row['indicator_name'])}</td>"
            f"<td>{esc(formatting.number(row['actual'], unit))} / {esc(formatting.number(row['target'], unit))}</td>"
            f"<td><b>{esc(formatting.percent(row['completion']))}</b></td>"
            f"<td>{esc(formatting.percent(row['time_progress']))}</td>"
            f'<td style="color:{color};font-weight:700">{esc(formatting.points(row["gap"]))}</td>'
            "</tr>"
        )
    head = ("", "乡镇", "指标", "完成 / 目标", "完成率", "序时进度", "差距")
    return _list_table("mz-behind", head, rows, f"width:100%;font-size:{size}")


def _list_table(css_class: str, head: Iterable[str], rows: list[str], style: str) -> str:
    """A plain ruled table: header cells (trusted labels) over ready-made, escaped <tr> rows."""
    cells = "".join(f"<th>{h}</th>" for h in head)
    return (
        f'<table class="{css_class}" style="border-collapse:collapse;{style}">'
        f"<thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<style>.{css_class} th{{text-align:left;color:#57606a;font-weight:600;"
        f"border-bottom:2px solid #1f2328;padding:6px 10px}}"
        f".{css_class} td{{padding:6px 10px;border-bottom:1px solid #d0d7de}}</style>"
    )


TABLE_CSS = """
<style>
.mz-table-wrap{overflow:auto;max-width:100%}
.mz-table{border-collapse:collapse;font-size:14px;color:#1f2328;min-width:60%}
.mz-table th{position:sticky;top:0;background:#fff;text-align:left;color:#57606a;font-weight:600;
  border-bottom:2px solid #1f2328;padding:6px 10px;white-space:nowrap}
.mz-table td{padding:5px 10px;border-bottom:1px solid #d0d7de;white-space:nowrap}
.mz-table td.mz-wrap{white-space:normal;min-width:16em}
.mz-table td.mz-num,.mz-table th.mz-num{text-align:right;font-variant-numeric:tabular-nums}
.mz-table tbody tr:hover{background:#f6f8fa}
</style>
"""


def _cell(value, column: str, formats: Mapping[str, set[str]]) -> str:
    if formatting.missing(value):
        return '<td class="mz-num">—</td>'
    if column in formats["plain"]:
        return f"<td>{esc(value)}</td>"
    if column in formats["wrap"]:
        return f'<td class="mz-wrap">{esc(value)}</td>'
    if isinstance(value, pd.Timestamp | dt.datetime):
        return f"<td>{value:%Y-%m-%d %H:%M}</td>"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        color = formatting.STATUS_COLORS.get(str(value))
        style = f' style="color:{color};font-weight:700"' if color else ""
        return f"<td{style}>{esc(value)}</td>"
    if column in formats["percent"]:
        text = formatting.percent(value)
    elif column in formats["points"]:
        text = formatting.points(value)
    else:
        text = formatting.number(round(value) if column in formats["whole"] else value)
    return f'<td class="mz-num">{esc(text)}</td>'


def table_html(
    table: pd.DataFrame,
    percent: Iterable[str] = (),
    points: Iterable[str] = (),
    whole: Iterable[str] = (),
    plain: Iterable[str] = (),
    max_height: int | None = None,
    wrap: Iterable[str] = (),
) -> str:
    """A display table (Chinese headers, units in the headers) as a plain ruled HTML table:
    numbers right-aligned with thousands separators, the `percent` columns as 85.3%, the
    `points` columns in percentage points, the `whole` columns rounded, the `plain` ones (such as
    batch numbers) as they are, the `wrap` ones (long lists of names) wrapped instead of on one
    line, times to the minute, missing values as —, a status word in its colour. Every text is
    escaped. Pages show small read-only tables this way instead of a data grid, which costs a new
    browser tab about half a second to load (bench/RESULTS.md)."""
    formats = {
        "percent": set(percent),
        "points": set(points),
        "whole": set(whole),
        "plain": set(plain),
        "wrap": set(wrap),
    }
    columns = list(table.columns)
    numeric = {
        c
        for c in columns
        if pd.api.types.is_numeric_dtype(table[c].dtype) and c not in formats["plain"]
    }
    head = "".join(
        f'<th class="mz-num">{esc(c)}</th>' if c in numeric else f"<th>{esc(c)}</th>"
        for c in columns
    )
    body = "".join(
        "<tr>"
        + "".join(_cell(value, column, formats) for column, value in zip(columns, row, strict=True))
        + "</tr>"
        for row in table.itertuples(index=False, name=None)
    )
    height = f' style="max-height:{max_height}px"' if max_height else ""
    return (
        f'{TABLE_CSS}<div class="mz-table-wrap"{height}><table class="mz-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def late_html(late: pd.DataFrame) -> str:
    """`late_reports()` as a small HTML table (escaped): how many days after the due date each
    late month's first file came in."""
    rows = []
    for row in late.to_dict("records"):
        due, received = row["截止日期"], pd.Timestamp(row["首次报送"])
        days = (received.date() - due).days
        rows.append(
            f"<tr><td><b>{esc(row['乡镇'])}</b></td><td>{esc(row['月份'])}</td>"
            f"<td>{due.isoformat()}</td><td>{received:%Y-%m-%d %H:%M}</td>"
            f'<td style="color:{formatting.REPORT_COLORS["迟报"]};font-weight:700">'
            f"晚 {days} 天</td></tr>"
        )
    head = ("乡镇", "月份", "截止日期", "首次报送", "迟了")
    return _list_table("mz-late", head, rows, "font-size:15px")
