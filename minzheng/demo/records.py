"""The generated facts (ledger rows, children, home visits, a unit's year) and the seeded
random helpers every generator draws from."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from minzheng.demo.units import _MONTHS, _SEED, _Unit


@dataclass(frozen=True)
class _Activity:
    """One ledger row: something a unit did on a day, counted in one indicator."""

    unit: str
    day: date
    key: str
    qty: int
    place: str = ""
    participants: int | None = None
    note: str = ""
    label: str = ""  # category as written, when not the unit's usual label
    measure: str = ""  # unit of measure as written, when not the unit's usual one


@dataclass(frozen=True)
class _Child:
    name: str
    sex: str
    id_number: str
    village: str
    guardian: str
    phone: str
    address: str


@dataclass(frozen=True)
class _Visit:
    """One home visit to a left-behind child: one 人次 of children_visited."""

    unit: str
    day: date
    child: _Child
    note: str


@dataclass(frozen=True)
class _YearData:
    unit: _Unit
    year: int
    acts: tuple[_Activity, ...]
    visits: tuple[_Visit, ...]

    @property
    def months(self) -> range:
        return range(1, _MONTHS[self.year] + 1)

    def acts_in(self, months: Iterable[int]) -> list[_Activity]:
        wanted = set(months)
        return [a for a in self.acts if a.day.month in wanted]

    def visits_in(self, month: int) -> list[_Visit]:
        return [v for v in self.visits if v.day.month == month]

    def monthly(self) -> dict[str, dict[int, int]]:
        """Totals per indicator and month (children visits included)."""
        out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for a in self.acts:
            out[a.key][a.day.month] += a.qty
        for v in self.visits:
            out["children_visited"][v.day.month] += 1
        return out


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join([_SEED, *map(str, parts)]))


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _level(rng: random.Random, lo: int, hi: int, scale: float, step: int = 1) -> int:
    """A monthly amount in [lo, hi] whose centre depends on the unit's scale."""
    centre = lo + (hi - lo) * (scale - 0.75) / 0.5
    value = rng.gauss(centre, (hi - lo) * 0.18)
    value = min(hi, max(lo, value))
    return int(round(value / step) * step)


def _split(total: int, parts: int, rng: random.Random, step: int = 1, floor: int = 0) -> list[int]:
    """Split total (a multiple of step) into up to `parts` positive multiples of step.

    Each part is at least `floor` (a multiple of step) when the total allows it.
    """
    units = total // step
    low = floor // step
    parts = max(1, min(parts, units // max(1, low), units))
    spare = units - parts * low
    cuts = sorted(rng.choices(range(spare + 1), k=parts - 1))
    bounds = [0, *cuts, spare]
    return [(low + b - a) * step for a, b in zip(bounds, bounds[1:], strict=False) if low + b - a]


def _months_of(year: int) -> range:
    return range(1, _MONTHS[year] + 1)
