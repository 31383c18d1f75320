"""Every unit's generated year, and the ground truth an importer of the demo must find."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from minzheng.demo.activities import _township_month
from minzheng.demo.bureau import _bureau_year
from minzheng.demo.records import _Activity, _months_of, _Visit, _YearData
from minzheng.demo.units import _BUREAU, _BUREAU_UNIT, _MONTHS, _UNITS


@lru_cache(maxsize=1)
def _dataset() -> dict[tuple[str, int], _YearData]:
    data = {}
    for year in _MONTHS:
        for unit in _UNITS:
            acts: list[_Activity] = []
            visits: list[_Visit] = []
            for month in _months_of(year):
                a, v = _township_month(unit, year, month)
                acts += a
                visits += v
            data[unit.name, year] = _YearData(unit, year, tuple(acts), tuple(visits))
        data[_BUREAU, year] = _YearData(_BUREAU_UNIT, year, tuple(_bureau_year(year)), ())
    return data


def demo_truth() -> dict[tuple[str, str, int, int], float]:
    """Ground truth: {(indicator_key, unit_name, year, month): total quantity} of everything write_demo writes (units by canonical name, e.g. '丰州镇', '县民政局机关')."""
    totals: dict[tuple[str, str, int, int], float] = defaultdict(float)
    for data in _dataset().values():
        for a in data.acts:
            totals[a.key, a.unit, a.day.year, a.day.month] += a.qty
        for v in data.visits:
            totals["children_visited", v.unit, v.day.year, v.day.month] += 1
    return dict(sorted(totals.items()))
