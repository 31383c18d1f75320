"""Progress against the year plan at an as-of date: completion, 序时进度, status, projection."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from minzheng.store import memo, queries, settings

if TYPE_CHECKING:  # pandas is loaded where a DataFrame is built: `python -m minzheng progress`
    import duckdb  # writes CSV from the columns and should not pay its 0.5 s import
    import numpy as np
    import pandas as pd

STATUSES = ("超前", "正常", "滞后", "无计划")


def default_as_of(cur: duckdb.DuckDBPyConnection, year: int) -> dt.date:
    """The last date with data in the year; the year's end (or today) when there is none."""
    last = cur.execute(queries.sql("last_data_date"), {"year": year}).fetchone()[0]
    if last is not None:
        return last.date() if isinstance(last, dt.datetime) else last
    return min(dt.date(year, 12, 31), dt.date.today())


def default_dates(cur: duckdb.DuckDBPyConnection) -> dict[int, dt.date]:
    """Every year with data or a plan (newest first, as `indicators.years`) with its
    `default_as_of` date, in one statement: the sidebar's year and date filters need both."""
    rows = cur.execute(queries.sql("default_dates")).fetchall()
    today = dt.date.today()
    return {
        int(y): last if last is not None else min(dt.date(y, 12, 31), today) for y, last in rows
    }


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
    import pandas as pd

    return pd.DataFrame(columns(cur, year, as_of))


def columns(
    cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date | None = None
) -> dict[str, np.ndarray]:
    """The `progress` table as read-only numpy columns (NULL numbers as NaN), kept per data
    version: one page asks for it up to four times (cards, matrix, ranking, the lagging list),
    and the callers that take a few rows of it build them from these arrays, which costs a
    fraction of filtering a DataFrame."""
    as_of = as_of or default_as_of(cur, year)
    # The settings need not be part of the key: changing one bumps the data version.
    return memo.cached(cur, "progress", (year, as_of), lambda: _compute(cur, year, as_of))


def rows(table: dict[str, np.ndarray], mask: np.ndarray, names) -> pd.DataFrame:
    """The rows of a `columns()` table where `mask` holds, as filtering `progress()` gives them
    (text columns typed as str, also when no row is left)."""
    import pandas as pd

    text = len(table["indicator"]) > 0  # an empty progress() has untyped (object) columns
    return pd.DataFrame(
        {
            n: pd.array(table[n][mask], dtype="str")
            if text and table[n].dtype == object
            else table[n][mask]
            for n in names
        }
    )


def _compute(cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> dict[str, np.ndarray]:
    import numpy as np

    ahead, behind = settings.get_many(cur, "status.ahead_margin", "status.behind_margin")
    raw = cur.execute(
        queries.sql("progress"),
        {
            "year": year,
            "as_of": as_of,
            "ahead_margin": float(ahead),
            "behind_margin": float(behind),
        },
    ).fetchnumpy()
    table = {}
    for name, values in raw.items():
        if isinstance(values, np.ma.MaskedArray):  # NULLs: NaN as DataFrame.df() gives them
            values = values.filled(np.nan) if values.dtype.kind == "f" else values.filled(None)
        values = np.asarray(values)
        values.flags.writeable = False
        table[name] = values
    return table
