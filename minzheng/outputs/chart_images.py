"""Plotly figures as PNG images (for the Word report and for slides).

Plotly's static export (kaleido ≥ 1) drives a Chrome-family browser. Kaleido's browser finder
(choreographer) takes the `BROWSER_PATH` environment variable if set, else looks on PATH for
chrome/chromium (Debian's /usr/bin/chromium qualifies). We never download a browser
(`kaleido.get_chrome`): without one, `render` raises `ChartImagesUnavailable` with a Chinese
reason and the caller writes its text without pictures.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import plotly.graph_objects as go

from minzheng.errors import MinzhengError

DISABLE_ENV = (
    "MINZHENG_CHART_IMAGES"  # "0" turns chart images off (e.g. on a server without a browser)
)


class ChartImagesUnavailable(MinzhengError):
    """Charts could not be turned into images; `str()` says why, in Chinese."""


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "Chrome" in text or "browser" in text.lower() or "chromium" in text.lower():
        return "本机没有可用于导出图表的浏览器（Chrome 或 Chromium）"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"图表导出失败（{first[:120]}）"


def render(figures: list[go.Figure], width: int = 1000, scale: float = 2) -> list[bytes]:
    """Each figure as PNG bytes (its own height, 520 px if unset), all in one browser session;
    raises ChartImagesUnavailable."""
    if os.environ.get(DISABLE_ENV, "").strip() == "0":
        raise ChartImagesUnavailable(f"已按设置（{DISABLE_ENV}=0）关闭图表图片")
    if not figures:
        return []
    try:
        import plotly.io as pio
    except ImportError as exc:  # pragma: no cover - plotly is a hard dependency
        raise ChartImagesUnavailable(_reason(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="minzheng-charts-") as folder:
        paths = [Path(folder) / f"chart{i}.png" for i in range(len(figures))]
        try:
            heights = [int(f.layout.height or 520) for f in figures]
            pio.write_images(figures, paths, format="png", width=width, height=heights, scale=scale)
        except Exception as exc:  # kaleido raises RuntimeError/ValueError/its own errors
            raise ChartImagesUnavailable(_reason(exc)) from exc
        images = [p.read_bytes() for p in paths]
    if not all(img.startswith(b"\x89PNG") for img in images):
        raise ChartImagesUnavailable("图表导出失败（生成的不是 PNG 图片）")
    return images
