"""Who is using the dashboard: the login gate app.py runs before any page, the acting user the
pages pass to every write, and the Chinese explanations shown where a role may not write.

With no account the app runs in single-user mode (full rights, a banner says so), and only for
the server itself (127.0.0.1): anyone else sees the setup page, where the first admin can be made
with the one-time code printed on the server console. Once an account exists everyone logs in: with a password (form below) or, when `[auth]` is configured in
.streamlit/secrets.toml, through the identity provider (st.login), the e-mail mapped to an
account. The role is read from the database on every run and again by each write function.
"""

from __future__ import annotations

import datetime as dt
import sys

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from minzheng.errors import MinzhengError
from minzheng.store import auth, permissions, setup_code
from minzheng.store.permissions import Actor
from minzheng.views import page_text
from pages.shared import cursor, presenting

_SESSION = "auth_session"  # {"name", "via", "last_seen"} while logged in
_ACTOR = "auth_actor"  # the Actor of this script run, set by gate()
_FLASH = "auth_flash"
_GATED = "auth_gated"  # set by app.py after the gate let this run through, taken by the page
_WANTED = "auth_wanted"  # url path of the restricted page a logged-out link asked for
_NOTICE = "auth_link_notice"  # why that link went to the default page instead
NOBODY = Actor("（未登录）", "web")  # has no account, hence no rights
# url path of a page only some roles see -> (the right it needs, who has it, in Chinese)
_LINKED = {
    "audit": ("audit", "管理员"),
    "users": ("audit", "管理员"),
    "quality": ("quality", "填报或管理角色"),
}


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


_LOOPBACK = {None, "127.0.0.1", "::1"}  # st.context.ip_address is None for loopback
_PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


def _headers() -> dict:
    try:
        return dict(st.context.headers)
    except Exception:  # no browser behind this run (AppTest)
        return {}


def _peer() -> str | None:
    """The connection's address; None for loopback (Streamlit's convention) and when no browser
    is connected (AppTest gives a stand-in object)."""
    peer = st.context.ip_address
    return peer if isinstance(peer, str) else None


def client_address() -> str:
    """Where this browser connects from, for the login limits.

    Behind a reverse proxy on the same server every connection comes from 127.0.0.1; then the
    last address of X-Forwarded-For (the one the proxy itself added) is the browser's. From any
    other peer the header is ignored: a browser could write anything into it.
    """
    peer = _peer()
    if peer in _LOOPBACK:
        forwarded = _headers().get("X-Forwarded-For", "")
        last = forwarded.split(",")[-1].strip()
        return last or "127.0.0.1"
    return peer


def is_local() -> bool:
    """True for a browser on the server itself, not passed on by a proxy."""
    if _peer() not in _LOOPBACK:
        return False
    headers = {k.title() for k in _headers()}
    return not any(h in headers for h in _PROXY_HEADERS)


def _single_user_banner() -> None:
    # No `code` formatting here: Chinese in a monospace font makes the browser load a second
    # large CJK font, which cost every page about 0.3 s of its first render.
    if not presenting():
        st.sidebar.warning(
            "**单用户模式**：尚未设置登录账号，本看板只接受服务器本机（127.0.0.1）的访问，"
            "本机上的使用者拥有全部权限。正式使用前请在服务器上运行命令"
            "“python -m minzheng user add 姓名 --role admin”设置管理员，"
            "或在“账号”页面用服务器控制台显示的初始设置码创建管理员，之后须登录使用。",
            icon=":material/lock_open:",
        )


def first_admin_form() -> None:
    """The form that creates the first admin with the setup code from the server console."""
    with st.form("auth_setup", border=True, enter_to_submit=True):
        st.markdown("**创建第一个管理员账号**")
        st.caption(
            "初始设置码在看板启动时显示在服务器控制台（或服务日志）中，只能使用一次。"
            "也可以在服务器上运行 python -m minzheng user add 姓名 --role admin。"
        )
        code = st.text_input("初始设置码", key="auth_setup_code")
        name = st.text_input("管理员用户名", key="auth_setup_name")
        password = st.text_input(
            "密码（至少 8 个字符）", type="password", key="auth_setup_password"
        )
        again = st.text_input("再输入一次密码", type="password", key="auth_setup_again")
        submitted = st.form_submit_button("创建管理员并登录", type="primary")
    if submitted:
        if password != again:
            st.error("两次输入的密码不一致。", icon=":material/error:")
            return
        try:
            actor = setup_code.create_first_admin(cursor(), code, name, password)
        except MinzhengError as exc:
            st.error(page_text.md_escape(exc), icon=":material/error:")
        else:
            _start(actor)
            st.rerun()


