"""End-to-end in a real browser: the app on a temporary demo database, every page at two screen
sizes, a workbook uploaded through the real file input, presentation mode.

Screenshots are kept under screenshots/ (one PNG per page and size). Without Chromium these tests
skip locally, but fail when CI=true: CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from bench import pages as bench_pages
from minzheng import store
from minzheng.demo import loader
from tests.helpers import ROOT

CHROMIUM, ARGS = bench_pages.CHROMIUM, bench_pages.ARGS
# screenshot name -> URL path (the default page, 总览, lives at /)
PAGES = {
    "overview": "",
    "indicator": "indicator",
    "township": "township",
    "reporting": "reporting",
    "upload": "upload",
    "batches": "batches",
    "plan": "plan",
    "settings": "settings",
}
SIZES = [(1920, 1080), (1366, 768)]
SHOTS = ROOT / "screenshots"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(
            "Chromium is required for the browser tests in CI (apt-get install chromium)"
        )
    pytest.skip("Chromium not installed", allow_module_level=True)

if os.environ.get("CI") != "true":
    pytest.importorskip("playwright.sync_api")
from playwright import sync_api  # noqa: E402  (in CI a missing Playwright is a failure)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Streamlit server on a fresh database with the demo loaded (single-user mode)."""
    tmp = tmp_path_factory.mktemp("browser")
    db_file = tmp / "e2e.duckdb"
    con = store.connect(db_file)
    loader.load_demo(con)
    con.close()
    process, url = bench_pages._start_server(db_file)
    yield url
    _stop(process)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def wait_ready(page, timeout: float = 60, titled: bool = True) -> None:
    """Until the page's title is drawn, Streamlit is idle and the page has stopped changing (the
    benchmark's criterion: lazily drawn HTML and charts arrive after the running indicator is
    gone)."""
    try:
        bench_pages.wait_ready(page, timeout, quiet_for=0.5, titled=titled)
    except TimeoutError:
        raise AssertionError("the page did not finish loading") from None


def assert_no_exception(page, what: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{what}: {exceptions.first.inner_text()[:500]}"
    body = page.inner_text("body")
    assert "Traceback" not in body, what
    assert "StreamlitAPIException" not in body, what


def test_deep_link_as_the_first_request_opens_the_same_view(server, browser):
    """A shared link opened right after a server start keeps its page and filters."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/indicator?indicator=lectures_held&year=2023")
    wait_ready(page)
    assert_no_exception(page, "deep link")
    assert "数据上传" in page.inner_text('[data-testid="stSidebarNav"]')
    assert "法治讲座" in page.locator("h1").first.inner_text()
    assert "year=2023" in page.url and "indicator=lectures_held" in page.url
    page.close()


def test_first_visit_after_a_server_start_shows_the_real_menu_and_the_demo_progress(
    browser, tmp_path
):
    """A new server on a new database, opened at once: while the demo loads, the menu is the
    dashboard's (never the file names of pages/) and a progress bar counts the files."""
    english = {p.stem.replace("_", " ").lower() for p in (ROOT / "pages").glob("*.py")} | {"app"}
    process, url = bench_pages._start_server(tmp_path / "first.duckdb")
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url)
        links = page.locator('[data-testid="stSidebarNav"] a')
        progress = page.locator('[data-testid="stProgress"]')
        seen_menus, progress_texts = set(), set()
        deadline = time.perf_counter() + 180
        while time.perf_counter() < deadline:
            # each link reads "icon name\n\npage name": keep the page name
            menu = tuple(t.strip().split("\n")[-1].strip() for t in links.all_inner_texts())
            if menu:
                seen_menus.add(menu)
            if progress.count():
                with contextlib.suppress(sync_api.Error):  # it may vanish as it is read
                    progress_texts.add(progress.first.inner_text(timeout=500))
                    if len(progress_texts) == 3:
                        SHOTS.mkdir(exist_ok=True)
                        page.screenshot(path=str(SHOTS / "first_visit_loading_1366x768.png"))
            if page.locator("h1").count() and "总览" in page.locator("h1").first.inner_text():
                break
            time.sleep(0.05)
        wait_ready(page)
        assert_no_exception(page, "first visit")
        assert seen_menus, "a menu was shown"
        for menu in seen_menus:
            assert "数据上传" in menu, menu
            assert not english & {m.lower() for m in menu}, menu
        assert page.title() == "民政工作进度看板"
        assert any(re.search(r"正在载入演示数据：\d+ / \d+ 个文件", t) for t in progress_texts), (
            progress_texts
        )
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "first_visit_1366x768.png"))
        page.close()
    finally:
        _stop(process)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_renders_without_exception(server, browser, size):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    for name, path in PAGES.items():
        page.goto(f"{server}/{path}")
        wait_ready(page)
        assert_no_exception(page, name)
        assert "数据上传" in page.inner_text('[data-testid="stSidebarNav"]'), "app navigation shown"
        page.screenshot(path=str(SHOTS / f"{name}_{size[0]}x{size[1]}.png"), full_page=False)
    page.close()


