"""The per-person ledger sheet (一人一行) of children visited."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from minzheng.demo.records import _Visit
from minzheng.demo.sheets import _date_value, _Sheet, _signature
from minzheng.demo.units import _Unit


@dataclass(frozen=True)
class _PersonStyle:
    """Headers of a per-person ledger; fields: seq, name, sex, id, village, guardian, phone, address, date, note."""

    columns: tuple[tuple[str, str], ...]
    date_styles: tuple[str, ...] = ("date",)
    date_format: str = "yyyy-mm-dd"
    total: bool = False
    signature: bool = False
    phone_number: bool = False  # phone typed as a number, not text
    widths: tuple[int, ...] = (6, 10, 6, 22, 12, 10, 14, 28, 12, 26)


def _person_sheet(
    name: str,
    visits: Sequence[_Visit],
    unit: _Unit,
    style: _PersonStyle,
    titles: Sequence[str],
    rng: random.Random,
) -> _Sheet:
    """A per-person ledger: a row per child visited, no quantity and no category column."""
    fields = [f for f, _ in style.columns]
    sheet = _Sheet(name, style.date_format, widths=style.widths)
    for i, text in enumerate(titles):
        sheet.title(text, len(fields), merged=i == 0)
    sheet.add([h for _, h in style.columns], bold=True)
    for seq, v in enumerate(visits, 1):
        c = v.child
        values = {
            "seq": seq,
            "name": c.name,
            "sex": c.sex,
            "id": c.id_number,
            "village": c.village,
            "guardian": c.guardian,
            "phone": int(c.phone) if style.phone_number else c.phone,
            "address": c.address,
            "date": _date_value(v.day, rng.choice(style.date_styles)),
            "note": v.note,
        }
        sheet.add([values[f] for f in fields])
    if style.total:
        sheet.add(["合计", f"共{len(visits)}人次"], bold=True)
    if style.signature:
        sheet.add([_signature(unit)])
    return sheet
