"""Where things live and the settings an admin may change (defaults in data/config.toml)."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

from minzheng.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEMO_DIR = DATA_DIR / "demo"
DEFAULT_DB = DATA_DIR / "minzheng.duckdb"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: the explicit path, else $MINZHENG_DB, else data/minzheng.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("MINZHENG_DB")
    return Path(env) if env else DEFAULT_DB


@cache
def defaults() -> dict:
    """The settings shipped in data/config.toml, flattened to 'section.key' names."""
    path = DATA_DIR / "config.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"配置文件 {path} 无法读取：{exc}") from exc
    return {
        f"{section}.{key}": value for section, items in raw.items() for key, value in items.items()
    }
