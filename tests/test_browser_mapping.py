"""End-to-end in a real browser: 手动指定表格结构 on 数据上传, one mapping through the real page.

An unreadable wide sheet is uploaded through the file input, its header rows and column meanings
are chosen with the real widgets, the preview sentence updates, and 保存结构并导入 loads it.
Screenshots: screenshots/upload_mapping_*.png. Skips without Chromium locally, fails in CI.
"""

from __future__ import annotations

import openpyxl
import pytest

from minzheng import store
from minzheng.store import settings
from tests.test_browser import (  # noqa: F401 (fixture)
    SHOTS,
    _stop,
    assert_no_exception,
    bench_pages,
    browser,
    wait_ready,
)


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A Streamlit server on a new, empty database (single-user mode, no demo)."""
    db_file = tmp_path_factory.mktemp("browser_mapping") / "e2e.duckdb"
    con = store.connect(db_file)
    settings.put(con, "demo.autoload", False)
    con.close()
    process, url = bench_pages._start_server(db_file)
    yield url, db_file
    _stop(process)


def _choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)  # the list is virtualised: filter it to the option
    page.get_by_role("option", name=option, exact=True).click()
    wait_ready(page)


def test_one_mapping_through_the_real_page(empty_server, browser, tmp_path):  # noqa: F811
    url, db_file = empty_server
    book = openpyxl.Workbook()
    for row in (
        ["丰州镇民政工作月报"],
        ["报表期", "项目甲", "项目乙"],
        ["", "本期", "本期"],
        ["2025年3月", 5, 7],
        ["2025年4月", 2, 0],
    ):
        book.active.append(row)
    path = tmp_path / "丰州镇一季度.xlsx"
    book.save(path)
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/upload")
    wait_ready(page)
    page.set_input_files('input[type="file"]', str(path))
    wait_ready(page)
    assert_no_exception(page, "upload")
    assert "有错误" in page.inner_text("body")
    page.get_by_text("手动指定表格结构", exact=True).click()
    wait_ready(page)
    assert_no_exception(page, "mapping opened")
    last = page.get_by_role("spinbutton", name="表头最后一行")
    last.fill("3")
    last.press("Enter")
    wait_ready(page)
    _choose(page, "A 列", "月份")
    _choose(page, "B 列", "指标：走访慰问留守困境儿童（本月）")
    _choose(page, "C 列", "指标：街面巡查（本月）")
    assert_no_exception(page, "mapping chosen")
    body = page.inner_text("body")
    assert "横表：第2–3行为两行表头" in body
    page.get_by_role("button", name="保存结构并导入").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "upload_mapping_1366x900.png"), full_page=True)
    page.get_by_role("button", name="保存结构并导入").click()
    wait_ready(page)
    assert_no_exception(page, "mapping confirmed")
    assert "已导入" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "upload_mapping_done_1366x900.png"), full_page=False)
    page.close()
