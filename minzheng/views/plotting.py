"""The plotly plumbing shared by the figures: one look (Chinese font, white, legend on top), the
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
    return {"orientation": "h", "y": -0.01, "yanchor": "top", "x": 0, "xanchor": "left"}
