"""The year plans (年度计划) derived from the generated actuals, and their two workbooks."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from minzheng.demo.records import _rng
from minzheng.demo.sheets import _Book, _Sheet
from minzheng.demo.truth import demo_truth
from minzheng.demo.units import _BUREAU_UNIT, _MONTHS, _UNITS
from minzheng.demo.vocabulary import _CANON, _MEASURE, _PLAN_ORDER

_PHASING = {  # 分月计划, % of the year's target per month
    "patrols_run": (12, 11, 8, 6, 6, 6, 6, 6, 6, 8, 11, 14),
    "children_visited": (7, 7, 8, 9, 9, 8, 8, 8, 9, 9, 9, 9),
}


def _tidy(value: float) -> int:
    if value >= 100:
        return int(round(value / 10) * 10)
    return max(1, int(round(value)))


@lru_cache(maxsize=1)
def _plans() -> dict[tuple[int, str, str], int]:
    yearly: dict[tuple[str, str, int], float] = defaultdict(float)
    for (key, unit_name, year, _), qty in demo_truth().items():
        yearly[key, unit_name, year] += qty
    plans = {}
    for year, nmonths in _MONTHS.items():
        for unit in (*_UNITS, _BUREAU_UNIT):
            rng = _rng("plan", unit.name, year)
            for key in _PLAN_ORDER:
                actual = yearly.get((key, unit.name, year), 0)
                if not actual:
                    continue
                expected = actual if key == "children_screened" else actual * 12 / nmonths
                factor = min(1.25, max(0.85, unit.plan_factor + rng.uniform(-0.05, 0.05)))
                plans[year, unit.name, key] = _tidy(expected * factor)
    return plans


def _plan_books() -> list[_Book]:
    plans = _plans()
    units = [u.name for u in (*_UNITS, _BUREAU_UNIT)]
    wide = _Sheet("2023年计划", widths=(14,) + (16,) * len(_PLAN_ORDER))
    header = ["乡镇"] + [f"{_CANON[k]}（{_MEASURE[k]}）" for k in _PLAN_ORDER]
    wide.title("武乡县民政局2023年度重点工作目标任务分解表", len(header))
    wide.add(header, bold=True)
    for name in units:
        wide.add([name] + [plans.get((2023, name, k)) for k in _PLAN_ORDER])

    long = _Sheet("计划", widths=(14, 24, 10))
    long.add(["乡镇", "指标", "目标"], bold=True)
    for name in units:
        for k in _PLAN_ORDER:
            if (2024, name, k) in plans:
                long.add([name, _CANON[k], plans[2024, name, k]])
    phasing = _Sheet("分月计划", widths=(24,) + (7,) * 13)
    phasing.add(["指标"] + [f"{m}月" for m in range(1, 13)] + ["合计"], bold=True)
    for key, shares in _PHASING.items():
        phasing.add([_CANON[key], *shares, sum(shares)])
    return [
        _Book("plans/2023年度计划.xlsx", [wide]),
        _Book("plans/2024年度计划.xlsx", [long, phasing]),
    ]


def demo_plan_truth() -> dict[tuple[int, str, str], float]:
    """{(year, unit_name, indicator_key): target} of the plans written."""
    return {k: float(v) for k, v in sorted(_plans().items())}
