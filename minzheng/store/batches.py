"""Loaded files as batches: writing one, superseding, rolling back, restoring, removing demo data.

Every change to live facts refreshes the monthly aggregate for exactly the keys it touched, in
the same transaction, so dashboard queries read only `monthly_actuals`.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from minzheng.errors import MinzhengError, NotFoundError
from minzheng.store import audit, db, permissions, settings

# pandas only where a DataFrame is returned (the command line's ingest needs none)
if TYPE_CHECKING:
    import pandas as pd

_LIVE = (
    "superseded_by IS NULL AND batch_id IN (SELECT batch_id FROM batches WHERE status = 'active')"
)


def current_user() -> str:
    """The operating-system user, recorded as who loaded a batch when no login names one."""
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


Key = tuple[int, int, int, str]  # (year, month, unit_id, indicator_key)


def _register_keys(cur: duckdb.DuckDBPyConnection, keys: list[Key]) -> None:
    years, months, units, indicators = zip(*keys, strict=True) if keys else ((), (), (), ())
    table = pa.table(
        {
            "year": pa.array(years, pa.int16()),
            "month": pa.array(months, pa.int8()),
            "unit_id": pa.array(units, pa.int32()),
            "indicator_key": pa.array(indicators, pa.string()),
        }
    )
    cur.register("affected_keys", table)


def refresh_monthly(cur: duckdb.DuckDBPyConnection, keys: list[Key]) -> None:
    """Recompute `monthly_actuals` for the given (year, month, unit_id, indicator_key) keys."""
    if not keys:
        return
    _register_keys(cur, keys)
    try:
        cur.execute(
            "DELETE FROM monthly_actuals m USING affected_keys k WHERE m.year = k.year "
            "AND m.month = k.month AND m.unit_id = k.unit_id AND m.indicator_key = k.indicator_key"
        )
        cur.execute(
            f"""
            INSERT INTO monthly_actuals
            SELECT f.year, f.month, f.unit_id, f.indicator_key, sum(f.quantity), count(*),
                   max(coalesce(f.activity_date, last_day(make_date(f.year, f.month, 1))))
            FROM facts f
            SEMI JOIN affected_keys k ON f.year = k.year AND f.month = k.month
                 AND f.unit_id = k.unit_id AND f.indicator_key = k.indicator_key
            WHERE f.{_LIVE}
            GROUP BY ALL
            """
        )
    finally:
        cur.unregister("affected_keys")


def batch_keys(cur: duckdb.DuckDBPyConnection, batch_id: int) -> list[Key]:
    """The (year, month, unit_id, indicator_key) keys a batch's rows cover."""
    return cur.execute(
        "SELECT DISTINCT year, month, unit_id, indicator_key FROM facts WHERE batch_id = $b",
        {"b": batch_id},
    ).fetchall()


def loaded_by_others(cur: duckdb.DuckDBPyConnection, batch_ids: list[int], name: str) -> list[str]:
    """Who, other than `name`, loaded any of these batches (demo data belongs to nobody)."""
    rows = cur.execute(
        "SELECT DISTINCT loaded_by FROM batches WHERE list_contains($ids, batch_id) "
        "AND NOT is_demo AND loaded_by <> $name ORDER BY 1",
        {"ids": [int(b) for b in batch_ids], "name": name},
    ).fetchall()
    return [r[0] for r in rows]


OVERLAP_COLUMNS = ("batch_id", "file_name", "unit", "year", "month", "indicator")


