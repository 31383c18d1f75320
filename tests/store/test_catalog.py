"""Tests of minzheng.store.catalog: the one checked way to change units and the catalog."""

from __future__ import annotations

import pytest

from minzheng.errors import MinzhengError
from minzheng.store import catalog, db, reference
from minzheng.views import page_text, plan_grid, reference_tables


def test_add_alias_bumps_version_and_matches(empty_db):
    before = db.data_version(empty_db)
    catalog.add_alias(empty_db, "蟠龙镇", " 蟠龙镇政府 ")
    assert db.data_version(empty_db) == before + 1
    assert reference.load(empty_db).unit("蟠龙镇政府").name == "蟠龙镇"


@pytest.mark.parametrize(
    ("unit", "alias", "fragment"),
    [
        ("蟠龙镇", "丰州", "已是“丰州镇”的名称或别名"),
        ("蟠龙镇", "蟠龙", "已经是“蟠龙镇”"),
        ("蟠龙镇", "  ", "请填写别名"),
        ("没有这个镇", "某镇", "没有名为"),
    ],
)
def test_add_alias_refuses(empty_db, unit, alias, fragment):
    before = db.data_version(empty_db)
    with pytest.raises(MinzhengError, match=fragment):
        catalog.add_alias(empty_db, unit, alias)
    assert db.data_version(empty_db) == before


def test_add_unit_and_retire(empty_db):
    unit_id = catalog.add_unit(empty_db, "新建镇", "township", "140429999")
    assert unit_id > 13
    units = reference_tables.units_table(empty_db)
    assert units.iloc[-1]["名称"] == "新建镇" and units.iloc[-1]["代码"] == "140429999"
    catalog.set_unit_active(empty_db, "新建镇", False)
    assert reference_tables.units_table(empty_db).iloc[-1]["状态"] == "已停用"
    assert reference.load(empty_db).unit("新建镇") is None
    catalog.set_unit_active(empty_db, "新建镇", True)
    assert reference.load(empty_db).unit("新建镇") is not None


@pytest.mark.parametrize(
    ("name", "kind", "code", "fragment"),
    [
        ("丰州镇", "township", "", "已是“丰州镇”"),
        ("丰州", "township", "", "已是“丰州镇”"),
        ("", "township", "", "请填写单位名称"),
        ("新镇", "village", "", "单位类型"),
        ("新镇", "township", "12ab", "区划代码"),
        ("新镇", "township", "140429100", "已被其他单位使用"),
    ],
)
def test_add_unit_refuses(empty_db, name, kind, code, fragment):
    with pytest.raises(MinzhengError, match=fragment):
        catalog.add_unit(empty_db, name, kind, code)


def test_add_synonym_and_indicator(empty_db):
    catalog.add_synonym(empty_db, "patrols_run", "夜间巡查")
    assert reference.load(empty_db).category("夜间巡查").key == "patrols_run"
    catalog.add_indicator(
        empty_db,
        "meals_delivered",
        "送餐服务",
        "人次",
        accepted_units=page_text.split_list("人、次"),
        max_per_row=500,
    )
    ref = reference.load(empty_db)
    assert ref.indicators["meals_delivered"].accepted_units == ("人次", "人", "次")
    catalog.add_synonym(empty_db, "meals_delivered", "助餐")
    assert (
        ref.indicators["meals_delivered"].name
        in reference_tables.indicators_table(empty_db)["名称"].tolist()
    )
    assert "meals_delivered" in plan_grid.plan_grid(empty_db, 2025).columns


@pytest.mark.parametrize(
    ("key", "synonym", "fragment"),
    [
        ("patrols_run", "巡查", "已是该指标"),
        ("lectures_held", "巡查", "已是“街面巡查”"),
        ("patrols_run", "街面巡查", "已是该指标"),
        ("nope", "某词", "没有键为"),
        ("patrols_run", "", "请填写同义词"),
    ],
)
def test_add_synonym_refuses(empty_db, key, synonym, fragment):
    with pytest.raises(MinzhengError, match=fragment):
        catalog.add_synonym(empty_db, key, synonym)


@pytest.mark.parametrize(
    ("key", "name", "unit", "limit", "fragment"),
    [
        ("Bad Key", "新指标", "次", 10, "指标键"),
        ("patrols_run", "新指标", "次", 10, "已存在"),
        ("new_one", "街面巡查", "次", 10, "已存在"),
        ("new_one", "巡查", "次", 10, "同义词"),
        ("new_one", "新指标", "", 10, "请填写计量单位"),
        ("new_one", "新指标", "次", 0, "单行上限"),
    ],
)
def test_add_indicator_refuses(empty_db, key, name, unit, limit, fragment):
    with pytest.raises(MinzhengError, match=fragment):
        catalog.add_indicator(empty_db, key, name, unit, max_per_row=limit)
