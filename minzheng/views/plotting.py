"""The plotly plumbing shared by the figures: one look (Chinese font, white, legend below), the
status legend and colour scales, and `projector`, which enlarges any figure for the meeting room.
Figures are built from plain dicts in one go: plotly's update_layout calls re-validate on every
call and cost about ten times as much."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import plotly.graph_objects as go

from minzheng.views.style import FONT, GRID, INK


def wrap(text: str, width: int = 5) -> str:
    """A Chinese label broken every `width` characters (for crowded axis ticks)."""
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width)) or text


TITLE_WIDTH = 17  # characters of a title line: a 390 px phone holds about 20 at 17 px
TITLE_LINE = 22  # px a further title line needs
_BREAK_AFTER = "：，"
_BREAK_BEFORE = "（"


def _width(text: str) -> float:
    """Display width in Chinese characters (digits and Latin letters are about half as wide)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def title_lines(text: str, width: float = TITLE_WIDTH) -> list[str]:
    """A title broken into lines of at most `width` characters where it can be: after “：” or
    “，”, before “（”; a part still too long is cut every `width` characters. Plotly does not wrap
    titles itself, and on a phone a one-line chart title runs off the chart."""
    parts, start = [], 0
    for i, ch in enumerate(text):
        if ch in _BREAK_AFTER:
            parts.append(text[start : i + 1])
            start = i + 1
        elif ch in _BREAK_BEFORE and i > start:
            parts.append(text[start:i])
            start = i
    parts.append(text[start:])
    lines: list[str] = []
    for part in filter(None, parts):
        if lines and _width(lines[-1] + part) <= width:
            lines[-1] += part
            continue
        while _width(part) > width:
            cut = next(i for i in range(len(part) + 1) if _width(part[:i]) > width) - 1
            lines.append(part[:cut])
            part = part[cut:]
        lines.append(part)
    return lines or [text]


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


def axis(**options) -> dict:
    """An axis in the shared look (fixed range: the charts are read, not explored)."""
    return {"automargin": True, "linecolor": GRID, "tickcolor": GRID, "fixedrange": True, **options}


def figure(traces: list[dict], title: str, height: int, top: int = 70, **layout) -> go.Figure:
    """A figure from plain trace dicts and the shared look (Chinese font, white, legend below).

    A long title is broken into lines (`title_lines`); each further line adds to the top margin
    and the height, so the plot keeps its size. The legend sits under the chart, left-aligned:
    above it, on a phone, it ran over the title and the axis captions."""
    lines = title_lines(title) if title else []
    extra = TITLE_LINE * max(len(lines) - 1, 0)
    top, height = top + extra, height + extra
    base = {
        "title": {
            "text": "<br>".join(lines),
            "x": 0.005,
            "xanchor": "left",
            "font": {"size": 17, "color": INK},
        },
        "font": {"family": FONT, "size": 13, "color": INK},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 24, "t": top, "b": 10},
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "bgcolor": "#ffffff"},
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 12},
        },
        "xaxis": axis(),
        "yaxis": axis(),
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


def status_legend(statuses: Iterable[str], colors: Mapping[str, str]) -> list[dict]:
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


def discrete_scale(order: Iterable[str], colors: Mapping[str, str]) -> list:
    """A heatmap colour scale with one solid band per status, for codes 0..n-1 in `order`."""
    order = list(order)
    n = len(order)
    scale: list = []
    for i, name in enumerate(order):
        scale += [[i / n, colors[name]], [(i + 1) / n, colors[name]]]
    return scale


def bottom_legend() -> dict:
    """A legend in one row under the chart, left-aligned (the heatmaps' status key)."""
    return {
        "orientation": "h",
        "yref": "paper",
        "y": -0.01,
        "yanchor": "top",
        "x": 0,
        "xanchor": "left",
    }
