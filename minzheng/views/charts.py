"""Plotly figures, HTML cards and display tables for the leadership pages and the meeting room.

Everything here is pure: DataFrames from `minzheng.measures.overview`, `trends`, `reporting` and
`queries` in; a `plotly.graph_objects.Figure`, an escaped HTML string or a display table with
Chinese headers out. No Streamlit, so every piece is unit-tested and shared by the normal pages
and the presentation mode. Labels are Chinese, every hover names its unit, and there is one
colour per status everywhere (`formatting.STATUS_COLORS`, `formatting.REPORT_COLORS`).
"""

from __future__ import annotations

import datetime as dt
import html
import numbers
import re
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from minzheng import formatting

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
INK = "#1f2328"  # text
MUTED = "#57606a"  # secondary text and the plan line
GRID = "#d0d7de"
ACTUAL = "#0969da"  # this year's actuals: blue, deliberately not a status colour
ACTUAL_LIGHT = "#80b8f0"
LAST_YEAR = "rgba(87, 96, 106, 0.35)"  # last year: a faint grey
MONTHS = [f"{m}月" for m in range(1, 13)]
BATCH_STATUS = {"active": "有效", "rolled_back": "已撤销"}


# --- small helpers ----------------------------------------------------------------------------


def _present(value) -> bool:
    """False for None, NaN and pandas' missing values."""
    if value is None:
        return False
    try:
        return not pd.isna(value)
    except (TypeError, ValueError):
        return True


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _wrap(text: str, width: int = 5) -> str:
    """A Chinese label broken every `width` characters (for crowded axis ticks)."""
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width)) or text


def file_name(*parts: object) -> str:
    """A download file name without extension: ('街面巡查', '2024年', '截至2024-11-30') →
    '街面巡查_2024年_截至2024-11-30'. Characters Windows forbids become '_'."""
    text = "_".join(str(p) for p in parts if p is not None and str(p) != "")
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "图表"


def plot_config(filename: str, mode_bar: bool = True) -> dict:
    """`config` for st.plotly_chart: the PNG download named after what the chart shows."""
    return {
        "displaylogo": False,
        "displayModeBar": "hover" if mode_bar else False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }


def _merge(base: dict, extra: Mapping) -> dict:
    """`base` updated by `extra`, nested dicts merged (a layout built in one go is ~10× faster
    than plotly's update_layout calls, which re-validate on every call)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _axis(**options) -> dict:
    return {"automargin": True, "linecolor": GRID, "tickcolor": GRID, "fixedrange": True, **options}


def _figure(traces: list[dict], title: str, height: int, top: int = 70, **layout) -> go.Figure:
    """A figure from plain trace dicts and the shared look (Chinese font, white, legend on top)."""
    base = {
        "title": {"text": title, "x": 0.005, "xanchor": "left", "font": {"size": 17, "color": INK}},
        "font": {"family": FONT, "size": 13, "color": INK},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 24, "t": top, "b": 10},
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "bgcolor": "#ffffff"},
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 1,
            "xanchor": "right",
            "font": {"size": 12},
        },
        "xaxis": _axis(),
        "yaxis": _axis(),
    }
    return go.Figure(data=traces, layout=_merge(base, layout))


def projector(fig: go.Figure, scale: float = 1.6, height: int | None = None) -> go.Figure:
    """The same figure for the meeting-room screen: larger type and thicker lines."""
    spec = fig.to_dict()
    layout = spec["layout"]

    def grow(part: dict, key: str = "font", default: int = 13) -> None:
        font = part.setdefault(key, {})
        font["size"] = round((font.get("size") or default) * scale)

    layout["font"]["size"] = round(13 * scale)
    for name in ("title", "legend", "hoverlabel"):
        grow(layout.setdefault(name, {}), default=17 if name == "title" else 13)
    layout["margin"]["t"] = round(layout["margin"].get("t", 70) * min(scale, 1.25))
    for note in layout.get("annotations", []):
        grow(note)
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            grow(axis, "tickfont")
    for trace in spec["data"]:
        if trace.get("type") == "scatter" and trace.get("line", {}).get("width"):
            trace["line"]["width"] *= 1.5
        for key in ("textfont", "insidetextfont", "outsidetextfont"):
            if key in trace:
                grow(trace, key)
    if height:
        layout["height"] = height
    return go.Figure(spec)


def _status_legend(statuses: Iterable[str], colors: Mapping[str, str]) -> list[dict]:
    """Legend entries (coloured squares) for the statuses a chart uses."""
    return [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"symbol": "square", "size": 14, "color": colors[status]},
            "name": status,
            "showlegend": True,
            "hoverinfo": "skip",
        }
        for status in statuses
    ]


def _discrete_scale(order: Iterable[str], colors: Mapping[str, str]) -> list:
    order = list(order)
    n = len(order)
    scale: list = []
    for i, name in enumerate(order):
        scale += [[i / n, colors[name]], [(i + 1) / n, colors[name]]]
    return scale


def _bottom_legend() -> dict:
    return {"orientation": "h", "y": -0.01, "yanchor": "top", "x": 0, "xanchor": "left"}


# --- figures ----------------------------------------------------------------------------------


def sparkline(trend: list[float], name: str, unit: str) -> go.Figure:
    """A tiny monthly trend line without axes (a point per month up to the as-of month)."""
    line = {
        "type": "scatter",
        "x": MONTHS[: len(trend)],
        "y": list(trend),
        "mode": "lines+markers",
        "line": {"color": ACTUAL, "width": 2},
        "marker": {"size": 4, "color": ACTUAL},
        "fill": "tozeroy",
        "fillcolor": "rgba(9, 105, 218, 0.08)",
        "name": f"{name}（每月）",
        "hovertemplate": f"%{{x}}：%{{y:,.0f}} {unit}<extra></extra>",
    }
    return _figure(
        [line],
        "",
        56,
        margin={"l": 2, "r": 2, "t": 4, "b": 2},
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False, "rangemode": "tozero"},
        hoverlabel={"font": {"size": 12}},
    )


def sparkline_html(trend: list[float], name: str, unit: str) -> str:
    """The monthly trend as small HTML bars (no chart library, and it survives the HTML
    sanitizer that strips inline SVG). Each bar's tooltip reads e.g. "3月：1,234 人次"."""
    values = [float(v) for v in trend] or [0.0]
    top = max(values) or 1.0
    bars = "".join(
        f'<div class="mz-spark-bar" title="{_esc(f"{MONTHS[i]}：{formatting.number(v, unit)}")}">'
        f'<div style="height:{(max(v / top * 100, 3) if v > 0 else 0):.1f}%"></div></div>'
        for i, v in enumerate(values)
    )
    return (
        f'<div class="mz-spark" role="img" aria-label="{_esc(name)}每月完成情况">{bars}</div>'
        f'<div class="mz-spark-axis"><span>1月</span><span>{len(values)}月</span></div>'
    )


