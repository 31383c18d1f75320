"""AppTest of logging in: single-user banner, the login form, logout, lockout, idle expiry, a
viewer opening the upload page, a role lowered mid-session, and the admin-only audit page."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from minzheng import store
from minzheng.intake import ingest
from minzheng.store import auth, login_guard, permissions, settings, setup_code
from minzheng.store.permissions import Actor
from tests.helpers import ROOT, use_database_copy, write_ledger

PASSWORDS = {"王局长": "viewer-pass-1", "李填报": "analyst-pass-1", "张管理": "admin-pass-1"}


@pytest.fixture(scope="module")
def accounts_db_file(tmp_path_factory):
    """A small database (one loaded ledger, no demo) with a viewer, an analyst and an admin."""
    folder = tmp_path_factory.mktemp("access")
    path = folder / "access.duckdb"
    con = store.connect(path)
    settings.put(con, "demo.autoload", False)
    ledger = write_ledger(
        folder / "丰州镇1月.xlsx", [["2025-01-03", "丰州镇", "街面巡查", 3, "次"]]
    )
    assert ingest.ingest_file(con, ledger).status == ingest.LOADED
    auth.add_user(con, "张管理", "admin", PASSWORDS["张管理"])
    auth.add_user(con, "李填报", "analyst", PASSWORDS["李填报"])
    auth.add_user(con, "王局长", "viewer", PASSWORDS["王局长"])
    con.close()
    return path


@pytest.fixture
def app_db(accounts_db_file, tmp_path, monkeypatch):
    yield use_database_copy(accounts_db_file, tmp_path, monkeypatch)
    st.cache_resource.clear()


def _con():
    """The app's own connection (the database file is locked to it)."""
    from pages import shared

    return shared.connection().cursor()


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _login(at: AppTest, name: str, password: str | None = None) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password or PASSWORDS[name])
    next(b for b in at.button if b.label == "登录").click().run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def _audit(action: str) -> list[str]:
    return [
        r[0]
        for r in _con()
        .execute(
            "SELECT username FROM audit_log WHERE action = $a ORDER BY entry_id", {"a": action}
        )
        .fetchall()
    ]


def test_single_user_mode_says_so(tmp_path, monkeypatch):
    path = tmp_path / "single.duckdb"
    con = store.connect(path)
    settings.put(con, "demo.autoload", False)
    con.close()
    monkeypatch.setenv("MINZHENG_DB", str(path))
    st.cache_resource.clear()
    at = _app()
    assert "单用户模式" in _texts(at.sidebar.warning)
    assert not [t for t in at.text_input if t.key == "auth_password"]
    st.cache_resource.clear()


def test_login_is_required_once_an_account_exists(app_db):
    at = _app()
    assert [s.value for s in at.subheader] == ["请登录"]
    assert not at.dataframe and not at.sidebar.button, "nothing of the dashboard before login"
    _login(at, "张管理", "wrong-password")
    assert "用户名或密码不正确" in _texts(at.error)
    _login(at, "张管理")
    assert not at.error
    assert "当前用户：**张管理**（管理）" in _texts(at.sidebar.caption)
    assert not at.sidebar.warning, "no single-user banner once accounts exist"
    assert [s.value for s in at.subheader] != ["请登录"]
    at.sidebar.button(key="auth_logout").click().run()
    assert [s.value for s in at.subheader] == ["请登录"]
    assert "已退出登录" in _texts(at.info)
    assert _audit("login_failed") == ["张管理"]
    assert _audit("login") == ["张管理"] and _audit("logout") == ["张管理"]


