"""Cumulative figures (累计): the month's own figure when only they are given, a check otherwise.

A cumulative figure for month N is the unit's total from January to N. With no 本月 column the
month's figure is that total minus the months before it, taken from this file first and else
from what is loaded in the database; when an earlier month is in neither, the file is refused
naming the months. With a 本月 column as well, the two are checked against each other (勾稽).
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from minzheng.intake.extract.cells import CellReader
from minzheng.store import queries


class History:
    """What is loaded in the database for a unit's months of a year (none, by default)."""

    def covered(self, unit_id: int, year: int) -> set[int]:
        """Months of the year for which the unit has any loaded batch."""
        return set()

    def actual(self, unit_id: int, key: str, year: int, month: int) -> float:
        """The unit's loaded actual of one indicator and month (0 when nothing)."""
        return 0.0


class DatabaseHistory(History):
    """History read from the database through a cursor, one query per year asked about."""

    def __init__(self, cur: duckdb.DuckDBPyConnection):
        self.cur = cur
        self._years: dict[int, tuple[dict, dict]] = {}

    def _year(self, year: int) -> tuple[dict, dict]:
        if year not in self._years:
            covered: dict[int, set[int]] = defaultdict(set)
            actuals: dict[tuple, float] = {}
            frame = queries.run(self.cur, "unit_history", year=year)
            for unit_id, month, key, actual in frame.itertuples(index=False):
                covered[int(unit_id)].add(int(month))
                if isinstance(key, str):
                    actuals[(int(unit_id), key, int(month))] = float(actual)
            self._years[year] = (covered, actuals)
        return self._years[year]

    def covered(self, unit_id: int, year: int) -> set[int]:
        """Months of the year for which the unit has an active batch."""
        return self._year(year)[0].get(unit_id, set())

    def actual(self, unit_id: int, key: str, year: int, month: int) -> float:
        """The unit's loaded actual of one indicator and month (0 when nothing)."""
        return self._year(year)[1].get((unit_id, key, month), 0.0)


def _months(months: list[int]) -> str:
    return "、".join(f"{m}月" for m in months)


class CumulativeReports(CellReader):
    """Turns the claims the wide reader collected into month facts, problems and warnings."""

    def resolve_claims(self) -> None:
        """Resolve every cumulative claim of the file, earliest month first."""
        history = self.history or History()
        own = {(c.unit.unit_id, c.key, c.year, c.month) for c in self.claims}
        own = {k for k in own if k[3] in self.file_months.get(k[:3], {})}
        for claim in sorted(self.claims, key=lambda c: (c.unit.unit_id, c.key, c.year, c.month)):
            group = (claim.unit.unit_id, claim.key, claim.year)
            known = self.file_months[group]
            covered = history.covered(claim.unit.unit_id, claim.year)
            earlier, missing = 0.0, []
            for m in range(1, claim.month):
                if m in known:
                    earlier += known[m]
                elif m in covered:
                    earlier += history.actual(*group[:2], claim.year, m)
                else:
                    missing.append(m)
            ind = self.ref.indicators[claim.key]
            if (*group, claim.month) in own:
                self._check_claim(claim, earlier, known[claim.month], missing, ind)
                continue
            if missing:
                self.problem(
                    claim.sheet,
                    claim.row,
                    claim.col,
                    claim.raw,
                    f"本表只给出累计数：要算出{claim.unit.name}{claim.year}年{claim.month}月的"
                    f"「{ind.name}」，需先导入{_months(missing)}的数据（尚未导入）；"
                    "或在表中填写“本月”数",
                )
                continue
            value = claim.value - earlier
            if value < 0:
                self.problem(
                    claim.sheet,
                    claim.row,
                    claim.col,
                    claim.raw,
                    f"累计数 {claim.value:,.0f} 小于此前各月之和 {earlier:,.0f}，请核对",
                )
                continue
            known[claim.month] = value
            if value:
                self.add_fact(
                    claim.unit,
                    ind,
                    None,
                    True,
                    claim.year,
                    claim.month,
                    value,
                    claim.sheet,
                    claim.row,
                    category_text=ind.name,
                )

    def _check_claim(self, claim, earlier, month_value, missing, ind) -> None:
        """勾稽: the cumulative figure against the months before it plus this month's."""
        if missing:
            self.problem(
                claim.sheet,
                claim.row,
                claim.col,
                claim.raw,
                f"累计数未核对：{_months(missing)}的数据尚未导入，无法与各月相加比较",
                "warning",
            )
            return
        if abs(claim.value - (earlier + month_value)) > 1e-9:
            self.problem(
                claim.sheet,
                claim.row,
                claim.col,
                claim.raw,
                f"勾稽不符：累计数为 {claim.value:,.0f} {ind.unit_label}，而此前各月 "
                f"{earlier:,.0f} 加本月 {month_value:,.0f} 为 {earlier + month_value:,.0f} "
                f"{ind.unit_label}；已按本月数计入",
                "warning",
            )
