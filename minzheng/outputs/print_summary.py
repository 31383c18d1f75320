"""The 总览 on one sheet of paper: a print-styled HTML page (A4 landscape) for meetings.

Chosen over a PDF library: the page needs no new dependency, opens in any browser on the
bureau's computers and prints with the browser's own dialog (Ctrl+P); the @page rule sets A4
landscape and the layout is sized to fit one page (the tests print it with Chromium and count
the pages). Core indicators as cards, every indicator in a table, the worst 滞后 items and the
townships that have not reported the latest due month. All text is escaped.
"""

from __future__ import annotations

import datetime as dt
import html

import duckdb
import pandas as pd

from minzheng import formatting
from minzheng.measures import overview, progress, submissions

BEHIND_ROWS = 6


def _e(value) -> str:
    return html.escape(str(value))


def _status(status: str) -> str:
    color = formatting.STATUS_COLORS.get(status, formatting.STATUS_COLORS["无计划"])
    return f'<span class="badge" style="background:{color}">{_e(status)}</span>'


def _change(card) -> str:
    if card["change"] is None or pd.isna(card["change"]):
        return "—"
    return formatting.change(card["change"])


def _card(card) -> str:
    unit = card["unit_label"]
    color = formatting.STATUS_COLORS.get(card["status"], formatting.STATUS_COLORS["无计划"])
    target = (
        f"目标 {_e(formatting.number(card['target'], unit))} · 完成率 "
        f"<b>{_e(formatting.percent(card['completion']))}</b>"
        if card["target"] is not None and not pd.isna(card["target"])
        else "尚无年度计划"
    )
    return (
        f'<div class="card" style="border-top-color:{color}">'
        f'<div class="name">{_e(card["name"])} {_status(card["status"])}</div>'
        f'<div class="value">{_e(formatting.number(card["actual"]))}'
        f'<span class="unit">{_e(unit)}</span></div>'
        f'<div class="line">{target}</div>'
        f'<div class="line">序时进度 {_e(formatting.percent(card["time_progress"]))} · 同比 '
        f"{_e(_change(card))}（去年同期 {_e(formatting.number(card['last_year'], unit))}）</div>"
        "</div>"
    )