# Elements whose own text holds Chinese drawn in a monospace font: the browser then loads a
# second large CJK font for them, which cost every page about 0.3 s of its first render (the
# single-user notice once showed a command with 姓名 in `code`).
_CJK_IN_MONOSPACE = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => Array.from(e.childNodes).some(
      n => n.nodeType === 3 && /[\\u4e00-\\u9fff]/.test(n.textContent)))
  .filter(e => /mono|courier|source code/i.test(getComputedStyle(e).fontFamily))
  .map(e => e.tagName + ': ' + e.textContent.slice(0, 40))"""


def test_no_page_draws_chinese_in_a_monospace_font(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    for name, path in PAGES.items():
        page.goto(f"{server}/{path}")
        wait_ready(page)
        assert page.evaluate(_CJK_IN_MONOSPACE) == [], name
    page.close()


PHONE = (390, 844)


@pytest.mark.parametrize(("name", "path"), [("overview", ""), ("indicator", "indicator")])
def test_leadership_pages_on_a_phone(server, browser, name, path):
    """At 390 × 844 nothing runs off the side of the page, and 总览 opens on the core numbers."""
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
    page.goto(f"{server}/{path}")
    wait_ready(page)
    assert_no_exception(page, f"{name} on a phone")
    width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= PHONE[0], f"{name}: the page is {width} px wide"
    if name == "overview":
        first_number = page.locator(".mz-card-value").first.bounding_box()
        download = page.get_by_role("button", name="下载报表").first.bounding_box()
        assert first_number["y"] < download["y"], "the core numbers come before the downloads"
        assert first_number["y"] < PHONE[1], "the first number is on the first screen"
    page.screenshot(path=str(SHOTS / f"{name}_{PHONE[0]}x{PHONE[1]}.png"))
    page.close()


def test_upload_through_the_real_file_input(server, browser, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["武乡县大有乡2024年12月工作台账"])
    sheet.append(["活动日期", "类别", "数量", "单位"])
    sheet.append(["2024-12-03", "街面巡查", 4, "次"])
    sheet.append(["2024-12-05", "法治讲座", 1, "场"])
    path = tmp_path / "大有乡2024年12月工作台账.xlsx"
    book.save(path)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/upload")
    wait_ready(page)
    page.set_input_files('input[type="file"]', str(path))
    wait_ready(page)
    assert_no_exception(page, "upload")
    body = page.inner_text("body")
    assert path.name in body and "明细台账" in body
    page.screenshot(path=str(SHOTS / "upload_checked_1366x768.png"), full_page=True)
    page.get_by_role("button", name="确认导入").first.click()
    wait_ready(page)
    assert_no_exception(page, "upload confirm")
    assert "已导入" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "upload_done_1366x768.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_presentation_mode(server, browser, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/?mode=present&interval=60")
    wait_ready(page, titled=False)  # a slide has no page title
    assert_no_exception(page, "present")
    assert (
        page.locator('[data-testid="stSidebar"]').count() == 0
        or not page.locator('[data-testid="stSidebar"]').is_visible()
    )
    body = page.inner_text("body")
    assert "截至" in body
    page.screenshot(path=str(SHOTS / f"present_{size[0]}x{size[1]}.png"))
    page.close()


def test_screenshots_are_kept():
    assert SHOTS.is_dir() and len(list(SHOTS.glob("*.png"))) >= len(PAGES) * len(SIZES)


def test_an_account_logs_in_through_the_form_and_sees_the_dashboard(browser, tmp_path):
    """Once an account exists (created with the command line), the dashboard asks for a login."""
    db_file = tmp_path / "login.duckdb"
    con = store.connect(db_file)
    loader.load_demo(con)
    con.close()
    created = subprocess.run(
        [sys.executable, "-m", "minzheng", "user", "add", "张管理", "--role", "admin"],
        input="e2e-password-1\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MINZHENG_DB": str(db_file)},
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    process, url = bench_pages._start_server(db_file)
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/indicator")
        wait_ready(page)
        assert_no_exception(page, "login form")
        assert "请登录" in page.inner_text("body")
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0, "no menu before login"
        page.screenshot(path=str(SHOTS / "login_form_1366x768.png"), full_page=False)
        page.get_by_label("用户名").fill("张管理")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
        wait_ready(page)
        assert "用户名或密码不正确" in page.inner_text("body")
        page.get_by_label("密码").fill("e2e-password-1")
        page.get_by_role("button", name="登录").click()
        wait_ready(page)
        assert_no_exception(page, "after login")
        body = page.inner_text("body")
        assert "请登录" not in body and "当前用户：张管理（管理）" in body
        nav = page.inner_text('[data-testid="stSidebarNav"]')
        assert "数据上传" in nav and "审计日志" in nav
        assert page.url.endswith("/indicator") or "/indicator?" in page.url, "the link kept"
        assert "累计" in body or "完成" in body
        page.screenshot(path=str(SHOTS / "login_done_1366x768.png"), full_page=False)
        page.get_by_role("button", name="退出登录").click()
        wait_ready(page)
        assert "请登录" in page.inner_text("body")
        page.close()
    finally:
        _stop(process)
