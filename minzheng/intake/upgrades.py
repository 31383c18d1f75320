"""Data upgrades that need the reader's code: recorded as pending by a migration, run once.

Migrations are plain SQL (`store/migrations/`), and `store.db` imports nothing of the reader. A
migration whose data must be rewritten by Python (kept copies re-redacted, notes re-masked)
inserts the upgrade's name into `pending_upgrades`; the command line and the dashboard call
`run_pending` right after opening the database, and each upgrade runs in its own transaction
with the removal of its name, so it happens exactly once.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from minzheng.intake import redact
from minzheng.store import db

UPGRADES: dict[str, Callable[[duckdb.DuckDBPyConnection], int]] = {
    "kept_copies_as_values": redact.rewrite_kept,  # migration 007
    "notes_rescrubbed": redact.rescrub_notes,  # migration 007
}


def run_pending(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Run every pending upgrade, in name order; returns the names of those that ran."""
    pending = [
        r[0] for r in con.execute("SELECT name FROM pending_upgrades ORDER BY name").fetchall()
    ]
    for name in pending:
        with db.transaction(con):
            UPGRADES[name](con)
            con.execute("DELETE FROM pending_upgrades WHERE name = $n", {"n": name})
            db.bump_version(con)
    return pending
