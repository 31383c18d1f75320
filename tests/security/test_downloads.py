"""Finding 3: downloads needed no session. Kept copies and exports (/media/<content hash>) could be
fetched with no cookies while the page was open and after, the same file had the same link in
every session, and 审计日志 published its export before any click and without an audit entry.

A real server, Chromium for the logged-in side, and urllib (no cookie jar) for the stranger.
"""

from __future__ import annotations

import re
import shutil
import time

import duckdb
import openpyxl
import pytest

from tests.security.guard_server import Server, get

DOWNLOAD = (
    "[data-testid='stDownloadButton'] button, [data-testid='stLinkButton'] a, "
    "[data-testid='stDownloadButton'] a"
)


OVERVIEW_DOWNLOADS = ("下载 Excel 进度表", "下载年度报告初稿（Word）", "下载一页纸汇总（打印）")


@pytest.fixture(scope="module")
def server(demo_db):
    running = Server(demo_db)
    yield running
    running.stop()


def _control(page, label: str):
    control = page.locator(DOWNLOAD).filter(has_text=re.compile(label)).first
    if label in OVERVIEW_DOWNLOADS:  # 总览 keeps them under one button
        opener = page.get_by_role("button", name="下载报表")
        opener.wait_for(timeout=90_000)
        opener.click()
    control.wait_for(timeout=90_000)
    return control


def _click_download(page, label: str):
    control = _control(page, label)
    time.sleep(1)  # let the run that drew the control finish
    with page.expect_download(timeout=90_000) as info:
        control.click()
    return info.value


def test_a_stranger_cannot_fetch_a_download(server, browser, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/")
    download = _click_download(page, "下载 Excel 进度表")
    saved = tmp_path / "export.xlsx"
    download.save_as(saved)
    assert "进度总表" in openpyxl.load_workbook(saved).sheetnames  # the session got the file
    status, _headers, body = get(download.url)  # the same link, without the session's cookie
    assert status != 200 and b"PK" not in body[:2]
    context.close()


def test_a_link_dies_with_its_session(server, browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/")
    download = _click_download(page, "下载 Excel 进度表")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    assert get(download.url, headers={"Cookie": cookies})[0] == 200, "alive while the page is"
    context.close()
    time.sleep(1)
    assert get(download.url, headers={"Cookie": cookies})[0] != 200
    assert get(download.url)[0] != 200


def test_the_same_file_has_different_links_in_two_sessions(server, browser):
    urls = []
    for _ in range(2):
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(server.url + "/batches?batch=1")
        urls.append(_click_download(page, "下载原文件").url)
        context.close()
    assert urls[0] != urls[1], "a link must not be derived from the file's content"


def test_audit_log_publishes_nothing_before_the_click(demo_db, browser, tmp_path):
    db_file = tmp_path / "audit.duckdb"
    shutil.copy(demo_db, db_file)
    running = Server(db_file)
    try:
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        frames: list[bytes] = []
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda payload: frames.append(
                    payload if isinstance(payload, bytes) else payload.encode()
                ),
            ),
        )
        # a first visit ends Streamlit's old pages/ mode (a deep link as the very first request
        # after a start is answered by Streamlit itself: see test_startup.py)
        page.goto(running.url + "/")
        page.get_by_text("审计日志").first.wait_for(timeout=90_000)
        page.goto(running.url + "/audit")
        _control(page, "导出 Excel")
        time.sleep(2)
        # Any media file but the page's images (favicon) is a published download.
        published = [f for f in frames if re.search(rb"/media/\w+\.(?!png|svg|ico)\w+", f)]
        assert not published, "the export was published before the click"
        download = _click_download(page, "导出 Excel")
        saved = tmp_path / "audit.xlsx"
        download.save_as(saved)
        assert openpyxl.load_workbook(saved).sheetnames
        context.close()
    finally:
        running.stop()
    con = duckdb.connect(str(db_file), read_only=True)
    exports = con.execute("SELECT count(*) FROM audit_log WHERE action = 'audit_export'").fetchone()
    con.close()
    assert exports[0] == 1, "the export is audited once, when it is served"
