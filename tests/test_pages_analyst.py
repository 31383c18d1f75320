"""AppTest of the analyst pages (数据上传, 数据管理, 年度计划, 设置) on the demo and on an empty database.

The demo database is built once per module; each test works on its own copy (with its key file).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from minzheng import store
from minzheng.demo import loader
from minzheng.store import settings
from minzheng.views import batch_table
from tests.helpers import ROOT, use_database_copy

PAGES = {
    "upload": "数据上传",
    "manage_data": "数据管理",
    "year_plan": "年度计划",
    "configure": "设置",
}


@pytest.fixture(scope="module")
def demo_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("analyst_demo") / "demo.duckdb"
    con = store.connect(path)
    loader.load_demo(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def empty_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("analyst_empty") / "empty.duckdb"
    con = store.connect(path)
    settings.put(con, "demo.autoload", False)
    con.close()
    return path


@pytest.fixture
def demo_db(demo_db_file, tmp_path, monkeypatch):
    yield use_database_copy(demo_db_file, tmp_path, monkeypatch)
    st.cache_resource.clear()


@pytest.fixture
def empty_db_path(empty_db_file, tmp_path, monkeypatch):
    yield use_database_copy(empty_db_file, tmp_path, monkeypatch)
    st.cache_resource.clear()


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    # Before a first run AppTest knows a page only by its file name, not by its url_path.
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _con():
    """The app's own connection (the file is locked to this process's database instance)."""
    from pages import shared

    return shared.connection().cursor()


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("database", ["demo", "empty"])
def test_page_renders(page, database, request):
    request.getfixturevalue("demo_db" if database == "demo" else "empty_db_path")
    at = _open(page)
    assert PAGES[page] in at.title[0].value
    assert not at.error


def _xlsx(rows, title=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(["日期", "乡镇", "类别", "数量", "单位"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_upload_check_confirm_and_undo(demo_db):
    at = _open("upload")
    good = _xlsx(
        [["2025-03-01", "丰州镇", "街面巡查", 6, "次"], ["2025-03-02", "丰州镇", "巡查", 4, "次"]]
    )
    bad = _xlsx([["2025-03-01", "丰州镇", "不存在的类别", 3, "次"]])
    at.file_uploader[0].set_value(
        [("丰州镇2025年3月台账.xlsx", good, "application/octet-stream"), ("坏文件.xlsx", bad, "x")]
    )
    at.run()
    assert not at.exception, at.exception
    overview = at.dataframe[0].value
    assert overview["文件"].tolist() == ["丰州镇2025年3月台账.xlsx", "坏文件.xlsx"]
    assert overview["状态"].tolist() == ["可导入", "有错误"]
    problems = at.table[0].value
    assert list(problems.columns) == ["工作表", "单元格", "值", "问题", "级别"]
    assert problems.iloc[0]["值"] == "不存在的类别" and problems.iloc[0]["单元格"] == "C2"
    assert _con().execute("SELECT count(*) FROM batches WHERE NOT is_demo").fetchone()[0] == 0
    confirm = at.button(key="upload_confirm")
    assert confirm.label == "确认导入 1 个文件"
    confirm.click().run()
    assert not at.exception, at.exception
    summary = at.warning[0].value  # a warning, since one file was refused
    assert "已导入 1 个文件（共 2 行）" in summary and "拒绝 1 个" in summary
    results = at.table[0].value
    assert results["结果"].tolist() == ["已导入", "拒绝"]
    row = (
        _con()
        .execute("SELECT file_name, row_count, status FROM batches WHERE NOT is_demo")
        .fetchall()
    )
    assert row == [("丰州镇2025年3月台账.xlsx", 2, "active")]
    assert not at.file_uploader[0].value, "a fresh uploader after loading"
    at.button(key="upload_undo").click().run()
    assert not at.exception, at.exception
    status = _con().execute("SELECT status FROM batches WHERE NOT is_demo").fetchone()[0]
    assert status == "rolled_back"


def test_upload_overlap_needs_the_replace_checkbox(demo_db):
    at = _open("upload")
    path = ROOT / "data/demo/2023/丰州镇/丰州镇2023年4月工作台账.xlsx"
    # Same township, month and indicators as the demo file but different numbers: an overlap.
    changed = openpyxl.load_workbook(path)
    sheet = changed.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            number = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
            if number and 0 < cell.value < 1000:
                cell.value = cell.value + 1
    buffer = io.BytesIO()
    changed.save(buffer)
    at.file_uploader[0].set_value(("丰州镇4月台账（更正）.xlsx", buffer.getvalue(), "x"))
    at.run()
    assert not at.exception, at.exception
    assert any("已经导入过" in w.value for w in at.warning)
    confirm = at.button(key="upload_confirm")
    assert confirm.disabled and confirm.label == "确认导入 0 个文件"
    replace = next(c for c in at.checkbox if c.key.startswith("upload_replace_"))
    replace.check().run()
    confirm = at.button(key="upload_confirm")
    assert not confirm.disabled
    confirm.click().run()
    assert not at.exception, at.exception
    replaced = (
        _con()
        .execute("SELECT replaced FROM batches WHERE file_name = '丰州镇4月台账（更正）.xlsx'")
        .fetchone()
    )
    assert replaced == (True,)


def test_upload_duplicate_is_explained(demo_db):
    at = _open("upload")
    path = ROOT / "data/demo/2023/丰州镇/丰州镇2023年4月工作台账.xlsx"
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "x"))
    at.run()
    assert any("完全相同" in i.value for i in at.info)
    assert at.button(key="upload_confirm").disabled


def test_batches_filter_rollback_and_restore(demo_db):
    at = _open("manage_data")
    at.text_input(key="batches_text").input("丰州镇2023年4月").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert table["文件"].tolist() == ["丰州镇2023年4月工作台账.xlsx"]
    batch_id = int(table["批次"].iloc[0])
    rollback = at.button(key=f"batches_rollback_{batch_id}")
    assert rollback.disabled, "needs the confirmation first"
    at.checkbox(key=f"batches_confirm_rollback_{batch_id}").check().run()
    at.button(key=f"batches_rollback_{batch_id}").click().run()
    assert not at.exception, at.exception
    assert f"批次 {batch_id} 已撤销" in at.success[0].value
    status = _con().execute("SELECT status FROM batches WHERE batch_id = $b", {"b": batch_id})
    assert status.fetchone()[0] == "rolled_back"
    at.checkbox(key=f"batches_confirm_restore_{batch_id}").check().run()
    at.button(key=f"batches_restore_{batch_id}").click().run()
    assert not at.exception, at.exception
    status = _con().execute("SELECT status FROM batches WHERE batch_id = $b", {"b": batch_id})
    assert status.fetchone()[0] == "active"
    (redacted,) = (
        _con()
        .execute("SELECT redacted FROM batch_files WHERE batch_id = $b", {"b": batch_id})
        .fetchone()
    )
    label = at.download_button(key=f"batches_download_{batch_id}").label
    assert label == ("下载原文件（已脱敏）" if redacted else "下载原文件（仅数值副本）")


def test_batches_list_is_paged_after_the_filters(demo_db):
    total = _con().execute("SELECT count(*) FROM batches").fetchone()[0]
    assert total > 2 * batch_table.PAGE_SIZE, "the demo fills more than two pages"
    at = _open("manage_data")
    assert not at.exception, at.exception
    first = at.dataframe[0].value["批次"].tolist()
    assert len(first) == batch_table.PAGE_SIZE
    assert f"全部 {total:,} 个" in at.caption[1].value
    at.number_input(key="batches_page").set_value(2).run()
    second = at.dataframe[0].value["批次"].tolist()
    assert len(second) == batch_table.PAGE_SIZE and max(second) < min(first), "newest first"
    # A filter that leaves one page brings the list back to page 1 of its matches.
    at.text_input(key="batches_text").input("丰州镇2023年4月").run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["文件"].tolist() == ["丰州镇2023年4月工作台账.xlsx"]
    assert not [n for n in at.number_input if n.key == "batches_page"]


def test_batches_remove_demo(demo_db):
    at = _open("manage_data")
    assert at.button(key="batches_remove_demo").disabled
    at.checkbox(key="batches_confirm_demo").check().run()
    at.button(key="batches_remove_demo").click().run()
    assert not at.exception, at.exception
    assert _con().execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    assert any("还没有导入任何文件" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "batches_remove_demo"]


def test_plan_grid_edit_is_saved(demo_db):
    at = _open("year_plan")
    assert at.title[0].value == "2024年度计划"
    grid = at.data_editor[0].value
    row = grid["乡镇"].tolist().index("洪水镇")
    at.session_state["plan_editor_2024_0"] = {
        "edited_rows": {row: {"patrols_run": 4321}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert "有 1 处修改尚未保存" in " ".join(c.value for c in at.caption)
    at.button(key="plan_save_grid").click().run()
    assert not at.exception, at.exception
    assert "已保存 2024 年" in at.success[0].value
    target = (
        _con()
        .execute(
            "SELECT target FROM plan_targets JOIN units USING (unit_id) "
            "WHERE year = 2024 AND name = '洪水镇' AND indicator_key = 'patrols_run'"
        )
        .fetchone()
    )
    assert target == (4321,)
    shares = _con().execute("SELECT count(*) FROM plan_phasing WHERE year = 2024").fetchone()[0]
    assert shares > 0, "phasing kept"


def _open_plan_upload() -> AppTest:
    """年度计划 with its 导入计划表 tab chosen (only the chosen tab's content is drawn)."""
    at = _open("year_plan")
    assert not at.file_uploader, "the uploader is drawn only in its tab"
    at.session_state["plan_tab"] = "导入计划表"
    at.run()
    assert not at.exception, at.exception
    return at


def test_plan_workbook_upload(empty_db_path):
    at = _open_plan_upload()
    year = int(at.selectbox(key="plan_year").value)
    book = openpyxl.Workbook()
    book.active.append(["乡镇", "街面巡查（次）", "法治讲座（场）"])
    book.active.append(["丰州镇", 100, 4])
    book.active.append(["韩北乡", 50, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    at.file_uploader(key="plan_file_0").set_value(("计划.xlsx", buffer.getvalue(), "x")).run()
    assert not at.exception, at.exception
    assert any("读到 4 个目标" in s.value for s in at.success)
    preview = next(df.value for df in at.dataframe if "街面巡查（次）" in df.value.columns)
    assert preview["乡镇"].tolist() == ["丰州镇", "韩北镇"]
    assert at.button(key="plan_save_file").disabled
    at.checkbox(key="plan_confirm_0").check().run()
    at.button(key="plan_save_file").click().run()
    assert not at.exception, at.exception
    count = (
        _con()
        .execute("SELECT count(*) FROM plan_targets WHERE year = $y", {"y": year})
        .fetchone()[0]
    )
    assert count == 4


def test_plan_upload_units_across_shows_how_it_was_read(empty_db_path):
    at = _open_plan_upload()
    book = openpyxl.Workbook()
    book.active.title = "计划"
    book.active.append(["武乡县民政局年度工作计划"])
    book.active.append(["指标", "单位", "丰州镇", "韩北乡", "合计"])
    book.active.append(["街面巡查", "次", 100, 50, 150])
    buffer = io.BytesIO()
    book.save(buffer)
    at.file_uploader(key="plan_file_0").set_value(("计划.xlsx", buffer.getvalue(), "x")).run()
    assert not at.exception, at.exception
    assert any("读到 3 个目标" in s.value for s in at.success)
    (reading,) = [i.value for i in at.info if "读取方式" in i.value]
    assert "工作表「计划」：竖表，第2行为表头" in reading
    assert "每列一个单位" in reading and "E列“合计”取为计划给定的全县目标" in reading


def _settings_tab(at: AppTest, label: str) -> AppTest:
    """设置 with the tab `label` chosen (only the chosen tab's content is drawn)."""
    at.session_state["settings_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def test_settings_threshold_alias_and_retire(demo_db):
    at = _open("configure")
    assert not [n for n in at.number_input if n.key == "settings_ahead"], "only the first tab"
    _settings_tab(at, "进度阈值与报送")
    at.number_input(key="settings_ahead").set_value(5.0)
    at.number_input(key="settings_due_day").set_value(8)
    at.button[[b.label for b in at.button].index("保存设置")].click().run()
    assert not at.exception, at.exception
    con = _con()
    assert settings.get(con, "status.ahead_margin") == pytest.approx(0.05)
    assert settings.get(con, "reporting.due_day") == 8
    _settings_tab(at, "单位与别名")
    at.selectbox(key="settings_alias_unit").select("蟠龙镇")
    at.text_input(key="settings_alias_text").input("蟠龙镇人民政府")
    at.button[[b.label for b in at.button].index("添加别名")].click().run()
    assert not at.exception, at.exception
    assert "已添加别名" in at.success[0].value
    aliases = at.dataframe[0].value.set_index("名称").loc["蟠龙镇", "别名"]
    assert "蟠龙镇人民政府" in aliases
    at.selectbox(key="settings_alias_unit").select("蟠龙镇")
    at.text_input(key="settings_alias_text").input("丰州")
    at.button[[b.label for b in at.button].index("添加别名")].click().run()
    assert any("已是“丰州镇”" in e.value for e in at.error)
    at.selectbox(key="settings_active_unit").select("石北乡").run()
    at.button(key="settings_retire").click().run()
    assert not at.exception, at.exception
    active = _con().execute("SELECT active FROM units WHERE name = '石北乡'").fetchone()[0]
    assert active is False
    assert at.button(key="settings_reinstate").label == "恢复该单位"