def status_matrix(
    matrix: pd.DataFrame, indicators: list[tuple[str, str, str]], title: str = ""
) -> go.Figure:
    """红黄绿 matrix: townships (rows) × indicators (columns), each cell coloured by its status.

    `matrix` is `overview.matrix()`; `indicators` the (key, name, unit) columns in order. Cells
    show the completion; the hover gives actual and target with units and the time progress.
    """
    codes = {s: i for i, s in enumerate(formatting.STATUS_ORDER)}
    townships = list(dict.fromkeys(matrix["township"]))
    cells = {(r.township, r.indicator): r for r in matrix.itertuples(index=False)}
    z, text, custom = [], [], []
    for township in townships:
        z_row, text_row, custom_row = [], [], []
        for key, name, unit in indicators:
            row = cells.get((township, key))
            if row is None:
                z_row.append(None)
                text_row.append("")
                custom_row.append([name, "无数据", "—", "—", "—", "—"])
                continue
            z_row.append(codes.get(row.status, codes["无计划"]))
            text_row.append(
                formatting.percent(row.completion, 0) if _present(row.completion) else "—"
            )
            custom_row.append(
                [
                    name,
                    row.status,
                    formatting.number(row.actual, unit),
                    formatting.number(row.target, unit),
                    formatting.percent(row.completion),
                    formatting.percent(row.time_progress),
                ]
            )
        z.append(z_row)
        text.append(text_row)
        custom.append(custom_row)
    n = len(formatting.STATUS_ORDER)
    heat = {
        "type": "heatmap",
        "z": z,
        "x": [_wrap(name) for _, name, _ in indicators],
        "y": townships,
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"color": "#ffffff", "size": 13},
        "customdata": custom,
        "colorscale": _discrete_scale(formatting.STATUS_ORDER, formatting.STATUS_COLORS),
        "zmin": -0.5,
        "zmax": n - 0.5,
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "name": "红黄绿矩阵",
        "hovertemplate": (
            "<b>%{y} · %{customdata[0]}</b><br>状态：%{customdata[1]}"
            "<br>完成：%{customdata[2]}<br>目标：%{customdata[3]}"
            "<br>完成率：%{customdata[4]}<br>序时进度：%{customdata[5]}<extra></extra>"
        ),
    }
    return _figure(
        [heat, *_status_legend(formatting.STATUS_ORDER, formatting.STATUS_COLORS)],
        title or "各乡镇各指标进度（格内为完成率）",
        140 + 36 * max(len(townships), 1),
        130,
        legend=_bottom_legend(),
        xaxis={"side": "top", "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
    )


def cumulative(
    months: pd.DataFrame,
    name: str,
    unit: str,
    year: int,
    as_of: dt.date,
    township: str | None = None,
) -> go.Figure:
    """Cumulative actual against the plan line (dashed, phasing respected) and last year
    (faint), with the monthly actuals as bars below. `months` is `trends.months()`."""
    traces = []
    if months["plan_cumulative"].notna().any():
        traces.append(
            {
                "type": "scatter",
                "x": MONTHS,
                "y": list(months["plan_cumulative"]),
                "mode": "lines",
                "name": "计划累计（序时）",
                "line": {"color": MUTED, "width": 2, "dash": "dash"},
                "hovertemplate": f"计划累计：%{{y:,.0f}} {unit}<extra></extra>",
            }
        )
    cum = [v if _present(v) else None for v in months["cumulative"]]
    last = max((i for i, v in enumerate(cum) if v is not None), default=None)
    # last year only where it has data: an empty "2022年" in the legend would suggest a zero year
    has_last_year = bool(months["last_year"].fillna(0).astype(float).abs().sum() > 0)
    last_year_line = {
        "type": "scatter",
        "x": MONTHS,
        "y": list(months["last_year_cumulative"]),
        "mode": "lines",
        "name": f"{year - 1}年",
        "line": {"color": LAST_YEAR, "width": 2},
        "hovertemplate": f"{year - 1}年累计：%{{y:,.0f}} {unit}<extra></extra>",
    }
    last_year_bars = {
        "type": "scatter",
        "x": MONTHS,
        "y": list(months["last_year"]),
        "xaxis": "x2",
        "yaxis": "y2",
        "mode": "lines",
        "name": f"{year - 1}年当月",
        "line": {"color": LAST_YEAR, "width": 2},
        "showlegend": False,
        "hovertemplate": f"{year - 1}年当月：%{{y:,.0f}} {unit}<extra></extra>",
    }
    if has_last_year:
        traces.append(last_year_line)
    traces += [
        {
            "type": "scatter",
            "x": MONTHS,
            "y": cum,
            "mode": "lines+markers+text",
            "name": f"{year}年累计完成",
            "line": {"color": ACTUAL, "width": 3},
            "marker": {"size": 7, "color": ACTUAL},
            "text": [formatting.number(v, unit) if i == last else "" for i, v in enumerate(cum)],
            "textposition": "top left",
            "textfont": {"color": ACTUAL, "size": 14},
            "hovertemplate": f"{year}年累计：%{{y:,.0f}} {unit}<extra></extra>",
        },
        {
            "type": "bar",
            "x": MONTHS,
            "y": [
                v if m <= as_of.month else None
                for m, v in zip(months["month"], months["actual"], strict=True)
            ],
            "xaxis": "x2",
            "yaxis": "y2",
            "name": f"{year}年当月",
            "marker": {"color": ACTUAL_LIGHT},
            "hovertemplate": f"{year}年当月：%{{y:,.0f}} {unit}<extra></extra>",
        },
    ]
    if has_last_year:
        traces.append(last_year_bars)
    top, bottom = [0.39, 1.0], [0.0, 0.29]
    value_axis = {"gridcolor": GRID, "rangemode": "tozero", "tickformat": ",.0f"}

    def caption(text: str, y: float) -> dict:
        return {
            "text": text,
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": y,
            "yref": "paper",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 13, "color": MUTED},
        }

    who = f"{township} · " if township else ""
    return _figure(
        traces,
        f"{who}{name}：累计完成与年度计划（{year}年，截至{as_of.isoformat()}）",
        520,
        96,
        hovermode="x unified",
        bargap=0.35,
        xaxis={"anchor": "y", "matches": "x2", "showticklabels": False, "showgrid": False},
        yaxis={"anchor": "x", "domain": top, **value_axis},
        xaxis2=_axis(anchor="y2", showgrid=False),
        yaxis2=_axis(anchor="x2", domain=bottom, **value_axis),
        annotations=[
            caption(f"累计完成（{unit}）", top[1]),
            caption(f"当月完成（{unit}）", bottom[1]),
        ],
    )


