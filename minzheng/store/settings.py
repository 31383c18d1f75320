"""Admin-editable settings: defaults from data/config.toml, overrides stored in the database."""

from __future__ import annotations

import json

import duckdb

from minzheng import config
from minzheng.errors import MinzhengError
from minzheng.store import audit, db, permissions


def get(cur: duckdb.DuckDBPyConnection, key: str):
    """The setting's value: the stored override, else the default from data/config.toml."""
    defaults = config.defaults()
    if key not in defaults:
        raise MinzhengError(f"没有名为“{key}”的设置项")
    row = cur.execute("SELECT value FROM settings WHERE key = $key", {"key": key}).fetchone()
    return json.loads(row[0]) if row else defaults[key]


def get_many(cur: duckdb.DuckDBPyConnection, *keys: str) -> list:
    """Several settings' values (as `get` gives them) in one statement, in the order asked."""
    defaults = config.defaults()
    unknown = [k for k in keys if k not in defaults]
    if unknown:
        raise MinzhengError(f"没有名为“{unknown[0]}”的设置项")
    stored = dict(
        cur.execute(
            "SELECT key, value FROM settings WHERE list_contains($keys, key)", {"keys": list(keys)}
        ).fetchall()
    )
    return [json.loads(stored[k]) if k in stored else defaults[k] for k in keys]


def put(
    cur: duckdb.DuckDBPyConnection, key: str, value, *, actor: permissions.Actor | None = None
) -> None:
    """Store an override; the value must have the same type as the default. Admins only;
    the change is audited with its value before and after."""
    actor, role = permissions.require(cur, actor, "settings", target=key)
    default = config.defaults().get(key)
    if default is None:
        raise MinzhengError(f"没有名为“{key}”的设置项")
    if isinstance(default, float) and isinstance(value, int):
        value = float(value)
    if type(value) is not type(default):
        raise MinzhengError(f"设置项“{key}”应为{type(default).__name__}类型")
    before = get(cur, key)
    with db.transaction(cur):
        cur.execute(
            "INSERT OR REPLACE INTO settings VALUES ($key, $value)",
            {"key": key, "value": json.dumps(value)},
        )
        audit.record(
            cur, actor, "setting_change", role=role, target=key, before=before, after=value
        )
        db.bump_version(cur)
