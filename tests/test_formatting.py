"""Tests of minzheng.formatting: Chinese-style numbers, percentages, one colour per status."""

import math

import pytest

from minzheng import formatting


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234, "人次", "1,234 人次"),
        (1234.0, "份", "1,234 份"),
        (12.5, "", "12.5"),
        (0, "场", "0 场"),
        (None, "件", "—"),
        (math.nan, "件", "—"),
        (1234567, "", "1,234,567"),
    ],
)
def test_number(value, unit, text):
    assert formatting.number(value, unit) == text


@pytest.mark.parametrize(
    ("value", "text"), [(0.853, "85.3%"), (1, "100.0%"), (None, "—"), (1.234, "123.4%")]
)
def test_percent(value, text):
    assert formatting.percent(value) == text


def test_change_and_points():
    assert formatting.change(0.125) == "+12.5%"
    assert formatting.change(-0.03) == "-3.0%"
    assert formatting.points(-0.052) == "-5.2 个百分点"
    assert formatting.change(None) == formatting.points(None) == "—"


def test_every_status_has_its_own_colour():
    assert set(formatting.STATUS_COLORS) == {"超前", "正常", "滞后", "无计划"}
    assert len(set(formatting.STATUS_COLORS.values())) == 4
    assert set(formatting.REPORT_COLORS) == {"已报", "迟报", "未报", "未到期"}


def test_month_span():
    assert formatting.month_span([f"2024-{m:02d}" for m in range(1, 12)]) == "2024年1—11月"
    assert formatting.month_span(["2024-03"]) == "2024年3月"
    assert formatting.month_span(["2024-01", "2024-03"]) == "2024年1月、2024年3月"
    assert formatting.month_span([]) == "—"
