"""Local accounts and logging in: argon2id password hashes, failed-login lockout, idle expiry.

Accounts live in the database's `accounts` table (the database file is outside git and is
backed up with it). With no account the dashboard runs in single-user mode; once one exists,
everyone logs in. Passwords are never stored or logged; failed logins slow down and lock
the client that made them (login_guard), never the account name.
Times come in as `now=` so tests can move the clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterator

import duckdb

from minzheng.errors import MinzhengError
from minzheng.store import audit, db, login_guard, settings
from minzheng.store.permissions import ADMIN, ROLE_NAMES, ROLES, Actor, require

MIN_PASSWORD = 8
_NAME = re.compile(r"^[^\s\x00-\x1f\x7f]{1,64}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
# argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 20 ms a
# check here. The library default (64 MiB, 3 passes, 4 lanes) made 40 wrong passwords at once
# take 2 GB and a real login 10 s. Hashes made with other parameters are redone at login.
# At most CHECKS_AT_ONCE argon2 computations run at a time: memory stays near 2 × 19 MiB, and 20
# logins at once finish in well under a second each instead of all thrashing together.
CHECKS_AT_ONCE = 2
_checks = threading.BoundedSemaphore(CHECKS_AT_ONCE)
_CHECK_WAIT = 10.0  # seconds a login waits for its turn before "too busy"


@functools.cache
def _hasher():
    """The argon2id hasher, made on first use (argon2 loads in about 0.1 s, which commands that
    never touch a password should not pay)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so both cases take the same time."""
    return _hasher().hash("not a real password")


class LoginError(MinzhengError):
    """A login was refused: wrong name or password, or the name is locked (Chinese message)."""


@contextlib.contextmanager
def _turn() -> Iterator[None]:
    """Hold a place for one argon2 computation; LoginError when the wait is too long."""
    if not _checks.acquire(timeout=_CHECK_WAIT):
        raise LoginError("登录的人太多，请稍后再试。")
    try:
        yield
    finally:
        _checks.release()


def hash_password(password: str) -> str:
    """An argon2id hash of the password (salted; the password cannot be recovered from it)."""
    with _turn():
        return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash."""
    from argon2.exceptions import InvalidHashError, VerificationError

    with _turn():
        try:
            return _hasher().verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def check_password(password: str) -> None:
    """Refuse a password that is too short (Chinese message)."""
    if len(password or "") < MIN_PASSWORD:
        raise MinzhengError(f"密码至少需要 {MIN_PASSWORD} 个字符")


