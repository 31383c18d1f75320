"""Finding 6: for about two seconds after a start, requests ran pages/*.py without the login gate
(Streamlit's old pages/ mode) and a login made then was silently dropped. A server is started
and used at once: the first login holds, and deep links show the login form, not the page."""

from __future__ import annotations

import shutil

from minzheng import store
from minzheng.store import auth, settings
from tests.security.guard_server import Server as GuardedServer
from tests.security.server import Server, login, wait_quiet


def test_logging_in_right_after_a_start_holds(short_dir, browser):
    db_file = short_dir / "r.duckdb"
    con = store.connect(db_file)
    settings.put(con, "demo.autoload", False)
    auth.add_user(con, "张管理", "admin", "admin-pass-1")
    con.close()
    server = Server(db_file, short_dir / "console.log")
    try:
        server.wait_listening()
        # three browsers at once, the moment the port opens: a deep link to an admin page, a
        # deep link to a data page, and someone logging in
        pages = {name: browser.new_context().new_page() for name in ("users", "indicator", "/")}
        for name, page in pages.items():
            page.goto(f"{server.url}/{name.strip('/')}", wait_until="commit")
        for name, page in pages.items():
            page.get_by_label("用户名").wait_for(timeout=60_000)
            body = page.inner_text("body")
            assert "请登录" in body, name
            assert "Traceback" not in body and "Error" not in body, (name, body[:500])
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0, name
        first = pages["/"]
        login(first, "张管理", "admin-pass-1")
        assert "当前用户：张管理（管理）" in first.inner_text("body")
        for name in ("users", "indicator"):  # the sessions opened in the first second as well
            login(pages[name], "张管理", "admin-pass-1")
            assert "当前用户：张管理（管理）" in pages[name].inner_text("body"), name
    finally:
        server.stop()


def test_a_link_as_the_very_first_request_opens_its_page(demo_db, short_dir, browser):
    """Started as the README says (serve.py), a server's very first request may be a shared
    link: it used to meet Streamlit's "Page not found" (its old pages/ mode knows the files in
    pages/, not app.py's addresses) and fell back to 总览."""
    db_file = short_dir / "first.duckdb"
    shutil.copyfile(demo_db, db_file)
    shutil.copyfile(demo_db.with_name(demo_db.name + ".key"), short_dir / "first.duckdb.key")
    server = GuardedServer(db_file)
    try:
        page = browser.new_context().new_page()
        page.goto(f"{server.url}/batches")
        page.get_by_role("heading", name="数据管理").wait_for(timeout=60_000)
        wait_quiet(page)
        assert "Page not found" not in page.inner_text("body")
        assert page.url.startswith(f"{server.url}/batches")
        assert "年度计划" in page.inner_text('[data-testid="stSidebarNav"]')
        page.context.close()
    finally:
        server.stop()
