"""The DuckDB file: opening it, numbered migrations (seeding through a callback), transactions."""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from minzheng import config
from minzheng.errors import MinzhengError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PRIVATE = 0o600  # the database holds password hashes, the audit log and kept copies


class DatabaseInUse(MinzhengError):
    """Another process (a running dashboard or command) holds the database file's lock."""


def private_files() -> None:
    """Make every file this process creates from now on owner-only (0600, folders 0700).

    DuckDB creates the database, its write-ahead log and temporary files itself with the
    process's umask; this is the only way to have them private from their first byte.
    """
    os.umask(0o077)


def _restrict(target: Path) -> None:
    """Owner-only access to the database and its log, also for files made by older versions."""
    for path in (target, target.with_name(target.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE)


def in_use_message(target: Path) -> str:
    """What to tell someone whose command found the database held by another process."""
    return (
        f"数据库 {target} 正在被另一个程序使用（通常是正在运行的看板），"
        "同一时间只能由一个程序打开它。"
        "看板运行时，账号管理（user）和备份（backup）命令会自动交给看板执行；"
        "其他命令请先停止看板再运行。"
    )


Seed = Callable[[duckdb.DuckDBPyConnection], None]


def connect(path: str | Path | None, *, seed: Seed) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and apply pending migrations.

    `seed` fills the reference data in the transaction of the first migration; it is a required
    argument so that no caller can open an unseeded database by mistake (the product's callers go
    through `minzheng.store.connect`). Callers that work from several threads take a `cursor()`
    per thread from the returned connection; the connection itself stays with its creator.
    """
    target = config.db_path(path)
    on_disk = str(target) != ":memory:"
    if on_disk:
        target.parent.mkdir(parents=True, exist_ok=True)
    previous = os.umask(0o077)  # a new database file is born 0600
    try:
        con = duckdb.connect(str(target))
    except duckdb.IOException as exc:
        # DuckDB's own text names the interpreter and a PID: of no use to bureau staff.
        if "lock" in str(exc).lower():
            raise DatabaseInUse(in_use_message(target)) from None
        raise MinzhengError(f"无法打开数据库 {target}，请检查文件是否存在且可读写。") from None
    finally:
        os.umask(previous)
    if on_disk:
        _restrict(target)
    migrate(con, seed)
    return con


def migrate(con: duckdb.DuckDBPyConnection, seed: Seed) -> int:
    """Apply every migration newer than the recorded schema version; return the version.

    `seed(con)` runs inside the first migration's transaction, once, when the schema is new.
    """
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
                seed(con)
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
    # Two uploads checked at once both ask for the key of a new database: one creates it, the
    # other must wait and read it whole (never an empty or half-written file).
    with _key_lock:
        if key_file.exists():
            return bytes.fromhex(key_file.read_text().strip())
        key = secrets.token_bytes(32)
        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 in one step: a write then chmod leaves a moment where others may read it.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key.hex())
        return key


_key_lock = threading.Lock()


_memory_key = secrets.token_bytes(32)
