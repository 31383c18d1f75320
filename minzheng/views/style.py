"""The shared look of the leadership views: colours, the Chinese font stack, month labels, the
PNG download settings of a chart, and the two small helpers every HTML builder uses (escaping and
the missing-value test). Pure: no Streamlit, no plotly."""

from __future__ import annotations

import html
import re

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
INK = "#1f2328"  # text
MUTED = "#57606a"  # secondary text and the plan line
GRID = "#d0d7de"
ACTUAL = "#0969da"  # this year's actuals: blue, deliberately not a status colour
ACTUAL_LIGHT = "#80b8f0"
LAST_YEAR = "rgba(87, 96, 106, 0.35)"  # last year: a faint grey
MONTHS = [f"{m}月" for m in range(1, 13)]


def esc(value) -> str:
    """Any value as text safe inside HTML, attributes included."""
    return html.escape(str(value), quote=True)


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
