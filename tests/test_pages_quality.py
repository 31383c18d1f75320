"""AppTest of 数据质量 and of the flags in the upload preview, on the demo."""

from __future__ import annotations

import io

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from minzheng import store
from minzheng.demo import loader
from minzheng.measures import quality_review
from tests.helpers import ROOT, use_database_copy


@pytest.fixture(scope="module")
def demo_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("quality_demo") / "demo.duckdb"
    con = store.connect(path)
    loader.load_demo(con)
    con.close()
    return path


@pytest.fixture
def demo_db(demo_db_file, tmp_path, monkeypatch):
    yield use_database_copy(demo_db_file, tmp_path, monkeypatch)
    st.cache_resource.clear()


def _open(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _con():
    from pages import shared

    return shared.connection().cursor()


def test_quality_page_lists_items_and_records_follow_up(demo_db):
    at = _open("quality", year="2024")
    assert at.title[0].value == "数据质量"
    expected = quality_review.items(_con(), 2024)
    assert at.metric[0].value == f"{len(expected)} 项"  # all 待核实 on the fresh demo
    table = at.dataframe[0].value
    assert table["问题"].tolist() == expected["message"].tolist()
    assert "/batches?batch=" in table["批次"].iloc[0]
    key = at.selectbox(key="quality_pick").value
    assert key == expected["key"].iloc[0]
    at.radio(key=f"quality_state_{key}").set_value(quality_review.CORRECTED)
    at.text_input(key=f"quality_note_{key}").input("乡镇已重报")
    at.button[0].click()  # the form's submit button
    at.run()
    assert not at.exception, at.exception
    assert "已记录：已更正" in at.success[0].value
    row = (
        _con()
        .execute("SELECT state, note FROM quality_followup WHERE flag_key = $k", {"k": key})
        .fetchone()
    )
    assert row == (quality_review.CORRECTED, "乡镇已重报")
    assert at.metric[0].value == f"{len(expected) - 1} 项"


def test_overview_links_to_the_pending_count(demo_db):
    at = _open("home", year="2024")
    pending = quality_review.open_count(_con(), 2024)
    assert pending > 0
    links = [p for p in at.get("page_link") if "待核实" in p.proto.label]
    assert [p.proto.label for p in links] == [f"{pending} 项数据待核实"]
    assert links[0].proto.page.endswith("quality")


def _typo_workbook(median: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "乡镇", "类别", "数量", "单位"])
    sheet.append(["2024-12-03", "丰州镇", "发放宣传资料", median * 10, "份"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_upload_preview_shows_flags_and_keeps_a_confirmation(demo_db):
    at = _open("upload")
    median = (
        _con()
        .execute(
            "SELECT median(actual) FROM monthly_actuals WHERE unit_id = 1 "
            "AND indicator_key = 'leaflets_distributed' AND year * 12 + month >= 2024 * 12 - 1"
        )
        .fetchone()[0]
    )
    at.file_uploader[0].set_value(("丰州镇2024年12月台账.xlsx", _typo_workbook(int(median)), "x"))
    at.run()
    assert not at.exception, at.exception
    assert any("发现 1 处数据可能有误" in w.value for w in at.warning)
    assert any("疑似多录一位" in m.value for m in at.markdown)
    confirm_flag = next(b for b in at.button if b.key and b.key.startswith("upload_flag_"))
    confirm_flag.click().run()
    assert not at.exception, at.exception
    assert any("（已确认无误）" in m.value for m in at.markdown)
    at.button(key="upload_confirm").click().run()
    assert not at.exception, at.exception
    stored = (
        _con()
        .execute(
            "SELECT f.state, q.message FROM quality_flags q "
            "JOIN quality_followup f ON f.flag_key = 'flag:' || q.flag_id "
            "JOIN batches b USING (batch_id) WHERE NOT b.is_demo"
        )
        .fetchall()
    )
    assert len(stored) == 1 and stored[0][0] == quality_review.CHECKED
    assert "丰州镇2024年12月发放宣传资料" in stored[0][1]


def test_viewers_do_not_get_the_page(demo_db, monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    from minzheng.store import auth

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # every run through app.py's login gate and navigation
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    con = _con()
    auth.add_user(con, "管理员", "admin", password="correct horse 1")
    auth.add_user(con, "局长", "viewer", password="correct horse 2")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="auth_name").input("局长")
    at.text_input(key="auth_password").input("correct horse 2")
    next(b for b in at.button if b.label == "登录").click().run()
    assert not at.exception, at.exception
    # the page is not in a viewer's navigation at all
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/quality.py")
    # 总览 still shows the count, without a link the viewer could not follow
    at.switch_page("pages/home.py").run()
    assert not [p for p in at.get("page_link") if "待核实" in p.proto.label]
    assert any("项数据待核实（由业务股室核实）" in c.value for c in at.caption)
