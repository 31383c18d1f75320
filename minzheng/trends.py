"""One indicator over the year: monthly and cumulative actuals against the plan line and last year."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from minzheng import progress, queries


def _monthly(cur, year: int, indicator: str, township: str | None) -> tuple[pd.Series, pd.Series]:
    """(this year's, last year's) actual per month 1–12 of one indicator."""
    if township:
        table = pd.concat(
            [
                queries.run(cur, "unit_monthly", year=y, township=township).assign(year=y)
                for y in (year - 1, year)
            ]
        )
    else:  # the county: both years in one statement
        table = queries.run(cur, "county_monthly_years", first=year - 1, last=year)
    table = table[table["indicator"] == indicator]

    def per_month(y: int) -> pd.Series:
        rows = table[table["year"] == y]
        return rows.groupby("month")["actual"].sum().reindex(range(1, 13), fill_value=0.0)

    return per_month(year), per_month(year - 1)


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
    actual, last = _monthly(cur, year, indicator, township)
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
