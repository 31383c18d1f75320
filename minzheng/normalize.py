"""Turning the many ways townships write text, numbers and dates into one form each."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# C0/C1 control characters (bell, escape, backspace …) are never meant as text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BRACKETED = re.compile(r"[(\[{【][^)\]}】]*[)\]}】]")


def text(value: object) -> str:
    """Cell value as matching text: NFKC (full-width → half-width) with all whitespace removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def header(value: object) -> str:
    """Header text for synonym lookup: normalised, bracketed remarks such as （人次/份） removed."""
    return _BRACKETED.sub("", text(value)).rstrip(":*")


def bracketed(value: object) -> str:
    """The text inside the first pair of brackets, e.g. 份 in 发放宣传资料（份）; '' if none."""
    match = _BRACKETED.search(text(value))
    return match.group(0)[1:-1] if match else ""


def display(value: object) -> str:
    """A cell value shown back to the user in a message (short, single-line)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.15g}"  # 1e+308, not 309 digits
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    shown = _SPACES.sub(" ", _CONTROL.sub(" ", str(value))).strip()
    return shown if len(shown) <= 40 else shown[:40] + "…"


# --- quantities -------------------------------------------------------------------------------

_QUANTITY = re.compile(
    r"^(?P<prefix>约|大约|近|共|计|共计)?(?P<num>[-+]?\d+(?:\.\d+)?)"
    r"(?P<approx>余|多|以上|左右)?(?P<unit>[^\d.]*?)(?P<approx2>余|多|以上|左右)?$"
)
_CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟萬貳參陸"
# A numeral written in Chinese is only a quantity when followed by nothing or by a measure word:
# 三月, 一些, 三楼 are not counts, while 三场, 两次, 二十五人次 are.
_CN_MEASURE_WORDS = (
    "人次|户次|场次|人|次|份|场|件|户|个|名|位|期|张|册|本|起|批|项|条|篇|套|家|所|处|支|堂|轮|趟"
)
_CN_QUANTITY = re.compile(
    rf"^(?P<prefix>约|大约|近|共|计|共计)?(?P<num>[{_CN_NUMERAL_CHARS}]+)"
    rf"(?P<approx>余|多|以上|左右)?(?P<unit>(?:{_CN_MEASURE_WORDS})?)(?P<approx2>余|多|以上|左右)?$"
)


class QuantityError(ValueError):
    """The value is not a usable quantity; the message says what is wrong (Chinese)."""


def quantity(value: object) -> tuple[float, str, bool]:
    """Parse a quantity cell: (number, unit written after it or '', approximate?).

    Accepts numbers, '1,200', full-width '１２０', '30人次', '200余份', '约50份', and Chinese
    numerals with or without a measure word ('三场', '两次', '一百二十', '壹佰贰拾份'). Raises
    QuantityError for anything else.
    """
    if isinstance(value, bool):
        raise QuantityError("应为数字")
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise QuantityError("应为有限的数字")
        return number, "", False
    raw = text(value).replace(",", "").replace("，", "")
    if not raw:
        raise QuantityError("数量为空")
    match = _QUANTITY.match(raw)
    if match:
        number = float(match.group("num"))
    else:
        match = _CN_QUANTITY.match(raw)
        cn = chinese_number(match.group("num")) if match else None
        if cn is None:
            raise QuantityError("应为数字（如 120、1,200、30人次、三场）")
        number = float(cn)
    approx = bool(
        match.group("prefix") in ("约", "大约", "近")
        or match.group("approx")
        or match.group("approx2")
    )
    return number, match.group("unit") or "", approx


_CN_NUMERAL_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "貳": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_NUMERAL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_MYRIAD = ("万", "萬")


def _chinese_section(chars: str) -> int | None:
    """Value of a numeral below 10000 (一千零五, 二十五, 十二, 三百五); None if malformed."""
    value, digit, last_unit, zero = 0, None, 10000, False
    for i, ch in enumerate(chars):
        if ch in ("零", "〇"):
            # 零 only bridges a skipped place (一千零五): never first, last or doubled.
            if digit is not None or zero or i == 0 or i == len(chars) - 1:
                return None
            zero = True
        elif ch in _CN_NUMERAL_DIGITS:
            if digit is not None:
                return None  # 一二 is a list of digits, not a number
            digit = _CN_NUMERAL_DIGITS[ch]
        else:
            unit = _CN_NUMERAL_UNITS[ch]
            # after 零 a place was skipped: 一千零五十, never 一千零五百
            if unit >= last_unit or (zero and unit * 10 >= last_unit):
                return None
            if digit is None:
                if unit != 10 or (i != 0 and chars[i - 1] not in ("零", "〇")):
                    return None
                digit = 1  # 十二 = 12, 二千零十 = 2010
            value += digit * unit
            digit, last_unit = None, unit
    if digit is not None:
        # 三百五 is 350 and 两千三 is 2300: a trailing digit right after a unit is the next place.
        value += digit * (last_unit // 10 if not zero and last_unit < 10000 else 1)
    return value


def chinese_number(value: object) -> int | None:
    """Integer written in Chinese numerals (三, 两, 十二, 一千零五, 壹佰贰拾, 三万), else None.

    Ordinary and financial (大写) characters are read alike; a bare list of digits (一二三) and
    anything that is not a numeral give None.
    """
    raw = text(value)
    if not raw or any(ch not in _CN_NUMERAL_CHARS for ch in raw):
        return None
    if raw in ("零", "〇"):
        return 0
    myriads = [i for i, ch in enumerate(raw) if ch in _CN_MYRIAD]
    if len(myriads) > 1:
        return None
    if myriads:
        head, tail = raw[: myriads[0]], raw[myriads[0] + 1 :]
        high = _chinese_section(head) if head else None
        if not high:
            return None
        if not tail:
            return high * 10000
        if tail[0] in ("零", "〇"):
            low = _chinese_section(tail[1:]) if len(tail) > 1 else None
            if low is None or low >= 1000:
                return None
        elif len(tail) == 1 and tail in _CN_NUMERAL_DIGITS:
            low = _CN_NUMERAL_DIGITS[tail] * 1000  # 两万三 = 23000
        else:
            low = _chinese_section(tail)
            if low is None or low < 1000:
                return None  # 一万五十 must be written 一万零五十
        return high * 10000 + low
    return _chinese_section(raw)


# --- dates ------------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(
        r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2})?)?$"
    ),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?:份)?$"),
]
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class DateError(ValueError):
    """The value is not a usable date; the message says what is wrong (Chinese)."""


_NO_YEAR_DATE = re.compile(r"^(?P<m>\d{1,2})(?:月(?P<d1>\d{1,2})[日号]?|[/.](?P<d2>\d{1,2}))$")
_NO_YEAR_MONTH = re.compile(r"^(?P<m>\d{1,2})月份?$")
# A range's start: a day with or without its year; its end: the day, optionally month and year.
_RANGE_START = (
    r"(?:(?P<y>\d{4})(?:年|(?P<ysep>[-/.])))?(?P<m>\d{1,2})(?:月|(?(ysep)(?P=ysep)|[-/.]))"
    r"(?P<d>\d{1,2})[日号]?"
)
_RANGE_END = r"(?:(?:(?P<y2>\d{4})(?:年|[-/.]))?(?P<m2>\d{1,2})(?:月|[-/.]))?(?P<d2>\d{1,2})[日号]?"
_RANGE = re.compile(rf"^{_RANGE_START}(?:至|到|~|～|-|－|—|–|―)+{_RANGE_END}$")


def _day(y: int, m: int, d: int) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        if not 1 <= m <= 12:
            raise DateError(f"月份不存在（{m}月）") from None
        raise DateError(f"日期不存在（{y}年{m}月没有{d}日）") from None


class MissingYearError(DateError):
    """A date written without a year (3月5日) and no year to take it from."""


def _no_year(raw: str) -> DateError:
    return MissingYearError(
        f"日期“{raw}”没有写年份，标题、工作表名和文件名中也没有写明年份"
        "（请写全，如 2023年3月5日，或在标题中写明年份）"
    )


def date(value: object, *, year: int | None = None) -> tuple[dt.date, bool]:
    """Parse a date cell: (date, month_only). month_only dates are the first of the month.

    Accepts real dates, Excel serial numbers, 2023-03-05, 2023/3/5, 2023.3.5, 2023年3月5日,
    20230305 and month-only forms 2023-03 / 2023年3月. Dates written without a year (3月5日,
    3/5, 3.5, 3月) take `year` (from the title, sheet or file name) and are refused when it is
    None. A range (3月5日-7日, 3月5日至4月2日, 2025.3.5-3.7) counts on the day it starts.
    Raises DateError otherwise.
    """
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, bool):
        raise DateError("应为日期")
    if isinstance(value, int | float):
        if math.isnan(value) or not 1 <= value < 2958466:
            raise DateError("应为日期（如 2023-03-05）")
        return _EXCEL_EPOCH + dt.timedelta(days=int(value)), False
    raw = text(value)
    if not raw:
        raise DateError("日期为空")
    if raw.replace(".", "", 1).isdigit() and len(raw) <= 7 and "." not in raw[:4]:
        return date(float(raw))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            y, m, d = (int(match.group(k)) for k in "ymd")
            try:
                return dt.date(y, m, d), False
            except ValueError:
                raise DateError(f"日期不存在（{y}年{m}月没有{d}日）") from None
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(raw)
        if match:
            y, m = int(match.group("y")), int(match.group("m"))
            if not 1 <= m <= 12:
                raise DateError(f"月份不存在（{m}月）")
            return dt.date(y, m, 1), True
    match = _NO_YEAR_DATE.match(raw)
    if match:
        m, d = int(match.group("m")), int(match.group("d1") or match.group("d2"))
        if year is None:
            _day(2000, m, d)  # a day that exists in no year (13/5, 4月31日) is said so first
            raise _no_year(raw)
        return _day(year, m, d), False
    match = _NO_YEAR_MONTH.match(raw)
    if match:
        if year is None:
            raise _no_year(raw)
        if not 1 <= int(match.group("m")) <= 12:
            raise DateError(f"月份不存在（{match.group('m')}月）")
        return dt.date(year, int(match.group("m")), 1), True
    match = _RANGE.match(raw)
    if match:
        return _range_start(raw, match, year), False
    raise DateError("应为日期（如 2023-03-05、2023/3/5、2023年3月5日）")


def _range_start(raw: str, match: re.Match, year: int | None) -> dt.date:
    """The first day of a date range, after checking the range itself is a real one."""
    start_year = int(match.group("y")) if match.group("y") else year
    if start_year is None:
        raise _no_year(raw)
    start = _day(start_year, int(match.group("m")), int(match.group("d")))
    end_month = int(match.group("m2")) if match.group("m2") else start.month
    end_year = int(match.group("y2")) if match.group("y2") else start.year
    if not match.group("y2") and end_month < start.month:
        end_year += 1  # 12月30日-1月2日 runs into the next year
    end = _day(end_year, end_month, int(match.group("d2")))
    if end < start:
        raise DateError(f"日期范围“{raw}”的结束日早于开始日")
    return start


_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_MONTH_HEADER = re.compile(
    r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份)?$"
)
_YEAR_MONTH_IN_TEXT = re.compile(
    r"(?P<y>20\d{2})\s*年\s*(?:度)?\s*(?:(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月)?"
)
_MONTH_IN_TEXT = re.compile(
    r"(?<![\d年])(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?!\d)"
)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _cn_month(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + (_CN_DIGITS[token[1]] if len(token) > 1 else 0)
    return _CN_DIGITS[token]


def month_header(value: object) -> int | None:
    """Month number of a summary column header such as 1月, 01月, 一月, 十二月份, 2023年3月."""
    found = month_header_year(value)
    return found[1] if found else None


def month_header_year(value: object) -> tuple[int | None, int] | None:
    """(year or None, month) of a month column header; None if it is not one."""
    match = _MONTH_HEADER.match(text(value))
    if not match:
        return None
    month = _cn_month(match.group("m"))
    if not 1 <= month <= 12:
        return None
    return (int(match.group("y")) if match.group("y") else None), month


def year_month_in(value: object) -> tuple[int | None, int | None]:
    """Year and month named anywhere in free text (a title, sheet or file name), if any."""
    raw = text(value)
    match = _YEAR_MONTH_IN_TEXT.search(raw)
    if match:
        month = _cn_month(match.group("m")) if match.group("m") else None
        return int(match.group("y")), month if month and 1 <= month <= 12 else None
    year_match = _YEAR_IN_TEXT.search(raw)
    month_match = _MONTH_IN_TEXT.search(raw)
    month = _cn_month(month_match.group("m")) if month_match else None
    return (int(year_match.group(1)) if year_match else None), (
        month if month and 1 <= month <= 12 else None
    )


class AmbiguousYearError(DateError):
    """A title, sheet name or file name disagree about the year; the message quotes them."""


def context_year(*texts: object) -> int | None:
    """The year named by a sheet's title, sheet name and file name (in any order), or None.

    Year-less dates take this year. Texts naming two different years (a title of 2024, a file
    name of 2025, or 2024—2025 in one title) make the year ambiguous: AmbiguousYearError,
    quoting each text with its year.
    """
    found: dict[int, str] = {}
    for value in texts:
        raw = text(value)
        if not raw:
            continue
        first, _month = year_month_in(raw)
        years = {int(y) for y in _YEAR_IN_TEXT.findall(raw)} | ({first} if first else set())
        for y in sorted(years):
            found.setdefault(y, display(value))
    if len(found) > 1:
        named = "、".join(f"“{source}”写的是{y}年" for y, source in sorted(found.items()))
        raise AmbiguousYearError(f"年份不明确：{named}，不能确定没有写年份的日期属于哪一年")
    return next(iter(found), None)