def clean_name(name: str) -> str:
    """A valid account name (1–64 characters, no spaces or control characters), NFC-normalised."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not _NAME.match(name):
        raise MinzhengError("用户名应为 1 到 64 个字符，不能含空格")
    return name


def _role(role: str) -> str:
    if role not in ROLES:
        names = "、".join(f"{r}（{ROLE_NAMES[r]}）" for r in ROLES)
        raise MinzhengError(f"角色应为 {names} 之一")
    return role


def _clean_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise MinzhengError(f"电子邮箱格式不正确：{email}")
    return email


# --- accounts ---------------------------------------------------------------------------------


def list_users(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every account: name, role, email, has_password, created_at (no hashes)."""
    rows = cur.execute(
        "SELECT name, role, email, password_hash IS NOT NULL, created_at FROM accounts ORDER BY name"
    ).fetchall()
    keys = ["name", "role", "email", "has_password", "created_at"]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def get_role(cur: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """The account's current role, or None when there is no such account."""
    row = cur.execute("SELECT role FROM accounts WHERE name = $n", {"n": name}).fetchone()
    return row[0] if row else None


def _admins_left(cur: duckdb.DuckDBPyConnection, without: str) -> int:
    return cur.execute(
        "SELECT count(*) FROM accounts WHERE role = 'admin' AND name <> $n", {"n": without}
    ).fetchone()[0]


def _others(cur: duckdb.DuckDBPyConnection, without: str) -> int:
    return cur.execute("SELECT count(*) FROM accounts WHERE name <> $n", {"n": without}).fetchone()[
        0
    ]


def add_user(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    role: str,
    password: str | None,
    *,
    email: str | None = None,
    actor: Actor | None = None,
) -> None:
    """Create an account. `password=None` makes a single-sign-on-only account (needs `email`).

    The first account must be an admin, so that someone can manage the others in the dashboard.
    """
    actor, actor_role = require(cur, actor, "users", target=name)
    name, role, email = clean_name(name), _role(role), _clean_email(email)
    if password is None and email is None:
        raise MinzhengError("没有密码的账号只能通过统一身份认证登录，需填写电子邮箱")
    if password is not None:
        check_password(password)
    if get_role(cur, name) is not None:
        raise MinzhengError(f"账号“{name}”已存在")
    if email and cur.execute("SELECT 1 FROM accounts WHERE email = $e", {"e": email}).fetchone():
        raise MinzhengError(f"电子邮箱 {email} 已用于其他账号")
    if role != ADMIN and not _others(cur, name):
        raise MinzhengError("第一个账号必须是管理员（--role admin），以便管理其他账号")
    hashed = hash_password(password) if password is not None else None
    now = dt.datetime.now()
    with db.transaction(cur):
        cur.execute(
            "INSERT INTO accounts VALUES ($name, $role, $hash, $email, $now, $changed)",
            {
                "name": name,
                "role": role,
                "hash": hashed,
                "email": email,
                "now": now,
                "changed": now if hashed else None,
            },
        )
        audit.record(
            cur,
            actor,
            "user_add",
            role=actor_role,
            target=name,
            after={"角色": ROLE_NAMES[role], "统一身份认证": "是" if email else "否"},
        )


def remove_user(cur: duckdb.DuckDBPyConnection, name: str, *, actor: Actor | None = None) -> None:
    """Delete an account (not the last admin while other accounts remain)."""
    actor, actor_role = require(cur, actor, "users", target=name)
    role = get_role(cur, name)
    if role is None:
        raise MinzhengError(f"没有名为“{name}”的账号")
    if role == ADMIN and _others(cur, name) and not _admins_left(cur, name):
        raise MinzhengError("不能删除最后一个管理员账号；请先把另一个账号设为管理员")
    with db.transaction(cur):
        cur.execute("DELETE FROM accounts WHERE name = $n", {"n": name})
        audit.record(
            cur,
            actor,
            "user_remove",
            role=actor_role,
            target=name,
            before={"角色": ROLE_NAMES[role]},
        )


def set_role(
    cur: duckdb.DuckDBPyConnection, name: str, role: str, *, actor: Actor | None = None
) -> None:
    """Change an account's role; takes effect at the account's next action, even mid-session."""
    actor, actor_role = require(cur, actor, "users", target=name)
    role = _role(role)
    old = get_role(cur, name)
    if old is None:
        raise MinzhengError(f"没有名为“{name}”的账号")
    if old == ADMIN and role != ADMIN and not _admins_left(cur, name):
        raise MinzhengError("不能取消最后一个管理员的管理权限；请先把另一个账号设为管理员")
    with db.transaction(cur):
        cur.execute("UPDATE accounts SET role = $r WHERE name = $n", {"r": role, "n": name})
        audit.record(
            cur,
            actor,
            "user_role",
            role=actor_role,
            target=name,
            before={"角色": ROLE_NAMES[old]},
            after={"角色": ROLE_NAMES[role]},
        )


def set_password(
    cur: duckdb.DuckDBPyConnection, name: str, password: str, *, actor: Actor | None = None
) -> None:
    """Set a new password (and clear the count of failed logins under the name)."""
    actor, actor_role = require(cur, actor, "users", target=name)
    if get_role(cur, name) is None:
        raise MinzhengError(f"没有名为“{name}”的账号")
    check_password(password)
    with db.transaction(cur):
        cur.execute(
            "UPDATE accounts SET password_hash = $h, password_changed_at = $now WHERE name = $n",
            {"h": hash_password(password), "now": dt.datetime.now(), "n": name},
        )
        cur.execute("DELETE FROM login_throttle WHERE name_hash = $k", {"k": _name_key(name)})
        audit.record(cur, actor, "user_passwd", role=actor_role, target=name)


# --- logging in -------------------------------------------------------------------------------


def _name_key(name: str) -> str:
    return hashlib.sha256(
        unicodedata.normalize("NFC", name.strip()).casefold().encode()
    ).hexdigest()


def limits(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """max_failures, lockout_minutes and idle_minutes from the settings ([auth] in config.toml)."""
    return {
        key: int(settings.get(cur, f"auth.{key}"))
        for key in ("max_failures", "lockout_minutes", "idle_minutes")
    }


def _count_unknown(cur: duckdb.DuckDBPyConnection, now: dt.datetime) -> None:
    hour = now.replace(minute=0, second=0, microsecond=0)
    cur.execute(
        "INSERT INTO login_failures_unknown VALUES ($h, 1) "
        "ON CONFLICT DO UPDATE SET failures = failures + 1",
        {"h": hour},
    )


def unknown_failures(cur: duckdb.DuckDBPyConnection) -> list[tuple[dt.datetime, int]]:
    """Failed logins under names that are no account: (hour, count), newest first."""
    return cur.execute(
        "SELECT hour, failures FROM login_failures_unknown ORDER BY hour DESC"
    ).fetchall()


def login(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    password: str,
    *,
    client: str = "local",
    now: dt.datetime | None = None,
    guard: login_guard.Guard | None = None,
) -> Actor:
    """The account's Actor when name and password match; otherwise LoginError.

    `client` is where the attempt comes from (the browser's address). Failures slow down and,
    after `auth.max_failures` in a row, lock that client for `auth.lockout_minutes`, never the
    name (login_guard), so nobody can lock an admin out by typing their name. A failure under a
    real account is audited; one under an unknown name is only counted per hour, so that a
    stranger cannot fill the log. The password check waits its turn (a few at a time).
    """
    now = now or dt.datetime.now()
    guard = guard or login_guard.GUARD
    name = unicodedata.normalize("NFC", (name or "").strip())
    rules = limits(cur)
    try:
        guard.check(client)
    except login_guard.Refused as refused:
        raise LoginError(refused.message()) from None
    row = cur.execute(
        "SELECT password_hash, role FROM accounts WHERE name = $n", {"n": name}
    ).fetchone()
    stored = row[0] if row else None
    ok = verify_password(stored or _dummy_hash(), password or "") and stored is not None
    if ok:
        guard.succeeded(client)
        with db.transaction(cur):
            cur.execute("DELETE FROM login_throttle WHERE name_hash = $k", {"k": _name_key(name)})
            if _hasher().check_needs_rehash(stored):  # e.g. a hash made with older parameters
                cur.execute(
                    "UPDATE accounts SET password_hash = $h WHERE name = $n",
                    {"h": hash_password(password), "n": name},
                )
            audit.record(cur, Actor(name, "web"), "login", role=row[1], at=now)
        return Actor(name, "web")
    in_row = guard.failed(client, rules["max_failures"], rules["lockout_minutes"])
    locked = in_row >= rules["max_failures"]
    with db.transaction(cur):
        if row is None:
            _count_unknown(cur, now)
        else:
            key = _name_key(name)
            failures = cur.execute(
                "INSERT INTO login_throttle VALUES ($k, 1, NULL) "
                "ON CONFLICT DO UPDATE SET failures = failures + 1 RETURNING failures",
                {"k": key},
            ).fetchone()[0]
            audit.record(
                cur,
                Actor(name, "web"),
                "login_failed",
                role=row[1],
                at=now,
                detail=f"该账号连续第 {failures} 次失败；来自 {client}"
                + ("，该地址已暂停登录" if locked else ""),
            )
        if locked:
            audit.record(
                cur,
                Actor(audit.UNKNOWN_ACCOUNT if row is None else name, "web"),
                "login_locked",
                role=row[1] if row else None,
                at=now,
                detail=f"{client} 连续 {in_row} 次登录失败，暂停登录 {rules['lockout_minutes']} 分钟",
            )
    if locked:
        raise LoginError(
            f"用户名或密码不正确。这台电脑已连续失败 {in_row} 次，暂停登录 "
            f"{rules['lockout_minutes']} 分钟；如需立即解除，请联系管理员。"
        )
    raise LoginError("用户名或密码不正确。")


def account_for_email(cur: duckdb.DuckDBPyConnection, email: str | None) -> str | None:
    """The account name a single-sign-on identity (its e-mail) maps to, or None."""
    email = (email or "").strip().lower()
    if not email:
        return None
    row = cur.execute("SELECT name FROM accounts WHERE email = $e", {"e": email}).fetchone()
    return row[0] if row else None


def sso_login(
    cur: duckdb.DuckDBPyConnection, email: str | None, *, now: dt.datetime | None = None
) -> Actor | None:
    """The Actor of the account mapped to the identity provider's e-mail (audited), or None."""
    name = account_for_email(cur, email)
    if name is None:
        return None
    actor = Actor(name, "sso")
    audit.record(cur, actor, "login", role=get_role(cur, name), at=now)
    return actor


def logout(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    expired: bool = False,
    now: dt.datetime | None = None,
) -> None:
    """Record a logout (or an idle expiry) in the audit log."""
    audit.record(
        cur,
        actor,
        "session_expired" if expired else "logout",
        role=get_role(cur, actor.name),
        at=now,
    )


def expired(last_seen: dt.datetime, now: dt.datetime, idle_minutes: int) -> bool:
    """True when a session idle since `last_seen` has outlived `idle_minutes`."""
    return now - last_seen > dt.timedelta(minutes=idle_minutes)
