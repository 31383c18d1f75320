"""Accounts and logging in: argon2 hashes, the first-admin rule, lockout after failed logins
(with a clock the test moves), idle expiry, single-sign-on mapping, and what reaches the log."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.errors import MinzhengError
from minzheng.store import auth, login_guard, permissions, settings

T0 = dt.datetime(2026, 3, 2, 9, 0, 0)
PASSWORD = "正确的密码-2026"


@pytest.fixture
def con(empty_db):
    auth.add_user(empty_db, "管理员", "admin", "admin-pass-1")
    auth.add_user(empty_db, "李填报", "analyst", PASSWORD, email="Li@Bureau.example")
    return empty_db


def _log(con, action: str) -> list[tuple]:
    return con.execute(
        "SELECT username, role, detail FROM audit_log WHERE action = $a ORDER BY entry_id",
        {"a": action},
    ).fetchall()


def test_passwords_are_stored_as_salted_argon2id_hashes(con):
    stored = con.execute("SELECT password_hash FROM accounts WHERE name = '李填报'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert auth.verify_password(stored, PASSWORD)
    assert not auth.verify_password(stored, PASSWORD + " ")
    assert not auth.verify_password("not a hash", PASSWORD)
    assert auth.hash_password(PASSWORD) != auth.hash_password(PASSWORD)  # salted


def test_listing_accounts_shows_no_hash(con):
    users = {u["name"]: u for u in auth.list_users(con)}
    assert set(users) == {"管理员", "李填报"}
    assert users["李填报"]["role"] == "analyst" and users["李填报"]["email"] == "li@bureau.example"
    assert all("hash" not in key for key in users["李填报"])


def test_account_rules(empty_db):
    with pytest.raises(MinzhengError, match="第一个账号必须是管理员"):
        auth.add_user(empty_db, "王", "viewer", "long-enough")
    with pytest.raises(MinzhengError, match="至少需要 8 个字符"):
        auth.add_user(empty_db, "王", "admin", "short")
    with pytest.raises(MinzhengError, match="不能含空格"):
        auth.add_user(empty_db, "王 五", "admin", "long-enough")
    with pytest.raises(MinzhengError, match="角色应为"):
        auth.add_user(empty_db, "王", "boss", "long-enough")
    auth.add_user(empty_db, "王", "admin", "long-enough")
    with pytest.raises(MinzhengError, match="已存在"):
        auth.add_user(empty_db, "王", "viewer", "long-enough")
    with pytest.raises(MinzhengError, match="需填写电子邮箱"):
        auth.add_user(empty_db, "赵", "viewer", None)
    with pytest.raises(MinzhengError, match="最后一个管理员"):
        auth.set_role(empty_db, "王", "viewer")
    auth.add_user(empty_db, "赵", "viewer", None, email="zhao@bureau.example")
    with pytest.raises(MinzhengError, match="最后一个管理员"):
        auth.remove_user(empty_db, "王")
    auth.remove_user(empty_db, "赵")
    auth.remove_user(empty_db, "王")  # the only account left: back to single-user mode
    assert not permissions.has_accounts(empty_db)


class Clock:
    """A monotonic clock the test moves (the login guard's back-off is in real seconds)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def guard(clock):
    return login_guard.Guard(clock=clock)


def test_login_success_and_failure_are_audited_without_the_password(con, guard):
    actor = auth.login(con, " 李填报 ", PASSWORD, now=T0, guard=guard)
    assert actor == permissions.Actor("李填报", "web")
    with pytest.raises(auth.LoginError, match="用户名或密码不正确"):
        auth.login(con, "李填报", "wrong-password", client="10.0.0.7", now=T0, guard=guard)
    assert _log(con, "login") == [("李填报", "analyst", None)]
    assert _log(con, "login_failed") == [
        ("李填报", "analyst", "该账号连续第 1 次失败；来自 10.0.0.7")
    ]
    dump = str(con.execute("SELECT * FROM audit_log").fetchall())
    assert PASSWORD not in dump and "wrong-password" not in dump


def test_unknown_names_are_counted_per_hour_not_audited_one_by_one(con, guard, clock):
    typed = "my-secret-password"  # a password typed into the name field
    for n in range(4):
        clock.now += 60  # past any back-off
        with pytest.raises(auth.LoginError, match="不正确"):
            auth.login(con, f"{typed}{n}", "x", now=T0, guard=guard)
    clock.now += 60
    with pytest.raises(auth.LoginError):
        auth.login(con, typed, "x", now=T0 + dt.timedelta(hours=1), guard=guard)
    dump = str(con.execute("SELECT * FROM audit_log").fetchall())
    dump += str(con.execute("SELECT * FROM login_throttle").fetchall())
    assert typed not in dump
    assert _log(con, "login_failed") == []  # nothing per attempt …
    assert auth.unknown_failures(con) == [(T0 + dt.timedelta(hours=1), 1), (T0, 4)]  # … counted
    assert con.execute("SELECT count(*) FROM login_throttle").fetchone()[0] == 0


def test_failures_slow_down_then_lock_the_client_not_the_name(con, guard, clock):
    stranger, admin_pc = "203.0.113.9", "10.0.0.2"
    for _ in range(2):  # two typos are free
        with pytest.raises(auth.LoginError, match="不正确。$"):
            auth.login(con, "管理员", "bad", client=stranger, now=T0, guard=guard)
    with pytest.raises(auth.LoginError, match="不正确。$"):
        auth.login(con, "管理员", "bad", client=stranger, now=T0, guard=guard)
    # the third failure starts the back-off: the next try is refused unchecked
    with pytest.raises(auth.LoginError, match="过于频繁，请 1 秒后再试"):
        auth.login(con, "管理员", "admin-pass-1", client=stranger, now=T0, guard=guard)
    clock.now += 1
    with pytest.raises(auth.LoginError, match="不正确。$"):
        auth.login(con, "管理员", "bad", client=stranger, now=T0, guard=guard)
    with pytest.raises(auth.LoginError, match="请 2 秒后再试"):
        auth.login(con, "管理员", "bad", client=stranger, now=T0, guard=guard)
    clock.now += 2
    with pytest.raises(auth.LoginError, match="暂停登录 15 分钟"):
        auth.login(con, "管理员", "bad", client=stranger, now=T0, guard=guard)
    with pytest.raises(auth.LoginError, match="user unlock"):
        auth.login(con, "管理员", "admin-pass-1", client=stranger, now=T0, guard=guard)
    assert guard.locked_clients() == [stranger]
    assert len(_log(con, "login_locked")) == 1
    # the admin, from their own machine, is not locked out by the stranger
    assert auth.login(con, "管理员", "admin-pass-1", client=admin_pc, now=T0, guard=guard)
    # after the lockout the stranger's count starts again
    clock.now += 15 * 60 + 1
    with pytest.raises(auth.LoginError, match="不正确。$"):
        auth.login(con, "管理员", "bad", client=stranger, now=T0, guard=guard)


def test_unlock_lifts_a_client_lock(con, guard):
    for n in range(5):
        with pytest.raises(auth.LoginError):
            auth.login(con, "李填报", "bad", client="10.0.0.9", now=T0, guard=guard)
        if n < 4:
            guard._clients["10.0.0.9"].not_before = 0  # skip the back-off, keep the count
    assert guard.locked_clients() == ["10.0.0.9"]
    assert guard.unlock("10.0.0.9") == 1
    assert auth.login(con, "李填报", PASSWORD, client="10.0.0.9", now=T0, guard=guard)


def test_a_server_wide_limit_slows_guessing_from_many_addresses(con, guard, clock):
    for n in range(login_guard.GLOBAL_PER_MINUTE):
        with pytest.raises(auth.LoginError, match="不正确"):
            auth.login(con, "管理员", "bad", client=f"198.51.100.{n}", now=T0, guard=guard)
    with pytest.raises(auth.LoginError, match="系统已暂停登录"):
        auth.login(con, "管理员", "admin-pass-1", client="10.0.0.2", now=T0, guard=guard)
    clock.now += 60
    assert auth.login(con, "管理员", "admin-pass-1", client="10.0.0.2", now=T0, guard=guard)


def test_a_success_resets_the_count(con, guard, clock):
    for _ in range(4):
        clock.now += 60
        with pytest.raises(auth.LoginError):
            auth.login(con, "李填报", "bad", now=T0, guard=guard)
    clock.now += 60
    auth.login(con, "李填报", PASSWORD, now=T0, guard=guard)
    for _ in range(4):
        clock.now += 60
        with pytest.raises(auth.LoginError, match="不正确。$"):
            auth.login(con, "李填报", "bad", now=T0, guard=guard)


def test_limits_come_from_the_settings(con, guard):
    assert auth.limits(con) == {"max_failures": 5, "lockout_minutes": 15, "idle_minutes": 30}
    settings.put(con, "auth.max_failures", 2)
    settings.put(con, "auth.lockout_minutes", 60)
    with pytest.raises(auth.LoginError):
        auth.login(con, "李填报", "bad", now=T0, guard=guard)
    with pytest.raises(auth.LoginError, match="暂停登录 60 分钟"):
        auth.login(con, "李填报", "bad", now=T0, guard=guard)


def test_a_new_password_clears_the_name_count(con, guard, clock):
    for _ in range(3):
        clock.now += 60
        with pytest.raises(auth.LoginError):
            auth.login(con, "李填报", "bad", now=T0, guard=guard)
    auth.set_password(con, "李填报", "another-pass-2")
    assert con.execute("SELECT count(*) FROM login_throttle").fetchone()[0] == 0
    clock.now += 60
    assert auth.login(con, "李填报", "another-pass-2", now=T0, guard=guard).name == "李填报"
    clock.now += 60
    with pytest.raises(auth.LoginError):
        auth.login(con, "李填报", PASSWORD, now=T0, guard=guard)


def test_password_checks_run_a_few_at_a_time(monkeypatch):
    """20 checks at once: never more than CHECKS_AT_ONCE argon2 computations together."""
    import threading
    import time

    running, peak, lock = 0, 0, threading.Lock()
    real = auth._hasher()  # made on first use

    class Counting:
        def verify(self, stored, password):
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            try:
                time.sleep(0.01)  # make overlap likely if nothing prevents it
                return real.verify(stored, password)
            finally:
                with lock:
                    running -= 1

    stored = auth.hash_password("some-password")
    counting = Counting()
    monkeypatch.setattr(auth, "_hasher", lambda: counting)
    threads = [
        threading.Thread(target=auth.verify_password, args=(stored, "guess")) for _ in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == auth.CHECKS_AT_ONCE


def test_hashes_use_bounded_memory_and_old_hashes_are_redone(con, guard):
    from argon2 import PasswordHasher

    assert "m=19456,t=2,p=1" in auth.hash_password("x" * 8)
    old = PasswordHasher().hash(PASSWORD)  # the library default of earlier versions: 64 MiB
    con.execute("UPDATE accounts SET password_hash = $h WHERE name = '李填报'", {"h": old})
    auth.login(con, "李填报", PASSWORD, now=T0, guard=guard)
    stored = con.execute("SELECT password_hash FROM accounts WHERE name = '李填报'").fetchone()[0]
    assert "m=19456,t=2,p=1" in stored


def test_idle_expiry():
    assert not auth.expired(T0, T0 + dt.timedelta(minutes=30), 30)
    assert auth.expired(T0, T0 + dt.timedelta(minutes=30, seconds=1), 30)
    assert auth.expired(T0, T0 + dt.timedelta(minutes=6), 5)


def test_logout_and_expiry_are_audited(con):
    actor = auth.login(con, "李填报", PASSWORD, now=T0)
    auth.logout(con, actor, now=T0 + dt.timedelta(minutes=1))
    auth.logout(con, actor, expired=True, now=T0 + dt.timedelta(minutes=40))
    assert _log(con, "logout") == [("李填报", "analyst", None)]
    assert _log(con, "session_expired") == [("李填报", "analyst", None)]


def test_single_sign_on_maps_the_email_to_an_account(con):
    assert auth.account_for_email(con, "LI@bureau.example ") == "李填报"
    assert auth.account_for_email(con, "stranger@bureau.example") is None
    assert auth.account_for_email(con, None) is None
    actor = auth.sso_login(con, "li@bureau.example", now=T0)
    assert actor == permissions.Actor("李填报", "sso")
    assert permissions.role_of(con, actor) == "analyst"
    assert auth.sso_login(con, "stranger@bureau.example") is None
    assert con.execute("SELECT via FROM audit_log WHERE action = 'login'").fetchall() == [("sso",)]


def test_an_sso_only_account_cannot_log_in_with_a_password(con):
    auth.add_user(con, "赵查看", "viewer", None, email="zhao@bureau.example")
    with pytest.raises(auth.LoginError):
        auth.login(con, "赵查看", "", now=T0)


def test_managing_accounts_needs_an_admin(con):
    analyst = permissions.Actor("李填报", "web")
    with pytest.raises(permissions.PermissionDenied, match="不能管理账号"):
        auth.add_user(con, "新人", "viewer", "long-enough", actor=analyst)
    with pytest.raises(permissions.PermissionDenied):
        auth.set_role(con, "李填报", "admin", actor=analyst)
    assert auth.get_role(con, "李填报") == "analyst"
    auth.set_role(con, "李填报", "viewer", actor=permissions.Actor("管理员", "web"))
    changes = con.execute(
        "SELECT username, target, before_value, after_value FROM audit_log WHERE action = 'user_role'"
    ).fetchall()
    assert changes == [("管理员", "李填报", '{"角色": "填报"}', '{"角色": "查看"}')]
