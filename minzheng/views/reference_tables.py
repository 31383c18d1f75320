"""Units and the indicator catalog as the 设置 page lists them."""

from __future__ import annotations

import duckdb
import pandas as pd

from minzheng.store.catalog import KIND_NAMES


def units_table(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every unit in reporting order: 代码, 名称, 类型, 别名, 状态."""
    raw = cur.execute(
        """
        SELECT u.code, u.name, u.kind, u.active,
               coalesce(string_agg(a.alias, '、' ORDER BY a.alias), '') AS aliases
        FROM units u LEFT JOIN unit_aliases a USING (unit_id)
        GROUP BY ALL ORDER BY any_value(u.sort_order)
        """
    ).df()
    return pd.DataFrame(
        {
            "代码": raw["code"].fillna(""),
            "名称": raw["name"],
            "类型": raw["kind"].map(KIND_NAMES).fillna(raw["kind"]),
            "别名": raw["aliases"],
            "状态": raw["active"].map({True: "在用", False: "已停用"}),
        }
    )


def indicators_table(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every active indicator in catalog order: 键, 名称, 计量单位, 可接受单位, 单行上限, 核心指标, 同义词."""
    raw = cur.execute(
        """
        SELECT i.key, i.name, i.unit_label, i.accepted_units, i.max_per_row, i.core,
               coalesce(string_agg(s.synonym, '、' ORDER BY s.synonym), '') AS synonyms
        FROM indicators i LEFT JOIN indicator_synonyms s ON s.indicator_key = i.key
        WHERE i.active
        GROUP BY ALL ORDER BY any_value(i.sort_order)
        """
    ).df()
    return pd.DataFrame(
        {
            "键": raw["key"],
            "名称": raw["name"],
            "计量单位": raw["unit_label"],
            "可接受单位": ["、".join(a) for a in raw["accepted_units"]],
            "单行上限": raw["max_per_row"].astype(float),
            "核心指标": raw["core"].astype(bool),
            "同义词": raw["synonyms"],
        }
    )
