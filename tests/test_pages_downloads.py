"""AppTest of the download buttons (pages/downloads.py): present on the upload and 总览 pages,
and each produces the file minzheng builds when clicked (the deferred callable is run through
the test runtime's media file manager, as the server runs it on a click)."""

from __future__ import annotations

import io
import re
import shutil

import docx
import openpyxl
import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from minzheng.outputs import template, year_workbook
from tests.helpers import ROOT

APP = str(ROOT / "app.py")


class _RecordingManager(MediaFileManager):
    """The test runtime's media file manager, kept so a deferred download can be run."""

    last: MediaFileManager | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _RecordingManager.last = self


@pytest.fixture
def app(demo_db_file, tmp_path, monkeypatch):
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_file, target)
    key = demo_db_file.with_name(demo_db_file.name + ".key")
    if key.exists():
        shutil.copyfile(key, target.with_name(target.name + ".key"))
    monkeypatch.setenv("MINZHENG_DB", str(target))
    monkeypatch.setenv("MINZHENG_CHART_IMAGES", "0")  # the report's charts are tested elsewhere
    monkeypatch.setattr(app_test_module, "MediaFileManager", _RecordingManager)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    yield at
    st.cache_resource.clear()


def _bytes(button) -> bytes:
    """What the browser would receive on a click of a deferred download button."""
    manager = _RecordingManager.last
    file_id = button.proto.deferred_file_id
    assert file_id, f"{button.label} should build its file on click"
    url = manager.execute_deferred(file_id)
    return manager._storage.get_file(url.rsplit("/", 1)[-1]).content


def test_overview_buttons_produce_the_workbook_report_and_summary(app):
    app.query_params["year"] = "2024"
    app.query_params["as_of"] = "2024-06-30"
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.label for b in at.download_button]
    assert labels == ["下载 Excel 进度表", "下载年度报告初稿（Word）", "下载一页纸汇总（打印）"]

    book = openpyxl.load_workbook(io.BytesIO(_bytes(at.download_button(key="download_export"))))
    assert book.sheetnames == list(year_workbook.SHEETS)
    assert book["进度总表"]["A1"].value == "武乡县民政工作进度表（2024年，截至 2024-06-30）"

    report = docx.Document(io.BytesIO(_bytes(at.download_button(key="download_report"))))
    assert report.paragraphs[0].text == "武乡县民政局2024年法治政府建设年度报告"
    assert "截至6月30日" in "\n".join(p.text for p in report.paragraphs)

    summary = _bytes(at.download_button(key="download_summary")).decode("utf-8")
    assert summary.startswith("<!DOCTYPE html>")
    assert "武乡县民政工作进度汇总（2024年，截至6月30日）" in summary


def test_upload_page_offers_the_township_template(app):
    at = app.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="template_township").set_value("蟠龙镇").run()
    button = at.download_button(key="download_template")
    assert button.label.startswith("下载蟠龙镇") and button.label.endswith("年填报模板")
    book = openpyxl.load_workbook(io.BytesIO(_bytes(button)))
    assert book.sheetnames == [template.LEDGER_SHEET, template.GUIDE_SHEET]
    assert book[template.LEDGER_SHEET]["A1"].value.startswith("武乡县蟠龙镇")


def test_a_download_is_audited_when_built_not_when_shown(app):
    from pages import shared

    at = app.run()
    at.switch_page("pages/upload.py").run()
    cur = shared.connection().cursor()

    def downloads():
        return cur.execute(
            "SELECT target FROM audit_log WHERE action = 'download' ORDER BY entry_id"
        ).fetchall()

    assert downloads() == [], "showing the button records nothing"
    button = at.download_button(key="download_template")
    _bytes(button)
    township, year = re.fullmatch(r"下载(.+?)(\d{4})年填报模板", button.label).groups()
    assert downloads() == [(template.file_name(township, int(year)),)]
