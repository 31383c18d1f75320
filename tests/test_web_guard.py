"""Unit tests of the web guard's pieces: Host matching, the CSP, and the session registry that
ties downloads and uploads to one browser's open session (the real server is in tests/security)."""

import asyncio
import gzip

import pytest

from minzheng.web import guard, page_address, sessions


@pytest.mark.parametrize(
    ("host", "allowed", "ok"),
    [
        ("127.0.0.1:8501", ["127.0.0.1"], True),
        ("localhost", ["localhost"], True),
        ("[::1]:8501", ["::1"], True),
        ("看板.example.gov.cn", ["看板.example.gov.cn"], True),
        ("mz.minzheng.lan:443", ["*.minzheng.lan"], True),
        ("minzheng.lan.evil.example", ["*.minzheng.lan"], False),
        ("evil.example", ["127.0.0.1", "localhost"], False),
        ("127.0.0.1.evil.example", ["127.0.0.1"], False),
        ("", ["127.0.0.1"], False),
        ("anything", ["*"], True),
    ],
)
def test_host_allowed(host, allowed, ok):
    assert guard.host_allowed(host, allowed) is ok


def test_shipped_hosts_are_local_only():
    assert set(guard.allowed_hosts()) == {"localhost", "127.0.0.1", "::1"}


def test_csp_allows_inline_scripts_only_by_hash():
    csp = guard.content_security_policy(["sha256-abc="])
    script = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert script == "script-src 'self' 'sha256-abc='"
    assert "frame-ancestors 'self'" in csp


@pytest.fixture
def registry(monkeypatch):
    alive = {"s1": True, "s2": True}
    monkeypatch.setattr(sessions, "_offers", {})
    monkeypatch.setattr(sessions, "_uploaders", {})
    monkeypatch.setattr(sessions, "_revoking", {})
    monkeypatch.setattr(sessions, "_state", {"serving": False, "alive": None})
    sessions.serve(lambda sid: alive.get(sid, False))
    return alive


def test_an_offer_is_for_its_browser_and_open_session_only(registry):
    built = []
    token = sessions.offer("s1", "c1", lambda: built.append(1) or b"x", "a.xlsx", "x/y")
    other = sessions.offer("s1", "c1", lambda: b"y", "b.xlsx", "x/y")
    assert token != other and len(token) >= 40, "unguessable, not derived from the file"
    assert sessions.take(token, "c2") is None and sessions.take(token, "") is None
    assert sessions.take("guessed", "c1") is None
    assert sessions.take(token, "c1").file_name == "a.xlsx"
    assert built == [], "nothing is built by looking the offer up"
    registry["s1"] = False
    assert sessions.take(token, "c1") is None, "dies with the session"


def test_a_new_run_voids_the_previous_runs_grants(registry, monkeypatch):
    token = sessions.offer("s1", "c1", lambda: b"x", "a.xlsx", "x/y")
    kept = sessions.offer("s2", "c2", lambda: b"x", "a.xlsx", "x/y")
    sessions.allow_uploads("s1", "c1")
    assert sessions.may_upload("s1", "c1") and not sessions.may_upload("s1", "c2")
    sessions.begin_run("s1")
    assert sessions.take(token, "c1") is None
    assert sessions.take(kept, "c2") is not None, "other sessions keep theirs"
    # Uploads: the run has a moment to show its upload form again, then the grant is gone.
    assert sessions.may_upload("s1", "c1")
    sessions.allow_uploads("s1", "c1")
    sessions.begin_run("s1")
    clock = [1000.0]
    monkeypatch.setattr(sessions.time, "monotonic", lambda: clock[0])
    sessions._revoking["s1"] = clock[0]
    clock[0] += sessions.UPLOAD_GRACE_SECONDS + 1
    assert not sessions.may_upload("s1", "c1")
    sessions.allow_uploads("s1", "c1")
    assert sessions.may_upload("s1", "c1"), "granted again by a later run"


def test_nothing_is_allowed_before_the_server_says_how_to_tell_live_sessions(monkeypatch):
    monkeypatch.setattr(sessions, "_offers", {})
    monkeypatch.setattr(sessions, "_uploaders", {})
    monkeypatch.setattr(sessions, "_revoking", {})
    monkeypatch.setattr(sessions, "_state", {"serving": False, "alive": None})
    token = sessions.offer("s1", "c1", lambda: b"x", "a.xlsx", "x/y")
    sessions.allow_uploads("s1", "c1")
    assert not sessions.serving()
    assert sessions.take(token, "c1") is None and not sessions.may_upload("s1", "c1")


def test_uploads_of_a_gone_browser_are_dropped(monkeypatch):
    import serve

    class Files:
        def __init__(self):
            self.file_storage = {"open": {"f": b"x"}, "gone": {"g": b"y"}}

        def remove_session_files(self, session_id):
            self.file_storage.pop(session_id, None)

    class Runtime:
        uploaded_file_mgr = Files()

        @staticmethod
        def is_active_session(session_id):
            return session_id == "open"

    monkeypatch.setattr(serve, "_runtime", lambda: Runtime)
    serve._drop_orphaned_uploads()
    assert set(Runtime.uploaded_file_mgr.file_storage) == {"open"}


