"""What leadership sees first: a card per indicator, the township × indicator matrix, what is behind."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from minzheng.measures import actuals, progress
from minzheng.store import memo, reference


def same_day_last_year(day: dt.date) -> dt.date:
    """The same calendar day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def cards(cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> pd.DataFrame:
    """One row per indicator (core ones first): the county's progress, last year's same period,
    the change against it and the monthly actuals (list of 12) for a small trend line."""
    with memo.pinned(cur):  # one data-version read for the three kept results below
        now = progress.columns(cur, year, as_of)
        catalog = reference.current(cur).indicators.values()
        both = actuals.county_months(cur, year)
    fields = ("actual", "target", "completion", "time_progress", "gap", "status", "projected")
    by_key = {
        now["indicator"][i]: {f: now[f][i] for f in fields}
        for i in np.flatnonzero(now["is_county"])
    }
    # Active indicators, core ones first, each group in catalog order.
    catalog = sorted(catalog, key=lambda i: not i.core)
    # Last year's county actual to the end of the same month (what progress() would give for
    # the same day last year) straight from the monthly aggregate: no second progress query.
    # Plain loops over at most 240 rows: pandas filters and group-bys cost more than the work.
    last_year: dict[str, float] = {}
    trend: dict[str, list[float]] = {}
    for y, key, month, actual in zip(
        both["year"], both["indicator"], both["month"], both["actual"], strict=True
    ):
        if month > as_of.month:
            continue
        if y == year:
            trend.setdefault(key, [0.0] * as_of.month)[int(month) - 1] += float(actual)
        else:
            last_year[key] = last_year.get(key, 0.0) + float(actual)
    even = progress.time_progress(as_of)
    rows = []
    for item in catalog:
        key = item.key
        row = by_key.get(key)
        actual = float(row["actual"]) if row is not None else 0.0
        last = last_year.get(key, 0.0)
        rows.append(
            {
                "indicator": key,
                "name": item.name,
                "unit_label": item.unit_label,
                "core": bool(item.core),
                "actual": actual,
                "target": row["target"] if row is not None else None,
                "completion": row["completion"] if row is not None else None,
                "time_progress": row["time_progress"] if row is not None else even,
                "gap": row["gap"] if row is not None else None,
                "status": row["status"] if row is not None else "无计划",
                "projected": row["projected"] if row is not None else None,
                "last_year": last,
                "change": (actual - last) / last if last else None,
                "trend": trend.get(key, [0.0] * as_of.month),
            }
        )
    return pd.DataFrame(rows)


MATRIX_COLUMNS = (
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
)


def matrix(cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> pd.DataFrame:
    """Townships (rows, in the unit order) × indicators (columns): status, completion, gap."""
    table = progress.columns(cur, year, as_of)
    units = ~table["is_county"]
    return progress.rows(table, units, MATRIX_COLUMNS)


def behind(
    cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date, limit: int = 10
) -> pd.DataFrame:
    """The township × indicator pairs that are 滞后, worst (largest gap behind) first."""
    table = progress.columns(cur, year, as_of)
    late = ~table["is_county"] & (table["status"] == "滞后")
    return (
        progress.rows(table, late, MATRIX_COLUMNS)
        .sort_values("gap")
        .head(limit)
        .reset_index(drop=True)
    )