def _remote_setup_page() -> None:
    _left, mid, _right = st.columns([1, 2, 1])
    with mid:
        st.title("民政工作进度看板")
        st.warning(
            "本看板尚未设置账号（单用户模式），只接受服务器本机（127.0.0.1）的访问。"
            "请先创建管理员账号，之后所有人登录使用。",
            icon=":material/lock:",
        )
        first_admin_form()


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
                actor = auth.login(cur, name, password, client=client_address())
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
        setup_code.issue()  # printed on the server console once per code
        if not is_local():
            state[_ACTOR] = NOBODY
            _remote_setup_page()
            return None
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


def session_alive() -> bool:
    """Whether the login this session runs under still holds (idle time, account, mode), for
    reruns that do not pass gate(): presentation mode's timed fragment."""
    cur = cursor()
    if not permissions.has_accounts(cur):
        return is_local()
    session = st.session_state.get(_SESSION)
    if not session or auth.get_role(cur, session["name"]) is None:
        return False
    idle = auth.limits(cur)["idle_minutes"]
    return not auth.expired(session["last_seen"], dt.datetime.now(), idle)


def passed_gate() -> None:
    """Mark this script run as having passed gate(); app.py calls it just before the page."""
    st.session_state[_GATED] = True


def end_old_pages_mode() -> bool:
    """Switch Streamlit out of its old pages/ mode; True when it was (or might yet be) in it.

    Until some session has called st.navigation, Streamlit treats the folder pages/ as
    old-style pages: a requested page's file runs alone, without app.py's login gate, and
    app.py itself runs nested in a generated menu, so the widgets of a login form drawn then
    do not match those of the next run and the login is silently lost. That lasted about two
    seconds after a start. serve.py calls this before the first request (the mode is not
    decided yet), so a link opened then lands on its page; app.py calls it on every run for
    servers started without serve.py.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the old mode
        return False
    if PagesManager.uses_pages_directory is False:
        return False
    PagesManager.uses_pages_directory = False
    # .streamlit/config.toml hides the menu of file names the old mode would show; the sidebar
    # menu comes back for app.py's own navigation
    st.set_option("client.showSidebarNavigation", True)
    return True


def leave_old_pages_mode() -> None:
    """The first statement of app.py: a run in the old mode reruns at once, before drawing.

    The switch is process-wide but a run's mode is fixed when it starts: a session whose first
    run began before another session switched is still in the old mode although the switch is
    done. Such a run executes app.py inside Streamlit's generated old-style menu; it reruns once,
    before anything is drawn, and then draws in app.py's navigation. A run asked for a page by
    its address (/audit) is left alone: a rerun before st.navigation would drop the page.
    """
    switched = end_old_pages_mode()
    if switched or (_run_in_old_mode() and not _asked_for_a_page()):
        st.rerun()


def _run_in_old_mode() -> bool:
    """Whether this script run began in Streamlit's old pages/ mode (its runner executes the
    main script through `_mpa_v1`). Where that function cannot be found (another Streamlit),
    every session's first run counts as one, as the safe side: it costs one empty run."""
    from streamlit.runtime.scriptrunner import script_runner

    if not hasattr(script_runner, "_mpa_v1"):
        first = not st.session_state.get(_FIRST_RUN_DONE, False)
        st.session_state[_FIRST_RUN_DONE] = True
        return first
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is script_runner._mpa_v1.__code__:
            return True
        frame = frame.f_back
    return False


_FIRST_RUN_DONE = "_access_first_run_done"


