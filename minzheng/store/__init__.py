"""Storage: the DuckDB file and what is kept in it.

The database and its migrations (`db`), reference data (`reference`: units and the catalog),
loaded batches, settings, accounts, permissions and the audit log. `connect` is the way in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing a store module must not load DuckDB (`python -m minzheng --help`)
    import duckdb


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the product's database ready for use: migrated, units and catalog seeded when new.

    `path` defaults to `MINZHENG_DB`, else data/minzheng.duckdb. One connection per process; a
    `cursor()` per thread.
    """
    from minzheng.store import db, reference

    return db.connect(path, seed=reference.seed)