def _table(cards: pd.DataFrame) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "指标",
            "完成",
            "年度目标",
            "完成率",
            "序时进度",
            "差距",
            "状态",
            "同比",
            "去年同期",
        )
    )
    rows = []
    for c in cards.to_dict("records"):
        unit = c["unit_label"]
        rows.append(
            "<tr>"
            f"<td>{_e(c['name'])}</td>"
            f'<td class="num">{_e(formatting.number(c["actual"], unit))}</td>'
            f'<td class="num">{_e(formatting.number(c["target"], unit))}</td>'
            f'<td class="num">{_e(formatting.percent(c["completion"]))}</td>'
            f'<td class="num">{_e(formatting.percent(c["time_progress"]))}</td>'
            f'<td class="num">{_e(formatting.points(c["gap"]))}</td>'
            f"<td>{_status(c['status'])}</td>"
            f'<td class="num">{_e(_change(c))}</td>'
            f'<td class="num">{_e(formatting.number(c["last_year"], unit))}</td>'
            "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _behind(behind: pd.DataFrame) -> str:
    if behind.empty:
        return '<p class="muted">目前没有落后于序时进度的乡镇指标。</p>'
    rows = "".join(
        "<tr>"
        f"<td>{_e(r['township'])}</td><td>{_e(r['indicator_name'])}</td>"
        f'<td class="num">{_e(formatting.number(r["actual"], r["unit_label"]))} / '
        f"{_e(formatting.number(r['target'], r['unit_label']))}</td>"
        f'<td class="num">{_e(formatting.percent(r["completion"]))}</td>'
        f'<td class="num late">{_e(formatting.points(r["gap"]))}</td>'
        "</tr>"
        for r in behind.to_dict("records")
    )
    head = "<tr><th>乡镇</th><th>指标</th><th>完成 / 目标</th><th>完成率</th><th>差距</th></tr>"
    return f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"


def _reporting(grid: pd.DataFrame, today: dt.date, as_of: dt.date) -> str:
    month = submissions.latest_due_month(grid, today)
    if month is not None:
        month = min(month, as_of.month)  # a summary "as of November" speaks of November
    if month is None:
        return '<p class="muted">本年度还没有到期的月度台账。</p>'
    rows = grid[grid["month"] == month]
    counts = {s: int((rows["status"] == s).sum()) for s in ("已报", "迟报", "未报")}
    missing = submissions.missing(grid, month)
    text = (
        f"{month}月台账：按期报送 {counts['已报']} 个乡镇，迟报 {counts['迟报']} 个，"
        f"未报 {counts['未报']} 个。"
    )
    if missing:
        text += "未报：" + "、".join(_e(t) for t in missing) + "。"
    return f"<p>{text}</p>"


CSS = """
@page { size: A4 landscape; margin: 9mm 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", sans-serif;
       color: #1f2328; margin: 0; font-size: 10pt; -webkit-print-color-adjust: exact;
       print-color-adjust: exact; }
.sheet { width: 277mm; margin: 0 auto; }
header { display: flex; justify-content: space-between; align-items: baseline;
         border-bottom: 2px solid #1f2328; padding-bottom: 2mm; margin-bottom: 3mm; }
h1 { font-size: 16pt; margin: 0; }
h2 { font-size: 11pt; margin: 2.5mm 0 1mm; }
.meta { color: #57606a; font-size: 9.5pt; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; }
.card { border: 1px solid #d0d7de; border-top: 4px solid; border-radius: 2mm; padding: 2mm 3mm; }
.card .name { font-weight: 700; font-size: 10.5pt; }
.card .value { font-size: 18pt; font-weight: 700; margin: 0.5mm 0; }
.card .unit { font-size: 10pt; font-weight: 400; margin-left: 1mm; }
.card .line { font-size: 9pt; color: #1f2328; }
.badge { color: #fff; border-radius: 1mm; padding: 0 1.5mm; font-size: 8.5pt; font-weight: 400; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; }
th { text-align: left; border-bottom: 1.5px solid #1f2328; padding: 0.6mm 1.5mm; color: #57606a; }
td { border-bottom: 1px solid #d0d7de; padding: 0.5mm 1.5mm; }
tr, .card { break-inside: avoid; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.late { color: #cf222e; font-weight: 700; }
.cols { display: grid; grid-template-columns: 3fr 2fr; gap: 5mm; }
.muted { color: #57606a; }
footer { margin-top: 2mm; color: #57606a; font-size: 8.5pt; }
@media screen { body { background: #eaeef2; } .sheet { background: #fff; padding: 9mm 10mm;
  width: 297mm; min-height: 210mm; margin: 5mm auto; box-shadow: 0 1px 4px #8c959f; } }
"""


def build(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> str:
    """The one-page summary as a complete HTML document (UTF-8 text)."""
    as_of = as_of or progress.default_as_of(cur, year)
    today = today or dt.date.today()
    cards = overview.cards(cur, year, as_of)
    behind = overview.behind(cur, year, as_of, BEHIND_ROWS)
    grid = submissions.grid(cur, year, today)
    core = cards[cards["core"]].to_dict("records")
    title = f"武乡县民政工作进度汇总（{year}年，截至{as_of.month}月{as_of.day}日）"
    time_progress = formatting.percent(progress.time_progress(as_of))
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><div class='sheet'>"
        f"<header><h1>{_e(title)}</h1><div class='meta'>序时进度 {time_progress} ｜ "
        f"打印日期 {today.isoformat()}</div></header>"
        f"<div class='cards'>{''.join(_card(c) for c in core)}</div>"
        f"<h2>各项指标（全县）</h2>{_table(cards)}"
        "<div class='cols'>"
        f"<div><h2>滞后事项（差距最大的前 {BEHIND_ROWS} 项）</h2>{_behind(behind)}</div>"
        f"<div><h2>台账报送</h2>{_reporting(grid, today, as_of)}"
        "<p class='muted'>状态：完成率减序时进度达到超前线为超前，低于滞后线为滞后（阈值见看板“设置”）；"
        "同比为与去年同期累计相比。</p></div>"
        "</div>"
        "<footer>数据来源：各乡镇报送的工作台账，由民政工作进度看板生成。</footer>"
        "</div></body></html>"
    )


def file_name(year: int, as_of: dt.date) -> str:
    """The suggested file name of the printable summary."""
    return f"民政工作进度一页纸（{year}年截至{as_of.isoformat()}）.html"
