"""The detailed ledger sheet (明细台账) in each unit's column layout and habits."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from minzheng.demo.records import _Activity
from minzheng.demo.sheets import _FOOTNOTE, _date_value, _qty_value, _Sheet, _signature
from minzheng.demo.units import _Unit
from minzheng.demo.vocabulary import _KEYS


def _cols(spec: str) -> tuple[tuple[str, str], ...]:
    """Column spec "field=header field=header …" as (field, header) pairs."""
    pairs = (item.split("=", 1) for item in spec.split())
    return tuple((f, header) for f, header in pairs)


@dataclass(frozen=True)
class _LedgerStyle:
    """A township's ledger habits; `columns` are (field, header) pairs in sheet order.

    Fields: seq, date, category, qty, unit, township, place, participants, note, leader, cost.
    """

    columns: tuple[tuple[str, str], ...]
    two_row: bool = False  # 完成情况 merged over the qty and unit sub-columns
    pad_rows: int = 0  # blank rows between the titles and the header
    by_category: bool = False  # rows grouped by category (else by date)
    subtotals: bool = False  # 小计 after each category block
    merge: tuple[str, ...] = ()  # fields merged vertically over runs of equal values
    total: str = ""  # 合计 / 总计 row at the bottom
    signature: bool = False
    footnote: bool = False
    date_styles: tuple[str, ...] = ("date",)
    date_format: str = "yyyy-mm-dd"
    qty_forms: tuple[str, ...] = ()
    qty_rate: float = 0.0
    township: str = "name"  # name | alias | mixed
    blank_rows: int = 0  # blank rows scattered among the data rows
    widths: tuple[int, ...] = ()


def _ledger_sheet(
    name: str,
    acts: Sequence[_Activity],
    unit: _Unit,
    style: _LedgerStyle,
    titles: Sequence[str],
    rng: random.Random,
) -> _Sheet:
    """A detailed ledger sheet: a row per activity."""
    fields = [f for f, _ in style.columns]
    width = len(fields)
    sheet = _Sheet(name, style.date_format, widths=style.widths)
    for i, text in enumerate(titles):
        sheet.title(text, width, merged=i == 0)
    for _ in range(style.pad_rows):
        sheet.add()
    _header(sheet, style.columns, style.two_row)

    ordered = (
        sorted(acts, key=lambda a: (_KEYS.index(a.key), a.day)) if style.by_category else list(acts)
    )
    blanks = set(
        rng.sample(range(1, len(ordered)), min(style.blank_rows, max(0, len(ordered) - 1)))
    )
    data_rows: list[tuple[int, _Activity]] = []
    block: list[_Activity] = []
    for i, act in enumerate(ordered):
        if i in blanks:
            sheet.add()
        values = [_ledger_cell(f, act, i + 1, unit, style, rng) for f in fields]
        data_rows.append((sheet.add(values), act))
        block.append(act)
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        if style.subtotals and (nxt is None or nxt.key != act.key):
            sheet.add(_summary_row(fields, "小计", sum(a.qty for a in block)))
            block = []
    for f in style.merge:
        _merge_runs(sheet, data_rows, fields.index(f), same_key=f in ("category", "unit"))
    if style.total:
        sheet.add(_summary_row(fields, style.total, sum(a.qty for a in acts)), bold=True)
    if style.signature:
        sheet.add([_signature(unit)])
    if style.footnote:
        sheet.add([_FOOTNOTE])
    return sheet


def _header(sheet: _Sheet, columns: Sequence[tuple[str, str]], two_row: bool) -> None:
    if not two_row:
        sheet.add([h for _, h in columns], bold=True)
        return
    fields = [f for f, _ in columns]
    qi = fields.index("qty")
    assert fields[qi + 1] == "unit", "two-row headers group 数量 and 单位"
    top = [None if f == "unit" else "完成情况" if f == "qty" else h for f, h in columns]
    bottom = [h if f in ("qty", "unit") else None for f, h in columns]
    r = sheet.add(top, bold=True)
    sheet.add(bottom, bold=True)
    sheet.merges.append((r, qi, r, qi + 1))
    for c, f in enumerate(fields):
        if f not in ("qty", "unit"):
            sheet.merges.append((r, c, r + 1, c))


def _summary_row(fields: Sequence[str], label: str, total: int) -> list[Any]:
    row: list[Any] = [None] * len(fields)
    row[0] = label
    row[fields.index("qty")] = total
    return row


def _ledger_cell(
    f: str, act: _Activity, seq: int, unit: _Unit, style: _LedgerStyle, rng: random.Random
) -> Any:
    measure = act.measure or unit.measure(act.key)
    match f:
        case "seq":
            return seq
        case "date":
            return _date_value(act.day, rng.choice(style.date_styles))
        case "category":
            return act.label or unit.label(act.key)
        case "qty":
            return _qty_value(act.qty, act.key, measure, style.qty_forms, style.qty_rate, rng)
        case "unit":
            return measure
        case "township":
            if style.township == "alias" or (style.township == "mixed" and rng.random() < 0.4):
                return unit.alias
            return unit.name
        case "place":
            return act.place
        case "participants":
            return act.participants
        case "note":
            return act.note
        case "leader":
            return unit.staff[0]
        case "cost":
            if act.key in ("publicity_events", "trainings_held", "leaflets_distributed"):
                return rng.choice((0, 200, 350, 500, 800, 1200))
            return None
    raise ValueError(f)


def _merge_runs(
    sheet: _Sheet, data_rows: Sequence[tuple[int, _Activity]], col: int, same_key: bool
) -> None:
    """Merge a column vertically over runs of adjacent data rows with equal values."""
    runs: list[list[int]] = []
    prev: tuple[int, Any] | None = None
    for r, act in data_rows:
        ident = (act.key if same_key else None, sheet.rows[r][col])
        if prev is not None and r == prev[0] + 1 and ident == prev[1] and runs:
            runs[-1].append(r)
        else:
            runs.append([r])
        prev = (r, ident)
    for run in runs:
        if len(run) > 1:
            sheet.merge(run[0], col, run[-1], col)
