"""Tests of minzheng.outputs.chart_images: plotly figures to PNG with Debian's Chromium, and the clear
refusal when there is no browser."""

from __future__ import annotations

import os
import shutil

import plotly.graph_objects as go
import pytest

from minzheng.outputs import chart_images

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _figures():
    bars = go.Figure(go.Bar(x=["丰州镇", "洪水镇"], y=[3, 5]))
    line = go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 4, 9]), layout={"height": 300})
    return [bars, line]


def test_png_images_with_chromium():
    if CHROMIUM is None and os.environ.get("CI") != "true":
        pytest.skip("Chromium not installed")
    images = chart_images.render(_figures(), width=600, scale=1)
    assert len(images) == 2
    assert all(img.startswith(b"\x89PNG\r\n\x1a\n") for img in images)
    # PNG IHDR: width and height as big-endian integers at bytes 16–24
    sizes = [(int.from_bytes(i[16:20], "big"), int.from_bytes(i[20:24], "big")) for i in images]
    assert sizes == [(600, 520), (600, 300)]


def test_no_browser_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(chart_images.ChartImagesUnavailable, match="没有可用于导出图表的浏览器"):
        chart_images.render(_figures())


def test_switched_off_by_environment(monkeypatch):
    monkeypatch.setenv(chart_images.DISABLE_ENV, "0")
    with pytest.raises(chart_images.ChartImagesUnavailable, match="关闭图表图片"):
        chart_images.render(_figures())


def test_nothing_to_draw():
    assert chart_images.render([]) == []
