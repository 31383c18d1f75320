"""One indicator over the year: monthly and cumulative actuals against the plan line and last year."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from minzheng import progress, queries


def _monthly(cur, year: int, indicator: str, township: str | None) -> pd.Series:
    if township:
        table = queries.run(cur, "unit_monthly", year=year, township=township)
        table = table[table["indicator"] == indicator]
    else:
        table = queries.run(cur, "county_monthly", year=year)
        table = table[table["indicator"] == indicator]
    return table.groupby("month")["actual"].sum().reindex(range(1, 13), fill_value=0.0)


def _target(cur, year: int, indicator: str, township: str | None, as_of: dt.date) -> float | None:
    table = progress.progress(cur, year, as_of)
    row = table[(table["indicator"] == indicator) & (table["township"] == (township or "全县"))]
    if row.empty or pd.isna(row["target"].iloc[0]):
        return None
    return float(row["target"].iloc[0])


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
    actual = _monthly(cur, year, indicator, township)
    last = _monthly(cur, year - 1, indicator, township)
    shares = queries.run(cur, "plan_shares", year=year)
    shares = shares[shares["indicator"] == indicator].set_index("month")["share"]
    target = _target(cur, year, indicator, township, as_of)
    frame = pd.DataFrame({"month": range(1, 13)})
    frame["actual"] = actual.values
    cumulative = actual.cumsum()
    frame["cumulative"] = [
        v if m <= as_of.month else None for m, v in zip(range(1, 13), cumulative, strict=True)
    ]
    frame["plan_cumulative"] = (
        (shares.cumsum().reindex(range(1, 13)).values * target) if target else None
    )
    frame["last_year"] = last.values
    frame["last_year_cumulative"] = last.cumsum().values
    return frame


def ranking(
    cur: duckdb.DuckDBPyConnection, year: int, indicator: str, as_of: dt.date
) -> pd.DataFrame:
    """Townships by completion of one indicator (best first; those without a target last)."""
    table = progress.progress(cur, year, as_of)
    table = table[(table["indicator"] == indicator) & ~table["is_county"]]
    return table.sort_values(["completion", "actual"], ascending=False, na_position="last")[
        [
            "township",
            "actual",
            "target",
            "completion",
            "time_progress",
            "gap",
            "status",
            "projected",
        ]
    ].reset_index(drop=True)


def unit_trends(cur: duckdb.DuckDBPyConnection, year: int, township: str) -> pd.DataFrame:
    """Every indicator's monthly actuals for one unit: indicator, indicator_name, unit_label, month, actual."""
    table = queries.run(cur, "unit_monthly", year=year, township=township)
    return table[["indicator", "indicator_name", "unit_label", "month", "actual"]]
