"""Progress against the year plan at an as-of date: completion, 序时进度, status, projection."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

import duckdb
import pandas as pd

from minzheng import db, queries, settings

STATUSES = ("超前", "正常", "滞后", "无计划")

# One page asks for the same progress table several times (cards, matrix, ranking, the lagging
# list); planning the query alone costs tens of milliseconds, so recent results are kept per
# database file and data version (bumped by every write) and handed out as copies.
_CACHE: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 16
_CACHE_LOCK = threading.Lock()


def default_as_of(cur: duckdb.DuckDBPyConnection, year: int) -> dt.date:
    """The last date with data in the year; the year's end (or today) when there is none."""
    last = queries.run(cur, "last_data_date", year=year)["last_date"].iloc[0]
    if last is not None and not pd.isna(last):
        return pd.Timestamp(last).date()
    return min(dt.date(year, 12, 31), dt.date.today())


def time_progress(as_of: dt.date) -> float:
    """Even time progress: days elapsed in the year / days in the year (as-of day included)."""
    days = (dt.date(as_of.year, 12, 31) - dt.date(as_of.year, 1, 1)).days + 1
    return as_of.timetuple().tm_yday / days


def progress(
    cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Per indicator and unit, then county (全县) rows: actual, target, completion, status…

    Columns as queries/progress.sql documents them.
    """
    as_of = as_of or default_as_of(cur, year)
    params = {
        "year": year,
        "as_of": as_of,
        "ahead_margin": float(settings.get(cur, "status.ahead_margin")),
        "behind_margin": float(settings.get(cur, "status.behind_margin")),
    }
    key = _cache_key(cur, params)
    with _CACHE_LOCK:
        hit = _CACHE.get(key) if key else None
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit.copy()
    table = queries.run(cur, "progress", **params)
    if key:
        with _CACHE_LOCK:
            _CACHE[key] = table.copy()
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return table


def _cache_key(cur: duckdb.DuckDBPyConnection, params: dict) -> tuple | None:
    """(database file, data version, parameters); None for in-memory databases (no identity)."""
    path = cur.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0]
    if not path or path == ":memory:":
        return None
    return (path, db.data_version(cur), *sorted(params.items()))


def clear_cache() -> None:
    """Forget cached progress tables (benchmarks measure pages on a cold cache)."""
    with _CACHE_LOCK:
        _CACHE.clear()