def _asked_for_a_page() -> bool:
    """Whether this run was asked for a page by its address (/audit): a rerun before
    st.navigation would drop that, so only a visit to the home address reruns on its own."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    return bool(manager and (manager.intended_page_name or manager.intended_page_script_hash))


def page_guard() -> None:
    """The first statement of every page: a run that did not come through app.py stops here
    and reruns through app.py's gate, so no page code runs before the gate decides. Checked on
    every run, not once per process: several sessions may start before the switch."""
    if st.session_state.pop(_GATED, False):
        return
    end_old_pages_mode()
    st.rerun()


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
        return permissions.SINGLE_USER if is_local() else NOBODY
    session = st.session_state.get(_SESSION)
    return Actor(session["name"], session["via"]) if session else NOBODY


def can(action: str, owner: str | None = None) -> bool:
    """Whether the acting user may do `action` now (for showing or disabling controls)."""
    return permissions.allowed(cursor(), actor(), action, owner)


def refusal(action: str, owner: str | None = None) -> str:
    """Why the acting user may not do `action` (Chinese)."""
    who = actor()
    return permissions.refusal(
        permissions.role_of(cursor(), who), action, owner, single=who.via == "single"
    )


def explain(action: str, owner: str | None = None) -> None:
    """Show why the acting user may not do `action` here."""
    st.info(refusal(action, owner), icon=":material/lock:")


def menu(signed_in: Actor | None) -> str:
    """Where st.navigation shows the menu: in the sidebar once signed in, else nowhere (the
    pages stay registered, so a shared link opens its page after login)."""
    return "sidebar" if signed_in else "hidden"


def _visibility(right: str, url_path: str) -> str | None:
    """How st.navigation lists a page that needs `right`: "visible" for those who have it;
    "hidden" while logged out, so a shared link keeps its page and query through the login
    form (no page runs then), and in the run right after a login whose link the role may not
    open, so follow_link() turns it away with a notice instead of Streamlit's English "Page not
    found"; None (not listed, hence not reachable) otherwise."""
    if can(right):
        return "visible"
    state = st.session_state
    if state.get(_ACTOR) is NOBODY or state.get(_WANTED) == url_path:
        return "hidden"
    return None


def _restricted(path: str, title: str, icon: str, url_path: str) -> list:
    """The page as a one-item list, or an empty list where _visibility() leaves it out."""
    visibility = _visibility(_LINKED[url_path][0], url_path)
    if visibility is None:
        return []
    return [st.Page(path, title=title, icon=icon, url_path=url_path, visibility=visibility)]


def admin_group() -> dict:
    """The navigation group 管理 (审计日志, 账号) for admins; empty for everyone else (but see
    _visibility() for logged-out sessions and the run right after a login)."""
    audit_log = _restricted("pages/audit_log.py", "审计日志", ":material/policy:", "audit")
    pages = audit_log + _restricted("pages/users.py", "账号", ":material/group:", "users")
    return {"管理": pages} if pages else {}


def quality_pages() -> list:
    """The page 数据质量 for analysts and admins; nothing for viewers (see _visibility())."""
    return _restricted("pages/quality.py", "数据质量", ":material/fact_check:", "quality")


def follow_link(page, signed_in: Actor | None) -> None:
    """Keep the page a shared link asked for across the login (app.py, after st.navigation).

    Logged out, a link to a restricted page is remembered; the login's rerun then stays on the
    link's page and query, which opens for a role that may see it. Anyone else is sent to the
    default page with a notice, once: afterwards the page is not in their navigation at all.
    """
    state = st.session_state
    if not signed_in:
        if page.url_path in _LINKED:
            state[_WANTED] = page.url_path
        else:
            state.pop(_WANTED, None)
        return
    wanted = state.pop(_WANTED, None)
    if wanted is not None and wanted == page.url_path and not can(_LINKED[wanted][0]):
        state[_NOTICE] = f"“{page.title}”页面只有{_LINKED[wanted][1]}可以打开，已转到默认页面。"
        st.switch_page("pages/home.py")
    notice = state.pop(_NOTICE, None)
    if notice:
        st.warning(notice, icon=":material/lock:")
