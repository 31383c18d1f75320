"""Tests of minzheng.store.reference: seeded units and catalog, matching, closest names, edits."""

import pytest

from minzheng import store
from minzheng.errors import MinzhengError, NotFoundError
from minzheng.store import reference


@pytest.fixture
def con():
    return store.connect(":memory:")


def test_seed_has_twelve_townships_and_the_bureau(con):
    ref = reference.load(con)
    kinds = [u.kind for u in ref.units.values()]
    assert kinds.count("township") == 12 and kinds.count("bureau") == 1
    assert {u.code for u in ref.units.values() if u.kind == "township"} >= {
        "140429100",
        "140429208",
    }
    assert len(ref.indicators) == 10
    assert [i.key for i in ref.indicators.values() if i.core] == [
        "children_visited",
        "leaflets_distributed",
        "patrols_run",
        "lectures_held",
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("丰州镇", "丰州镇"),
        ("丰州", "丰州镇"),
        (" 分水岭 ", "分水岭乡"),
        ("韩北乡", "韩北镇"),
        ("县民政局", "县民政局机关"),
        ("丰　州　镇", "丰州镇"),
    ],
)
def test_unit_exact_and_alias(con, text, name):
    assert reference.load(con).unit(text).name == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("武乡县丰州镇2023年4月工作台账", "丰州镇"),
        ("洪水镇民政办", "洪水镇"),
        ("武乡县民政局2023年工作台账", "县民政局机关"),
        ("分水岭乡2023.xlsx", "分水岭乡"),
    ],
)
def test_unit_in_text(con, text, name):
    assert reference.load(con).unit_in(text).name == name


def test_closest_unit_names_the_right_one(con):
    assert reference.load(con).closest_units("丰洲镇")[0] == "丰州镇"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("走访慰问留守困境儿童", "children_visited"),
        ("入户走访", "children_visited"),
        ("婚姻大讲堂", "lectures_held"),
        ("发放 宣传资料", "leaflets_distributed"),
        ("街面巡逻", "patrols_run"),
        ("信访办理", "petitions_handled"),
    ],
)
def test_category_exact_and_synonym(con, text, key):
    assert reference.load(con).category(text).key == key


def test_category_is_exact_not_fuzzy(con):
    ref = reference.load(con)
    assert ref.category("发放宣传册") is None
    assert ref.closest_categories("发放宣传册")[0] == "发放宣传资料"


def test_category_in_sheet_name(con):
    assert reference.load(con).category_in("留守儿童走访台账").key == "children_visited"


def test_add_synonym_and_indicator_without_code_change(con):
    reference.insert_synonym(con, "leaflets_distributed", "发放宣传册")
    reference.insert_indicator(con, "elderly_visited", "走访慰问老年人", "人次")
    reference.insert_synonym(con, "elderly_visited", "敬老走访")
    ref = reference.load(con)
    assert ref.category("发放宣传册").key == "leaflets_distributed"
    assert ref.category("敬老走访").key == "elderly_visited"
    assert ref.indicators["elderly_visited"].accepted_units == ("人次",)


def test_alias_conflict_and_unknown_names(con):
    with pytest.raises(MinzhengError):
        reference.insert_unit_alias(con, "洪水镇", "丰州")
    with pytest.raises(NotFoundError):
        reference.insert_unit_alias(con, "不存在镇", "x")
    with pytest.raises(NotFoundError):
        reference.insert_synonym(con, "no_such_key", "x")


def test_retired_unit_no_longer_matches(con):
    reference.insert_unit(con, "墨镫乡", code="140429201")
    assert reference.load(con).unit("墨镫乡") is not None
    reference.update_unit_active(con, "墨镫乡", False)
    assert reference.load(con).unit("墨镫乡") is None
