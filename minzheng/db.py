"""The DuckDB file: opening it, numbered migrations, seeding reference data, transactions."""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

from minzheng import config
from minzheng.errors import MinzhengError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database, apply pending migrations and seed reference data.

    Callers that work from several threads take a `cursor()` per thread from the returned
    connection; the connection itself stays with its creator.
    """
    target = config.db_path(path)
    if str(target) != ":memory:":
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target))
    except duckdb.IOException as exc:
        raise MinzhengError(
            f"无法打开数据库 {target}：{exc}。同一数据库只能由一个看板或命令同时打开。"
        ) from exc
    migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the recorded schema version; return the version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
    )
    current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        number = int(path.name.split("_", 1)[0])
        if number <= current:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES ($v, current_timestamp)", {"v": number})
            if number == 1:
                from minzheng import reference  # late import: reference needs the schema

                reference.seed(con)
            if number == 7:
                from minzheng import redact  # late import: it reads with the reference data

                redact.rewrite_kept(con)
                redact.rescrub_notes(con)
        current = number
    return current


# One writer at a time in this process. Two write transactions touching the same rows (the data
# version, the monthly aggregate) would otherwise fail at commit with a conflict, and an upload's
# duplicate and overlap checks must see every batch committed before it (ingest.commit holds
# the lock from those checks to its commit). Readers never take it.
write_lock = threading.RLock()


@contextlib.contextmanager
def transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT under the process's write lock, rolled back on any exception.

    (DuckDB 2's `begin()` context closes the connection, hence this.)
    """
    with write_lock:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        try:
            cur.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                cur.execute("ROLLBACK")  # leave the cursor usable
            raise


def path_of(cur: duckdb.DuckDBPyConnection) -> str:
    """The file of the database this cursor is connected to ('' for an in-memory database)."""
    return (
        cur.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()[0]
        or ""
    )


def bump_version(cur: duckdb.DuckDBPyConnection) -> None:
    """Mark the data as changed; caches keyed on `data_version` then recompute."""
    cur.execute("UPDATE data_version SET version = version + 1")


def data_version(cur: duckdb.DuckDBPyConnection) -> int:
    """The current data version (changes on every write)."""
    return cur.execute("SELECT version FROM data_version").fetchone()[0]


def hash_key(db_file: str | Path | None = None) -> bytes:
    """The secret for keyed hashes of personal identifiers, kept beside the database file.

    It lives outside the database so that a copy of the database alone cannot be used to test
    guessed ID numbers against the stored hashes. Created on first use with owner-only access.
    """
    target = config.db_path(db_file)
    if str(target) == ":memory:":
        return _memory_key
    key_file = target.with_name(target.name + ".key")
    if key_file.exists():
        return bytes.fromhex(key_file.read_text().strip())
    key = secrets.token_bytes(32)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key.hex())
    key_file.chmod(0o600)
    return key


_memory_key = secrets.token_bytes(32)
