"""Numbers and statuses as bureau staff read them: 1,234 人次, 85.3%, one colour per status."""

from __future__ import annotations

from collections.abc import Iterable

STATUS_COLORS = {
    "超前": "#1a7f37",  # green
    "正常": "#bf8700",  # amber
    "滞后": "#cf222e",  # red
    "无计划": "#8c959f",  # grey
}
STATUS_ORDER = ("滞后", "正常", "超前", "无计划")
REPORT_COLORS = {"已报": "#1a7f37", "迟报": "#bf8700", "未报": "#cf222e", "未到期": "#d0d7de"}


def missing(value) -> bool:
    """True for None, NaN and pandas' missing values (NA, NaT): what shows as '—' or stays empty."""
    if value is None:
        return True
    try:
        return bool(value != value)  # only NaN and NaT differ from themselves
    except TypeError:  # pandas.NA refuses to be a truth value
        return True


def number(value, unit: str = "") -> str:
    """1234.0 → '1,234 人次'; 12.5 → '12.5'; missing → '—'."""
    if missing(value):
        return "—"
    value = float(value)
    text = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def percent(value, digits: int = 1) -> str:
    """0.853 → '85.3%'; missing → '—'."""
    if missing(value):
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def change(value) -> str:
    """Relative change as '+12.5%' / '-3.0%' / '—'."""
    if missing(value):
        return "—"
    return f"{float(value) * 100:+.1f}%"


def points(value) -> str:
    """A gap in percentage points: 0.052 → '+5.2 个百分点'."""
    if missing(value):
        return "—"
    return f"{float(value) * 100:+.1f} 个百分点"


def month_range(months: Iterable[str]) -> str:
    """['2023-01', …, '2023-12'] → '2023年1月至2023年12月' (first and last only); one → '2023年4月'."""
    months = sorted(months or [])
    if not months:
        return "—"
    first, last = (f"{m[:4]}年{int(m[5:])}月" for m in (months[0], months[-1]))
    return first if first == last else f"{first}至{last}"


def month_span(months: Iterable[str]) -> str:
    """['2024-01', …, '2024-11'] → '2024年1—11月'; gaps and other years are listed."""
    keys = sorted({(int(m[:4]), int(m[5:7])) for m in months})
    if not keys:
        return "—"
    years = {y for y, _ in keys}
    numbers = [m for _, m in keys]
    if len(years) == 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        year = keys[0][0]
        if len(numbers) == 1:
            return f"{year}年{numbers[0]}月"
        return f"{year}年{numbers[0]}—{numbers[-1]}月"
    return "、".join(f"{y}年{m}月" for y, m in keys)
