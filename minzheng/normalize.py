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


class QuantityError(ValueError):
    """The value is not a usable quantity; the message says what is wrong (Chinese)."""


def quantity(value: object) -> tuple[float, str, bool]:
    """Parse a quantity cell: (number, unit written after it or '', approximate?).

    Accepts numbers, '1,200', full-width '１２０', '30人次', '200余份', '约50份'. Raises
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
    if not match:
        raise QuantityError("应为数字（如 120、1,200、30人次）")
    number = float(match.group("num"))
    approx = bool(
        match.group("prefix") in ("约", "大约", "近")
        or match.group("approx")
        or match.group("approx2")
    )
    return number, match.group("unit") or "", approx


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


def date(value: object) -> tuple[dt.date, bool]:
    """Parse a date cell: (date, month_only). month_only dates are the first of the month.

    Accepts real dates, Excel serial numbers, 2023-03-05, 2023/3/5, 2023.3.5, 2023年3月5日,
    20230305 and month-only forms 2023-03 / 2023年3月. Raises DateError otherwise.
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
    raise DateError("应为日期（如 2023-03-05、2023/3/5、2023年3月5日）")


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
