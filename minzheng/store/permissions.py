"""Who may do what: the three roles, the acting user, and the check every write function makes.

Roles: 查看 (viewer) reads; 填报 (analyst) also uploads, edits plans and rolls back or restores
the batches they loaded; 管理 (admin) may do everything, including settings and accounts.

Every write function in the package takes `actor=` and calls `require` first. The role is read
from the accounts table at that moment, never taken from the session, so a session whose role was
lowered (or whose account was removed) can write nothing. `actor=None` means the local operator:
the command line, run by whoever has shell access to the server, acts with full rights.
The single-user actor (no account configured) has full rights only while no account exists,
except managing accounts: the first admin comes from the command line or from someone who has
the setup code printed on the server console (actor via "setup"), never from an anonymous page.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line reads the roles here before it knows it needs a database
    import duckdb

from minzheng.errors import MinzhengError
from minzheng.store import audit

VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"
ROLES = (VIEWER, ANALYST, ADMIN)
ROLE_NAMES = audit.ROLE_NAMES
_RANK = {VIEWER: 0, ANALYST: 1, ADMIN: 2}

# action -> (lowest role allowed, what it is in words)
ACTIONS = {
    "ingest": (ANALYST, "导入台账"),
    "plan": (ANALYST, "修改年度计划"),
    "rollback": (ANALYST, "撤销导入批次"),
    "restore": (ANALYST, "恢复导入批次"),
    # Superseding rows another person loaded: they could not roll back what replaced them.
    "replace_others": (ADMIN, "替换他人导入的数据"),
    "layouts": (ANALYST, "管理表格结构"),
    "remove_demo": (ADMIN, "删除演示数据"),
    "settings": (ADMIN, "修改设置"),
    "reference": (ADMIN, "修改单位和指标目录"),
    "users": (ADMIN, "管理账号"),
    "audit": (ADMIN, "查看和导出审计日志"),
    "quality": (ANALYST, "查看和核实数据质量问题"),
    "rules": (ADMIN, "修改数据校验规则"),
}
# Analysts may do these only to batches they loaded themselves; admins to any.
OWN_ONLY = frozenset({"rollback", "restore"})


class PermissionDenied(MinzhengError):
    """The acting user's current role does not allow the action (message in Chinese)."""


@dataclass(frozen=True)
class Actor:
    """Who is acting. `via`: web (password login), sso, cli, system, single (no accounts) or
    setup (the one-time setup code making the first admin)."""

    name: str
    via: str = "web"

    @property
    def is_account(self) -> bool:
        """True for a logged-in account, whose role lives in the accounts table."""
        return self.via in ("web", "sso")


def operator() -> Actor:
    """The local operator: the command line, acting as the operating-system user."""
    try:
        name = getpass.getuser()
    except Exception:  # no passwd entry in some containers
        name = "unknown"
    return Actor(name, "cli")


SYSTEM = Actor("系统", "system")  # the app's own writes, e.g. loading the demo on first start
SINGLE_USER = Actor("单用户模式", "single")


def has_accounts(cur: duckdb.DuckDBPyConnection) -> bool:
    """True once at least one account exists (then login is required)."""
    return cur.execute("SELECT count(*) FROM accounts").fetchone()[0] > 0


def role_of(cur: duckdb.DuckDBPyConnection, actor: Actor | None) -> str | None:
    """The actor's role as stored now; None when it has none (removed account, single-user
    actor after accounts were created)."""
    if actor is None or actor.via in ("cli", "system"):
        return ADMIN
    if actor.via in ("single", "setup"):
        return None if has_accounts(cur) else ADMIN
    row = cur.execute("SELECT role FROM accounts WHERE name = $n", {"n": actor.name}).fetchone()
    return row[0] if row else None


def _allowed(role: str | None, action: str, actor: Actor, owner: str | None) -> bool:
    if actor.via == "single" and action == "users":
        return False  # anyone who reaches the page would make themselves admin
    needed = ACTIONS[action][0]
    if role is None or _RANK[role] < _RANK[needed]:
        return False
    if action in OWN_ONLY and role != ADMIN:
        return owner is not None and owner == actor.name
    return True


def allowed(
    cur: duckdb.DuckDBPyConnection, actor: Actor | None, action: str, owner: str | None = None
) -> bool:
    """Whether the actor may do `action` now (`owner`: who loaded the batch, for rollback/restore)."""
    return _allowed(role_of(cur, actor), action, actor or operator(), owner)


def refusal(
    role: str | None, action: str, owner: str | None = None, *, single: bool = False
) -> str:
    """Why the action is refused, in Chinese (`single`: the actor is the single-user actor)."""
    what = ACTIONS[action][1]
    if single and action == "users":
        return (
            "单用户模式下不能在网页上添加账号。请在服务器上运行 "
            "python -m minzheng user add 姓名 --role admin，"
            "或使用看板启动时在服务器控制台显示的初始设置码创建第一个管理员。"
        )
    if role is None:
        return f"您的账号已被删除或停用，不能{what}。请重新登录或联系管理员。"
    needed = ACTIONS[action][0]
    if action == "replace_others":
        return (
            f"要替换的数据由“{owner or '他人'}”导入，“{ROLE_NAMES[role]}”角色只能替换自己导入的数据"
            "（否则对方无法撤销）。请请对方替换，或联系管理员替换。"
        )
    if _RANK[role] >= _RANK[needed] and action in OWN_ONLY:
        verb = {"rollback": "撤销", "restore": "恢复"}[action]
        return (
            f"“{ROLE_NAMES[role]}”角色只能{verb}自己导入的批次，"
            f"这个批次由“{owner or '他人'}”导入；如需{verb}，请联系管理员。"
        )
    return (
        f"您的账号为“{ROLE_NAMES[role]}”角色，不能{what}；"
        f"需要“{ROLE_NAMES[needed]}”角色，请联系管理员。"
    )


def require(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor | None,
    action: str,
    *,
    owner: str | None = None,
    batch_id: int | None = None,
    target: str | None = None,
) -> tuple[Actor, str]:
    """(actor, role) when the action is allowed; otherwise record the refusal in the audit log
    and raise PermissionDenied. Call it before opening the write's transaction."""
    actor = actor or operator()
    role = role_of(cur, actor)
    if _allowed(role, action, actor, owner):
        return actor, role
    message = refusal(role, action, owner, single=actor.via == "single")
    audit.record(
        cur,
        actor,
        "denied",
        role=role,
        batch_id=batch_id,
        target=target or ACTIONS[action][1],
        detail=message,
    )
    raise PermissionDenied(message)
