"""Layouts several units share: standard columns and ledger files per month, quarter or category."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

from minzheng.demo.ledgers import _cols, _ledger_sheet, _LedgerStyle
from minzheng.demo.records import _months_of, _rng, _YearData
from minzheng.demo.sheets import _Book, _report_day, _Sheet, _subtitle
from minzheng.demo.vocabulary import _KEYS

_LEDGER_STD = _cols(
    "seq=序号 date=日期 category=类别 qty=数量 unit=单位 township=乡镇 place=具体地点 participants=参与人数 note=备注"
)
_LEDGER_STD_WIDTHS = (6, 14, 20, 10, 8, 10, 20, 10, 30)
_PERSON_STD = _cols(
    "seq=序号 name=姓名 sex=性别 id=身份证号码 village=所在村 guardian=监护人 phone=联系电话 address=家庭住址 date=走访日期 note=备注"
)


def _quarters(year: int) -> list[tuple[int, list[int]]]:
    """(quarter, months with data) pairs; 2024's fourth quarter is October and November."""
    months = list(_months_of(year))
    return [(q, months[3 * q - 3 : 3 * q]) for q in range(1, 5) if months[3 * q - 3 : 3 * q]]


def _file_rng(relpath: str, sheet: str = "") -> random.Random:
    return _rng("render", relpath, sheet)


def _monthly_ledger_files(
    data: _YearData,
    style: _LedgerStyle,
    filename: str,
    title: str,
    ext: str,
    sheet_name: str = "Sheet1",
    subtitle: bool = True,
) -> list[_Book]:
    """One ledger file per month; `filename` and `title` are formats over unit, year, month."""
    unit, year = data.unit, data.year
    books = []
    for m in data.months:
        fmt = {"u": unit.name, "y": year, "m": m}
        rel = f"{year}/{unit.name}/{filename.format(**fmt)}{ext}"
        titles = [title.format(**fmt)] + (
            [_subtitle(unit, _report_day(year, m))] if subtitle else []
        )
        sheet = _ledger_sheet(
            sheet_name.format(**fmt), data.acts_in([m]), unit, style, titles, _file_rng(rel)
        )
        books.append(_Book(rel, [sheet]))
    return books


def _month_sheets(
    data: _YearData,
    months: Iterable[int],
    style: _LedgerStyle,
    sheet_name: Callable[[int], str],
    title: str | None,
    rel: str,
) -> list[_Sheet]:
    """A ledger sheet per month (for quarterly and yearly workbooks)."""
    unit, year = data.unit, data.year
    sheets = []
    for m in months:
        titles = (
            []
            if title is None
            else [title.format(u=unit.name, y=year, m=m), _subtitle(unit, _report_day(year, m))]
        )
        sheets.append(
            _ledger_sheet(sheet_name(m), data.acts_in([m]), unit, style, titles, _file_rng(rel, m))
        )
    return sheets


def _category_sheets(data: _YearData, style: _LedgerStyle, title: str, rel: str) -> list[_Sheet]:
    """A ledger sheet per category for the whole year, named after the category."""
    unit = data.unit
    sheets = []
    for key in _KEYS:
        acts = [a for a in data.acts if a.key == key]
        if not acts:
            continue
        label = unit.label(key).strip()
        titles = [title.format(u=unit.name, y=data.year, c=label)]
        sheets.append(_ledger_sheet(label, acts, unit, style, titles, _file_rng(rel, key)))
    return sheets
