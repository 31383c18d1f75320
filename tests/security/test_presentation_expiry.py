"""Finding 7: presentation mode kept rotating live data after the session expired (its timed
reruns skip app.py's gate). With a one-minute idle limit, the screen must fall back to the login
form on its own a little after a minute."""

from __future__ import annotations

import time

from minzheng import store
from minzheng.demo import loader
from minzheng.store import auth, settings
from tests.security.server import Server, login, wait_quiet


def test_the_meeting_screen_logs_out_when_the_session_expires(short_dir, browser):
    db_file = short_dir / "p.duckdb"
    con = store.connect(db_file)
    loader.load_demo(con)
    auth.add_user(con, "张管理", "admin", "admin-pass-1")
    auth.add_user(con, "王局长", "viewer", "viewer-pass-1")
    settings.put(con, "auth.idle_minutes", 1)
    con.close()
    server = Server(db_file, short_dir / "console.log")
    try:
        server.wait_listening()
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{server.url}/?mode=present&interval=5")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        login(page, "王局长", "viewer-pass-1")
        wait_quiet(page)
        assert "请登录" not in page.inner_text("body")
        assert page.locator(".mz-state").count() == 1  # the tour is running
        started = time.monotonic()
        deadline = started + 120
        while time.monotonic() < deadline and "请登录" not in page.inner_text("body"):
            time.sleep(1)
        elapsed = time.monotonic() - started
        body = page.inner_text("body")
        assert "请登录" in body, "the tour still runs after the session expired"
        assert "超过 1 分钟没有操作，已自动退出" in body
        assert 55 <= elapsed <= 120
    finally:
        server.stop()
