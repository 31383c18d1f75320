"""Indicator actuals by unit and month, read from the monthly aggregate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from minzheng.store import memo, queries

if TYPE_CHECKING:  # only annotations here; `python -m minzheng indicators` never loads pandas
    import duckdb
    import numpy as np
    import pandas as pd


def monthly(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """One row per indicator, unit and month with a non-zero actual (queries/monthly_actuals.sql)."""
    return queries.run(cur, "monthly_actuals", year=year)


def monthly_rows(cur: duckdb.DuckDBPyConnection, year: int) -> list[tuple[str, str, int, float]]:
    """(indicator, township, month, actual) of `monthly`, as plain tuples: the command line
    writes them as CSV without loading pandas."""
    result = cur.execute(queries.sql("monthly_actuals"), {"year": year})
    names = [d[0] for d in result.description]
    pick = [names.index(n) for n in ("indicator", "township", "month", "actual")]
    return [tuple(row[i] for i in pick) for row in result.fetchall()]


def years(cur: duckdb.DuckDBPyConnection) -> list[int]:
    """Years that have data or a plan, newest first."""
    rows = cur.execute(
        "SELECT DISTINCT year FROM monthly_actuals UNION SELECT DISTINCT year FROM plan_targets "
        "ORDER BY 1 DESC"
    ).fetchall()
    return [r[0] for r in rows]


def county_months(cur: duckdb.DuckDBPyConnection, year: int) -> dict[str, np.ndarray]:
    """The county's total per indicator and month of the year and the year before
    (queries/county_monthly_years.sql) as read-only numpy columns, kept per data version: the
    cards and the indicator chart of one page both loop over it."""
    return memo.cached(cur, "county_months", (year,), lambda: _county_months(cur, year))


def _county_months(cur: duckdb.DuckDBPyConnection, year: int) -> dict[str, np.ndarray]:
    sql = queries.sql("county_monthly_years")
    columns = cur.execute(sql, {"first": year - 1, "last": year}).fetchnumpy()
    for values in columns.values():
        values.flags.writeable = False
    return columns
