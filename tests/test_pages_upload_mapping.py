"""AppTest of 手动指定表格结构 on 数据上传: an unreadable wide sheet is mapped and confirmed; a second
file with the same header then loads by the command line with no interaction, equal to the
generator's truth. Also: a file read automatically shows no mapping controls unless asked."""

from __future__ import annotations

import io

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from minzheng import cli, store
from minzheng.intake import uploads
from minzheng.store import layout_profiles, reference, settings
from tests.helpers import ROOT, use_database_copy

HEADER = [["报表期", "项目甲", "项目乙"], ["", "本期", "本期"]]
KEYS = {1: "children_visited", 2: "patrols_run"}


@pytest.fixture
def db_path(tmp_path_factory, tmp_path, monkeypatch):
    path = tmp_path_factory.mktemp("upload_mapping") / "empty.duckdb"
    con = store.connect(path)
    settings.put(con, "demo.autoload", False)
    con.close()
    yield use_database_copy(path, tmp_path, monkeypatch)
    st.cache_resource.clear()


def monthly_report(title: str, figures: dict[int, tuple[int, int]]) -> tuple[bytes, dict]:
    """A wide sheet nobody's header words: (xlsx bytes, truth {(key, month): qty})."""
    book = openpyxl.Workbook()
    book.active.append([title])
    for row in HEADER:
        book.active.append(row)
    truth = {}
    for month, values in figures.items():
        book.active.append([f"2025年{month}月", *values])
        for c, qty in enumerate(values, start=1):
            if qty:
                truth[(KEYS[c], month)] = float(qty)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), truth


def _upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream")])
    at.run()
    assert not at.exception, at.exception


def _loaded(path) -> dict:
    con = store.connect(path)
    try:
        rows = con.execute(
            "SELECT indicator_key, month, sum(quantity) FROM facts GROUP BY ALL"
        ).fetchall()
        units = {u for (u,) in con.execute("SELECT DISTINCT unit_id FROM facts").fetchall()}
        fengzhou = reference.load(con).unit("丰州镇").unit_id
        return {(k, m): q for k, m, q in rows}, units, fengzhou, layout_profiles.load(con)
    finally:
        con.close()


def test_map_an_unreadable_sheet_then_next_file_loads_by_cli(db_path, tmp_path, capsys):
    first, truth1 = monthly_report("丰州镇民政工作月报", {3: (5, 7), 4: (2, 0)})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/upload.py")
    at.run()
    _upload(at, "丰州镇一季度.xlsx", first)
    assert at.dataframe[0].value["状态"].tolist() == ["有错误"]
    sha = uploads.file_sha(first)
    key = f"map_{sha[:12]}"
    at.toggle(key=f"upload_map_{sha}").set_value(True).run()
    assert not at.exception, at.exception
    assert at.number_input(key=f"{key}_hfirst").value == 2  # the guess: first row of two cells
    at.number_input(key=f"{key}_hlast").set_value(3).run()
    at.selectbox(key=f"{key}_col_0").select("月份")
    at.selectbox(key=f"{key}_col_1").select("指标：走访慰问留守困境儿童（本月）")
    at.selectbox(key=f"{key}_col_2").select("指标：街面巡查（本月）")
    at.run()
    assert not at.exception, at.exception
    sentence = " ".join(c.value for c in at.caption)
    assert "横表：第2–3行为两行表头" in sentence and "乡镇（丰州镇）取自标题" in sentence
    assert _loaded_nothing(at)
    assert at.text_input(key=f"{key}_name").placeholder == "丰州镇报表期项目甲项目乙本期"
    at.text_input(key=f"{key}_name").input("丰州镇月报").run()
    at.button(key=f"{key}_confirm").click().run()
    assert not at.exception, at.exception
    assert any("已导入" in str(s.value) for s in at.success), [s.value for s in at.error]
    assert "按「丰州镇月报」结构读取" in at.table[0].value["说明"].iloc[0]

    from pages import shared

    shared.connection().close()  # the database file admits one process-wide connection
    st.cache_resource.clear()
    loaded, units, fengzhou, profiles = _loaded(db_path)
    assert loaded == truth1 and units == {fengzhou}
    assert [(p.name, p.times_used) for p in profiles] == [("丰州镇月报", 1)]

    second, truth2 = monthly_report("丰州镇民政工作月报（续）", {5: (9, 3), 6: (0, 4)})
    path = tmp_path / "丰州镇二季度.xlsx"
    path.write_bytes(second)
    assert cli.main(["ingest", str(path), "--db", str(db_path)]) == 0
    assert "按「丰州镇月报」结构读取" in capsys.readouterr().out
    loaded, units, _, profiles = _loaded(db_path)
    assert loaded == truth1 | truth2 and units == {fengzhou}
    assert profiles[0].times_used == 2


def _loaded_nothing(at: AppTest) -> bool:
    from pages import shared

    con = shared.connection().cursor()
    return con.execute("SELECT count(*) FROM facts").fetchone()[0] == 0 and not (
        layout_profiles.load(con)
    )


def test_a_readable_file_shows_no_mapping_controls_unless_asked(db_path):
    book = openpyxl.Workbook()
    book.active.append(["日期", "乡镇", "类别", "数量"])
    book.active.append(["2025-03-02", "丰州镇", "街面巡查", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/upload.py")
    at.run()
    _upload(at, "台账.xlsx", data)
    sha = uploads.file_sha(data)
    toggle = at.toggle(key=f"upload_map_{sha}")
    assert toggle.value is False and toggle.label.startswith("读取方式不对")
    assert not [w for w in at.selectbox if w.key and w.key.startswith("map_")]
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    assert at.selectbox(key=f"map_{sha[:12]}_col_0").value == "忽略"
