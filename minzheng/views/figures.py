"""Plotly figures of the leadership pages, the meeting-room screen and the annual report.

DataFrames from `minzheng.measures` in, a `plotly.graph_objects.Figure` out: Chinese labels, every
hover names its unit, one colour per status (`formatting.STATUS_COLORS`, `REPORT_COLORS`);
`plotting.projector` turns any of them into the large-type version for the meeting room.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from minzheng import formatting
from minzheng.views import plotting
from minzheng.views.style import (
    ACTUAL,
    ACTUAL_LIGHT,
    GRID,
    INK,
    LAST_YEAR,
    MONTHS,
    MUTED,
)


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
    return plotting.figure(
        [line],
        "",
        56,
        margin={"l": 2, "r": 2, "t": 4, "b": 2},
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False, "rangemode": "tozero"},
        hoverlabel={"font": {"size": 12}},
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
                formatting.percent(row.completion, 0)
                if not formatting.missing(row.completion)
                else "—"
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
        "x": [plotting.wrap(name) for _, name, _ in indicators],
        "y": townships,
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"color": "#ffffff", "size": 13},
        "customdata": custom,
        "colorscale": plotting.discrete_scale(formatting.STATUS_ORDER, formatting.STATUS_COLORS),
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
    return plotting.figure(
        [heat, *plotting.status_legend(formatting.STATUS_ORDER, formatting.STATUS_COLORS)],
        title or "各乡镇各指标进度（格内为完成率）",
        140 + 36 * max(len(townships), 1),
        130,
        legend=plotting.bottom_legend(),
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
    cum = [v if not formatting.missing(v) else None for v in months["cumulative"]]
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
    return plotting.figure(
        traces,
        f"{who}{name}：累计完成与年度计划（{year}年，截至{as_of.isoformat()}）",
        520,
        96,
        hovermode="x unified",
        bargap=0.35,
        xaxis={"anchor": "y", "matches": "x2", "showticklabels": False, "showgrid": False},
        yaxis={"anchor": "x", "domain": top, **value_axis},
        xaxis2=plotting.axis(anchor="y2", showgrid=False),
        yaxis2=plotting.axis(anchor="x2", domain=bottom, **value_axis),
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
        if not formatting.missing(row["completion"]):
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
    legend = plotting.status_legend(
        [s for s in formatting.STATUS_ORDER if s in present], formatting.STATUS_COLORS
    )
    right = max([1.0, *completion]) * 1.3
    return plotting.figure(
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
                    if not formatting.missing(received)
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
            "colorscale": plotting.discrete_scale(order, formatting.REPORT_COLORS),
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
    traces += plotting.status_legend(order, formatting.REPORT_COLORS)
    return plotting.figure(
        traces,
        title or f"{year}年各乡镇每月台账报送情况",
        130 + 34 * max(len(townships), 1),
        90,
        legend=plotting.bottom_legend(),
        xaxis={"side": "top", "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
    )
