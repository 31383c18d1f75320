"""HTML cards of the leadership pages: the indicator card and headline tiles, the monthly bars
drawn in HTML (cards and the township's small multiples), and the status badge.

Every text is escaped; the CSS constants are shown once per page before the cards that use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from minzheng import formatting
from minzheng.views.shaping import headline
from minzheng.views.style import MONTHS, esc

# Monthly bars drawn with HTML (the overview's cards and the township's small multiples).
SPARK_CSS = """
<style>
.mz-spark{display:flex;align-items:flex-end;gap:3px}
.mz-spark-bar{flex:1;height:100%;display:flex;align-items:flex-end}
.mz-spark-bar>div{width:100%;background:#80b8f0;border-radius:2px 2px 0 0}
.mz-spark-bar:hover>div{background:#0969da}
.mz-spark-axis{display:flex;justify-content:space-between;font-size:11px;color:#57606a}
</style>
"""
TRENDS_CSS = (
    """
<style>
.mz-trends{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:18px 22px}
.mz-trend-name{font-size:14px;font-weight:600;color:#1f2328;line-height:1.3;min-height:2.6em}
.mz-trend-total{font-size:13px;color:#57606a}
.mz-trend-total b{color:#1f2328;font-size:15px}
.mz-trend .mz-spark{height:84px;margin-top:6px;border-bottom:1px solid #d0d7de}
</style>
"""
    + SPARK_CSS
)


def sparkline_html(trend: list[float], name: str, unit: str) -> str:
    """The monthly trend as small HTML bars (no chart library, and it survives the HTML
    sanitizer that strips inline SVG). Each bar's tooltip reads e.g. "3月：1,234 人次"."""
    values = [float(v) for v in trend] or [0.0]
    top = max(values) or 1.0
    bars = "".join(
        f'<div class="mz-spark-bar" title="{esc(f"{MONTHS[i]}：{formatting.number(v, unit)}")}">'
        f'<div style="height:{(max(v / top * 100, 3) if v > 0 else 0):.1f}%"></div></div>'
        for i, v in enumerate(values)
    )
    return (
        f'<div class="mz-spark" role="img" aria-label="{esc(name)}每月完成情况">{bars}</div>'
        f'<div class="mz-spark-axis"><span>1月</span><span>{len(values)}月</span></div>'
    )


def unit_trends_html(
    trends: pd.DataFrame, indicators: list[tuple[str, str, str]], last_month: int = 12
) -> str:
    """Small multiples as HTML: for one unit (`trends.unit_trends()`), a panel per catalog
    indicator with its total for months 1..`last_month` and a bar per month (the tooltip reads
    e.g. "3月：12 场"; the bars of each panel are scaled to its own largest month). No chart
    library: ten plotly subplots cost the browser more to draw than the rest of the page."""
    panels = []
    for key, name, unit in indicators:
        own = trends[trends["indicator"] == key].set_index("month")["actual"]
        values = [float(own.get(m, 0.0)) for m in range(1, last_month + 1)]
        top = max(values, default=0.0)
        peak = f"，最多 {formatting.number(top, unit)}" if top > 0 else ""
        panels.append(
            '<div class="mz-trend">'
            f'<div class="mz-trend-name">{esc(name)}（{esc(unit)}）</div>'
            f'<div class="mz-trend-total">合计 <b>{esc(formatting.number(sum(values), unit))}</b>'
            f"{esc(peak)}</div>{sparkline_html(values, name, unit)}</div>"
        )
    return f'{TRENDS_CSS}<div class="mz-trends">{"".join(panels)}</div>'


CARD_CSS = (
    """
<style>
.mz-card{border-left:6px solid var(--mz-status);padding:2px 0 0 12px;font-family:inherit;color:#1f2328}
.mz-card-top{display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
.mz-card-name{font-size:15px;font-weight:600;line-height:1.3;min-height:2.6em}
.mz-muted{color:#57606a}
.mz-badge{display:inline-block;color:#fff;background:var(--mz-status);border-radius:4px;
  padding:1px 8px;font-size:13px;white-space:nowrap;font-weight:600}
.mz-card-value{font-size:30px;font-weight:700;line-height:1.2;margin-top:4px;
  font-variant-numeric:tabular-nums}
.mz-card-unit{font-size:15px;font-weight:500;margin-left:4px;color:#57606a}
.mz-card-line{font-size:13px;color:#57606a;margin-top:2px}
.mz-card-line b{color:#1f2328}
.mz-bar{position:relative;height:10px;background:#eaeef2;border-radius:5px;margin:8px 0 2px}
.mz-bar-fill{position:absolute;left:0;top:0;bottom:0;border-radius:5px;background:var(--mz-status)}
.mz-bar-mark{position:absolute;top:-4px;bottom:-4px;width:3px;margin-left:-1px;background:#1f2328}
.mz-bar-legend{display:flex;justify-content:flex-end;font-size:12px;color:#57606a}
.mz-spark{height:40px;margin-top:10px}
.mz-spark-bar:last-child>div{background:#0969da}
.mz-kpis{display:flex;flex-wrap:wrap;gap:12px 36px;margin:4px 0 8px}
.mz-kpi{min-width:140px}
.mz-kpi .mz-muted{font-size:14px}
.mz-large .mz-card-name{font-size:clamp(22px,1.7vw,32px)}
.mz-large .mz-badge{font-size:clamp(20px,1.4vw,28px);padding:2px 14px;border-radius:6px}
.mz-large .mz-card-value{font-size:clamp(52px,4.3vw,84px);margin-top:8px;white-space:nowrap}
.mz-large .mz-card-unit{font-size:clamp(22px,1.7vw,32px)}
.mz-large .mz-card-line{font-size:clamp(18px,1.35vw,26px);color:#1f2328;margin-top:6px}
.mz-large .mz-bar{height:20px;border-radius:10px;margin:14px 0 6px}
.mz-large .mz-bar-fill{border-radius:10px}
.mz-large .mz-bar-mark{top:-8px;bottom:-8px;width:5px;margin-left:-2px}
.mz-large .mz-bar-legend{font-size:clamp(16px,1.2vw,22px);color:#1f2328}
.mz-large{border-left-width:12px;padding-left:18px}
</style>
"""
    + SPARK_CSS
)


def status_badge(status: str, standalone: bool = False) -> str:
    """A status label in its colour (HTML, escaped). The default badge takes its look from
    `CARD_CSS` (so a page's CSS can enlarge it); a `standalone` one carries its own inline style,
    for a line on a page that shows no `CARD_CSS`."""
    color = formatting.STATUS_COLORS.get(status, formatting.STATUS_COLORS["无计划"])
    if standalone:
        return (
            f'<span style="background:{color};color:#fff;border-radius:4px;padding:1px 8px;'
            f'font-size:0.85em;white-space:nowrap">{esc(status)}</span>'
        )
    return f'<span class="mz-badge" style="--mz-status:{color}">{esc(status)}</span>'


def _bar(completion, time_progress, color: str) -> str:
    fill = (
        min(max(float(completion), 0.0), 1.0) * 100 if not formatting.missing(completion) else 0.0
    )
    mark = (
        min(max(float(time_progress), 0.0), 1.0) * 100
        if not formatting.missing(time_progress)
        else None
    )
    title = f"完成率 {formatting.percent(completion)}，序时进度 {formatting.percent(time_progress)}"
    marker = f'<div class="mz-bar-mark" style="left:{mark:.1f}%"></div>' if mark is not None else ""
    return (
        f'<div class="mz-bar" title="{esc(title)}">'
        f'<div class="mz-bar-fill" style="width:{fill:.1f}%;background:{color}"></div>{marker}</div>'
    )


def card_html(card: Mapping, large: bool = False) -> str:
    """One indicator card (a row of `overview.cards()`): actual with unit, target, completion,
    a progress bar with the 序时进度 mark, status colour, change against last year."""
    status = str(card["status"])
    color = formatting.STATUS_COLORS.get(status, formatting.STATUS_COLORS["无计划"])
    unit = str(card["unit_label"])
    value = formatting.number(card["actual"])
    if not formatting.missing(card.get("target")):
        target = f"目标 <b>{esc(formatting.number(card['target'], unit))}</b>"
        target += '</div><div class="mz-card-line">'
        target += f"完成率 <b>{esc(formatting.percent(card['completion']))}</b>"
    else:
        target = "尚无年度计划"
    last = card.get("last_year")
    if not formatting.missing(card.get("change")):
        arrow = "▲" if float(card["change"]) >= 0 else "▼"
        before = f"去年同期 {esc(formatting.number(last, unit))}"
        change = (
            f"同比 <b>{arrow} {esc(formatting.change(card['change']))}</b>"
            f'</div><div class="mz-card-line mz-muted">{before}'
        )
    else:
        change = "同比 —（去年同期无数据）"
    legend = f"<span>▍序时进度 {esc(formatting.percent(card.get('time_progress')))}</span>"
    return (
        f'<div class="mz-card{" mz-large" if large else ""}" style="--mz-status:{color}">'
        f'<div class="mz-card-top"><span class="mz-card-name">{esc(card["name"])}</span>'
        f'<span class="mz-badge">{esc(status)}</span></div>'
        f'<div class="mz-card-value">{esc(value)}<span class="mz-card-unit">{esc(unit)}</span></div>'
        f'<div class="mz-card-line">{target}</div>'
        f"{_bar(card.get('completion'), card.get('time_progress'), color)}"
        f'<div class="mz-bar-legend">{legend}</div>'
        f'<div class="mz-card-line">{change}</div>'
        "</div>"
    )


def headline_html(card: Mapping) -> str:
    """The indicator page's headline figures as a wrapping row of tiles: each number in large
    type with its unit beside it (never cut off, whatever the screen width). Escaped."""
    text = headline(card)

    def tile(label: str, value: str, note: str = "") -> str:
        number, _, suffix = value.partition(" ")
        suffix_html = f'<span class="mz-card-unit">{esc(suffix)}</span>' if suffix else ""
        note_html = f'<div class="mz-card-line">{esc(note)}</div>' if note else ""
        return (
            f'<div class="mz-kpi"><div class="mz-muted">{esc(label)}</div>'
            f'<div class="mz-card-value">{esc(number)}{suffix_html}</div>{note_html}</div>'
        )

    projected_note = "按当前进度推算" if text["projected"] != "—" else ""
    return (
        '<div class="mz-kpis">'
        + tile("累计完成", text["actual"])
        + tile("年度目标", text["target"])
        + tile("完成率", text["completion"])
        + tile("序时进度", text["time_progress"])
        + tile("同比", text["change"], f"去年同期 {text['last_year']}")
        + tile("预计全年", text["projected"], projected_note)
        + "</div>"
    )


def overview_card_html(card: Mapping) -> str:
    """An overview card: `card_html` with the monthly bars under it when the year has any."""
    spark = sparkline_html(card["trend"], card["name"], card["unit_label"])
    return card_html(card) + (spark if any(card["trend"]) else "")


def indicator_status_html(year: int, as_of: dt.date, status: str) -> str:
    """The indicator page's scope line: 全县, the year, the as-of date and the status badge."""
    return (
        f"<div style='font-size:15px'>全县 · {year}年 · 截至 {as_of.isoformat()} ｜ 状态 "
        f"{status_badge(status, standalone=True)}</div>"
    )


def unit_status_html(year: int, as_of: dt.date, total: int, counts: Mapping[str, int]) -> str:
    """The township page's scope line: how many indicators, and how many in each status (a
    badge per status that occurs, in the order of `counts`)."""
    summary = " ".join(f"{status_badge(s, standalone=True)} {n} 项" for s, n in counts.items() if n)
    return (
        f"<div style='font-size:15px'>{year}年 · 截至 {as_of.isoformat()} ｜ {total} 个指标："
        f"{summary}</div>"
    )


def report_tile_html(status: str, count: int) -> str:
    """One tile of the reporting page's counts: how many township-months have `status`."""
    color = formatting.REPORT_COLORS[status]
    return (
        f"<div style='border-left:6px solid {color};padding:2px 10px'>"
        f"<div style='font-size:14px;color:#57606a'>{esc(status)}</div>"
        f"<div style='font-size:28px;font-weight:700'>{count} "
        "<span style='font-size:14px'>个乡镇·月</span></div></div>"
    )


def message_html(text: str) -> str:
    """A message to pass on (the reporting reminder) as plain text in a light box (escaped)."""
    return (
        "<div style='white-space:pre-wrap;border:1px solid #d0d7de;border-radius:8px;"
        f"padding:10px 14px;background:#f6f8fa;line-height:1.6'>{esc(text)}</div>"
    )


def missing_html(names: list[str]) -> str:
    """The townships that have not reported, in the 未报 colour, and how many (escaped)."""
    color = formatting.REPORT_COLORS["未报"]
    return (
        "<div style='font-size:16px'>"
        + "、".join(
            f"<span style='color:{color};font-weight:700'>{esc(name)}</span>" for name in names
        )
        + f"（共 {len(names)} 个）</div>"
    )
