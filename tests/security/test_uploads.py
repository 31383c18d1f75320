"""Finding 5 (uploads): files could be uploaded into an anonymous login-page session. Now only a
session showing a logged-in analyst's upload form takes files, and Streamlit's own size limit is
the ingest limit. Chromium against a real server; the forged upload is the request the page's
own uploader would send (same URL, XSRF header and cookies)."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import time
import tomllib

import openpyxl
import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from minzheng import config
from tests.helpers import ROOT
from tests.security.guard_server import Server

FORGED_UPLOAD = """
async ([sessionId, size]) => {
  const xsrf = document.cookie.split("; ").find((c) => c.startsWith("_streamlit_xsrf="));
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(size)]), "台账.xlsx");
  const response = await fetch(`/_stcore/upload_file/${sessionId}/forged-file`, {
    method: "PUT",
    body: form,
    headers: xsrf ? { "X-Xsrftoken": decodeURIComponent(xsrf.split("=")[1]) } : {},
  });
  return response.status;
}
"""


def _session_ids(page) -> list[str]:
    """Collects the Streamlit session id the server announces to this page."""
    found: list[str] = []

    def on_frame(payload):
        if isinstance(payload, bytes):
            try:
                msg = ForwardMsg.FromString(payload)
            except Exception:  # not a ForwardMsg
                return
            if msg.WhichOneof("type") == "new_session":
                found.append(msg.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return found


PASSWORD = "Correct-Horse-Battery-9"
ACCOUNTS = {"管理员甲": "admin", "领导乙": "viewer", "股室丙": "analyst"}


@pytest.fixture(scope="module")
def accounts_server(demo_db, tmp_path_factory):
    """A server whose database has accounts: strangers see only the login form."""
    db_file = tmp_path_factory.mktemp("uploads") / "accounts.duckdb"
    shutil.copy(demo_db, db_file)
    for name, role in ACCOUNTS.items():
        subprocess.run(
            [sys.executable, "-m", "minzheng", "user", "add", name, "--role", role],
            input=PASSWORD + "\n",
            text=True,
            cwd=ROOT,
            env={**os.environ, "MINZHENG_DB": str(db_file)},
            check=True,
            capture_output=True,
        )
    running = Server(db_file)
    yield running
    running.stop()


def test_no_upload_into_an_anonymous_login_page_session(accounts_server, browser):
    page = browser.new_page()
    sessions = _session_ids(page)
    page.goto(accounts_server.url + "/upload")
    page.get_by_role("button", name="登录").first.wait_for(timeout=90_000)
    assert sessions, "the server announced the page's session"
    status = page.evaluate(FORGED_UPLOAD, [sessions[-1], 1024 * 1024])
    assert status in (401, 403), status
    page.close()


def _logged_in(browser, server, name: str):
    """A page on /upload after logging in as `name`, and the session ids it was given."""
    page = browser.new_page()
    sessions = _session_ids(page)
    page.goto(server.url + "/upload")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").first.click()
    page.get_by_role("heading", name="数据上传").wait_for(timeout=90_000)
    time.sleep(2)
    return page, sessions


def test_no_upload_into_a_viewers_session(accounts_server, browser):
    page, sessions = _logged_in(browser, accounts_server, "领导乙")
    status = page.evaluate(FORGED_UPLOAD, [sessions[-1], 1024])
    assert status in (401, 403), status
    page.close()


def test_an_analysts_session_takes_an_upload(accounts_server, browser):
    """The control: the same request from an analyst's upload page is accepted."""
    page, sessions = _logged_in(browser, accounts_server, "股室丙")
    page.locator('input[type="file"]').wait_for(state="attached", timeout=90_000)
    status = page.evaluate(FORGED_UPLOAD, [sessions[-1], 1024])
    assert status in (200, 204), status
    page.close()


def test_an_analyst_session_can_upload(demo_db, browser, tmp_path):
    """The control: the upload page's own form still takes a workbook (single-user mode)."""
    db_file = tmp_path / "single.duckdb"
    shutil.copy(demo_db, db_file)
    running = Server(db_file)
    try:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["活动日期", "类别", "数量", "单位"])
        sheet.append(["2024-12-03", "街面巡查", 4, "次"])
        path = tmp_path / "大有乡2024年12月工作台账.xlsx"
        book.save(path)
        page = browser.new_page()
        page.goto(running.url + "/upload")
        page.locator('input[type="file"]').wait_for(state="attached", timeout=90_000)
        time.sleep(1)
        page.set_input_files('input[type="file"]', str(path))
        page.get_by_text("明细台账").first.wait_for(timeout=90_000)
        page.close()
    finally:
        running.stop()


def test_streamlit_upload_limit_is_the_ingest_limit():
    streamlit_config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    limit_mb = streamlit_config["server"]["maxUploadSize"]
    ingest_bytes = int(config.defaults()["ingest.max_file_bytes"])
    assert limit_mb == math.ceil(ingest_bytes / 2**20)
