"""One indicator over the year: monthly and cumulative actuals against the plan line and last year."""

from __future__ import annotations

import datetime as dt
import itertools

import duckdb
import numpy as np
import pandas as pd

from minzheng.measures import actuals, progress
from minzheng.store import memo, queries


def _monthly(cur, year: int, indicator: str, township: str | None) -> tuple[list, list]:
    """(this year's, last year's) actual per month 1–12 of one indicator."""
    if township:
        table = pd.concat(
            [
                queries.run(cur, "unit_monthly", year=y, township=township).assign(year=y)
                for y in (year - 1, year)
            ]
        )
    else:  # the county: both years in one statement, shared with the cards
        table = actuals.county_months(cur, year)
    sums = {year - 1: [0.0] * 12, year: [0.0] * 12}
    for y, key, month, actual in zip(
        table["year"], table["indicator"], table["month"], table["actual"], strict=True
    ):
        if key == indicator:
            sums[int(y)][int(month) - 1] += float(actual)
    return sums[year], sums[year - 1]


def _target(cur, year: int, indicator: str, township: str | None, as_of: dt.date) -> float | None:
    table = progress.columns(cur, year, as_of)
    unit = township or "全县"
    for key, name, target in zip(
        table["indicator"], table["township"], table["target"], strict=True
    ):
        if key == indicator and name == unit:
            return None if pd.isna(target) else float(target)
    return None


def months(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    indicator: str,
    as_of: dt.date,
    township: str | None = None,
) -> pd.DataFrame:
    """Month 1–12: actual, cumulative (None after the as-of month), plan_cumulative (target ×
    planned cumulative share, phasing respected; None without a target), last_year,
    last_year_cumulative. `township` None means the county."""
    with memo.pinned(cur):
        actual, last = _monthly(cur, year, indicator, township)
        target = _target(cur, year, indicator, township, as_of)
    shares = cur.execute(queries.sql("plan_shares"), {"year": year}).fetchall()
    share_of = {int(m): s for k, m, s, _phased in shares if k == indicator}
    cumulative = list(itertools.accumulate(actual))
    planned = np.array(list(itertools.accumulate(share_of.get(m, np.nan) for m in range(1, 13))))
    return pd.DataFrame(
        {
            "month": range(1, 13),
            "actual": np.array(actual),
            "cumulative": [v if m <= as_of.month else None for m, v in enumerate(cumulative, 1)],
            "plan_cumulative": planned * target if target else None,
            "last_year": np.array(last),
            "last_year_cumulative": np.array(list(itertools.accumulate(last))),
        }
    )


def ranking(
    cur: duckdb.DuckDBPyConnection, year: int, indicator: str, as_of: dt.date
) -> pd.DataFrame:
    """Townships by completion of one indicator (best first; those without a target last)."""
    table = progress.columns(cur, year, as_of)
    rows = (table["indicator"] == indicator) & ~table["is_county"]
    columns = ("township", "actual", "target", "completion", "time_progress", "gap", "status")
    return (
        progress.rows(table, rows, (*columns, "projected"))
        .sort_values(["completion", "actual"], ascending=False, na_position="last")
        .reset_index(drop=True)
    )


def unit_trends(cur: duckdb.DuckDBPyConnection, year: int, township: str) -> pd.DataFrame:
    """Every indicator's monthly actuals for one unit: indicator, indicator_name, unit_label, month, actual."""
    table = queries.run(cur, "unit_monthly", year=year, township=township)
    return table[["indicator", "indicator_name", "unit_label", "month", "actual"]]
