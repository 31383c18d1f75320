"""Tests of minzheng.outputs.report_text's wording helpers: how a figure, a change and a plan clause
are said."""

import pytest

from minzheng.outputs import report_text


@pytest.mark.parametrize(
    ("actual", "last", "text"),
    [
        (110, 100, "同比增长10.0%"),
        (90, 100, "同比下降10.0%"),
        (100.5, 100, "与上年同期基本持平"),
        (50, 0, ""),
        (50, None, ""),
    ],
)
def test_change_text(actual, last, text):
    assert report_text.change_text(actual, last) == text


def test_change_words_vary():
    assert {report_text.change_text(120, 100, v) for v in range(3)} == {
        "同比增长20.0%",
        "同比增加20.0%",
        "同比提高20.0%",
    }


@pytest.mark.parametrize(
    ("actual", "target", "full_year", "variant", "text"),
    [
        (90, 100, True, 0, "完成年度目标（100场）的90.0%"),
        (90, 100, True, 1, "为年度目标的90.0%"),
        (100, 100, True, 0, "全面完成年度目标任务"),
        (120, 100, True, 0, "超额完成年度目标任务"),
        (120, 100, True, 1, "完成年度目标的120.0%"),
        (120, 100, False, 0, "已完成年度目标的120.0%"),
        (5, None, True, 0, ""),
        (5, 0, True, 0, ""),
    ],
)
def test_plan_text(actual, target, full_year, variant, text):
    completion = actual / target if target else None
    assert report_text.plan_text(actual, target, completion, "场", full_year, variant) == text


def test_figures_and_phrases():
    assert report_text.figure(57600.0) == "57600"
    assert report_text.figure(12.5) == "12.5"
    assert report_text.pct(0.949494) == "94.9%"
    assert report_text.phrase("lectures_held", "法治讲座", "场", 3) == "举办法治讲座及婚姻大讲堂3场"
    assert report_text.phrase("elderly", "走访慰问老年人", "人次", 7) == "走访慰问老年人7人次"
