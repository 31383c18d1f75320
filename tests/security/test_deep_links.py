"""Issue 15: a shared link to an admin page (审计日志 /audit, 账号 /users) survived the login form
only as the default page, since those pages are in the navigation of admins alone. Now an admin
lands on the linked page with its query; a viewer lands on the default page with a notice."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from minzheng import store
from minzheng.store import auth, settings
from tests.security.server import Server, login, wait_quiet


@pytest.fixture(scope="module")
def server(browser):
    """One dashboard with an admin and a viewer, for both tests."""
    folder = Path(tempfile.mkdtemp(prefix="mzd", dir="/tmp"))
    db_file = folder / "d.duckdb"
    con = store.connect(db_file)
    settings.put(con, "demo.autoload", False)
    auth.add_user(con, "张管理", "admin", "admin-pass-1")
    auth.add_user(con, "王查看", "viewer", "viewer-pass-1")
    con.close()
    running = Server(db_file, folder / "console.log")
    try:
        running.wait_listening()
        # a first visit ends Streamlit's old pages/ mode (test_startup.py covers those seconds:
        # a link then is answered by Streamlit itself, before app.py runs)
        _open_logged_out(browser, running.url).context.close()
        yield running
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _open_logged_out(browser, url: str):
    page = browser.new_context().new_page()
    page.goto(url)
    page.get_by_label("用户名").wait_for(timeout=60_000)
    wait_quiet(page)
    assert "请登录" in page.inner_text("body")
    return page


def test_an_admin_lands_on_the_linked_audit_page_with_its_query(server, browser):
    page = _open_logged_out(browser, f"{server.url}/audit?from=share")
    login(page, "张管理", "admin-pass-1")
    title = page.locator("h1").first.inner_text()
    assert title == "审计日志", page.inner_text("body")[:500]
    assert page.url.endswith("/audit?from=share"), page.url
    assert "Page not found" not in page.inner_text("body")


def test_a_viewer_following_an_admin_link_lands_on_the_default_page(server, browser):
    page = _open_logged_out(browser, f"{server.url}/audit?from=share")
    login(page, "王查看", "viewer-pass-1")
    body = page.inner_text("body")
    assert "“审计日志”页面只有管理员可以打开" in body, body[:500]
    assert "当前用户：王查看（查看）" in body
    assert page.locator("h1").first.inner_text() != "审计日志"
    assert "/audit" not in page.url, page.url
    assert "Page not found" not in body
