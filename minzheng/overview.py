"""What leadership sees first: a card per indicator, the township × indicator matrix, what is behind."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from minzheng import progress, queries


def same_day_last_year(day: dt.date) -> dt.date:
    """The same calendar day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def cards(cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> pd.DataFrame:
    """One row per indicator (core ones first): the county's progress, last year's same period,
    the change against it and the monthly actuals (list of 12) for a small trend line."""
    now = progress.progress(cur, year, as_of)
    county = now[now["is_county"]].set_index("indicator")
    catalog = cur.execute(
        "SELECT key, name, unit_label, core FROM indicators WHERE active ORDER BY NOT core, sort_order"
    ).df()
    # Last year's county actual to the end of the same month (what progress() would give for
    # the same day last year) straight from the monthly aggregate: no second progress query.
    both = queries.run(cur, "county_monthly_years", first=year - 1, last=year)
    both = both[both["month"] <= as_of.month]
    before = both[both["year"] == year - 1].groupby("indicator")["actual"].sum()
    monthly = both[both["year"] == year]
    trend: dict[str, list[float]] = {}
    for key, month, actual in zip(
        monthly["indicator"], monthly["month"], monthly["actual"], strict=True
    ):
        trend.setdefault(key, [0.0] * as_of.month)[int(month) - 1] += float(actual)
    rows = []
    for item in catalog.itertuples(index=False):
        row = county.loc[item.key] if item.key in county.index else None
        actual = float(row["actual"]) if row is not None else 0.0
        last = float(before.get(item.key, 0.0))
        rows.append(
            {
                "indicator": item.key,
                "name": item.name,
                "unit_label": item.unit_label,
                "core": bool(item.core),
                "actual": actual,
                "target": row["target"] if row is not None else None,
                "completion": row["completion"] if row is not None else None,
                "time_progress": row["time_progress"]
                if row is not None
                else progress.time_progress(as_of),
                "gap": row["gap"] if row is not None else None,
                "status": row["status"] if row is not None else "无计划",
                "projected": row["projected"] if row is not None else None,
                "last_year": last,
                "change": (actual - last) / last if last else None,
                "trend": trend.get(item.key, [0.0] * as_of.month),
            }
        )
    return pd.DataFrame(rows)


def matrix(cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> pd.DataFrame:
    """Townships (rows, in the unit order) × indicators (columns): status, completion, gap."""
    table = progress.progress(cur, year, as_of)
    return table[~table["is_county"]][
        [
            "township",
            "indicator",
            "indicator_name",
            "unit_label",
            "actual",
            "target",
            "completion",
            "time_progress",
            "gap",
            "status",
        ]
    ].reset_index(drop=True)


def behind(
    cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date, limit: int = 10
) -> pd.DataFrame:
    """The township × indicator pairs that are 滞后, worst (largest gap behind) first."""
    table = matrix(cur, year, as_of)
    late = table[table["status"] == "滞后"].sort_values("gap")
    return late.head(limit).reset_index(drop=True)
