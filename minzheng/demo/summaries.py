"""The monthly summary sheet (月度汇总表): indicators down, months or units across."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from minzheng.demo.records import _YearData
from minzheng.demo.sheets import _FOOTNOTE, _Sheet, _signature
from minzheng.demo.units import _MONTHS
from minzheng.demo.vocabulary import _KEYS


@dataclass(frozen=True)
class _SummaryStyle:
    """A township's monthly-summary habits."""

    label_header: str = "工作内容"
    seq: bool = False
    unit_header: str = ""  # a separate unit column; else the unit goes into the label
    brackets: tuple[str, str] = ("（", "）")
    months: int = 12  # month columns (may exceed the months with data)
    total: bool = True
    note: bool = False
    zero: Any = 0  # how an empty month is written (0 or blank)
    pad_rows: int = 0
    signature: bool = True
    footnote: bool = False
    text_rate: float = 0.0  # share of numbers stored as text


_SUMMARY_NOTES = {"children_screened": "3月、9月集中摸排", "patrols_run": "冬季实行每日巡查"}


def _summary_sheet(
    name: str, data: _YearData, style: _SummaryStyle, titles: Sequence[str], rng: random.Random
) -> _Sheet:
    """Indicators down, 1月… across, optional 合计 column."""
    unit = data.unit
    header = ["序号"] if style.seq else []
    header.append(style.label_header)
    if style.unit_header:
        header.append(style.unit_header)
    header += [f"{m}月" for m in range(1, style.months + 1)]
    if style.total:
        header.append("合计")
    if style.note:
        header.append("备注")
    sheet = _Sheet(name, widths=(6, 30) + (8,) * (len(header) - 2))
    for i, text in enumerate(titles):
        sheet.title(text, len(header), merged=i == 0)
    for _ in range(style.pad_rows):
        sheet.add()
    sheet.add(header, bold=True)
    monthly = data.monthly()
    for i, key in enumerate(_KEYS, 1):
        label = unit.label(key)
        if not style.unit_header:
            label = f"{label.strip()}{style.brackets[0]}{unit.measure(key)}{style.brackets[1]}"
        row: list[Any] = [i] if style.seq else []
        row.append(label)
        if style.unit_header:
            row.append(unit.measure(key))
        for m in range(1, style.months + 1):
            if m > _MONTHS[data.year]:
                row.append(None)
                continue
            v = monthly[key].get(m, 0)
            cell: Any = v if v else style.zero
            if cell and rng.random() < style.text_rate:
                cell = str(cell)
            row.append(cell)
        if style.total:
            row.append(sum(monthly[key].values()))
        if style.note:
            row.append(_SUMMARY_NOTES.get(key))
        sheet.add(row)
    if style.signature:
        sheet.add([_signature(unit)])
    if style.footnote:
        sheet.add([_FOOTNOTE])
    return sheet
