"""A neutral sheet grid (values, merges, bold rows) and the cell spellings units use for dates
and quantities; the writers turn these grids into files."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from minzheng.demo.records import _days_in_month
from minzheng.demo.units import _BUREAU, _EXCEL_EPOCH, _LAST_DAY, _Unit


@dataclass
class _Sheet:
    """One worksheet as a grid of values (None = empty) plus merged ranges and bold rows."""

    name: str
    date_format: str = "yyyy-mm-dd"
    rows: list[list[Any]] = field(default_factory=list)
    # merged ranges as (first row, first column, last row, last column), 0-based, inclusive
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    bold: set[int] = field(default_factory=set)
    widths: tuple[int, ...] = ()

    def add(self, values: Sequence[Any] = (), bold: bool = False) -> int:
        self.rows.append(list(values))
        if bold:
            self.bold.add(len(self.rows) - 1)
        return len(self.rows) - 1

    def title(self, text: str, width: int, merged: bool = True) -> None:
        r = self.add([text], bold=True)
        if merged and width > 1:
            self.merges.append((r, 0, r, width - 1))

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))
        for r in range(r1, r2 + 1):
            row = self.rows[r]
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and c < len(row):
                    row[c] = None


@dataclass
class _Book:
    """One file to write: path relative to the output folder, its sheets, CSV encoding."""

    relpath: str
    sheets: list[_Sheet]
    encoding: str = "utf-8-sig"  # .csv only


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CN_MONTH = (
    "",
    "一月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "十一月",
    "十二月",
)
_CN_QUARTER = ("", "第一季度", "第二季度", "第三季度", "第四季度")


def _date_value(d: date, style: str) -> Any:
    """A date as a clerk wrote it: a real date cell, an Excel serial number or a string."""
    match style:
        case "date":
            return d
        case "serial":
            return (d - _EXCEL_EPOCH).days
        case "iso":
            return d.isoformat()
        case "slash":
            return f"{d.year}/{d.month}/{d.day}"
        case "dot":
            return f"{d.year}.{d.month}.{d.day}"
        case "cn":
            return f"{d.year}年{d.month}月{d.day}日"
    raise ValueError(style)


def _qty_value(
    qty: int, key: str, measure: str, forms: Sequence[str], rate: float, rng: random.Random
) -> Any:
    """A quantity as a number or, at `rate`, as text in one of `forms` (value unchanged).

    Round leaflet counts are written as approximations ("200余份") more often, when allowed.
    """
    usable = {
        "comma": qty >= 1000,
        "fullwidth": True,
        "suffix": True,
        "approx": key == "leaflets_distributed" and qty >= 100 and qty % 100 == 0,
        "text": True,
    }
    if "approx" in forms and usable["approx"] and rng.random() < 0.25:
        return f"{qty}余{measure}"
    if not forms or rng.random() >= rate:
        return qty
    choices = [f for f in forms if usable[f]]
    if not choices:
        return qty
    form = rng.choice(choices)
    return {
        "comma": f"{qty:,}",
        "fullwidth": str(qty).translate(_FULLWIDTH),
        "suffix": f"{qty}{measure}",
        "approx": f"{qty}余{measure}",
        "text": str(qty),
    }[form]


def _subtitle(unit: _Unit, reported: date) -> str:
    office = "县民政局政策法规股" if unit.name == _BUREAU else f"{unit.name}民政办"
    return f"填报单位：{office}  填报日期：{reported.year}年{reported.month}月{reported.day}日"


def _report_day(year: int, last_month: int) -> date:
    """The day a period ending with `last_month` was reported (never after the demo's last day)."""
    end = date(year, last_month, _days_in_month(year, last_month))
    return min(end + timedelta(days=3 + (year + last_month) % 3), _LAST_DAY)


def _signature(unit: _Unit) -> str:
    return f"填表人：{unit.staff[0]}  审核人：{unit.staff[1]}  单位负责人（签名）："


_FOOTNOTE = "注：1. 本表每月5日前报县民政局。2. 数量栏请填写阿拉伯数字。"


def _instructions_sheet() -> _Sheet:
    sheet = _Sheet("填表说明", widths=(90,))
    lines = (
        "填表说明",
        "1. 每开展一项工作填写一行，日期填写工作开展的具体日期。",
        "2. 工作类别按县民政局下发的类别填写，如：走访慰问留守困境儿童、发放宣传资料、街面巡查、法治讲座。",
        "3. 数量填写阿拉伯数字，计量单位分别为人次、人、场、份、次、件。",
        "4. 本表每月5日前报县民政局，电子版和纸质盖章版各一份。",
    )
    for i, line in enumerate(lines):
        sheet.add([line], bold=i == 0)
    return sheet
