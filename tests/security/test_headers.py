"""Finding 10 (headers and endpoints): any Host header was accepted, no CSP or frame options were
sent and /_stcore/metrics was open. Raw HTTP and websocket requests against a real server."""

from __future__ import annotations

import socket

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from minzheng.web import page_address
from tests.security.guard_server import Server, get


@pytest.fixture(scope="module")
def server(demo_db):
    running = Server(demo_db)
    yield running
    running.stop()


def test_foreign_host_header_is_refused(server):
    assert get(server.url + "/")[0] == 200
    status, _headers, _body = get(server.url + "/", headers={"Host": "evil.example"})
    assert status == 400


def test_foreign_host_websocket_is_refused(server):
    def open_stream(host: str):
        # The socket goes to 127.0.0.1; the URL's host is what the Host header says.
        sock = socket.create_connection(("127.0.0.1", server.port))
        return connect(
            f"ws://{host}:{server.port}/_stcore/stream",
            sock=sock,
            subprotocols=["streamlit"],
            open_timeout=20,
        )

    with open_stream("127.0.0.1") as ws:
        assert ws.subprotocol == "streamlit"  # the control: the right Host gets in
    with pytest.raises(InvalidStatus) as refused, open_stream("evil.example"):
        pass
    assert refused.value.response.status_code == 403


def test_pages_carry_csp_and_frame_options(server):
    for path in ("/", "/indicator", "/static/favicon.png"):
        status, headers, _ = get(server.url + path)
        lower = {k.lower(): v for k, v in headers.items()}
        assert status in (200, 404), path
        csp = lower.get("content-security-policy", "")
        assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp, path
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0], path
        assert lower.get("x-frame-options") == "SAMEORIGIN", path
        assert lower.get("x-content-type-options") == "nosniff", path


def test_metrics_endpoint_is_closed(server):
    assert get(server.url + "/_stcore/health")[0] == 200
    status, _headers, body = get(server.url + "/_stcore/metrics")
    assert status == 404 and b"cache_memory_bytes" not in body


def test_the_index_carries_the_base_script_allowed_by_the_csp(server):
    for accept in ({}, {"Accept-Encoding": "gzip"}):  # Streamlit compresses it for browsers
        status, headers, body = get(server.url + "/reporting", headers=accept)
        lower = {k.lower(): v for k, v in headers.items()}
        assert status == 200 and "content-encoding" not in lower
        assert body.count(b'<script data-page="/reporting">') == 1
        assert f"'{page_address.script_hash()}'" in lower["content-security-policy"]


def test_a_page_address_connects_at_once_and_the_menu_still_works(server, browser):
    """Opened at /reporting, the frontend used to ask /reporting/_stcore/health first, get a 404
    and wait its retry delay before connecting at /. Now it connects at / at once, and a switch
    in the menu leads to /indicator (not /reporting/indicator)."""
    page = browser.new_context().new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(server.url + "/reporting")
    page.get_by_role("heading", name="上报情况").wait_for(timeout=60_000)
    assert server.url + "/_stcore/health" in asked
    assert not [u for u in asked if u.startswith(server.url + "/reporting/")], asked
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.locator('[data-testid="stSidebarNav"] a', has_text="指标").first.click()
    page.wait_for_url(server.url + "/indicator*", timeout=60_000)
    page.context.close()
