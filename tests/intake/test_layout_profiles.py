"""Layout profiles: a taught layout reads matching sheets, with the checks of automatic reading.

Includes the property test: a random layout (header words nobody recognises, random column
order, header rows and title rows, ledger or wide table) read with a correct profile loads
exactly the generator's truth.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minzheng.errors import MinzhengError
from minzheng.intake import extract, ingest
from minzheng.intake.workbook import Grid
from minzheng.store import audit, auth, layout_profiles, permissions, reference
from minzheng.store.layout_profiles import Column, LayoutProfile, header_cells
from tests.helpers import TODAY

OPERATOR = permissions.operator()
WIDE_ROWS = [
    ["丰州镇民政工作月报"],
    ["报表期", "项目甲", "项目乙"],
    ["", "本期", "本期"],
    ["2025年3月", 5, 7],
    ["2025年4月", 2, ""],
]
WIDE_TRUTH = {
    ("children_visited", 3): 5.0,
    ("patrols_run", 3): 7.0,
    ("children_visited", 4): 2.0,
}


def _wide_profile(name="丰州镇月报", rows=WIDE_ROWS) -> LayoutProfile:
    return LayoutProfile(
        name,
        1,
        2,
        header_cells(rows, 1, 2),
        {
            0: Column("month"),
            1: Column("indicator", "children_visited"),
            2: Column("indicator", "patrols_run"),
        },
        unit="丰州镇",
    )


def _xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _read(cur, rows, profiles, file_name="月报.xlsx"):
    ref = reference.load(cur)
    return extract.extract([Grid("表1", rows)], file_name, ref, b"k", TODAY, profiles=profiles)


def _facts(found) -> dict:
    f = found.facts
    return {
        (k, m): q for k, m, q in zip(f["indicator_key"], f["month"], f["quantity"], strict=True)
    }


def test_unreadable_sheet_loads_with_its_profile_and_says_so(empty_db, tmp_path):
    path = _xlsx(tmp_path / "丰州镇报表.xlsx", WIDE_ROWS)
    before = ingest.ingest_file(empty_db, path, today=TODAY)
    assert before.status == ingest.REFUSED
    layout_profiles.save(empty_db, _wide_profile(), actor=OPERATOR)
    result = ingest.ingest_file(empty_db, path, today=TODAY)
    assert result.status == ingest.LOADED, result.line()
    assert "按「丰州镇月报」结构读取" in result.line()
    assert "按「丰州镇月报」结构读取" in result.check.explanations["Sheet"]
    facts = result.check.facts
    got = {
        (k, m): q
        for k, m, q in zip(facts["indicator_key"], facts["month"], facts["quantity"], strict=True)
    }
    assert got == WIDE_TRUTH
    assert set(facts["unit_id"]) == {reference.load(empty_db).unit("丰州镇").unit_id}
    used = layout_profiles.get(empty_db, "丰州镇月报")
    assert used.times_used == 1 and used.last_used is not None


def test_a_changed_header_never_uses_the_profile(empty_db):
    profile = _wide_profile()
    changed = [list(r) for r in WIDE_ROWS]
    changed[2][2] = "本期数"
    found = _read(empty_db, changed, [profile])
    assert found.profiles_used == []
    assert found.errors  # read as today: nothing recognisable
    moved = [["备注"], *WIDE_ROWS]  # the same header one row lower
    assert _read(empty_db, moved, [profile]).profiles_used == []


def test_two_matching_profiles_refuse_naming_both(empty_db):
    found = _read(empty_db, WIDE_ROWS, [_wide_profile("甲结构"), _wide_profile("乙结构")])
    assert found.row_count == 0
    assert any("「甲结构」与「乙结构」" in p.message for p in found.errors)


def test_a_retired_indicator_refuses_with_that_reason(empty_db):
    empty_db.execute("UPDATE indicators SET active = false WHERE key = 'patrols_run'")
    found = _read(empty_db, WIDE_ROWS, [_wide_profile()])
    assert found.row_count == 0
    assert any("patrols_run" in p.message and "已停用" in p.message for p in found.errors)


def test_cells_are_checked_as_on_automatic_reading(empty_db):
    """The same bad cells give the same messages under a taught header as under a known one."""
    data = [["2025-03-02", "丰州镇", "走访慰问", "3"], ["2025-13-01", "丰州镇", "走访慰问", "x"]]
    auto = _read(empty_db, [["日期", "乡镇", "类别", "数量"], *data], [])
    odd = [["哪天", "何处", "做了啥", "多少"], *data]
    profile = LayoutProfile(
        "怪表头",
        0,
        0,
        header_cells(odd, 0, 0),
        {0: Column("date"), 1: Column("township"), 2: Column("category"), 3: Column("quantity")},
    )
    taught = _read(empty_db, odd, [profile])
    assert taught.profiles_used == ["怪表头"]
    assert auto.errors
    assert [(p.cell, p.message) for p in taught.errors] == [
        (p.cell, p.message) for p in auto.errors
    ]


def test_save_rename_remove_are_audited_and_viewers_refused(empty_db):
    layout_profiles.save(empty_db, _wide_profile(), actor=OPERATOR)
    with pytest.raises(MinzhengError, match="已有名为"):
        layout_profiles.save(empty_db, _wide_profile(), actor=OPERATOR)
    layout_profiles.rename(empty_db, "丰州镇月报", "丰州月报", actor=OPERATOR)
    assert [p.name for p in layout_profiles.load(empty_db)] == ["丰州月报"]
    layout_profiles.remove(empty_db, "丰州月报", actor=OPERATOR)
    assert layout_profiles.load(empty_db) == []
    actions = audit.entries(empty_db)["action"].tolist()
    assert {"layout_save", "layout_rename", "layout_remove"} <= set(actions)
    removed = audit.entries(empty_db, actions=["layout_remove"]).iloc[0]
    assert removed["target"] == "丰州月报" and "children_visited" in removed["before_value"]
    auth.add_user(empty_db, "管理员", "admin", "admin-pass-1")
    auth.add_user(empty_db, "查看员", "viewer", "viewer-pass-1")
    with pytest.raises(permissions.PermissionDenied):
        layout_profiles.save(empty_db, _wide_profile(), actor=permissions.Actor("查看员", "web"))


def test_export_import_round_trip(empty_db, template_db_file, tmp_path):
    layout_profiles.save(empty_db, _wide_profile(), actor=OPERATOR)
    text = layout_profiles.export_json(layout_profiles.load(empty_db))
    assert json.loads(text)["profiles"][0]["name"] == "丰州镇月报"
    with pytest.raises(MinzhengError, match="已有名为"):
        layout_profiles.import_json(empty_db, text, actor=OPERATOR)
    layout_profiles.remove(empty_db, "丰州镇月报", actor=OPERATOR)
    assert layout_profiles.import_json(empty_db, text, actor=OPERATOR) == ["丰州镇月报"]
    again = layout_profiles.load(empty_db)[0]
    assert again.mapping() == _wide_profile().mapping()
    with pytest.raises(MinzhengError):
        layout_profiles.import_json(empty_db, "{}", actor=OPERATOR)


def test_inconsistent_mappings_are_refused():
    with pytest.raises(MinzhengError, match="数量"):
        LayoutProfile("x", 0, 0, ((0, 0, "a"),), {0: Column("date")}).check()
    with pytest.raises(MinzhengError, match="同时使用"):
        LayoutProfile(
            "x", 0, 0, ((0, 0, "a"),), {0: Column("quantity"), 1: Column("indicator", "k")}
        ).check()
    with pytest.raises(MinzhengError, match="两列"):
        LayoutProfile(
            "x", 0, 0, ((0, 0, "a"),), {0: Column("quantity"), 1: Column("quantity")}
        ).check()


# -- property test ----------------------------------------------------------------------------

KEYS = ["children_visited", "leaflets_distributed", "patrols_run", "lectures_held"]
CATEGORY = {
    "children_visited": "走访慰问",
    "leaflets_distributed": "发放宣传资料",
    "patrols_run": "街面巡查",
    "lectures_held": "法治讲座",
}
UNITS = ["丰州镇", "洪水镇", "蟠龙镇"]
# header words that mean nothing to the automatic reader
JUNK = ["栏目一", "栏目二", "栏目三", "栏目四", "栏目五", "栏目六", "甲", "乙", "丙", "丁"]


@st.composite
def layouts(draw):
    """(rows, correct profile, truth {(unit, key, month): qty})."""
    wide = draw(st.booleans())
    titles = draw(st.integers(0, 3))
    two_rows = draw(st.booleans())
    year = 2025
    truth: dict = {}
    fixed_unit = fixed_month = None
    if wide:
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True))
        # the unit or the month may be missing from the rows and fixed by the profile instead
        if draw(st.booleans()):
            fixed_unit = draw(st.sampled_from(UNITS))
        if draw(st.booleans()):
            fixed_month = draw(st.integers(1, 12))
        keys_cols = [Column("township")] * (fixed_unit is None) + [Column("month")] * (
            fixed_month is None
        )
        meanings = keys_cols + [Column("indicator", k) for k in keys]
        meanings += [Column("ignore")] * draw(st.integers(0, 2))
        order = draw(st.permutations(range(len(meanings))))
        cols = [meanings[i] for i in order]
        unit_of = st.just(fixed_unit) if fixed_unit else st.sampled_from(UNITS)
        month_of = st.just(fixed_month) if fixed_month else st.integers(1, 12)
        pairs = draw(
            st.lists(
                st.tuples(unit_of, month_of),
                min_size=1,
                max_size=6,
                unique=True,
            )
        )
        data = []
        for unit, month in pairs:
            row = []
            for col in cols:
                if col.meaning == "township":
                    row.append(unit)
                elif col.meaning == "month":
                    row.append(f"{month}月")
                elif col.meaning == "indicator":
                    # a file of zeros only has no data and is refused: the first figure counts
                    qty = draw(st.integers(0 if truth else 1, 50))
                    row.append(qty)
                    if qty:
                        truth[(unit, col.indicator, month)] = float(qty)
                else:
                    row.append(draw(st.sampled_from(["", "备注文字"])))
            data.append(row)
    else:
        meanings = [Column("date"), Column("township"), Column("category"), Column("quantity")]
        meanings += [Column("ignore")] * draw(st.integers(0, 2))
        order = draw(st.permutations(range(len(meanings))))
        cols = [meanings[i] for i in order]
        data = []
        for _ in range(draw(st.integers(1, 8))):
            unit, key = draw(st.sampled_from(UNITS)), draw(st.sampled_from(KEYS))
            month, day, qty = (
                draw(st.integers(1, 12)),
                draw(st.integers(1, 28)),
                draw(st.integers(1, 40)),
            )
            values = {
                "date": f"{year}-{month:02d}-{day:02d}",
                "township": unit,
                "category": CATEGORY[key],
                "quantity": qty,
                "ignore": "",
            }
            data.append([values[c.meaning] for c in cols])
            truth[(unit, key, month)] = truth.get((unit, key, month), 0.0) + qty
    upper = draw(st.permutations(JUNK))[: len(cols)]
    header = [list(upper)]
    if two_rows:
        header.append([draw(st.sampled_from(["本期", "数", "项"])) for _ in cols])
    # rows between the header and the data, and after the data, that the profile leaves out
    gap = [["（单位：人次）", 999]] * draw(st.integers(0, 2))
    tail = [["附：上月数", *[999] * (len(cols) - 1)]] * draw(st.integers(0, 2))
    rows = [[f"{year}年工作报表"] for _ in range(titles)] + header + gap + data + tail
    first, last = titles, titles + len(header) - 1
    data_first = last + 1 + len(gap)
    profile = LayoutProfile(
        "随机结构",
        first,
        last,
        header_cells(rows, first, last),
        {c: col for c, col in enumerate(cols)},
        data_first=data_first if gap or draw(st.booleans()) else None,
        data_last=data_first + len(data) - 1 if tail or draw(st.booleans()) else None,
        unit=fixed_unit,
        year=year,
        month=fixed_month,
    )
    return rows, profile, truth


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layouts())
def test_random_layout_with_a_correct_profile_loads_exactly_its_truth(empty_db, example):
    rows, profile, truth = example
    ref = reference.load(empty_db)
    found = extract.extract([Grid("表1", rows)], "报表.xlsx", ref, b"k", TODAY, profiles=[profile])
    assert not found.errors, [p.describe() for p in found.errors]
    assert found.profiles_used == ["随机结构"]
    f = found.facts
    got: dict = {}
    for uid, key, month, qty in zip(
        f["unit_id"], f["indicator_key"], f["month"], f["quantity"], strict=True
    ):
        name = ref.units[uid].name
        got[(name, key, month)] = got.get((name, key, month), 0.0) + qty
    assert got == truth
