"""Finding 4: five wrong passwords for a known name locked it for everyone, the admin included;
`user passwd` could not run while the dashboard ran; one client could try passwords as fast as
it liked; every failure under an unknown name added an audit row. Now the client is locked,
not the name; the command line reaches the running dashboard; unknown names are only counted."""

from __future__ import annotations

import time

import pytest

from minzheng import store
from minzheng.store import auth, settings
from tests.security.server import Server, cli, login

STRANGER, ADMIN_PC, OTHER = "203.0.113.9", "10.0.0.2", "198.51.100.7"


@pytest.fixture
def server(short_dir):
    db_file = short_dir / "a.duckdb"
    con = store.connect(db_file)
    settings.put(con, "demo.autoload", False)
    auth.add_user(con, "张管理", "admin", "admin-pass-1")
    auth.add_user(con, "李填报", "analyst", "analyst-pass-1")
    con.close()
    # Behind a reverse proxy on the server (README): clients are told apart by X-Forwarded-For.
    running = Server(db_file, short_dir / "console.log")
    running.wait_listening()
    yield running
    running.stop()


def _client(browser, server, address):
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": address})
    page = context.new_page()
    page.goto(server.url)
    page.get_by_label("用户名").wait_for()
    return page


def _error(page) -> str:
    return " ".join(page.locator('[data-testid="stAlertContentError"]').all_inner_texts())


def test_a_stranger_cannot_lock_out_the_admin(server, browser):
    stranger = _client(browser, server, STRANGER)
    messages = []
    # As fast as the form allows; attempts refused by the back-off do not count as failures, so
    # how many it takes depends on the machine's speed: the lock must come within a few dozen.
    for _ in range(30):
        login(stranger, "张管理", "guess-123456")
        messages.append(_error(stranger))
        if "暂停登录" in messages[-1]:
            break
    assert any("暂停登录" in m for m in messages), messages
    assert any("过于频繁" in m for m in messages), messages  # slowed down before the lock
    login(stranger, "张管理", "admin-pass-1")  # even the right password: this client is locked
    assert "暂停登录" in _error(stranger)

    admin = _client(browser, server, ADMIN_PC)
    login(admin, "张管理", "admin-pass-1")
    assert "当前用户：张管理（管理）" in admin.inner_text("body")

    # the admin lifts the stranger's lock from the server while the dashboard runs
    unlocked = cli(server.db_file, "user", "unlock", "--client", STRANGER)
    assert unlocked.returncode == 0 and f"已解除 {STRANGER}" in unlocked.stdout, unlocked.stderr
    login(stranger, "张管理", "guess-123456")
    assert "用户名或密码不正确" in _error(stranger) and "暂停" not in _error(stranger)


def test_passwd_while_the_dashboard_runs(server, browser):
    _client(browser, server, OTHER)  # a first visitor: the dashboard now holds the database
    assert cli(server.db_file, "batches").returncode != 0  # so commands cannot open it
    changed = cli(server.db_file, "user", "passwd", "李填报", stdin="new-analyst-pass-2\n")
    assert changed.returncode == 0 and "已修改密码：李填报" in changed.stdout, changed.stderr
    page = _client(browser, server, OTHER)
    login(page, "李填报", "new-analyst-pass-2")
    assert "当前用户：李填报（填报）" in page.inner_text("body")


def test_unknown_names_are_counted_not_logged_one_by_one(server, browser):
    for n, address in enumerate(["192.0.2.10", "192.0.2.11", "192.0.2.12"]):
        page = _client(browser, server, address)
        for m in range(2):
            login(page, f"nobody-{n}-{m}", "guess-123456")
            assert "用户名或密码不正确" in _error(page)
        page.context.close()
    time.sleep(0.5)
    server.stop()
    con = store.connect(server.db_file)
    try:
        rows = con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'login_failed'"
        ).fetchone()[0]
        assert rows == 0
        assert sum(n for _hour, n in auth.unknown_failures(con)) == 6
        assert con.execute("SELECT count(*) FROM login_throttle").fetchone()[0] == 0
    finally:
        con.close()
