"""Accounts and logging in: argon2 hashes, the first-admin rule, lockout after failed logins
(with a clock the test moves), idle expiry, single-sign-on mapping, and what reaches the log."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.errors import MinzhengError
from minzheng.store import audit, auth, permissions, settings

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


def test_login_success_and_failure_are_audited_without_the_password(con):
    actor = auth.login(con, " 李填报 ", PASSWORD, now=T0)
    assert actor == permissions.Actor("李填报", "web")
    with pytest.raises(auth.LoginError, match="用户名或密码不正确"):
        auth.login(con, "李填报", "wrong-password", now=T0)
    assert _log(con, "login") == [("李填报", "analyst", None)]
    assert _log(con, "login_failed") == [("李填报", "analyst", "连续第 1 次失败")]
    dump = str(con.execute("SELECT * FROM audit_log").fetchall())
    assert PASSWORD not in dump and "wrong-password" not in dump


def test_unknown_names_are_throttled_and_logged_without_what_was_typed(con):
    typed = "my-secret-password"  # a password typed into the name field
    for _ in range(5):
        with pytest.raises(auth.LoginError):
            auth.login(con, typed, "x", now=T0)
    with pytest.raises(auth.LoginError, match="已暂时锁定"):
        auth.login(con, typed, "x", now=T0 + dt.timedelta(minutes=1))
    dump = str(con.execute("SELECT * FROM audit_log").fetchall())
    dump += str(con.execute("SELECT * FROM login_throttle").fetchall())
    assert typed not in dump
    assert {row[0] for row in _log(con, "login_failed")} == {audit.UNKNOWN_ACCOUNT}


def test_five_failures_lock_the_name_for_the_configured_minutes(con):
    for n in range(1, 5):
        with pytest.raises(auth.LoginError, match="用户名或密码不正确。$"):
            auth.login(con, "李填报", "bad", now=T0 + dt.timedelta(seconds=n))
    with pytest.raises(auth.LoginError, match="已锁定 15 分钟"):
        auth.login(con, "李填报", "bad", now=T0 + dt.timedelta(seconds=5))
    # locked: even the right password is refused, and the message says how long to wait
    with pytest.raises(auth.LoginError, match="请 15 分钟后再试"):
        auth.login(con, "李填报", PASSWORD, now=T0 + dt.timedelta(seconds=10))
    with pytest.raises(auth.LoginError, match="请 1 分钟后再试"):
        auth.login(con, "李填报", PASSWORD, now=T0 + dt.timedelta(minutes=14, seconds=30))
    assert len(_log(con, "login_locked")) == 2
    # other names are not affected
    assert auth.login(con, "管理员", "admin-pass-1", now=T0 + dt.timedelta(seconds=11))
    # after the lockout the right password works and the count starts again
    later = T0 + dt.timedelta(minutes=15, seconds=6)
    assert auth.login(con, "李填报", PASSWORD, now=later).name == "李填报"
    with pytest.raises(auth.LoginError, match="不正确。$"):
        auth.login(con, "李填报", "bad", now=later)


def test_a_success_resets_the_count(con):
    for n in range(4):
        with pytest.raises(auth.LoginError):
            auth.login(con, "李填报", "bad", now=T0 + dt.timedelta(seconds=n))
    auth.login(con, "李填报", PASSWORD, now=T0 + dt.timedelta(seconds=5))
    for n in range(4):
        with pytest.raises(auth.LoginError, match="不正确。$"):
            auth.login(con, "李填报", "bad", now=T0 + dt.timedelta(seconds=10 + n))


def test_limits_come_from_the_settings(con):
    assert auth.limits(con) == {"max_failures": 5, "lockout_minutes": 15, "idle_minutes": 30}
    settings.put(con, "auth.max_failures", 2)
    settings.put(con, "auth.lockout_minutes", 60)
    with pytest.raises(auth.LoginError):
        auth.login(con, "李填报", "bad", now=T0)
    with pytest.raises(auth.LoginError, match="已锁定 60 分钟"):
        auth.login(con, "李填报", "bad", now=T0)


def test_a_new_password_lifts_the_lock(con):
    for _ in range(5):
        with pytest.raises(auth.LoginError):
            auth.login(con, "李填报", "bad", now=T0)
    auth.set_password(con, "李填报", "another-pass-2")
    assert auth.login(con, "李填报", "another-pass-2", now=T0).name == "李填报"
    with pytest.raises(auth.LoginError):
        auth.login(con, "李填报", PASSWORD, now=T0)


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
