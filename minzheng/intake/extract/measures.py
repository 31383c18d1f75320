"""What a column header of a wide table means: which indicator, and which measure of it.

Chinese monthly reports put several figures of one indicator side by side: the month's own
figure (本月/当月完成), the figure since January (累计/1-N月累计), the year's target (年度任务) and
derived ratios (完成率/同比). Only the month's own figure is an actual; the cumulative one can
stand in for it (see `cumulative.py`); targets and ratios are never loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from minzheng import normalize
from minzheng.store.reference import Indicator, Reference

MONTH, CUMULATIVE, TARGET, DERIVED = "month", "cumulative", "target", "derived"

# Longest forms first: 累计完成 is cumulative, not 累计 + 完成; 本月完成 is one token.
_MEASURE_WORDS = (
    (CUMULATIVE, r"\d{1,2}[-~至到](?:\d{1,2}|N)月(?:份)?(?:累计|合计)?(?:完成)?(?:数)?"),
    (CUMULATIVE, r"(?:自年初|年初至今|本年|全年|年)?累计(?:完成)?(?:数)?"),
    (TARGET, r"(?:年度|全年|本年)?(?:任务|计划|目标)(?:数)?"),
    (DERIVED, r"(?:完成率|完成进度|进度|同比|环比|占比|比例|百分比|增减|增幅|%)"),
    (MONTH, r"(?:本月|当月|本期)(?:完成)?(?:数)?"),
    (MONTH, r"(?:实际)?完成(?:数)?"),
)
_MEASURE = re.compile("|".join(f"(?P<{k}{i}>{p})" for i, (k, p) in enumerate(_MEASURE_WORDS)))
# Words that say "a count of" after the category (巡查次数, 走访人次): not part of its name.
_COUNT_SUFFIXES = ("数量", "次数", "人次", "人数", "份数", "场次", "件数", "场数", "数")
_SEPARATORS = "-_/·:：、|"


@dataclass(frozen=True)
class ColumnMeaning:
    """An indicator column: its indicator, measure kind and the unit written in its header."""

    indicator: Indicator
    measure: str  # MONTH, CUMULATIVE, TARGET or DERIVED
    unit_written: str
    conflict: tuple[str, ...] = ()  # measure words of two kinds (本月累计): a refusal


def measure_words(label: str) -> tuple[set[str], str]:
    """(measure kinds named in a header, the header with those words removed)."""
    kinds: set[str] = set()

    def drop(match: re.Match) -> str:
        kinds.add(next(k for k, v in match.groupdict().items() if v).rstrip("0123456789"))
        return " "

    rest = _MEASURE.sub(drop, label)
    return kinds, rest


def column_meaning(label: str, ref: Reference) -> ColumnMeaning | None:
    """What a wide table's column header names, or None when it names no catalog indicator.

    Works on one cell (走访慰问留守困境儿童（人次）本月) or on the two cells of a two-row header
    joined with a space (发放宣传资料(份) 累计).
    """
    raw = normalize.text(label)
    if not raw:
        return None
    unit_written = normalize.bracketed(raw)
    kinds, rest = measure_words(normalize.header(raw))
    ind = _indicator(rest, ref)
    if ind is None:
        return None
    if "/" in unit_written or "、" in unit_written:
        unit_written = ""
    if DERIVED in kinds:  # 任务完成率, 累计完成率: a ratio whatever it is a ratio of
        return ColumnMeaning(ind, DERIVED, unit_written)
    if len(kinds) > 1:
        return ColumnMeaning(ind, MONTH, unit_written, tuple(sorted(kinds)))
    return ColumnMeaning(ind, kinds.pop() if kinds else MONTH, unit_written)


def _indicator(rest: str, ref: Reference) -> Indicator | None:
    parts = [p for p in re.split(r"[\s" + re.escape(_SEPARATORS) + "]+", rest) if p]
    if len(parts) != 1:
        return None  # nothing left, or two names in one header
    name = parts[0]
    ind = ref.category(name)
    if ind is not None:
        return ind
    for suffix in _COUNT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            ind = ref.category(name[: -len(suffix)])
            if ind is not None:
                return ind
    return None


def measure_only(label: str) -> bool:
    """True for a header cell that is nothing but a measure (本月, 累计, 年度任务, 完成率)."""
    return bool(measure_kinds_only(label))


def measure_kinds_only(label: str) -> set[str]:
    """The measure kinds of a header cell that is nothing but measures; empty otherwise."""
    kinds, rest = measure_words(normalize.header(label))
    return kinds if not rest.strip(" " + _SEPARATORS) else set()


_ROW_MONTH = re.compile(r"^(?:(?P<y>20\d{2})[.\-/年])?(?P<m>\d{1,2})(?:月(?:份)?)?$")


def row_month(value) -> tuple[int | None, int] | None:
    """(year or None, month) of a row label: 1月, 一月, 2025年3月, 2025.03, 2025-3, a date cell
    holding the first of a month."""
    if isinstance(value, dt.datetime | dt.date):
        # 2025-03 typed into Excel is stored as 2025-03-01; any other day is a date, not a month.
        return (value.year, value.month) if value.day == 1 else None
    if isinstance(value, int | float) or value in (None, ""):
        return None
    found = normalize.month_header_year(value)
    if found:
        return found
    match = _ROW_MONTH.match(normalize.text(value))
    if not match or (match.group("y") is None and not normalize.text(value).endswith(("月", "份"))):
        return None
    month = int(match.group("m"))
    if not 1 <= month <= 12:
        return None
    return (int(match.group("y")) if match.group("y") else None), month
