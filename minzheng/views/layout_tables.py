"""Layout profiles as the 设置 page lists them."""

from __future__ import annotations

import pandas as pd

from minzheng.store.layout_profiles import LayoutProfile

COLUMNS = ["名称", "乡镇", "表头", "已使用（次）", "最近使用", "创建人"]


def _time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def profiles_table(profiles: list[LayoutProfile]) -> pd.DataFrame:
    """One row per profile: name, fixed unit (or 按乡镇列), header text, use and creator."""
    return pd.DataFrame(
        [
            [
                p.name,
                p.unit or ("按乡镇列" if _has_township(p) else ""),
                p.header_preview,
                p.times_used,
                _time(p.last_used),
                p.created_by,
            ]
            for p in profiles
        ],
        columns=COLUMNS,
    )


def _has_township(profile: LayoutProfile) -> bool:
    return any(c.meaning == "township" for c in profile.columns.values())