def completion_bars(
    table: pd.DataFrame, label: str, title: str, unit: str | None = None
) -> go.Figure:
    """Horizontal bars of completion coloured by status, each row's 序时进度 marked, the 100%
    target line drawn, and the bar labels giving actual / target with units.

    `table` needs the columns `label`, actual, target, completion, time_progress and status,
    and unit_label when `unit` is None (e.g. the indicators of one township, each with its own
    unit). Rows are drawn in the table's order, the first at the top.
    """
    rows = table.reset_index(drop=True)
    units = [unit] * len(rows) if unit is not None else [str(u) for u in rows["unit_label"]]
    labels = [str(v) for v in rows[label]]
    completion, marks, text, custom = [], [], [], []
    for row, u in zip(rows.to_dict("records"), units, strict=True):
        actual = formatting.number(row["actual"], u)
        target = formatting.number(row["target"], u)
        if _present(row["completion"]):
            completion.append(float(row["completion"]))
            marks.append(float(row["time_progress"]))
            text.append(f"{formatting.percent(row['completion'])}（{actual} / {target}）")
        else:
            completion.append(0.0)
            marks.append(None)
            text.append(f"无计划（已完成 {actual}）")
        custom.append([actual, target, formatting.percent(row["time_progress"]), row["status"]])
    colors = [
        formatting.STATUS_COLORS.get(s, formatting.STATUS_COLORS["无计划"]) for s in rows["status"]
    ]
    bars = {
        "type": "bar",
        "x": completion,
        "y": labels,
        "orientation": "h",
        "marker": {"color": colors},
        "text": text,
        "textposition": "auto",
        "insidetextanchor": "start",
        "insidetextfont": {"size": 12, "color": "#ffffff"},
        "outsidetextfont": {"size": 12, "color": INK},
        "textfont": {"size": 12},
        "cliponaxis": False,
        "customdata": custom,
        "name": "完成率",
        "showlegend": False,
        "hovertemplate": (
            "<b>%{y}</b><br>完成率：%{x:.1%}<br>完成：%{customdata[0]}"
            "<br>目标：%{customdata[1]}<br>序时进度：%{customdata[2]}"
            "<br>状态：%{customdata[3]}<extra></extra>"
        ),
    }
    time_marks = {
        "type": "scatter",
        "x": marks,
        "y": labels,
        "mode": "markers",
        "name": "序时进度",
        "marker": {
            "symbol": "line-ns-open",
            "size": 26,
            "color": INK,
            "line": {"width": 3, "color": INK},
        },
        "hovertemplate": "<b>%{y}</b><br>序时进度：%{x:.1%}<extra></extra>",
    }
    present = set(rows["status"])
    legend = _status_legend(
        [s for s in formatting.STATUS_ORDER if s in present], formatting.STATUS_COLORS
    )
    right = max([1.0, *completion]) * 1.3
    return _figure(
        [bars, time_marks, *legend],
        title,
        120 + 32 * max(len(rows), 1),
        80,
        bargap=0.3,
        shapes=[
            {
                "type": "line",
                "x0": 1.0,
                "x1": 1.0,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": MUTED, "width": 1.5, "dash": "dot"},
            }
        ],
        annotations=[
            {
                "x": 1.0,
                "y": 1.0,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "xshift": 4,
                "text": "目标",
                "showarrow": False,
                "font": {"size": 12, "color": MUTED},
            }
        ],
        xaxis={"tickformat": ".0%", "range": [0, right], "gridcolor": GRID},
        yaxis={"autorange": "reversed", "showgrid": False},
    )


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
            f'<div class="mz-trend-name">{_esc(name)}（{_esc(unit)}）</div>'
            f'<div class="mz-trend-total">合计 <b>{_esc(formatting.number(sum(values), unit))}</b>'
            f"{_esc(peak)}</div>{sparkline_html(values, name, unit)}</div>"
        )
    return f'{TRENDS_CSS}<div class="mz-trends">{"".join(panels)}</div>'


