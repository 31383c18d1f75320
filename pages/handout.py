"""Download controls: every file leaves the dashboard through here, built on the click and audited
when it is served. Not a page.

Under serve.py the link is /files/<random token>, served by the guard (minzheng/guard.py) only
to this browser's open session. Started as plain `streamlit run app.py` (development, AppTest)
it falls back to Streamlit's deferred download button, which also builds on the click.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from minzheng.store import audit, permissions
from minzheng.web import guard, sessions
from pages import access
from pages.shared import connection


def begin_run() -> None:
    """Void the links and upload rights the previous run of this session handed out."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        sessions.begin_run(ctx.session_id)


def _client() -> str:
    try:
        return st.context.cookies.get(guard.CLIENT_COOKIE, "")
    except Exception:  # no browser request behind this run (AppTest)
        return ""


def allow_uploads() -> None:
    """This session (in this browser) may upload files until its next run says otherwise."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        sessions.allow_uploads(ctx.session_id, _client())


def _audited(
    build, file_name: str, batch_id: int | None, action: str, detail: str | None, right: str | None
):
    """A no-argument callable: build the file on a fresh cursor and record who took it.

    With `right`, the actor's role is checked again when the file is built (it may have been
    lowered since the button was shown); a refusal is audited and nothing is built."""
    actor = access.actor()

    def make() -> bytes:
        cur = connection().cursor()
        try:
            if right is not None:
                permissions.require(cur, actor, right, target=file_name)
            content = build(cur)
            if isinstance(content, str):  # the printable summary is HTML text
                content = content.encode("utf-8")
            audit.record(
                cur,
                actor,
                action,
                role=permissions.role_of(cur, actor),
                batch_id=batch_id,
                target=file_name,
                detail=detail or f"{len(content):,} 字节",
            )
            return content
        finally:
            cur.close()

    return make


def download(
    label: str,
    build,
    file_name: str,
    mime: str,
    *,
    key: str,
    batch_id: int | None = None,
    action: str = "download",
    detail: str | None = None,
    right: str | None = None,
    help: str | None = None,
    icon: str | None = ":material/download:",
    disabled: bool = False,
    where=st,
) -> None:
    """A control that downloads `build(cursor)` (bytes) as `file_name`, built and audited when
    clicked."""
    make = _audited(build, file_name, batch_id, action, detail, right)
    ctx = get_script_run_ctx()
    if sessions.serving() and ctx is not None:
        # A disabled control offers nothing that a hand-made request could still fetch.
        token = "" if disabled else sessions.offer(ctx.session_id, _client(), make, file_name, mime)
        where.link_button(
            label,
            # Relative, so that it stays under server.baseUrlPath when one is set.
            f"{guard.FILES_PREFIX.lstrip('/')}{token}",
            help=help,
            icon=icon,
            disabled=disabled,
        )
        return
    where.download_button(
        label,
        make,
        file_name=file_name,
        mime=mime,
        icon=icon,
        on_click="ignore",
        key=key,
        help=help,
        disabled=disabled,
    )
