"""AppTest of the 表格结构 tab of 设置: analysts list, rename and delete taught layouts; viewers
see nothing of them."""

from __future__ import annotations

import re

from minzheng import store
from minzheng.store import layout_profiles, permissions
from tests.intake.test_layout_profiles import _wide_profile
from tests.test_pages_access import (  # noqa: F401 (fixtures)
    _app,
    _con,
    _login,
    _texts,
    accounts_db_file,
    app_db,
)


def _with_profile(path) -> None:
    con = store.connect(path)
    layout_profiles.save(con, _wide_profile(), actor=permissions.Actor("李填报", "web"))
    con.close()


def test_an_analyst_lists_renames_and_deletes_layouts(app_db):  # noqa: F811
    _with_profile(app_db)
    at = _login(_app(), "李填报")
    at.switch_page("pages/configure.py").run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs][-1] == "表格结构"
    at.session_state["settings_tab"] = "表格结构"  # only the chosen tab's content is drawn
    at.run()
    assert not at.exception, at.exception
    # a read-only HTML table (not a data grid: lighter for a new browser tab)
    table = next(h.value for h in at.get("html") if "<th>表头</th>" in h.value)
    (row,) = re.findall(r"<tbody><tr>(.*?)</tr></tbody>", table)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert (cells[0], cells[1], cells[5]) == ("丰州镇月报", "丰州镇", "李填报")
    assert "项目甲" in cells[2] and cells[3] == "0"

    at.selectbox(key="settings_layout_old").select("丰州镇月报")
    at.text_input(key="settings_layout_new").input("丰州月报")
    next(b for b in at.button if b.label == "重命名").click().run()
    assert not at.exception, at.exception
    assert [p.name for p in layout_profiles.load(_con())] == ["丰州月报"]

    at.selectbox(key="settings_layout_doomed").select("丰州月报")
    next(b for b in at.button if b.label == "删除表格结构").click().run()
    assert layout_profiles.load(_con()), "not deleted without the confirmation"
    at.checkbox(key="settings_layout_sure").check()
    next(b for b in at.button if b.label == "删除表格结构").click().run()
    assert not at.exception, at.exception
    assert layout_profiles.load(_con()) == []
    who = (
        _con()
        .execute("SELECT username, target FROM audit_log WHERE action = 'layout_remove'")
        .fetchall()
    )
    assert who == [("李填报", "丰州月报")]

    exported = layout_profiles.export_json([_wide_profile("另一县月报")]).encode("utf-8")
    at.file_uploader(key="settings_layout_file").set_value(
        [("结构.json", exported, "application/json")]
    )
    at.run()
    at.button(key="settings_layout_import").click().run()
    assert not at.exception, at.exception
    assert [p.name for p in layout_profiles.load(_con())] == ["另一县月报"]


def test_a_viewer_sees_nothing_of_layouts(app_db):  # noqa: F811
    _with_profile(app_db)
    at = _login(_app(), "王局长")
    at.switch_page("pages/configure.py").run()
    assert not at.exception, at.exception
    assert "表格结构" not in [t.label for t in at.tabs]
    assert "丰州镇月报" not in _texts(at.markdown) + _texts(at.caption)
    assert all("表头" not in d.value.columns for d in at.dataframe)
    assert all("丰州镇月报" not in h.value for h in at.get("html"))