def overlap_rows(cur: duckdb.DuckDBPyConnection, keys: list[Key]) -> list[tuple]:
    """Live data already loaded for any of the keys: one row of OVERLAP_COLUMNS per (batch,
    unit, month, indicator), ordered by batch, month and unit."""
    if not keys:
        return []
    _register_keys(cur, keys)
    try:
        # The aggregate holds a row for every live key: a cheap test before looking at raw rows.
        hit = cur.execute(
            "SELECT 1 FROM monthly_actuals m SEMI JOIN affected_keys k ON m.year = k.year "
            "AND m.month = k.month AND m.unit_id = k.unit_id AND m.indicator_key = k.indicator_key "
            "LIMIT 1"
        ).fetchone()
        if not hit:
            return []
        return cur.execute(
            f"""
            SELECT DISTINCT f.batch_id, b.file_name, u.name AS unit, f.year, f.month,
                   i.name AS indicator
            FROM facts f
            SEMI JOIN affected_keys k ON f.year = k.year AND f.month = k.month
                 AND f.unit_id = k.unit_id AND f.indicator_key = k.indicator_key
            JOIN batches b USING (batch_id)
            JOIN units u USING (unit_id)
            JOIN indicators i ON i.key = f.indicator_key
            WHERE f.{_LIVE}
            ORDER BY f.batch_id, f.year, f.month, u.name
            """
        ).fetchall()
    finally:
        cur.unregister("affected_keys")


def find_duplicate(cur: duckdb.DuckDBPyConnection, sha256: str, content_hash: str) -> tuple | None:
    """(batch_id, file_name) of an active batch with the same bytes or the same content."""
    return cur.execute(
        "SELECT batch_id, file_name FROM batches WHERE status = 'active' "
        "AND (sha256 = $sha OR content_hash = $content) ORDER BY batch_id LIMIT 1",
        {"sha": sha256, "content": content_hash},
    ).fetchone()


def write_batch(
    cur: duckdb.DuckDBPyConnection,
    *,
    meta: dict,
    facts: pa.Table,
    keys: list[Key],
    warnings: list,
    kept_name: str,
    kept_bytes: bytes | Callable[[], bytes],
    redacted: bool,
    replace: bool,
    actor: permissions.Actor | None = None,
    also: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None,
) -> int:
    """Insert a batch with its facts in one transaction; with `replace`, supersede overlapping rows.

    The audit entry is written in the same transaction (the caller has checked the permission),
    and so is whatever `also(cur, batch_id)` writes (the batch's quality flags): all or nothing.
    `kept_bytes` may be a function giving them: it is called after the facts are inserted (a
    copy still being compressed in a thread overlaps the insert; an error rolls all back).
    """
    actor = actor or permissions.operator()
    with db.transaction(cur):
        batch_id = cur.execute(
            """
            INSERT INTO batches (file_name, sha256, content_hash, shape, units, months, indicators,
                row_count, warning_count, sheets, loaded_at, received_at, loaded_by, status, is_demo,
                replaced)
            VALUES ($file_name, $sha256, $content_hash, $shape, $units, $months, $indicators,
                $row_count, $warning_count, $sheets, $loaded_at, coalesce($received_at, $loaded_at),
                $loaded_by, 'active', $is_demo, $replaced)
            RETURNING batch_id
            """,
            {**meta, "loaded_at": dt.datetime.now(), "replaced": replace},
        ).fetchone()[0]
        if replace:
            _register_keys(cur, keys)
            try:
                cur.execute(
                    f"""
                    UPDATE facts SET superseded_by = $b
                    WHERE {_LIVE} AND (year, month, unit_id, indicator_key) IN
                        (SELECT (year, month, unit_id, indicator_key) FROM affected_keys)
                    """,
                    {"b": batch_id},
                )
            finally:
                cur.unregister("affected_keys")
        cur.register("new_facts", facts)
        try:
            cur.execute(
                """
                INSERT INTO facts BY NAME
                SELECT $b AS batch_id, unit_id, indicator_key, year, month, activity_date, quantity,
                       sheet, source_row, category_text, place, note, person_hash, person_masked,
                       NULL AS superseded_by
                FROM new_facts
                """,
                {"b": batch_id},
            )
            cur.execute(
                "INSERT INTO batch_coverage SELECT $b, unit_id, year, month, count(*) "
                "FROM new_facts GROUP BY ALL",
                {"b": batch_id},
            )
            if not replace:
                # Nothing live overlaps (checked before): the new sums simply add to the aggregate.
                cur.execute(
                    """
                    INSERT INTO monthly_actuals
                    SELECT year, month, unit_id, indicator_key, sum(quantity), count(*),
                           max(coalesce(activity_date, last_day(make_date(year, month, 1))))
                    FROM new_facts GROUP BY ALL
                    ON CONFLICT DO UPDATE SET actual = actual + excluded.actual,
                        row_count = row_count + excluded.row_count,
                        last_date = greatest(last_date, excluded.last_date)
                    """
                )
        finally:
            cur.unregister("new_facts")
        cur.execute(
            "INSERT INTO batch_files VALUES ($b, $name, $redacted, $content)",
            {
                "b": batch_id,
                "name": kept_name,
                "redacted": redacted,
                "content": kept_bytes() if callable(kept_bytes) else kept_bytes,
            },
        )
        if warnings:
            cur.executemany(
                "INSERT INTO batch_warnings VALUES (?, ?, ?, ?, ?)",
                [(batch_id, w.sheet, w.cell, w.value, w.message) for w in warnings],
            )
        if replace:
            refresh_monthly(cur, keys)
        audit.record(
            cur,
            actor,
            "ingest",
            role=permissions.role_of(cur, actor),
            batch_id=batch_id,
            target=meta["file_name"],
            detail=f"{meta['row_count']} 行"
            + ("，替换已有数据" if replace else "")
            + ("，演示数据" if meta.get("is_demo") else ""),
        )
        if also is not None:
            also(cur, batch_id)
        db.bump_version(cur)
    return batch_id


