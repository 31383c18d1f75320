"""Tests of minzheng.normalize: text, quantities, dates, month headers, year/month in titles."""

import datetime as dt

import pytest

from minzheng import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("发放 宣传资料", "发放宣传资料"),
        ("发放\u3000宣传资料", "发放宣传资料"),
        ("（份）", "(份)"),
        (12.0, "12"),
        (None, ""),
    ],
)
def test_text_normalises_spaces_and_full_width(raw, expected):
    assert normalize.text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "number", "unit", "approx"),
    [
        (120, 120.0, "", False),
        (12.0, 12.0, "", False),
        ("1,200", 1200.0, "", False),
        ("１２０", 120.0, "", False),
        ("30人次", 30.0, "人次", False),
        ("200份", 200.0, "份", False),
        ("200余份", 200.0, "份", True),
        ("约50份", 50.0, "份", True),
        ("1000多", 1000.0, "", True),
        (" 7 ", 7.0, "", False),
    ],
)
def test_quantity_forms(raw, number, unit, approx):
    assert normalize.quantity(raw) == (number, unit, approx)


@pytest.mark.parametrize("raw", ["abc", "", "十二", "1.2.3", True, float("nan"), float("inf")])
def test_quantity_rejects(raw):
    with pytest.raises(normalize.QuantityError):
        normalize.quantity(raw)


@pytest.mark.parametrize(
    ("raw", "expected", "month_only"),
    [
        (dt.date(2023, 3, 5), dt.date(2023, 3, 5), False),
        (dt.datetime(2023, 3, 5, 10, 0), dt.date(2023, 3, 5), False),
        (44990, dt.date(2023, 3, 5), False),
        (44990.0, dt.date(2023, 3, 5), False),
        ("44990", dt.date(2023, 3, 5), False),
        ("2023-03-05", dt.date(2023, 3, 5), False),
        ("2023/3/5", dt.date(2023, 3, 5), False),
        ("2023.3.5", dt.date(2023, 3, 5), False),
        ("2023年3月5日", dt.date(2023, 3, 5), False),
        ("２０２３年３月５日", dt.date(2023, 3, 5), False),
        ("20230305", dt.date(2023, 3, 5), False),
        ("2023-03-05 14:30", dt.date(2023, 3, 5), False),
        ("2023年3月", dt.date(2023, 3, 1), True),
        ("2023-03", dt.date(2023, 3, 1), True),
    ],
)
def test_date_forms(raw, expected, month_only):
    assert normalize.date(raw) == (expected, month_only)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("2023-02-30", "日期不存在"),
        ("2023年2月30日", "日期不存在"),
        ("2023-13", "月份不存在"),
        ("昨天", "应为日期"),
        ("", "日期为空"),
        (-5, "应为日期"),
    ],
)
def test_date_rejects(raw, fragment):
    with pytest.raises(normalize.DateError, match=fragment):
        normalize.date(raw)


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("1月", 1),
        ("01月", 1),
        ("一月", 1),
        ("十月", 10),
        ("十二月份", 12),
        ("2023年3月", 3),
        ("12 月", 12),
        ("合计", None),
        ("13月", None),
        ("月份", None),
    ],
)
def test_month_header(raw, month):
    assert normalize.month_header(raw) == month


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("武乡县丰州镇2023年4月工作台账", (2023, 4)),
        ("2023年二月", (2023, 2)),
        ("三月", (None, 3)),
        ("丰州镇2024年度工作汇总", (2024, None)),
        ("洪水镇2023年十二月走访台账", (2023, 12)),
        ("丰州镇_2023_05", (2023, None)),
        ("工作台账", (None, None)),
    ],
)
def test_year_month_in_titles(raw, expected):
    assert normalize.year_month_in(raw) == expected


def test_header_strips_brackets_and_bracketed_reads_unit():
    assert normalize.header("数量（人次/份/次）") == "数量"
    assert normalize.bracketed("发放宣传资料（份）") == "份"
    assert normalize.bracketed("发放宣传资料") == ""