def test_the_form_locks_the_client_after_five_failures(app_db, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(login_guard, "GUARD", login_guard.Guard(clock=lambda: clock[0]))
    at = _app()
    for _ in range(5):
        clock[0] += 120  # past each back-off
        _login(at, "李填报", "wrong-password")
    assert "暂停登录 15 分钟" in _texts(at.error)
    _login(at, "李填报")  # the right password, but this client is locked
    assert "user unlock" in _texts(at.error)
    assert [s.value for s in at.subheader] == ["请登录"]
    assert login_guard.GUARD.locked_clients() == ["127.0.0.1"]


def test_single_user_mode_serves_only_the_server_itself(tmp_path, monkeypatch):
    from pages import access

    path = tmp_path / "single.duckdb"
    con = store.connect(path)
    settings.put(con, "demo.autoload", False)
    con.close()
    monkeypatch.setenv("MINZHENG_DB", str(path))
    monkeypatch.setattr(access, "_peer", lambda: "192.0.2.9")  # a browser on another computer
    setup_code.reset()
    st.cache_resource.clear()
    at = _app()
    assert "只接受服务器本机（127.0.0.1）的访问" in _texts(at.warning)
    assert not at.sidebar.warning  # no single-user rights, no menu
    assert at.session_state["auth_actor"].via == "web"
    code = setup_code.current()
    assert code is not None

    def setup(typed: str) -> None:
        at.text_input(key="auth_setup_code").input(typed)
        at.text_input(key="auth_setup_name").input("张管理")
        at.text_input(key="auth_setup_password").input("admin-pass-1")
        at.text_input(key="auth_setup_again").input("admin-pass-1")
        next(b for b in at.button if b.label == "创建管理员并登录").click().run()
        assert not at.exception, at.exception

    setup("AAAA-BBBB-CCCC")
    assert "初始设置码不正确" in _texts(at.error)
    assert not permissions.has_accounts(_con())
    setup(code.lower().replace("-", " "))  # as typed off a screen
    assert auth.get_role(_con(), "张管理") == "admin"
    assert at.session_state["auth_session"]["name"] == "张管理"
    assert _audit("user_add") == ["初始设置码"]
    assert setup_code.current() is None  # used up
    st.cache_resource.clear()


def test_single_user_mode_cannot_add_accounts_in_the_browser(tmp_path, monkeypatch):
    path = tmp_path / "single.duckdb"
    con = store.connect(path)
    settings.put(con, "demo.autoload", False)
    con.close()
    monkeypatch.setenv("MINZHENG_DB", str(path))
    st.cache_resource.clear()
    at = _app()
    at.switch_page("pages/users.py").run()
    assert not at.exception, at.exception
    assert not [t for t in at.text_input if t.key == "users_add_name"]
    assert [t for t in at.text_input if t.key == "auth_setup_code"]
    with pytest.raises(permissions.PermissionDenied, match="单用户模式下不能在网页上添加账号"):
        auth.add_user(_con(), "路人", "admin", "anyone-pass-1", actor=permissions.SINGLE_USER)
    st.cache_resource.clear()


def test_an_idle_session_expires(app_db):
    at = _login(_app(), "李填报")
    session = dict(at.session_state["auth_session"])
    session["last_seen"] = dt.datetime.now() - dt.timedelta(minutes=31)
    at.session_state["auth_session"] = session
    at.run()
    assert [s.value for s in at.subheader] == ["请登录"]
    assert "超过 30 分钟没有操作" in _texts(at.info)
    assert _audit("session_expired") == ["李填报"]


def test_a_viewer_opening_the_upload_page_can_write_nothing(app_db):
    at = _login(_app(), "王局长")
    before = _con().execute("SELECT count(*), max(batch_id) FROM batches").fetchone()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "数据上传"
    assert "“查看”角色，不能导入台账" in _texts(at.info)
    assert not at.get("file_uploader") and not at.main.button
    assert _con().execute("SELECT count(*), max(batch_id) FROM batches").fetchone() == before
    # the other analyst pages are read-only for a viewer
    at.switch_page("pages/year_plan.py").run()
    assert at.button(key="plan_save_grid").disabled
    at.switch_page("pages/configure.py").run()
    assert "不能修改设置" in _texts(at.info)
    labels = {"单位与别名": "添加别名", "指标与同义词": "添加指标", "进度阈值与报送": "保存设置"}
    for tab, label in labels.items():  # only the chosen tab's content is drawn
        at.session_state["settings_tab"] = tab
        at.run()
        (button,) = [b for b in at.button if b.label == label]
        assert button.disabled, label
    at.switch_page("pages/manage_data.py").run()
    batch = int(at.dataframe[0].value["批次"].iloc[0])
    assert at.checkbox(key=f"batches_confirm_rollback_{batch}").disabled


def test_a_role_lowered_mid_session_takes_effect_at_once(app_db):
    at = _login(_app(), "李填报")
    at.switch_page("pages/upload.py").run()
    assert at.get("file_uploader"), "an analyst may upload"
    auth.set_role(_con(), "李填报", "viewer", actor=Actor("张管理"))
    at.run()
    assert "“查看”角色，不能导入台账" in _texts(at.info)
    assert not at.get("file_uploader")
    assert "当前用户：**李填报**（查看）" in _texts(at.sidebar.caption)


def test_only_admins_get_the_audit_page(app_db):
    at = _login(_app(), "李填报")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit_log.py")  # not in an analyst's navigation
    at.sidebar.button(key="auth_logout").click().run()
    _login(at, "张管理")
    at.switch_page("pages/audit_log.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "审计日志"
    table = at.dataframe[0].value
    assert {"登录", "退出登录", "导入台账"} <= set(table["操作"])
    at.multiselect(key="audit_users").set_value(["李填报"]).run()
    assert set(at.dataframe[0].value["用户"]) == {"李填报"}
    at.multiselect(key="audit_actions").set_value(["logout"]).run()
    assert at.dataframe[0].value["操作"].tolist() == ["退出登录"]


def test_single_sign_on_is_offered_when_configured(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "https://kanban.example/oauth2callback",
        "cookie_secret": "a-long-random-secret-for-the-test",
        "client_id": "kanban",
        "client_secret": "secret",
        "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button if b.key == "auth_sso"] == ["使用统一身份认证登录"]
    assert at.text_input(key="auth_password"), "the password form stays for local accounts"


def test_without_single_sign_on_there_is_no_such_button(app_db):
    at = _app()
    assert not [b for b in at.button if b.key == "auth_sso"]


def test_an_admin_manages_accounts_on_the_accounts_page(app_db):
    at = _login(_app(), "张管理")
    at.switch_page("pages/users.py").run()
    assert not at.exception, at.exception
    assert set(at.dataframe[0].value["用户名"]) == {"张管理", "李填报", "王局长"}
    at.text_input(key="users_add_name").input("赵新")
    at.selectbox(key="users_add_role").set_value("analyst")
    at.text_input(key="users_add_pw").input("zhao-pass-1")
    next(b for b in at.button if b.label == "添加账号").click().run()
    assert not at.exception, at.exception
    assert "已添加账号“赵新”" in _texts(at.success)
    assert auth.get_role(_con(), "赵新") == "analyst"
    at.selectbox(key="users_pick").set_value("王局长")
    at.selectbox(key="users_new_role").set_value("analyst")
    at.button(key="users_set_role").click().run()
    assert auth.get_role(_con(), "王局长") == "analyst"
    assert _audit("user_add")[-1] == "张管理" and _audit("user_role") == ["张管理"]
