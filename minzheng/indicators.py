"""Indicator actuals by unit and month, read from the monthly aggregate."""

from __future__ import annotations

import duckdb
import pandas as pd

from minzheng import queries


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
