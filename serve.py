"""How the dashboard is served: `streamlit run serve.py` runs app.py behind the guard.

Streamlit recognises the `app` object below and serves app.py through it, with the guard
(minzheng/guard.py) in front of every route: allowed hosts, security headers, no metrics,
uploads only into a logged-in analyst's session, downloads only through /files/<token>.
A background task drops uploaded files as soon as their session's browser has gone.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import re
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from minzheng.web import guard, sessions
from pages import access

_SWEEP_SECONDS = 5


def _inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts in Streamlit's index.html (its bootstrap code)."""
    index = Path(st.__file__).parent / "static" / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except OSError:
        return []
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    return [
        "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
        for s in scripts
        if s.strip()
    ]


def _is_clear_cache(data: bytes) -> bool:
    """True for Streamlit's `clear_cache` client message (nobody needs it from a browser)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    try:
        return BackMsg.FromString(data).WhichOneof("type") == "clear_cache"
    except Exception:  # not a BackMsg: let Streamlit answer it as it would
        return False


def _runtime():
    from streamlit import runtime

    return runtime.get_instance() if runtime.exists() else None


def _alive(session_id: str) -> bool:
    rt = _runtime()
    return rt is not None and rt.is_active_session(session_id)


def _drop_orphaned_uploads() -> None:
    """Uploaded files of sessions whose browser is gone are freed now, not when the session
    would have expired (Streamlit keeps disconnected sessions for a while to resume them)."""
    rt = _runtime()
    manager = getattr(rt, "uploaded_file_mgr", None)
    storage = getattr(manager, "file_storage", None)
    if storage is None:
        return
    for session_id in list(storage):
        if not rt.is_active_session(session_id):
            manager.remove_session_files(session_id)


@contextlib.asynccontextmanager
async def _lifespan(_app):
    sessions.serve(_alive)

    async def sweep():
        while True:
            await asyncio.sleep(_SWEEP_SECONDS)
            _drop_orphaned_uploads()

    task = asyncio.create_task(sweep())
    try:
        yield None
    finally:
        task.cancel()


# Before the first request: app.py's navigation decides every page (pages/access.py).
access.end_old_pages_mode()

app = st.App(
    Path(__file__).with_name("app.py"),
    lifespan=_lifespan,
    middleware=[
        Middleware(
            guard.Guard,
            script_hashes=_inline_script_hashes(),
            drop_message=_is_clear_cache,
            base_path=st.get_option("server.baseUrlPath") or "",
        )
    ],
)
