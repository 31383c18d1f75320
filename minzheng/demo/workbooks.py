"""Deterministic generator of realistic demo workbooks from the townships of 武乡县.

The demo imitates what the 12 township civil-affairs offices (乡镇民政办) and the bureau itself
(县民政局机关) send to 武乡县民政局 in 2023 and January–November 2024: detailed ledgers
(明细台账), per-person ledgers of children visited and monthly summaries (月度汇总表), in .xlsx,
.xlsm, .xls and .csv, with the usual mess around the data (titles, two-row headers, merged cells,
totals, signatures, text quantities, many date spellings).  Two year-plan workbooks (年度计划) are
written next to them.

Everything is derived from fixed seeds: the same files, byte for byte, on every run.
``demo_truth()`` and ``demo_plan_truth()`` give the numbers an importer must find.

The generator is standalone on purpose (stdlib, openpyxl and xlwt only).  This module maps
each unit to its renderer and writes the files; the rest lives next to it: units and
vocabulary (the constant tables), records, activities, children and bureau (the generated
facts), truth and plans (the ground truth), sheets, ledgers, people, summaries and wide (the
sheet kinds), layouts and townships (each unit's habits) and writers (xlsx/xls/csv).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from minzheng.demo.layouts import _file_rng
from minzheng.demo.ledgers import _cols, _ledger_sheet, _LedgerStyle
from minzheng.demo.plans import _plan_books, demo_plan_truth
from minzheng.demo.records import _YearData
from minzheng.demo.sheets import _Book, _report_day, _subtitle
from minzheng.demo.townships import (
    _render_dayou,
    _render_fengzhou,
    _render_gucheng,
    _render_hanbei,
    _render_hongshui,
    _render_jiahuo,
    _render_jianzhang,
    _render_panlong,
    _render_shangsi,
    _render_shibei,
    _render_yongquan,
)
from minzheng.demo.truth import _dataset, demo_truth
from minzheng.demo.units import _BUREAU, _MONTHS
from minzheng.demo.wide import _render_fenshuiling
from minzheng.demo.writers import _WRITERS

__all__ = ["demo_plan_truth", "demo_truth", "write_demo"]


def _render_bureau(data: _YearData) -> list[_Book]:
    """县民政局机关: a yearly ledger (2023 .xlsm, 2024 .xlsx); the unit is in the file name and title."""
    unit, year = data.unit, data.year
    cols = _cols(
        "seq=序号 date=日期 category=工作类别 qty=数量 unit=单位 place=具体地点 participants=参与人数 note=备注"
    )
    style = _LedgerStyle(
        cols,
        signature=True,
        footnote=year == 2024,
        date_styles=("date",),
        date_format='yyyy"年"m"月"d"日"',
        qty_forms=("comma",),
        qty_rate=1.0,
        widths=(6, 16, 18, 10, 8, 26, 10, 44),
    )
    ext = ".xlsm" if year == 2023 else ".xlsx"
    rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账{ext}"
    titles = [
        f"武乡县民政局{year}年法治宣传及民政业务工作台账",
        _subtitle(unit, _report_day(year, _MONTHS[year])),
    ]
    return [
        _Book(rel, [_ledger_sheet(f"{year}年", data.acts, unit, style, titles, _file_rng(rel))])
    ]


_RENDERERS: dict[str, Callable[[_YearData], list[_Book]]] = {
    "丰州镇": _render_fengzhou,
    "洪水镇": _render_hongshui,
    "蟠龙镇": _render_panlong,
    "监漳镇": _render_jianzhang,
    "故城镇": _render_gucheng,
    "韩北镇": _render_hanbei,
    "大有乡": _render_dayou,
    "贾豁乡": _render_jiahuo,
    "上司乡": _render_shangsi,
    "石北乡": _render_shibei,
    "涌泉乡": _render_yongquan,
    "分水岭乡": _render_fenshuiling,
    _BUREAU: _render_bureau,
}


def _books() -> list[_Book]:
    data = _dataset()
    books = []
    for year in _MONTHS:
        for name, render in _RENDERERS.items():
            books += render(data[name, year])
    return books + _plan_books()


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def write_demo(out_dir: Path) -> list[Path]:
    """Write all demo township workbooks and the two year-plan workbooks into out_dir; return the paths.

    Data files go to ``out_dir/<year>/<unit>/…`` and the plans to ``out_dir/plans/``.  The output
    is identical on every run.
    """
    out_dir = Path(out_dir)
    paths = []
    for book in _books():
        path = out_dir / book.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        _WRITERS[path.suffix](book, path)
        paths.append(path)
    return paths