def _status(cur: duckdb.DuckDBPyConnection, batch_id: int) -> str:
    return _row(cur, batch_id)[0]


def _row(cur: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[str, str, str]:
    """(status, loaded_by, file_name) of a batch."""
    row = cur.execute(
        "SELECT status, loaded_by, file_name FROM batches WHERE batch_id = $b", {"b": batch_id}
    ).fetchone()
    if not row:
        raise NotFoundError(f"没有编号为 {batch_id} 的导入批次")
    return row


def owner(cur: duckdb.DuckDBPyConnection, batch_id: int) -> str:
    """Who loaded the batch (analysts may roll back or restore only their own)."""
    return _row(cur, batch_id)[1]


def rollback(
    cur: duckdb.DuckDBPyConnection, batch_id: int, *, actor: permissions.Actor | None = None
) -> None:
    """Withdraw a batch: its rows stop counting and the rows it superseded count again."""
    status, loaded_by, file_name = _row(cur, batch_id)
    actor, role = permissions.require(
        cur, actor, "rollback", owner=loaded_by, batch_id=batch_id, target=file_name
    )
    if status != "active":
        raise MinzhengError(f"批次 {batch_id} 已撤销，无需再次撤销")
    keys = batch_keys(cur, batch_id)
    with db.transaction(cur):
        cur.execute(
            "UPDATE batches SET status = 'rolled_back', status_changed_at = current_timestamp "
            "WHERE batch_id = $b",
            {"b": batch_id},
        )
        cur.execute(
            "UPDATE facts SET superseded_by = NULL WHERE superseded_by = $b", {"b": batch_id}
        )
        refresh_monthly(cur, keys)
        audit.record(cur, actor, "rollback", role=role, batch_id=batch_id, target=file_name)
        db.bump_version(cur)


def restore(
    cur: duckdb.DuckDBPyConnection, batch_id: int, *, actor: permissions.Actor | None = None
) -> None:
    """Bring a rolled-back batch back; it supersedes whatever live rows cover the same keys."""
    status, loaded_by, file_name = _row(cur, batch_id)
    actor, role = permissions.require(
        cur, actor, "restore", owner=loaded_by, batch_id=batch_id, target=file_name
    )
    if status != "rolled_back":
        raise MinzhengError(f"批次 {batch_id} 当前有效，无需恢复")
    keys = batch_keys(cur, batch_id)
    with db.transaction(cur):
        cur.execute("UPDATE facts SET superseded_by = NULL WHERE batch_id = $b", {"b": batch_id})
        _register_keys(cur, keys)
        try:
            cur.execute(
                f"""
                UPDATE facts SET superseded_by = $b
                WHERE {_LIVE} AND batch_id <> $b AND (year, month, unit_id, indicator_key) IN
                    (SELECT (year, month, unit_id, indicator_key) FROM affected_keys)
                """,
                {"b": batch_id},
            )
        finally:
            cur.unregister("affected_keys")
        cur.execute(
            "UPDATE batches SET status = 'active', status_changed_at = current_timestamp "
            "WHERE batch_id = $b",
            {"b": batch_id},
        )
        refresh_monthly(cur, keys)
        audit.record(cur, actor, "restore", role=role, batch_id=batch_id, target=file_name)
        db.bump_version(cur)


def remove_demo(cur: duckdb.DuckDBPyConnection, *, actor: permissions.Actor | None = None) -> int:
    """Delete every demo batch and demo plan outright; returns the number of batches removed."""
    actor, role = permissions.require(cur, actor, "remove_demo")
    ids = [r[0] for r in cur.execute("SELECT batch_id FROM batches WHERE is_demo").fetchall()]
    with db.transaction(cur):
        keys = cur.execute(
            "SELECT DISTINCT year, month, unit_id, indicator_key FROM facts "
            "WHERE batch_id IN (SELECT batch_id FROM batches WHERE is_demo)"
        ).fetchall()
        cur.execute(
            "UPDATE facts SET superseded_by = NULL WHERE superseded_by IN "
            "(SELECT batch_id FROM batches WHERE is_demo)"
        )
        for table in ("facts", "batch_files", "batch_warnings", "batch_coverage", "quality_flags"):
            cur.execute(
                f"DELETE FROM {table} WHERE batch_id IN (SELECT batch_id FROM batches WHERE is_demo)"
            )
        cur.execute("DELETE FROM batches WHERE is_demo")
        cur.execute("DELETE FROM plan_targets WHERE is_demo")
        cur.execute("DELETE FROM plan_phasing WHERE is_demo")
        refresh_monthly(cur, keys)
        audit.record(
            cur, actor, "remove_demo", role=role, detail=f"{len(ids)} 个演示批次及演示计划"
        )
        db.bump_version(cur)
    settings.put(cur, "demo.autoload", False, actor=actor)
    return len(ids)


def has_demo(cur: duckdb.DuckDBPyConnection) -> bool:
    """True while demo data is loaded."""
    return cur.execute("SELECT count(*) FROM batches WHERE is_demo").fetchone()[0] > 0


def list_batches(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, newest first, with what it covers and its status."""
    return cur.execute(
        """
        SELECT batch_id, file_name, shape, units, months, indicators, row_count, warning_count,
               loaded_at, loaded_by, status, is_demo, replaced
        FROM batches ORDER BY batch_id DESC
        """
    ).df()


def kept_file_name(cur: duckdb.DuckDBPyConnection, batch_id: int) -> str:
    """The file name of the copy kept for a batch, without reading its bytes."""
    row = cur.execute(
        "SELECT file_name FROM batch_files WHERE batch_id = $b", {"b": batch_id}
    ).fetchone()
    if not row:
        raise NotFoundError(f"没有编号为 {batch_id} 的导入批次")
    return row[0]


def kept_file(cur: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the redacted copy kept for a batch."""
    row = cur.execute(
        "SELECT file_name, content FROM batch_files WHERE batch_id = $b", {"b": batch_id}
    ).fetchone()
    if not row:
        raise NotFoundError(f"没有编号为 {batch_id} 的导入批次")
    return row[0], bytes(row[1])
