"""AppTest of 数据上传: the how-this-file-was-read sentences are shown beside the preview."""

from __future__ import annotations

import io

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from minzheng import store
from minzheng.store import settings
from tests.helpers import ROOT, use_database_copy


@pytest.fixture
def empty_db(tmp_path_factory, tmp_path, monkeypatch):
    path = tmp_path_factory.mktemp("upload_explain") / "empty.duckdb"
    con = store.connect(path)
    settings.put(con, "demo.autoload", False)
    con.close()
    yield use_database_copy(path, tmp_path, monkeypatch)
    st.cache_resource.clear()


def _wide_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "2025年3月"
    book.active.append(["乡镇", "走访慰问（人次）", "发放宣传资料（份）", "年度任务"])
    book.active.append(["丰州镇", 3, 120, 1000])
    book.active.append(["全县", 3, 120, 1000])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_upload_shows_how_each_sheet_was_read(empty_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/upload.py")
    at.run()
    assert not at.exception, at.exception
    at.file_uploader[0].set_value([("三月进度.xlsx", _wide_xlsx(), "application/octet-stream")])
    at.run()
    assert not at.exception, at.exception
    assert any("本文件是这样读取的" in m.value for m in at.markdown)
    captions = [c.value for c in at.caption]
    sentence = next(c for c in captions if c.startswith("「2025年3月」"))
    assert "横表" in sentence and "每行一个乡镇" in sentence
    assert "取本月数「走访慰问（人次）」「发放宣传资料（份）」" in sentence
    assert "第3行为合计行" in sentence
    assert at.dataframe[0].value["状态"].tolist() == ["可导入"]
