"""The audit log: who did what and when — every write, every login, logout and refusal.

Append-only by construction: this module is the only code that touches `audit_log`, and it
offers `record` (INSERT) and read functions, nothing that updates or deletes (a test checks the
whole package for statements that would). Entries name the account, never a password, and carry
no personal data of the people served: batches are referred to by number and file name.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # both load in about 0.5 s; `permissions` imports this module for every command
    import duckdb
    import pandas as pd

# action code -> what it means (Chinese, shown on the audit page and in the Excel export)
ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_locked": "登录被锁定",
    "logout": "退出登录",
    "session_expired": "超时自动退出",
    "denied": "无权操作被拒绝",
    "ingest": "导入台账",
    "rollback": "撤销批次",
    "restore": "恢复批次",
    "remove_demo": "删除演示数据",
    "plan_save": "保存年度计划",
    "setting_change": "修改设置",
    "unit_alias": "添加单位别名",
    "unit_add": "添加单位",
    "unit_active": "停用或恢复单位",
    "catalog_synonym": "添加指标同义词",
    "catalog_indicator": "添加指标",
    "user_add": "添加账号",
    "user_remove": "删除账号",
    "user_passwd": "修改密码",
    "user_role": "修改角色",
    "audit_export": "导出审计日志",
    "quality_followup": "核实数据质量问题",
    "rule_add": "添加校验规则",
    "rule_remove": "删除校验规则",
    "download": "下载文件",
    "layout_save": "保存表格结构",
    "layout_rename": "重命名表格结构",
    "layout_remove": "删除表格结构",
}
VIA_NAMES = {
    "web": "网页",
    "sso": "统一身份认证",
    "cli": "命令行",
    "system": "系统",
    "single": "单用户模式",
    "setup": "初始设置码",
}
ROLE_NAMES = {"viewer": "查看", "analyst": "填报", "admin": "管理"}
UNKNOWN_ACCOUNT = "（未知账号）"
COLUMNS = ["时间", "用户", "角色", "方式", "操作", "批次", "对象", "修改前", "修改后", "说明"]


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def record(
    cur: duckdb.DuckDBPyConnection,
    actor,
    action: str,
    *,
    role: str | None = None,
    batch_id: int | None = None,
    target: str | None = None,
    before=None,
    after=None,
    detail: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append one entry. `actor` is a permissions.Actor (or anything with .name and .via).

    Call it inside the transaction of the write it describes, so that both or neither are kept.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    cur.execute(
        """
        INSERT INTO audit_log (logged_at, username, role, via, action, batch_id, target, before_value,
                               after_value, detail)
        VALUES ($at, $username, $role, $via, $action, $batch_id, $target, $before, $after, $detail)
        """,
        {
            "at": at or dt.datetime.now(),
            "username": actor.name,
            "role": role,
            "via": actor.via,
            "action": action,
            "batch_id": batch_id,
            "target": target,
            "before": _json(before),
            "after": _json(after),
            "detail": detail,
        },
    )


def entries(
    cur: duckdb.DuckDBPyConnection,
    *,
    users: list[str] | None = None,
    actions: list[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Raw entries, newest first, filtered by user names, action codes and an inclusive date range."""
    return cur.execute(
        """
        SELECT entry_id, logged_at AS at, username, role, via, action, batch_id, target, before_value,
               after_value, detail
        FROM audit_log
        WHERE ($no_users OR list_contains($users, username))
          AND ($no_actions OR list_contains($actions, action))
          AND ($start IS NULL OR logged_at >= $start::DATE)
          AND ($end IS NULL OR logged_at < $end::DATE + 1)
        ORDER BY entry_id DESC
        LIMIT coalesce($limit, 9223372036854775807)
        """,
        {
            "no_users": not users,
            "users": list(users or []),
            "no_actions": not actions,
            "actions": list(actions or []),
            "start": start,
            "end": end,
            "limit": limit,
        },
    ).df()


def usernames(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Every user name that appears in the log, sorted."""
    return [
        r[0] for r in cur.execute("SELECT DISTINCT username FROM audit_log ORDER BY 1").fetchall()
    ]


def _value_text(raw) -> str:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    value = json.loads(raw)
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def table(raw: pd.DataFrame) -> pd.DataFrame:
    """Entries for people: 时间, 用户, 角色, 方式, 操作, 批次, 对象, 修改前, 修改后, 说明 (Chinese)."""
    import pandas as pd

    if raw.empty:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame(
        {
            "时间": pd.to_datetime(raw["at"]),
            "用户": raw["username"],
            "角色": raw["role"].map(lambda r: ROLE_NAMES.get(r, r or "")),
            "方式": raw["via"].map(lambda v: VIA_NAMES.get(v, v)),
            "操作": raw["action"].map(lambda a: ACTIONS.get(a, a)),
            "批次": raw["batch_id"].map(lambda b: "" if pd.isna(b) else str(int(b))),
            "对象": raw["target"].fillna(""),
            "修改前": raw["before_value"].map(_value_text),
            "修改后": raw["after_value"].map(_value_text),
            "说明": raw["detail"].fillna(""),
        },
        columns=COLUMNS,
    )
