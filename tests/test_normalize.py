"""Tests of minzheng.normalize: text, quantities, dates, month headers, year/month in titles."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# 十二 was refused here until Chinese numerals were read (issue 13); it is now a quantity.
@pytest.mark.parametrize("raw", ["abc", "", "1.2.3", True, float("nan"), float("inf")])
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


# --- Chinese numerals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "unit", "approx"),
    [
        ("三", 3.0, "", False),
        ("两", 2.0, "", False),
        ("十", 10.0, "", False),
        ("十二", 12.0, "", False),
        ("二十五", 25.0, "", False),
        ("一百二十", 120.0, "", False),
        ("一千零五", 1005.0, "", False),
        ("壹", 1.0, "", False),
        ("贰拾叁", 23.0, "", False),
        ("壹佰贰拾", 120.0, "", False),
        ("叁仟零伍", 3005.0, "", False),
        ("三场", 3.0, "场", False),
        ("两次", 2.0, "次", False),
        ("二十五人次", 25.0, "人次", False),
        ("一百二十份", 120.0, "份", False),
        ("约三十人", 30.0, "人", True),
        ("二十余份", 20.0, "份", True),
        ("三百五", 350.0, "", False),
        ("一百多人次", 100.0, "人次", True),
        ("两万", 20000.0, "", False),
        ("１２０人次", 120.0, "人次", False),
    ],
)
def test_quantity_reads_chinese_numerals(raw, number, unit, approx):
    assert normalize.quantity(raw) == (number, unit, approx)


@pytest.mark.parametrize(
    "raw",
    [
        "三月",
        "第三",
        "一些",
        "一二三",
        "壹贰叁",
        "十十",
        "零五",
        "三楼",
        "百",
        "两三次",
        "十几",
        "一千零五百",
    ],
)
def test_quantity_refuses_text_that_is_not_a_number(raw):
    with pytest.raises(normalize.QuantityError):
        normalize.quantity(raw)


_LOWER = ("零", "一二三四五六七八九", "十百千万")
_UPPER = ("零", "壹贰叁肆伍陆柒捌玖", "拾佰仟萬")


def _write_chinese(n: int, chars: tuple[str, str, str]) -> str:
    """n in standard Chinese numerals: a zero between non-zero places, 十 for 10–19."""
    zero, digits, units = chars
    if n == 0:
        return zero

    def below_10000(v: int, leading: bool) -> str:
        out, pending_zero = "", False
        for place, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
            d = v // place % 10
            if d == 0:
                pending_zero = bool(out)
                continue
            if pending_zero:
                out += zero
                pending_zero = False
            if not (d == 1 and place == 10 and not out and leading):
                out += digits[d - 1]
            out += unit
        return out

    high, low = divmod(n, 10000)
    if not high:
        return below_10000(low, True)
    written = below_10000(high, True) + units[3]
    if low:
        written += (zero if low < 1000 else "") + below_10000(low, False)
    return written


@given(st.integers(min_value=0, max_value=99999), st.sampled_from([_LOWER, _UPPER]))
def test_chinese_numerals_read_back(n, chars):
    written = _write_chinese(n, chars)
    assert normalize.chinese_number(written) == n, written
    assert normalize.quantity(written + "人次") == (float(n), "人次", False)


# --- dates without a year, date ranges ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3月5日", dt.date(2025, 3, 5)),
        ("3月5号", dt.date(2025, 3, 5)),
        ("3/5", dt.date(2025, 3, 5)),
        ("3.5", dt.date(2025, 3, 5)),
        ("12.25", dt.date(2025, 12, 25)),
        ("３月５日", dt.date(2025, 3, 5)),
        ("3月5日-7日", dt.date(2025, 3, 5)),
        ("3月5日至3月7日", dt.date(2025, 3, 5)),
        ("3月5日-4月2日", dt.date(2025, 3, 5)),
        ("3月5-7日", dt.date(2025, 3, 5)),
        ("3/5~3/9", dt.date(2025, 3, 5)),
        ("12月30日-1月2日", dt.date(2025, 12, 30)),
        ("2024.3.5-3.7", dt.date(2024, 3, 5)),
        ("2024年3月5日至2024年3月7日", dt.date(2024, 3, 5)),
        ("2024-03-05至2024-03-07", dt.date(2024, 3, 5)),
    ],
)
def test_dates_without_year_and_ranges(raw, expected):
    assert normalize.date(raw, year=2025) == (expected, False)


def test_month_without_year_is_month_only():
    assert normalize.date("3月", year=2025) == (dt.date(2025, 3, 1), True)


@pytest.mark.parametrize("raw", ["3月5日", "3/5", "3.5", "3月5日-7日", "3月"])
def test_year_less_dates_need_a_year(raw):
    with pytest.raises(normalize.MissingYearError, match="没有写年份"):
        normalize.date(raw)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("2月30日", "日期不存在"),
        ("13/5", "月份不存在"),
        ("3月7日-3月5日", "结束日早于开始日"),
        ("3月5日-2月31日", "日期不存在"),
        ("3.5.7", "应为日期"),
    ],
)
def test_year_less_date_rejects(raw, fragment):
    with pytest.raises(normalize.DateError, match=fragment):
        normalize.date(raw, year=2025)


@pytest.mark.parametrize(
    "raw", ["2023-03-05", "2023年3月5日", "2023/3/5", 44990, dt.date(2023, 3, 5), "2023年3月"]
)
def test_full_dates_ignore_the_context_year(raw):
    assert normalize.date(raw, year=2025) == normalize.date(raw)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["{m}月{d}日", "{m}/{d}", "{m}.{d}", "{m}月{d}号"]),
    st.sampled_from(["-", "至", "~", "—", "到"]),
    st.sampled_from(["end_day", "end_month_day", "none"]),
)
def test_year_less_dates_and_ranges_property(start, length, form, sep, end_form):
    written = form.format(m=start.month, d=start.day)
    end = start + dt.timedelta(days=length)
    if end_form == "end_day" and end.month == start.month:
        written += sep + (f"{end.day}日" if "月" in form else str(end.day))
    elif end_form == "end_month_day" and end.year == start.year:
        written += sep + form.format(m=end.month, d=end.day)
    assert normalize.date(written, year=start.year) == (start, False)
    with pytest.raises(normalize.DateError):
        normalize.date(written)


# --- the year a sheet is about ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "year"),
    [
        (("武乡县丰州镇2023年4月工作台账", "Sheet1", "丰州镇台账"), 2023),
        (("", "2024年3月", "丰州镇_2024_03"), 2024),
        (("三月走访", "丰州镇", None), None),
        (("丰州镇_20250305",), None),
    ],
)
def test_context_year(texts, year):
    assert normalize.context_year(*texts) == year


@pytest.mark.parametrize(
    "texts", [("武乡县2024年工作台账", "3月", "丰州镇2025年3月"), ("2024—2025年度台账",)]
)
def test_context_year_refuses_two_years(texts):
    with pytest.raises(normalize.DateError, match="年份不明确") as info:
        normalize.context_year(*texts)
    assert "2024年" in str(info.value) and "2025年" in str(info.value)
