"""Finding 1: on a new install anyone who could reach the port opened 账号 and made themselves
admin; the server listened on every interface. Now the shipped config binds 127.0.0.1, single-
user mode serves only the server itself, and the first admin needs the console's setup code."""

from __future__ import annotations

import re
import socket
import tomllib

import pytest

from minzheng import store
from minzheng.store import settings
from tests.helpers import ROOT
from tests.security.server import Server, cli, wait_quiet


def _lan_address() -> str | None:
    """An address of this machine other than loopback (None when it has none)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only picks the outgoing address
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


@pytest.fixture
def new_install(short_dir):
    db_file = short_dir / "new.duckdb"
    con = store.connect(db_file)
    settings.put(con, "demo.autoload", False)
    con.close()
    return db_file


def test_the_shipped_config_listens_on_loopback_only(new_install, short_dir):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    lan = _lan_address()
    if lan is None:
        pytest.skip("this machine has no address other than loopback")
    server = Server(new_install, short_dir / "console.log")
    try:
        server.wait_listening()
        with pytest.raises(OSError):
            socket.create_connection((lan, server.port), timeout=2).close()
    finally:
        server.stop()


def _setup_code(server: Server) -> str:
    found = re.findall(r"初始设置码：([A-Z0-9-]+)", server.console())
    assert found, server.console()
    return found[-1]


@pytest.mark.parametrize("route", ["lan", "proxy"])
def test_a_stranger_cannot_make_themselves_admin(new_install, short_dir, browser, route):
    lan = _lan_address()
    if route == "lan" and lan is None:
        pytest.skip("this machine has no address other than loopback")
    # Opened to the network on purpose (the README's reverse-proxy set-up, or a bad config).
    server = Server(new_install, short_dir / "console.log", "--server.address", "0.0.0.0")
    try:
        server.wait_listening()
        if route == "lan":
            context = browser.new_context()
            url = f"http://{lan}:{server.port}"
        else:  # behind a reverse proxy on the server: every connection comes from 127.0.0.1
            context = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
            url = server.url
        page = context.new_page()
        page.goto(f"{url}/users")
        wait_quiet(page)
        body = page.inner_text("body")
        assert "只接受服务器本机（127.0.0.1）的访问" in body
        assert page.get_by_role("button", name="添加账号").count() == 0
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        # a guessed code does nothing
        page.get_by_label("初始设置码").fill("AAAA-BBBB-CCCC")
        page.get_by_label("管理员用户名").fill("路人")
        page.get_by_label("密码（至少 8 个字符）").fill("stranger-pass-1")
        page.get_by_label("再输入一次密码").fill("stranger-pass-1")
        page.get_by_role("button", name="创建管理员并登录").click()
        wait_quiet(page)
        assert "初始设置码不正确" in page.inner_text("body")
        # the person who can read the server console can
        page.get_by_label("初始设置码").fill(_setup_code(server))
        page.get_by_label("管理员用户名").fill("张管理")
        page.get_by_label("密码（至少 8 个字符）").fill("admin-pass-1")
        page.get_by_label("再输入一次密码").fill("admin-pass-1")
        page.get_by_role("button", name="创建管理员并登录").click()
        wait_quiet(page)
        assert "当前用户：张管理（管理）" in page.inner_text("body")
        listed = cli(new_install, "user", "list")
        assert listed.returncode == 0 and listed.stdout.splitlines()[1:] == ["张管理,admin,,1"]
        context.close()
    finally:
        server.stop()


def test_the_server_itself_gets_single_user_mode_and_is_told_so(new_install, short_dir, browser):
    server = Server(new_install, short_dir / "console.log")
    try:
        server.wait_listening()
        page = browser.new_page()
        page.goto(f"{server.url}/users")
        wait_quiet(page)
        body = page.inner_text("body")
        assert "单用户模式" in body and "只接受服务器本机（127.0.0.1）的访问" in body
        assert page.get_by_role("button", name="添加账号").count() == 0  # the code form instead
        assert page.get_by_label("初始设置码").count() == 1
        page.close()
    finally:
        server.stop()
