"""Who is using the dashboard: the login gate app.py runs before any page, the acting user the
pages pass to every write, and the Chinese explanations shown where a role may not write.

With no account the app runs in single-user mode (full rights, a banner says so). Once an account
exists everyone logs in: with a password (form below) or, when `[auth]` is configured in
.streamlit/secrets.toml, through the identity provider (st.login), the e-mail mapped to an
account. The role is read from the database on every run and again by each write function.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from minzheng.errors import MinzhengError
from minzheng.store import auth, permissions
from minzheng.store.permissions import Actor
from minzheng.views import page_text
from pages.shared import cursor, presenting

_SESSION = "auth_session"  # {"name", "via", "last_seen"} while logged in
_ACTOR = "auth_actor"  # the Actor of this script run, set by gate()
_FLASH = "auth_flash"
NOBODY = Actor("（未登录）", "web")  # has no account, hence no rights


def sso_configured() -> bool:
    """True when single sign-on is configured ([auth] in .streamlit/secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_user() -> tuple[bool, str | None]:
    """(logged in at the identity provider, e-mail)."""
    try:
        user = st.user
        return bool(user.get("is_logged_in")), user.get("email")
    except Exception:
        return False, None


def _single_user_banner() -> None:
    if not presenting():
        st.sidebar.warning(
            "**单用户模式**：尚未设置登录账号，能打开本看板的任何人都拥有全部权限。"
            "正式使用前请由管理员在服务器上运行 `python -m minzheng user add 姓名 --role admin` 设置账号，"
            "之后须登录使用。",
            icon=":material/lock_open:",
        )


def _who_box(actor: Actor) -> None:
    if presenting():
        return
    role = permissions.role_of(cursor(), actor)
    st.sidebar.caption(
        f"当前用户：**{page_text.md_escape(actor.name)}**（{permissions.ROLE_NAMES.get(role, '无权限')}）"
    )
    if st.sidebar.button("退出登录", key="auth_logout", icon=":material/logout:"):
        auth.logout(cursor(), actor)
        st.session_state.pop(_SESSION, None)
        st.session_state[_FLASH] = "已退出登录。"
        if actor.via == "sso":
            st.logout()
        st.rerun()


def _start(actor: Actor) -> None:
    st.session_state[_SESSION] = {
        "name": actor.name,
        "via": actor.via,
        "last_seen": dt.datetime.now(),
    }


def _login_form() -> None:
    cur = cursor()
    _left, mid, _right = st.columns([1, 2, 1])
    with mid:
        st.title("民政工作进度看板")
        st.subheader("请登录")
        if st.session_state.get(_FLASH):
            st.info(st.session_state.pop(_FLASH), icon=":material/info:")
        with st.form("auth_login", border=True, enter_to_submit=True):
            name = st.text_input("用户名", key="auth_name")
            password = st.text_input("密码", type="password", key="auth_password")
            submitted = st.form_submit_button("登录", type="primary")
        if submitted:
            try:
                actor = auth.login(cur, name, password)
            except MinzhengError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                _start(actor)
                st.rerun()
        if sso_configured():
            st.divider()
            if st.button("使用统一身份认证登录", key="auth_sso", icon=":material/badge:"):
                st.login()
        st.caption("忘记密码或账号被锁定时，请联系管理员重设密码。")


def gate() -> Actor | None:
    """The acting user when someone is logged in (or in single-user mode); otherwise None,
    after showing the login form. app.py then runs no page."""
    cur = cursor()
    state = st.session_state
    if not permissions.has_accounts(cur):
        state.pop(_SESSION, None)
        state[_ACTOR] = permissions.SINGLE_USER
        _single_user_banner()
        return permissions.SINGLE_USER
    state[_ACTOR] = NOBODY
    session = state.get(_SESSION)
    if session:
        actor = Actor(session["name"], session["via"])
        now = dt.datetime.now()
        idle = auth.limits(cur)["idle_minutes"]
        if auth.get_role(cur, actor.name) is None:
            state.pop(_SESSION)
            state[_FLASH] = "您的账号已被删除，请联系管理员。"
        elif auth.expired(session["last_seen"], now, idle):
            auth.logout(cur, actor, expired=True, now=now)
            state.pop(_SESSION)
            state[_FLASH] = f"超过 {idle} 分钟没有操作，已自动退出，请重新登录。"
            if actor.via == "sso":
                st.logout()
        else:
            session["last_seen"] = now
            state[_ACTOR] = actor
            _who_box(actor)
            return actor
    logged_in, email = _sso_user() if sso_configured() else (False, None)
    if logged_in and not state.get(_FLASH):
        actor = auth.sso_login(cur, email)
        if actor is not None:
            _start(actor)
            st.rerun()
        st.error(
            f"统一身份认证账号（{email or '无邮箱'}）尚未开通本看板，请联系管理员添加。",
            icon=":material/error:",
        )
        if st.button("退出统一身份认证", key="auth_sso_logout"):
            st.logout()
        return None
    _login_form()
    return None


def actor() -> Actor:
    """The acting user of this script run, as gate() found it.

    Should a page run without app.py (Streamlit's old pages/ mode before the first switch, and
    in AppTest), it is derived the same way, without drawing: single-user while there is no
    account, the logged-in account, or nobody (no rights). Writes check the stored role anyway.
    """
    found = st.session_state.get(_ACTOR)
    if found is not None:
        return found
    if not permissions.has_accounts(cursor()):
        return permissions.SINGLE_USER
    session = st.session_state.get(_SESSION)
    return Actor(session["name"], session["via"]) if session else NOBODY


def can(action: str, owner: str | None = None) -> bool:
    """Whether the acting user may do `action` now (for showing or disabling controls)."""
    return permissions.allowed(cursor(), actor(), action, owner)


def refusal(action: str, owner: str | None = None) -> str:
    """Why the acting user may not do `action` (Chinese)."""
    return permissions.refusal(permissions.role_of(cursor(), actor()), action, owner)


def explain(action: str, owner: str | None = None) -> None:
    """Show why the acting user may not do `action` here."""
    st.info(refusal(action, owner), icon=":material/lock:")


def menu(signed_in: Actor | None) -> str:
    """Where st.navigation shows the menu: in the sidebar once signed in, else nowhere (the
    pages stay registered, so a shared link opens its page after login)."""
    return "sidebar" if signed_in else "hidden"


def admin_group() -> dict:
    """The navigation group 管理 (审计日志, 账号) for admins; empty for everyone else."""
    if not can("audit"):
        return {}
    return {
        "管理": [
            st.Page(
                "pages/audit_log.py", title="审计日志", icon=":material/policy:", url_path="audit"
            ),
            st.Page("pages/users.py", title="账号", icon=":material/group:", url_path="users"),
        ]
    }


def quality_pages() -> list:
    """The page 数据质量 for analysts and admins; nothing for viewers."""
    if not can("quality"):
        return []
    return [
        st.Page(
            "pages/quality.py", title="数据质量", icon=":material/fact_check:", url_path="quality"
        )
    ]
