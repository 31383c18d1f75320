"""Tests of minzheng.views.cards: the indicator card and headline tiles, the HTML monthly bars,
escaped text, units beside numbers and the status colours."""

import pandas as pd

from minzheng import formatting
from minzheng.views import cards as card_views
from minzheng.views import shaping
from tests.samples import card


def test_unit_trends_html_one_panel_per_indicator():
    trends = pd.DataFrame(
        {
            "indicator": ["patrols_run", "patrols_run", "lectures_held"],
            "indicator_name": ["街面巡查", "街面巡查", "法治讲座"],
            "unit_label": ["次", "次", "场"],
            "month": [1, 3, 2],
            "actual": [4.0, 6.0, 1.0],
        }
    )
    indicators = [
        ("patrols_run", "街面巡查", "次"),
        ("lectures_held", "法治<讲座>", "场"),
        ("cases_handled", "信访", "件"),
    ]
    html = card_views.unit_trends_html(trends, indicators, last_month=3)
    assert html.count('class="mz-trend"') == 3
    assert html.count('class="mz-spark-bar"') == 9  # three months per panel
    assert 'title="1月：4 次"' in html and 'title="2月：0 次"' in html
    assert 'title="3月：6 次"' in html and 'title="2月：1 场"' in html
    assert "合计 <b>10 次</b>，最多 6 次" in html and "合计 <b>0 件</b></div>" in html
    assert "height:100.0%" in html and "height:66.7%" in html  # each panel to its own peak
    assert "法治&lt;讲座&gt;（场）" in html and "<讲座>" not in html
    assert "<span>3月</span>" in html and "<svg" not in html


def test_card_html_escapes_and_shows_units_marker_and_status_colour():
    html = card_views.card_html(card(name="<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "3,977" in html and "人次" in html and "4,460 人次" in html
    assert "89.2%" in html and "91.0%" in html
    assert 'class="mz-bar-mark" style="left:91.0%"' in html
    assert formatting.STATUS_COLORS["正常"] in html
    assert "-5.4%" in html and "去年同期 4,206 人次" in html
    large = card_views.card_html(card(), large=True)
    assert "mz-large" in large


def test_card_html_without_plan_or_last_year():
    html = card_views.card_html(
        card(target=None, completion=None, status="无计划", change=None, last_year=0.0)
    )
    assert "尚无年度计划" in html and "去年同期无数据" in html
    assert formatting.STATUS_COLORS["无计划"] in html
    assert "mz-bar-mark" in html  # time progress is still marked


def test_large_headline_numbers_are_at_least_48px():
    assert "font-size:clamp(52px" in card_views.CARD_CSS


def test_sparkline_html_bars_tooltips_and_escaping():
    html = card_views.sparkline_html([0.0, 5.0, 10.0], "<b>街面巡查</b>", "次")
    assert html.count('class="mz-spark-bar"') == 3
    assert 'title="3月：10 次"' in html and 'title="1月：0 次"' in html
    assert "height:100.0%" in html and "height:50.0%" in html and "height:0.0%" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<svg" not in html  # inline SVG is stripped by Streamlit's HTML sanitizer


def test_headline_html_tiles_keep_units_and_escape():
    tiles = card_views.headline_html(card())
    text = shaping.headline(card())
    assert tiles.count('class="mz-kpi"') == 6
    number, _, unit = text["actual"].partition(" ")
    assert f'{number}<span class="mz-card-unit">{unit}</span>' in tiles
    assert f"去年同期 {text['last_year']}" in tiles
    assert "<script" not in card_views.headline_html({**card(), "unit_label": "<script>"})
