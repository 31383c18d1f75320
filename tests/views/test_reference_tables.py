"""Tests of minzheng.views.reference_tables: units and the catalog as the 设置 page lists them."""

from __future__ import annotations

from minzheng.views import reference_tables


def test_units_and_indicators_tables(empty_db):
    units = reference_tables.units_table(empty_db)
    assert list(units.columns) == ["代码", "名称", "类型", "别名", "状态"]
    assert len(units) == 13 and units.iloc[0]["名称"] == "丰州镇"
    assert units.iloc[0]["别名"] == "丰州" and units.iloc[-1]["类型"] == "局机关"
    assert set(units["状态"]) == {"在用"}
    inds = reference_tables.indicators_table(empty_db)
    assert list(inds.columns) == [
        "键",
        "名称",
        "计量单位",
        "可接受单位",
        "单行上限",
        "核心指标",
        "同义词",
    ]
    row = inds.set_index("键").loc["patrols_run"]
    assert row["名称"] == "街面巡查" and "巡查" in row["同义词"].split("、")
