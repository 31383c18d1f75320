"""Read results kept per database file and data version, shared by the calls of one page.

A dashboard page asks for the same tables several times in one script run (the progress table for
the cards, the matrix and the lagging list; the plan targets and the catalog for the plan grid and
the county totals). Every SQL statement costs DuckDB 0.5–15 ms of planning however small its data,
so the repeats are served from here. Every write bumps the data version (`db.bump_version`, in the
same transaction as the write; settings changes too), so a result stored under (file, version) is
valid until the next write. In-memory databases have no identity and are never cached.

Only read paths of the dashboard use this; code that writes and then reads in one transaction
(before bumping the version) must read directly. Benchmarks call `clear()` before each page so
that pages are measured on a cold cache.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TypeVar

import duckdb

from minzheng.store import db

T = TypeVar("T")

_CACHE: OrderedDict[tuple, object] = OrderedDict()
_SIZE = 64
_LOCK = threading.Lock()
_pinned = threading.local()
_PATHS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, str] = weakref.WeakKeyDictionary()


def stamp(cur: duckdb.DuckDBPyConnection) -> tuple[str, int] | None:
    """(database file, data version); None for an in-memory database.

    A cursor's file never changes, so it is looked up once per cursor (until `clear()`), and
    later stamps read only the version: one small statement either way.
    """
    pinned = getattr(_pinned, "stamp", None)
    if pinned is not None and pinned[0] is cur:
        return pinned[1]
    path = _PATHS.get(cur)
    if path is None:
        path, version = cur.execute(
            "SELECT d.path, v.version FROM duckdb_databases() d, data_version v "
            "WHERE d.database_name = current_database()"
        ).fetchone()
        path = path or ""
        with _LOCK:
            _PATHS[cur] = path
    elif path and path != ":memory:":
        version = db.data_version(cur)
    if not path or path == ":memory:":
        return None
    return path, version


@contextlib.contextmanager
def pinned(cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Read the data version once for every lookup on `cur` inside the block (this thread only).

    For a read-only function that takes several kept results: nothing can be written on the
    cursor meanwhile, so one version read serves them all.
    """
    outer = getattr(_pinned, "stamp", None)
    _pinned.stamp = (cur, stamp(cur))
    try:
        yield
    finally:
        _pinned.stamp = outer


def cached(cur: duckdb.DuckDBPyConnection, name: str, args: tuple, compute: Callable[[], T]) -> T:
    """compute(), or the result kept for (file, version, name, args).

    DataFrames are stored and handed out as copies (a caller may change its table); other results
    are shared and must be treated as read-only.
    """
    where = stamp(cur)
    if where is None:
        return compute()
    key = (*where, name, *args)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is not None:
        return _own(hit)
    result = compute()
    with _LOCK:
        _CACHE[key] = _own(result)
        while len(_CACHE) > _SIZE:
            _CACHE.popitem(last=False)
    return result


def clear() -> None:
    """Forget every kept result (benchmarks measure pages on a cold cache)."""
    with _LOCK:
        _CACHE.clear()
        _PATHS.clear()


def _own(value: T) -> T:
    """A copy of a DataFrame, other values as they are.

    pandas is not imported for this: a command that never loaded it cannot hold a DataFrame, and
    importing it would cost every command about 0.5 s of start-up.
    """
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, pd.DataFrame):
        return value.copy()
    return value
