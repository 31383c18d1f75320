"""Tell Streamlit's frontend where the app is served, so a page's address connects at once.

Opened at a page's own address (/upload, /reporting), Streamlit's frontend does not know whether
"upload" is a page or the folder the app is served under: it first asks /upload/_stcore/health,
gets a 404, waits its retry delay (about 0.13 s here) and only then connects at /. Every first
visit to a page other than 总览 paid that wait. The frontend reads its base address from
`window.__streamlit.BACKEND_BASE_URL` when a page sets it before its scripts run, so the guard
adds one small inline script to Streamlit's index.html: the server knows which part of the
requested path is the page (everything after `server.baseUrlPath`), the script takes that part
off the address the browser shows (which may carry a reverse proxy's prefix) and sets the base.
The script is constant (the page part is an attribute), so the CSP allows it by one hash.
"""

from __future__ import annotations

import base64
import hashlib
import html

SCRIPT = (
    "(function(){var s=document.currentScript.getAttribute('data-page')||'';"
    "var p=location.pathname.replace(/\\/+$/,'');"
    "if(s&&p.slice(-s.length)===s){p=p.slice(0,-s.length);}"
    "window.__streamlit=Object.assign({},window.__streamlit,"
    "{BACKEND_BASE_URL:location.origin+p+'/'});})();"
)
_HEAD = b"<head>"


def script_hash() -> str:
    """The CSP source of SCRIPT ("sha256-…")."""
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def page_part(path: str, base_path: str) -> str:
    """The part of a request path after the app's base path ("/upload" of "/base/upload"); ""
    for the app's root. `base_path` is `server.baseUrlPath` ("" or "base")."""
    path = path.rstrip("/")
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :]
    return path


def with_base_script(index_html: bytes, page: str) -> bytes:
    """Streamlit's index.html with SCRIPT first in <head>; unchanged if it has no <head>."""
    if _HEAD not in index_html:
        return index_html
    attribute = html.escape(page, quote=True)
    tag = f'<script data-page="{attribute}">{SCRIPT}</script>'.encode()
    return index_html.replace(_HEAD, _HEAD + tag, 1)
