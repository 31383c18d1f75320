"""Wide tables (横表: indicators across) and 分水岭乡, the township that sends them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from minzheng.demo.layouts import _file_rng, _monthly_ledger_files, _quarters
from minzheng.demo.ledgers import _cols, _ledger_sheet, _LedgerStyle
from minzheng.demo.records import _YearData
from minzheng.demo.sheets import _Book, _Sheet, _signature
from minzheng.demo.vocabulary import _KEYS


def _wide_month_rows_sheet(name: str, data: _YearData, titles: Sequence[str]) -> _Sheet:
    """A row per month; per indicator a 本月 and a 累计 column under its merged name; 合计 row."""
    unit, monthly = data.unit, data.monthly()
    width = 1 + 2 * len(_KEYS)
    sheet = _Sheet(name, widths=(8,) + (9,) * (width - 1))
    for i, text in enumerate(titles):
        sheet.title(text, width, merged=i == 0)
    top: list[Any] = ["月份"]
    for key in _KEYS:
        top += [f"{unit.label(key)}（{unit.measure(key)}）", None]
    r = sheet.add(top, bold=True)
    sheet.add([None] + ["本月", "累计"] * len(_KEYS), bold=True)
    sheet.merge(r, 0, r + 1, 0)
    for i in range(len(_KEYS)):
        sheet.merge(r, 1 + 2 * i, r, 2 + 2 * i)
    running = dict.fromkeys(_KEYS, 0)
    for m in data.months:
        row: list[Any] = [f"{m}月"]
        for key in _KEYS:
            v = monthly[key].get(m, 0)
            running[key] += v
            row += [v, running[key]]
        sheet.add(row)
    total: list[Any] = ["合计"]
    for key in _KEYS:
        total += [sum(monthly[key].values()), None]
    sheet.add(total, bold=True)
    sheet.add([_signature(unit)])
    return sheet


def _wide_unit_row_sheet(data: _YearData, month: int) -> _Sheet:
    """One month's sheet: the township's row under indicators across (none written as blank)."""
    unit, monthly = data.unit, data.monthly()
    header = ["单位"] + [f"{unit.label(key)}({unit.measure(key)})" for key in _KEYS] + ["备注"]
    sheet = _Sheet(f"{month}月", widths=(10,) + (10,) * (len(header) - 1))
    sheet.title(f"武乡县{unit.name}{data.year}年{month}月民政工作月报", len(header))
    sheet.add(header, bold=True)
    sheet.add([unit.name] + [monthly[key].get(month) or None for key in _KEYS] + [None])
    sheet.add([_signature(unit)])
    return sheet


def _render_fenshuiling(data: _YearData) -> list[_Book]:
    """分水岭乡: 2023 a file per month with a two-row header; 2024 quarterly CSV (UTF-8, no BOM)."""
    unit, year = data.unit, data.year
    if year == 2023:
        cols = _cols(
            "seq=序号 date=时间 township=乡镇 category=工作类别 qty=数量 unit=单位 place=具体地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            two_row=True,
            merge=("township",),
            signature=True,
            footnote=True,
            date_styles=("dot",),
            qty_forms=("fullwidth",),
            qty_rate=0.1,
            township="alias",
            blank_rows=2,
            widths=(6, 14, 10, 20, 10, 8, 20, 10, 30),
        )
        return _monthly_ledger_files(
            data, style, "{u}{y}年{m}月台账", "武乡县{u}{y}年{m}月工作台账", ".xlsx"
        )
    cols = _cols(
        "date=日期 township=所属乡镇 category=项目 qty=完成数量 unit=计量单位 place=活动地点 note=备注"
    )
    style = _LedgerStyle(cols, date_styles=("iso",), township="mixed")
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年第{q}季度台账.csv"
        books.append(
            _Book(
                rel,
                [
                    _ledger_sheet(
                        Path(rel).stem, data.acts_in(months), unit, style, [], _file_rng(rel)
                    )
                ],
                "utf-8",
            )
        )
    return books
