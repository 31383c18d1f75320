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


def thresholds(cur: duckdb.DuckDBPyConnection) -> dict[str, float | int]:
    """Current status margins in 百分点 (ahead, behind) and the report due day."""
    return {
        "ahead": round(float(get(cur, "status.ahead_margin")) * 100, 1),
        "behind": round(float(get(cur, "status.behind_margin")) * 100, 1),
        "due_day": int(get(cur, "reporting.due_day")),
    }


def save_thresholds(
    cur: duckdb.DuckDBPyConnection,
    ahead_points: float,
    behind_points: float,
    due_day: int,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Store the 超前/滞后 margins (given in 百分点, 0–100) and the due day (1–28). Admins only."""
    permissions.require(cur, actor, "settings", target="进度阈值与报送截止日")
    for label, points in (("超前", ahead_points), ("滞后", behind_points)):
        if not 0 <= float(points) <= 100:
            raise MinzhengError(f"{label}阈值应在 0 到 100 个百分点之间")
    if not 1 <= int(due_day) <= 28:
        raise MinzhengError("报送截止日应在 1 到 28 日之间")
    wanted = {
        "status.ahead_margin": round(float(ahead_points) / 100, 4),
        "status.behind_margin": round(float(behind_points) / 100, 4),
        "reporting.due_day": int(due_day),
    }
    for key, value in wanted.items():
        if get(cur, key) != value:
            put(cur, key, value, actor=actor)
