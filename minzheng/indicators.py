"""Indicator actuals by unit and month, read from the monthly aggregate."""

from __future__ import annotations

import duckdb
import pandas as pd

from minzheng import queries


def monthly(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """One row per indicator, unit and month with a non-zero actual (queries/monthly_actuals.sql)."""
    return queries.run(cur, "monthly_actuals", year=year)
