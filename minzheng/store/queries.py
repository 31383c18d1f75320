"""Running the SQL in queries/: one query per file, named by the file, parameters always bound."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from minzheng import config
from minzheng.errors import ConfigError

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


@cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql (which must start with its header comment)."""
    path = config.QUERIES_DIR / f"{name}.sql"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"查询文件 {path.name} 不存在") from exc
    if not text.startswith(f"-- {name}:"):
        raise ConfigError(f"查询文件 {path.name} 缺少说明注释（应以 “-- {name}:” 开头）")
    return text


def run(cur: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Execute queries/<name>.sql with named parameters and return the result as a DataFrame."""
    return cur.execute(sql(name), params).df()
