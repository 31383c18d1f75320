"""Indicator actuals by unit and month, read from the monthly aggregate."""

from __future__ import annotations

import duckdb
import pandas as pd

from minzheng import memo, queries


def monthly(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """One row per indicator, unit and month with a non-zero actual (queries/monthly_actuals.sql)."""
    return queries.run(cur, "monthly_actuals", year=year)


def years(cur: duckdb.DuckDBPyConnection) -> list[int]:
    """Years that have data or a plan, newest first."""
    rows = cur.execute(
        "SELECT DISTINCT year FROM monthly_actuals UNION SELECT DISTINCT year FROM plan_targets "
        "ORDER BY 1 DESC"
    ).fetchall()
    return [r[0] for r in rows]


def county_months(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The county's total per indicator and month of the year and the year before
    (queries/county_monthly_years.sql), kept per data version: the cards and the indicator
    chart of one page both need it."""
    return memo.cached(
        cur,
        "county_months",
        (year,),
        lambda: queries.run(cur, "county_monthly_years", first=year - 1, last=year),
    )
