"""The guard in front of the dashboard's web server (installed by serve.py as ASGI middleware).

Streamlit alone accepts any Host header on HTTP, sends no Content-Security-Policy or frame
options, publishes /_stcore/metrics, accepts uploads into any open session (a login page's
included) and serves downloads to anyone holding the link. The guard:

- refuses requests and websockets whose Host is not in `[server] allowed_hosts` (DNS rebinding);
- adds CSP, frame and related headers to every HTTP response;
- answers /_stcore/metrics with 404;
- drops websocket messages the server must not act on for a browser (serve.py passes the test:
  Streamlit's `clear_cache`, which any client, logged in or not, could send to empty every
  cache and reopen the database connection);
- gives each browser a random HttpOnly client cookie, which ties HTTP requests to the sessions
  that browser opened (`minzheng.web.sessions`);
- lets a file be uploaded only into a session that shows a logged-in analyst's upload form, in
  the browser of that session, and never above the ingest size limit;
- serves downloads at /files/<token>: built only when fetched, for the browser and session that
  were offered them, while that session is open;
- adds to Streamlit's index.html the script that tells its frontend the app's base address
  (`minzheng.web.page_address`), so a page opened at its own address connects at once.

Pure ASGI, so `minzheng` stays free of Streamlit.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import secrets
from collections.abc import Callable, Iterable
from urllib.parse import quote

from minzheng import config
from minzheng.web import page_address, sessions

log = logging.getLogger(__name__)

CLIENT_COOKIE = "mz_client"
FILES_PREFIX = "/files/"
UPLOAD_PREFIX = "/_stcore/upload_file/"
BLOCKED_PATHS = ("/_stcore/metrics",)


def allowed_hosts() -> tuple[str, ...]:
    """Host names the server answers to (data/config.toml `[server] allowed_hosts`)."""
    hosts = config.defaults()["server.allowed_hosts"]
    return tuple(str(h).strip().lower() for h in hosts if str(h).strip())


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """True if the Host header (port ignored) names an allowed host; '*' allows any."""
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8501
        name = host[1 : host.find("]")] if "]" in host else host
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    for pattern in allowed:
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


def content_security_policy(script_hashes: Iterable[str] = ()) -> str:
    """The CSP sent with every response: scripts only from this server (plus Streamlit's own
    inline bootstrap script, by hash), no framing by other sites, no plugins."""
    hashes = " ".join(f"'{h}'" for h in script_hashes)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".strip(),
            # Streamlit's components write style attributes and <style> elements at run time.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self' ws: wss:",
            "frame-src 'self' blob: data:",
            "worker-src 'self' blob:",
            "frame-ancestors 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def _headers(scope) -> dict[bytes, bytes]:
    """Header names (lower case) to values, of an ASGI scope or a response start message."""
    return {k.lower(): v for k, v in scope.get("headers", [])}


def _is_html_page(start: dict) -> bool:
    """Whether a response start is an HTML page with content (Streamlit's index), sent plain or
    gzipped (Streamlit compresses it for browsers)."""
    headers = _headers(start)
    return (
        start.get("status") == 200
        and headers.get(b"content-type", b"").startswith(b"text/html")
        and headers.get(b"content-encoding", b"gzip") == b"gzip"
    )


def _cookie(headers: dict[bytes, bytes], name: str) -> str:
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


class Guard:
    """ASGI middleware; see the module docstring."""

    def __init__(
        self,
        app,
        hosts: Iterable[str] | None = None,
        script_hashes: Iterable[str] = (),
        max_upload_bytes: int | None = None,
        drop_message: Callable[[bytes], bool] | None = None,
        base_path: str = "",
    ):
        self.app = app
        self.hosts = tuple(hosts) if hosts is not None else allowed_hosts()
        self.max_upload_bytes = max_upload_bytes or int(config.defaults()["ingest.max_file_bytes"])
        self.drop_message = drop_message
        self.base_path = base_path
        hashes = [*script_hashes, page_address.script_hash()]
        self.security_headers = [
            (b"content-security-policy", content_security_policy(hashes).encode()),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        host = headers.get(b"host", b"").decode("latin-1")
        if not host_allowed(host, self.hosts):
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await self._plain(send, 400, "Host not allowed")
        if scope["type"] == "websocket":
            return await self.app(scope, self._filtered(receive), send)

        client = _cookie(headers, CLIENT_COOKIE)
        new_client = "" if client else secrets.token_urlsafe(24)
        path = scope.get("path", "")

        index_start: dict = {}  # the held start of an index.html response (see below)
        index_body: list[bytes] = []

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = list(self.security_headers)
                if new_client:
                    extra.append(
                        (
                            b"set-cookie",
                            f"{CLIENT_COOKIE}={new_client}; Path=/; HttpOnly; "
                            "SameSite=Strict".encode(),
                        )
                    )
                message = {**message, "headers": list(message.get("headers", [])) + extra}
                if scope.get("method") == "GET" and _is_html_page(message):
                    index_start.update(message)  # held until the whole page is read
                    return
            elif message["type"] == "http.response.body" and index_start:
                index_body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(index_body)
                start_headers = index_start["headers"]
                if b"content-encoding" in _headers(index_start):
                    body = gzip.decompress(body)  # about 8 kB: sent plain after the change
                page = page_address.page_part(path, self.base_path)
                body = page_address.with_base_script(body, page)
                dropped = (b"content-length", b"content-encoding", b"etag", b"last-modified")
                headers = [(k, v) for k, v in start_headers if k.lower() not in dropped]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**index_start, "headers": headers})
                return await send({"type": "http.response.body", "body": body})
            await send(message)

        # Matched after any prefix: server.baseUrlPath puts the routes under /<base>/.
        if path.endswith(BLOCKED_PATHS):
            return await self._plain(send_with_headers, 404, "Not Found")
        _, files, token = path.rpartition(FILES_PREFIX)
        if files and "/" not in token:
            return await self._download(token, client, send_with_headers)
        _, upload, rest = path.partition(UPLOAD_PREFIX)
        if upload and scope.get("method") in ("PUT", "POST"):
            session_id = rest.split("/", 1)[0]
            if not sessions.may_upload(session_id, client):
                return await self._plain(send_with_headers, 403, "Upload not allowed")
            length = headers.get(b"content-length", b"0").decode("latin-1")
            if length.isdigit() and int(length) > self.max_upload_bytes:
                return await self._plain(send_with_headers, 413, "File too large")
        return await self.app(scope, receive, send_with_headers)

    async def _download(self, token: str, client: str, send) -> None:
        offer = sessions.take(token, client)
        if offer is None:  # one answer for unknown, foreign and expired links
            return await self._plain(send, 404, "Not Found")
        try:
            content = await asyncio.to_thread(offer.build)
        except Exception:  # refused (role lowered since the link was shown) or failed to build
            log.exception("download %s not served", offer.file_name)
            return await self._plain(send, 403, "Not allowed")
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", offer.mime.encode("latin-1")),
                    (b"content-length", str(len(content)).encode()),
                    (
                        b"content-disposition",
                        f"attachment; filename*=utf-8''{quote(offer.file_name, safe='')}".encode(),
                    ),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})

    def _filtered(self, receive):
        """`receive` without the client messages the server must not act on."""
        if self.drop_message is None:
            return receive

        async def receive_kept():
            while True:
                message = await receive()
                data = message.get("bytes") if message["type"] == "websocket.receive" else None
                if not data or not self.drop_message(data):
                    return message

        return receive_kept

    @staticmethod
    async def _plain(send, status: int, text: str) -> None:
        body = text.encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