def _call(guard, path, method="GET", headers=()):
    """(status, headers) the guard answers an HTTP request with (200 from the app behind)."""
    import asyncio

    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "path": path,
        "method": method,
        "headers": [(b"host", b"127.0.0.1:8501"), *headers],
    }
    asyncio.run(guard(scope, receive, send))
    start = sent[0]
    return start["status"], dict(start["headers"])


async def _app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_guard_routes_work_under_a_base_path(registry):
    app = guard.Guard(_app, hosts=["127.0.0.1"])
    token = sessions.offer("s1", "c1", lambda: b"PK-file", "台账.xlsx", "x/y")
    sessions.allow_uploads("s1", "c1")
    cookie = (b"cookie", b"mz_client=c1")
    for base in ("", "/mz"):
        assert _call(app, f"{base}/_stcore/metrics")[0] == 404
        assert _call(app, f"{base}/files/{token}")[0] == 404, "no cookie"
        status, headers = _call(app, f"{base}/files/{token}", headers=[cookie])
        assert status == 200 and b"attachment" in headers[b"content-disposition"]
        assert _call(app, f"{base}/_stcore/upload_file/s2/f", "PUT", [cookie])[0] == 403
        assert _call(app, f"{base}/_stcore/upload_file/s1/f", "PUT", [cookie])[0] == 200
        assert _call(app, f"{base}/")[0] == 200
    status, headers = _call(app, "/")
    assert (
        headers[b"set-cookie"].startswith(b"mz_client=") and b"HttpOnly" in headers[b"set-cookie"]
    )


def test_a_download_that_is_refused_when_built_is_not_served(registry):
    def refused():
        raise PermissionError("role lowered since the link was shown")

    app = guard.Guard(_app, hosts=["127.0.0.1"])
    token = sessions.offer("s1", "c1", refused, "审计日志.xlsx", "x/y")
    assert _call(app, f"/files/{token}", headers=[(b"cookie", b"mz_client=c1")])[0] == 403


# --- the base-address script added to Streamlit's index.html -----------------------------------

INDEX = b"<!DOCTYPE html><html><head><title>x</title></head><body><div id=root></div></body></html>"


@pytest.mark.parametrize(
    ("path", "base", "page"),
    [
        ("/", "", ""),
        ("/upload", "", "/upload"),
        ("/upload/", "", "/upload"),
        ("/base", "base", ""),
        ("/base/upload", "base", "/upload"),
        ("/base/upload", "/base/", "/upload"),
        ("/baseline", "base", "/baseline"),
    ],
)
def test_page_part_is_the_path_after_the_base(path, base, page):
    assert page_address.page_part(path, base) == page


def test_base_script_goes_first_in_head_with_the_page_escaped():
    html = page_address.with_base_script(INDEX, '/a"b<')
    assert html.startswith(b'<!DOCTYPE html><html><head><script data-page="/a&quot;b&lt;">')
    assert page_address.SCRIPT.encode() in html
    assert page_address.with_base_script(b"<p>no head</p>", "/x") == b"<p>no head</p>"


def _serve(app, path: str, accept_gzip: bool):
    """(start message, body) of one GET through the guard in front of `app`."""
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    headers = [(b"host", b"127.0.0.1:8501")]
    if accept_gzip:
        headers.append((b"accept-encoding", b"gzip"))
    scope = {"type": "http", "method": "GET", "path": path, "headers": headers}
    asyncio.run(guard.Guard(app, hosts=["127.0.0.1"])(scope, receive, send))
    return messages[0], b"".join(m.get("body", b"") for m in messages[1:])


def _index_app(gzipped: bool, content_type: bytes = b"text/html; charset=utf-8"):
    async def app(scope, receive, send):
        body = gzip.compress(INDEX) if gzipped else INDEX
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        if gzipped:
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"etag", b'"abc"'))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        half = len(body) // 2  # in two parts, as a streamed file arrives
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    return app


@pytest.mark.parametrize("gzipped", [False, True])
def test_the_guard_adds_the_base_script_to_the_index(gzipped):
    start, body = _serve(_index_app(gzipped), "/reporting", gzipped)
    headers = dict(start["headers"])
    assert body.startswith(b'<!DOCTYPE html><html><head><script data-page="/reporting">')
    assert int(headers[b"content-length"]) == len(body)
    assert b"content-encoding" not in headers and b"etag" not in headers
    csp = headers[b"content-security-policy"].decode()
    assert f"'{page_address.script_hash()}'" in csp, "the CSP allows exactly this script"


def test_the_guard_leaves_other_responses_alone():
    start, body = _serve(_index_app(False, b"application/json"), "/_stcore/host-config", False)
    assert body == INDEX and (b"etag", b'"abc"') in start["headers"]
