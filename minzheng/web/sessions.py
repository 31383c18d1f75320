"""What each browser session may do over plain HTTP: upload files, fetch the files it was offered.

Streamlit serves uploads and media on HTTP routes that know nothing of the dashboard's login, so
the guard in front of them (`minzheng.web.guard`) asks this registry. Every entry belongs to one
Streamlit session and one browser (the random client cookie the guard sets). Download links are
dropped at each new script run of their session (the run offers again what it still shows); the
right to upload ends a few seconds after a run starts that does not show the upload form again.
Everything is void once the session's websocket is gone, so a link dies with the session and
after a logout.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    """A download a session was shown: built only when fetched."""

    session_id: str
    client: str
    build: Callable[[], bytes]
    file_name: str
    mime: str


_lock = threading.Lock()
_offers: dict[str, Offer] = {}
_uploaders: dict[str, str] = {}  # session id -> client id
_revoking: dict[str, float] = {}  # session id -> when a run started that has not granted again
# A run starts a moment before its upload page grants again; an upload the browser starts in
# between (the next of several files) is still let in, for this long.
UPLOAD_GRACE_SECONDS = 5.0
_state = {"serving": False, "alive": None}


def serve(alive: Callable[[str], bool]) -> None:
    """Called once by the server: downloads go through the guard; `alive(session_id)` tells
    whether a session's browser is still connected."""
    with _lock:
        _state["serving"], _state["alive"] = True, alive


def serving() -> bool:
    """True when the guard serves downloads (the dashboard was started with serve.py)."""
    return bool(_state["serving"])


def _alive(session_id: str) -> bool:
    alive = _state["alive"]
    return alive is not None and alive(session_id)


def begin_run(session_id: str) -> None:
    """Forget what the session was granted by its previous run (a new run grants again)."""
    with _lock:
        if session_id in _uploaders:
            _revoking.setdefault(session_id, time.monotonic())
        for token in [t for t, o in _offers.items() if o.session_id == session_id]:
            del _offers[token]


def allow_uploads(session_id: str, client: str) -> None:
    """The session (in this browser) shows a logged-in analyst's upload form."""
    if client:
        with _lock:
            _uploaders[session_id] = client
            _revoking.pop(session_id, None)


def may_upload(session_id: str, client: str) -> bool:
    """True if a file may be uploaded into this session from this browser."""
    with _lock:
        granted = _uploaders.get(session_id)
        since = _revoking.get(session_id)
        if since is not None and time.monotonic() - since > UPLOAD_GRACE_SECONDS:
            del _uploaders[session_id], _revoking[session_id]
            granted = None
    return bool(client) and granted == client and _alive(session_id)


def offer(
    session_id: str, client: str, build: Callable[[], bytes], file_name: str, mime: str
) -> str:
    """An unguessable token for a download link; the file is built when the link is fetched."""
    token = secrets.token_urlsafe(32)
    with _lock:
        _offers[token] = Offer(session_id, client, build, file_name, mime)
    return token


def take(token: str, client: str) -> Offer | None:
    """The offer behind a link, if this browser's session was offered it and is still open."""
    with _lock:
        found = _offers.get(token)
    if found is None or not client or found.client != client or not _alive(found.session_id):
        return None
    return found