def reporting_grid(grid: pd.DataFrame, year: int, title: str = "") -> go.Figure:
    """Townships × months coloured 已报 / 迟报 / 未报 / 未到期 (`reporting.grid()`)."""
    order = list(formatting.REPORT_COLORS)
    codes = {s: i for i, s in enumerate(order)}
    townships = list(dict.fromkeys(grid["township"]))
    cells = {(r["township"], int(r["month"])): r for r in grid.to_dict("records")}
    z, text, custom, light = [], [], [], []
    for township in townships:
        z_row, text_row, custom_row = [], [], []
        for month in range(1, 13):
            row = cells.get((township, month))
            if row is None:
                z_row.append(None)
                text_row.append("")
                custom_row.append(["—", "—", "—"])
                continue
            z_row.append(codes[row["status"]])
            # white text is unreadable on the light grey of 未到期: drawn dark, separately
            if row["status"] == "未到期":
                light.append((MONTHS[month - 1], township))
                text_row.append("")
            else:
                text_row.append(row["status"])
            received = row["first_received"]
            custom_row.append(
                [
                    row["status"],
                    pd.Timestamp(received).strftime("%Y-%m-%d %H:%M")
                    if _present(received)
                    else "尚未收到",
                    pd.Timestamp(row["due_date"]).strftime("%Y-%m-%d"),
                ]
            )
        z.append(z_row)
        text.append(text_row)
        custom.append(custom_row)
    traces = [
        {
            "type": "heatmap",
            "z": z,
            "x": MONTHS,
            "y": townships,
            "text": text,
            "texttemplate": "%{text}",
            "textfont": {"size": 12, "color": "#ffffff"},
            "customdata": custom,
            "colorscale": _discrete_scale(order, formatting.REPORT_COLORS),
            "zmin": -0.5,
            "zmax": len(order) - 0.5,
            "showscale": False,
            "xgap": 3,
            "ygap": 3,
            "name": "上报情况",
            "hovertemplate": (
                "<b>%{y} · " + str(year) + "年%{x}</b><br>状态：%{customdata[0]}"
                "<br>首次报送：%{customdata[1]}<br>截止日期：%{customdata[2]}<extra></extra>"
            ),
        }
    ]
    if light:
        traces.append(
            {
                "type": "scatter",
                "x": [x for x, _ in light],
                "y": [y for _, y in light],
                "mode": "text",
                "text": ["未到期"] * len(light),
                "textfont": {"size": 12, "color": INK},
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
    traces += _status_legend(order, formatting.REPORT_COLORS)
    return _figure(
        traces,
        title or f"{year}年各乡镇每月台账报送情况",
        130 + 34 * max(len(townships), 1),
        90,
        legend=_bottom_legend(),
        xaxis={"side": "top", "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
    )


# --- HTML grids: the status matrix and the reporting grid --------------------------------------
# Drawn as plain HTML tables on the normal pages: a page without plotly or a data grid renders in
# a fraction of the time in a new browser tab (no 4.6 MB chart bundle to parse), and a table of
# coloured cells reads as well as a heatmap. The presentation mode keeps the plotly figures.

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
        + "".join(f'<span style="--c:{colors[s]}">{_esc(s)}</span>' for s in order)
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
        row_html = [f"<th>{_esc(township)}</th>"]
        for key, name, unit in indicators:
            row = cells.get((township, key))
            if row is None:
                tip = f"{township} · {name}\n无数据"
                row_html.append(f'<td class="mz-none" title="{_esc(tip)}">—</td>')
                continue
            status = row.status if row.status in formatting.STATUS_COLORS else "无计划"
            text = formatting.percent(row.completion, 0) if _present(row.completion) else "—"
            tip = (
                f"{township} · {name}\n状态：{status}"
                f"\n完成：{formatting.number(row.actual, unit)}"
                f"\n目标：{formatting.number(row.target, unit)}"
                f"\n完成率：{formatting.percent(row.completion)}"
                f"\n序时进度：{formatting.percent(row.time_progress)}"
            )
            row_html.append(
                f'<td style="background:{formatting.STATUS_COLORS[status]}" '
                f'title="{_esc(tip)}">{_esc(text)}</td>'
            )
        body.append(f"<tr>{''.join(row_html)}</tr>")
    head = [_esc(name) for _, name, _ in indicators]
    return _grid_html(head, body, _legend_html(formatting.STATUS_COLORS, formatting.STATUS_COLORS))


def reporting_grid_html(grid: pd.DataFrame, year: int) -> str:
    """Townships × months (`reporting.grid()`) as an HTML table: 已报 / 迟报 / 未报 / 未到期 in
    their colours; the tooltip gives the first receipt and the due date."""
    townships = list(dict.fromkeys(grid["township"]))
    cells = {(r["township"], int(r["month"])): r for r in grid.to_dict("records")}
    body = []
    for township in townships:
        row_html = [f"<th>{_esc(township)}</th>"]
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
                    if _present(received)
                    else "尚未收到"
                )
                + f"\n截止日期：{pd.Timestamp(row['due_date']).strftime('%Y-%m-%d')}"
            )
            light = ' class="mz-light"' if status == "未到期" else ""
            row_html.append(
                f'<td{light} style="background:{formatting.REPORT_COLORS[status]}" '
                f'title="{_esc(tip)}">{_esc(status)}</td>'
            )
        body.append(f"<tr>{''.join(row_html)}</tr>")
    return _grid_html(
        MONTHS, body, _legend_html(formatting.REPORT_COLORS, formatting.REPORT_COLORS)
    )


# --- HTML: indicator cards, the behind list, badges -------------------------------------------

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


def status_badge(status: str) -> str:
    """A status label in its colour (HTML, escaped)."""
    color = formatting.STATUS_COLORS.get(status, formatting.STATUS_COLORS["无计划"])
    return f'<span class="mz-badge" style="--mz-status:{color}">{_esc(status)}</span>'


def _bar(completion, time_progress, color: str) -> str:
    fill = min(max(float(completion), 0.0), 1.0) * 100 if _present(completion) else 0.0
    mark = min(max(float(time_progress), 0.0), 1.0) * 100 if _present(time_progress) else None
    title = f"完成率 {formatting.percent(completion)}，序时进度 {formatting.percent(time_progress)}"
    marker = f'<div class="mz-bar-mark" style="left:{mark:.1f}%"></div>' if mark is not None else ""
    return (
        f'<div class="mz-bar" title="{_esc(title)}">'
        f'<div class="mz-bar-fill" style="width:{fill:.1f}%;background:{color}"></div>{marker}</div>'
    )


def card_html(card: Mapping, large: bool = False) -> str:
    """One indicator card (a row of `overview.cards()`): actual with unit, target, completion,
    a progress bar with the 序时进度 mark, status colour, change against last year."""
    status = str(card["status"])
    color = formatting.STATUS_COLORS.get(status, formatting.STATUS_COLORS["无计划"])
    unit = str(card["unit_label"])
    value = formatting.number(card["actual"])
    if _present(card.get("target")):
        target = f"目标 <b>{_esc(formatting.number(card['target'], unit))}</b>"
        target += '</div><div class="mz-card-line">'
        target += f"完成率 <b>{_esc(formatting.percent(card['completion']))}</b>"
    else:
        target = "尚无年度计划"
    last = card.get("last_year")
    if _present(card.get("change")):
        arrow = "▲" if float(card["change"]) >= 0 else "▼"
        before = f"去年同期 {_esc(formatting.number(last, unit))}"
        change = (
            f"同比 <b>{arrow} {_esc(formatting.change(card['change']))}</b>"
            f'</div><div class="mz-card-line mz-muted">{before}'
        )
    else:
        change = "同比 —（去年同期无数据）"
    legend = f"<span>▍序时进度 {_esc(formatting.percent(card.get('time_progress')))}</span>"
    return (
        f'<div class="mz-card{" mz-large" if large else ""}" style="--mz-status:{color}">'
        f'<div class="mz-card-top"><span class="mz-card-name">{_esc(card["name"])}</span>'
        f'<span class="mz-badge">{_esc(status)}</span></div>'
        f'<div class="mz-card-value">{_esc(value)}<span class="mz-card-unit">{_esc(unit)}</span></div>'
        f'<div class="mz-card-line">{target}</div>'
        f"{_bar(card.get('completion'), card.get('time_progress'), color)}"
        f'<div class="mz-bar-legend">{legend}</div>'
        f'<div class="mz-card-line">{change}</div>'
        "</div>"
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
            f"<td>{i}</td><td><b>{_esc(row['township'])}</b></td><td>{_esc(row['indicator_name'])}</td>"
            f"<td>{_esc(formatting.number(row['actual'], unit))} / {_esc(formatting.number(row['target'], unit))}</td>"
            f"<td><b>{_esc(formatting.percent(row['completion']))}</b></td>"
            f"<td>{_esc(formatting.percent(row['time_progress']))}</td>"
            f'<td style="color:{color};font-weight:700">{_esc(formatting.points(row["gap"]))}</td>'
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
.mz-table td.mz-num,.mz-table th.mz-num{text-align:right;font-variant-numeric:tabular-nums}
.mz-table tbody tr:hover{background:#f6f8fa}
</style>
"""


def _cell(value, column: str, formats: Mapping[str, set[str]]) -> str:
    if not _present(value):
        return '<td class="mz-num">—</td>'
    if column in formats["plain"]:
        return f"<td>{_esc(value)}</td>"
    if isinstance(value, pd.Timestamp | dt.datetime):
        return f"<td>{value:%Y-%m-%d %H:%M}</td>"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        color = formatting.STATUS_COLORS.get(str(value))
        style = f' style="color:{color};font-weight:700"' if color else ""
        return f"<td{style}>{_esc(value)}</td>"
    if column in formats["percent"]:
        text = formatting.percent(value)
    elif column in formats["points"]:
        text = formatting.points(value)
    else:
        text = formatting.number(round(value) if column in formats["whole"] else value)
    return f'<td class="mz-num">{_esc(text)}</td>'


def table_html(
    table: pd.DataFrame,
    percent: Iterable[str] = (),
    points: Iterable[str] = (),
    whole: Iterable[str] = (),
    plain: Iterable[str] = (),
    max_height: int | None = None,
) -> str:
    """A display table (Chinese headers, units in the headers) as a plain ruled HTML table:
    numbers right-aligned with thousands separators, the `percent` columns as 85.3%, the
    `points` columns in percentage points, the `whole` columns rounded, the `plain` ones (such as
    batch numbers) as they are, times to the minute, missing values as —, a status word in its
    colour. Every text is escaped. Pages show small
    read-only tables this way instead of a data grid, which costs a new browser tab about half
    a second to load (bench/RESULTS.md)."""
    formats = {
        "percent": set(percent),
        "points": set(points),
        "whole": set(whole),
        "plain": set(plain),
    }
    columns = list(table.columns)
    numeric = {
        c
        for c in columns
        if pd.api.types.is_numeric_dtype(table[c].dtype) and c not in formats["plain"]
    }
    head = "".join(
        f'<th class="mz-num">{_esc(c)}</th>' if c in numeric else f"<th>{_esc(c)}</th>"
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


# --- view helpers: what the pages show, prepared here so pages/ stay arithmetic-free ----------


def data_state(cards: pd.DataFrame) -> dict[str, bool]:
    """Whether the year has any actual and any target (for the empty states)."""
    return {
        "has_data": bool((cards["actual"].fillna(0) != 0).any()) if len(cards) else False,
        "has_plan": bool(cards["target"].notna().any()) if len(cards) else False,
    }


def card_state(card: Mapping) -> dict[str, bool]:
    """Whether one indicator card has any actual and a target."""
    return {
        "has_data": _present(card.get("actual")) and float(card["actual"]) != 0,
        "has_plan": _present(card.get("target")),
    }


def freshness_text(fresh: pd.DataFrame) -> str:
    """'最新数据日期 2024-11-30 ｜ 最近一次报送 2024-12-05 09:00' from queries/data_freshness."""
    if fresh.empty:
        return "尚无数据"
    row = fresh.iloc[0]
    data_date = (
        pd.Timestamp(row["last_data_date"]).strftime("%Y-%m-%d")
        if _present(row["last_data_date"])
        else "—"
    )
    received = (
        pd.Timestamp(row["last_received"]).strftime("%Y-%m-%d %H:%M")
        if _present(row["last_received"])
        else "—"
    )
    return f"最新数据日期 {data_date} ｜ 最近一次报送 {received}"


def indicator_columns(cards: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(key, name, unit) per indicator in card order (core first): the matrix columns."""
    return [(r.indicator, r.name, r.unit_label) for r in cards.itertuples(index=False)]


def unit_progress(matrix: pd.DataFrame, township: str, cards: pd.DataFrame) -> pd.DataFrame:
    """Every catalog indicator for one unit (card order), with 无计划 and 0 where it has
    neither target nor data: indicator, indicator_name, unit_label, actual, target,
    completion, time_progress, gap, status."""
    own = matrix[matrix["township"] == township].set_index("indicator")
    rows = []
    for card in cards.itertuples(index=False):
        if card.indicator in own.index:
            row = own.loc[card.indicator]
            rows.append(
                {
                    "indicator": card.indicator,
                    "indicator_name": card.name,
                    "unit_label": card.unit_label,
                    "actual": float(row["actual"]),
                    "target": row["target"],
                    "completion": row["completion"],
                    "time_progress": row["time_progress"],
                    "gap": row["gap"],
                    "status": row["status"],
                }
            )
        else:
            rows.append(
                {
                    "indicator": card.indicator,
                    "indicator_name": card.name,
                    "unit_label": card.unit_label,
                    "actual": 0.0,
                    "target": None,
                    "completion": None,
                    "time_progress": card.time_progress,
                    "gap": None,
                    "status": "无计划",
                }
            )
    return pd.DataFrame(rows)


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status, in the app's status order."""
    values = list(statuses)
    return {s: values.count(s) for s in formatting.STATUS_ORDER}


def report_counts(grid: pd.DataFrame) -> dict[str, int]:
    """How many township-months are 已报 / 迟报 / 未报 / 未到期."""
    values = list(grid["status"]) if len(grid) else []
    return {s: values.count(s) for s in formatting.REPORT_COLORS}


def due_date(grid: pd.DataFrame, month: int) -> dt.date:
    """The due date of a month's report in the grid."""
    return pd.Timestamp(grid[grid["month"] == month]["due_date"].iloc[0]).date()


def late_reports(grid: pd.DataFrame) -> pd.DataFrame:
    """The 迟报 cells as a display table (乡镇, 月份, 截止日期, 首次报送)."""
    late = grid[grid["status"] == "迟报"]
    return pd.DataFrame(
        {
            "乡镇": late["township"],
            "月份": [f"{m}月" for m in late["month"]],
            "截止日期": [pd.Timestamp(d).date() for d in late["due_date"]],
            "首次报送": [pd.Timestamp(d).to_pydatetime() for d in late["first_received"]],
        }
    ).reset_index(drop=True)


def late_html(late: pd.DataFrame) -> str:
    """`late_reports()` as a small HTML table (escaped): how many days after the due date each
    late month's first file came in."""
    rows = []
    for row in late.to_dict("records"):
        due, received = row["截止日期"], pd.Timestamp(row["首次报送"])
        days = (received.date() - due).days
        rows.append(
            f"<tr><td><b>{_esc(row['乡镇'])}</b></td><td>{_esc(row['月份'])}</td>"
            f"<td>{due.isoformat()}</td><td>{received:%Y-%m-%d %H:%M}</td>"
            f'<td style="color:{formatting.REPORT_COLORS["迟报"]};font-weight:700">'
            f"晚 {days} 天</td></tr>"
        )
    head = ("乡镇", "月份", "截止日期", "首次报送", "迟了")
    return _list_table("mz-late", head, rows, "font-size:15px")


def headline(card: Mapping) -> dict[str, str]:
    """An indicator card's numbers as display text: actual, target, completion, time progress,
    change, last year and the year-end projection (rounded to whole units)."""
    unit = str(card["unit_label"])
    projected = card.get("projected")
    return {
        "actual": formatting.number(card["actual"], unit),
        "target": formatting.number(card.get("target"), unit),
        "completion": formatting.percent(card.get("completion")),
        "time_progress": formatting.percent(card.get("time_progress")),
        "change": formatting.change(card.get("change")),
        "last_year": formatting.number(card.get("last_year"), unit),
        "projected": formatting.number(round(float(projected)), unit)
        if _present(projected)
        else "—",
        "status": str(card["status"]),
    }


def headline_html(card: Mapping) -> str:
    """The indicator page's headline figures as a wrapping row of tiles: each number in large
    type with its unit beside it (never cut off, whatever the screen width). Escaped."""
    text = headline(card)

    def tile(label: str, value: str, note: str = "") -> str:
        number, _, suffix = value.partition(" ")
        suffix_html = f'<span class="mz-card-unit">{_esc(suffix)}</span>' if suffix else ""
        note_html = f'<div class="mz-card-line">{_esc(note)}</div>' if note else ""
        return (
            f'<div class="mz-kpi"><div class="mz-muted">{_esc(label)}</div>'
            f'<div class="mz-card-value">{_esc(number)}{suffix_html}</div>{note_html}</div>'
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


def months_table(months: pd.DataFrame, unit: str, year: int) -> pd.DataFrame:
    """`trends.months()` with Chinese headers (for the page and the Excel download); the plan
    line is rounded to whole units."""

    def numbers(column: str):
        return pd.to_numeric(months[column], errors="coerce").astype("float64").to_numpy()

    return pd.DataFrame(
        {
            "月份": MONTHS,
            f"当月完成（{unit}）": numbers("actual"),
            f"累计完成（{unit}）": numbers("cumulative"),
            f"计划累计（{unit}）": pd.Series(numbers("plan_cumulative")).round(0).to_numpy(),
            f"{year - 1}年当月（{unit}）": numbers("last_year"),
            f"{year - 1}年累计（{unit}）": numbers("last_year_cumulative"),
        }
    )


def ranking_table(ranking: pd.DataFrame, unit: str) -> pd.DataFrame:
    """`trends.ranking()` with Chinese headers; fractions stay fractions (Excel shows %)."""
    return pd.DataFrame(
        {
            "名次": range(1, len(ranking) + 1),
            "乡镇": ranking["township"].to_numpy(),
            f"完成（{unit}）": ranking["actual"].to_numpy(),
            f"年度目标（{unit}）": ranking["target"].to_numpy(),
            "完成率": ranking["completion"].to_numpy(),
            "序时进度": ranking["time_progress"].to_numpy(),
            "完成率减序时进度": ranking["gap"].to_numpy(),
            "状态": ranking["status"].to_numpy(),
            f"预计全年（{unit}）": ranking["projected"].to_numpy(),
        }
    )


def progress_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`unit_progress()` or the behind list as display text with Chinese headers: units in
    the cells, percentages like 85.3% (the 乡镇 column only when the rows have one)."""
    table = {}
    if "township" in rows:
        table["乡镇"] = rows["township"].to_numpy()
    units = list(rows["unit_label"])
    table["指标"] = rows["indicator_name"].to_numpy()
    table["完成"] = [formatting.number(v, u) for v, u in zip(rows["actual"], units, strict=True)]
    table["年度目标"] = [
        formatting.number(v, u) for v, u in zip(rows["target"], units, strict=True)
    ]
    table["完成率"] = [formatting.percent(v) for v in rows["completion"]]
    table["序时进度"] = [formatting.percent(v) for v in rows["time_progress"]]
    table["差距"] = [formatting.points(v) for v in rows["gap"]]
    table["状态"] = rows["status"].to_numpy()
    return pd.DataFrame(table)


def month_span(months: Iterable[str]) -> str:
    """['2024-01', …, '2024-11'] → '2024年1—11月'; gaps and other years are listed."""
    keys = sorted({(int(m[:4]), int(m[5:7])) for m in months})
    if not keys:
        return "—"
    years = {y for y, _ in keys}
    numbers = [m for _, m in keys]
    if len(years) == 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        year = keys[0][0]
        if len(numbers) == 1:
            return f"{year}年{numbers[0]}月"
        return f"{year}年{numbers[0]}—{numbers[-1]}月"
    return "、".join(f"{y}年{m}月" for y, m in keys)


def batches_table(batches: pd.DataFrame) -> pd.DataFrame:
    """queries/unit_batches with Chinese headers (the files a unit sent)."""
    return pd.DataFrame(
        {
            "批次号": batches["batch_id"].to_numpy(),
            "文件名": batches["file_name"].to_numpy(),
            "月份": [month_span(months) for months in batches["months"]],
            "行数": batches["rows"].to_numpy(),
            "收到时间": batches["received_at"].to_numpy(),
            "导入时间": batches["loaded_at"].to_numpy(),
            "导入人": batches["loaded_by"].to_numpy(),
            "状态": [BATCH_STATUS.get(s, s) for s in batches["status"]],
            "演示数据": ["是" if d else "" for d in batches["is_demo"]],
        }
    )
