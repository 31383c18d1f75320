"""Tests of minzheng.admin: batch tables and filters, the plan grid, units, catalog, settings."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from minzheng import admin, batches, db, ingest, plan, reference, settings
from minzheng.errors import MinzhengError, PlanError
from tests.helpers import TODAY, write_ledger


def _load(con, path, **kw):
    result = ingest.ingest_file(con, path, today=TODAY, **kw)
    assert result.status == ingest.LOADED, result.line()
    return result.batch_id


@pytest.fixture
def loaded(empty_db, tmp_path):
    """Two batches: 丰州镇 March (with an approximate quantity warning) and 洪水镇 April, rolled back."""
    first = _load(
        empty_db,
        write_ledger(
            tmp_path / "丰州镇2025年3月台账.xlsx",
            [
                ["2025-03-01", "丰州镇", "街面巡查", 5, "次"],
                ["2025-03-09", "丰州镇", "发放宣传资料", "200余份", "份"],
            ],
        ),
        user="张三",
    )
    second = _load(
        empty_db,
        write_ledger(
            tmp_path / "洪水镇2025年4月台账.xlsx", [["2025-04-02", "洪水镇", "法治讲座", 1, "场"]]
        ),
    )
    batches.rollback(empty_db, second)
    return empty_db, first, second


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain 文件.xlsx", "plain 文件\\.xlsx"),
        ("**粗体**", "\\*\\*粗体\\*\\*"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("王*明_[1](x)", "王\\*明\\_\\[1\\]\\(x\\)"),
        ("中文（全角）", "中文（全角）"),
    ],
)
def test_md_escape(text, escaped):
    assert admin.md_escape(text) == escaped


def test_facts_markdown_escapes_values():
    text = admin.facts_markdown({"文件": "a*b.xlsx", "行数": "3 行"})
    assert text == "**文件**：a\\*b\\.xlsx\u3000\u3000**行数**：3 行"


def test_batch_table_columns_and_values(loaded):
    con, first, second = loaded
    table = admin.batch_table(con)
    assert list(admin.visible(table).columns) == [
        "批次",
        "状态",
        "文件",
        "乡镇",
        "月份",
        "行数",
        "提示",
        "导入人",
        "导入时间",
        "演示数据",
        "替换",
    ]
    assert table["批次"].tolist() == [second, first], "newest first"
    row = table.set_index("批次").loc[first]
    assert (row["乡镇"], row["月份"], row["行数"], row["导入人"], row["状态"]) == (
        "丰州镇",
        "2025年3月",
        2,
        "张三",
        "有效",
    )
    assert row["提示"] == 1
    assert table.set_index("批次").loc[second, "状态"] == "已撤销"
    assert admin.batch_filter_options(table) == {
        "乡镇": sorted(["丰州镇", "洪水镇"]),
        "月份": ["2025-04", "2025-03"],
        "状态": ["有效", "已撤销"],
    }
    assert admin.batch_label(table, first) == f"批次 {first} · 丰州镇2025年3月台账.xlsx"
    assert admin.batch_label(table, 999) == "批次 999"


def test_batch_table_empty(empty_db):
    table = admin.batch_table(empty_db)
    assert table.empty and "批次" in table.columns
    assert admin.batch_filter_options(table) == {"乡镇": [], "月份": [], "状态": []}


@pytest.mark.parametrize(
    ("filters", "files"),
    [
        ({}, ["洪水镇2025年4月台账.xlsx", "丰州镇2025年3月台账.xlsx"]),
        ({"townships": ["丰州镇"]}, ["丰州镇2025年3月台账.xlsx"]),
        (
            {"townships": ["丰州镇", "洪水镇"]},
            ["洪水镇2025年4月台账.xlsx", "丰州镇2025年3月台账.xlsx"],
        ),
        ({"months": ["2025-04"]}, ["洪水镇2025年4月台账.xlsx"]),
        ({"statuses": ["已撤销"]}, ["洪水镇2025年4月台账.xlsx"]),
        ({"text": "3月"}, ["丰州镇2025年3月台账.xlsx"]),
        ({"text": "  XLSX "}, ["洪水镇2025年4月台账.xlsx", "丰州镇2025年3月台账.xlsx"]),
        ({"townships": ["丰州镇"], "statuses": ["已撤销"]}, []),
        ({"demo": True}, []),
    ],
)
def test_filter_batches(loaded, filters, files):
    con, _first, _second = loaded
    shown = admin.filter_batches(admin.batch_table(con), **filters)
    assert shown["文件"].tolist() == files


def test_batch_detail_rows_and_warnings(loaded):
    con, first, _second = loaded
    rows = admin.batch_rows(con, first)
    assert rows["指标"].tolist() == ["街面巡查", "发放宣传资料"]
    assert rows["数量"].tolist() == [5.0, 200.0]
    assert rows["月份"].unique().tolist() == ["2025年3月"]
    assert rows["替换情况"].tolist() == ["", ""]
    warnings = admin.batch_warnings(con, first)
    assert list(warnings.columns) == ["工作表", "单元格", "值", "问题"]
    assert len(warnings) == 1 and warnings.iloc[0]["值"] == "200余份"
    info = admin.batch_summary(con, first)
    assert info["文件"] == "丰州镇2025年3月台账.xlsx" and info["格式"] == "明细台账"
    assert info["状态"] == "有效" and info["被替换行数"] == 0 and not info["演示数据"]
    with pytest.raises(MinzhengError):
        admin.batch_summary(con, 999)


def test_replaced_rows_are_marked(loaded, tmp_path):
    con, first, _second = loaded
    newer = _load(
        con,
        write_ledger(tmp_path / "更正.xlsx", [["2025-03-03", "丰州镇", "街面巡查", 7, "次"]]),
        replace=True,
    )
    rows = admin.batch_rows(con, first)
    assert rows.set_index("指标").loc["街面巡查", "替换情况"] == f"已被批次 {newer} 替换"
    assert admin.batch_summary(con, first)["被替换行数"] == 1


def test_demo_summary(empty_db):
    assert admin.demo_summary(empty_db) == {"批次": 0, "行数": 0, "计划年度": 0}


@pytest.mark.parametrize(("month", "label"), [("2023-04", "2023年4月"), ("2024-12", "2024年12月")])
def test_month_label(month, label):
    assert admin.month_label(month) == label


# --- plan ---------------------------------------------------------------------------------------


def _plan_workbook(phasing: bool = True, bad: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "计划"
    sheet.append(["乡镇", "街面巡查（次）", "发放宣传资料（份）"])
    sheet.append(["丰州镇", 120, 3000])
    sheet.append(["洪水镇", 80, "待定" if bad else 2000])
    sheet.append(["全县", 250, None])
    if phasing:
        shares = book.create_sheet("分月")
        shares.append(["指标"] + [f"{m}月" for m in range(1, 13)])
        shares.append(["街面巡查"] + [10] * 6 + [5] * 6)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_plan_years(empty_db):
    assert admin.plan_years(empty_db, dt.date(2026, 5, 1)) == [2027, 2026]
    assert admin.default_plan_year(empty_db, dt.date(2026, 5, 1)) == 2026
    plan.set_targets(
        empty_db,
        2023,
        pd.DataFrame({"township": ["丰州镇"], "indicator": ["patrols_run"], "target": [1]}),
    )
    assert admin.plan_years(empty_db, dt.date(2026, 5, 1)) == [2027, 2026, 2023]
    assert admin.default_plan_year(empty_db, dt.date(2026, 5, 1)) == 2023


def test_read_preview_and_save_uploaded_plan(empty_db):
    parsed = admin.read_plan_bytes(empty_db, _plan_workbook(), "2025年度计划.xlsx", 2025)
    assert not parsed.problems
    shares = admin.plan_phasing_preview(empty_db, parsed)
    assert shares["指标"].tolist() == ["街面巡查"] and shares.iloc[0]["12月"] == pytest.approx(5.6)
    preview = admin.plan_preview(empty_db, parsed)
    assert list(preview.columns) == ["乡镇", "发放宣传资料（份）", "街面巡查（次）"]
    assert preview["乡镇"].tolist() == ["丰州镇", "洪水镇", "全县"]
    assert preview.set_index("乡镇").loc["全县", "街面巡查（次）"] == 250
    assert empty_db.execute("SELECT count(*) FROM plan_targets").fetchone()[0] == 0, "not saved yet"
    before = db.data_version(empty_db)
    admin.save_uploaded_plan(empty_db, 2025, parsed, "2025年度计划.xlsx")
    assert db.data_version(empty_db) > before
    totals = admin.county_totals(empty_db, 2025).set_index("指标")
    assert (
        totals.loc["街面巡查", "全县目标"] == 250 and totals.loc["街面巡查", "来源"] == "计划给定"
    )
    assert totals.loc["街面巡查", "各单位合计"] == 200
    assert totals.loc["发放宣传资料", "全县目标"] == 5000
    assert totals.loc["发放宣传资料", "来源"] == "各单位合计"
    assert totals.loc["法治讲座", "来源"] == "未定" and pd.isna(totals.loc["法治讲座", "全县目标"])
    phasing = admin.phasing_table(empty_db, 2025)
    assert phasing["指标"].tolist() == ["街面巡查"]
    assert phasing.iloc[0]["1月"] == pytest.approx(11.1), "per cent, one decimal"
    assert phasing.iloc[0][[f"{m}月" for m in range(1, 13)]].sum() == pytest.approx(100, abs=0.5)


def test_uploaded_plan_with_problems_is_refused(empty_db):
    parsed = admin.read_plan_bytes(empty_db, _plan_workbook(bad=True), "计划.xlsx", 2025)
    problems = admin.plan_problems(parsed)
    assert list(problems.columns) == ["工作表", "单元格", "值", "问题"]
    assert problems.iloc[0]["单元格"] == "C3" and problems.iloc[0]["值"] == "待定"
    with pytest.raises(PlanError):
        admin.save_uploaded_plan(empty_db, 2025, parsed, "计划.xlsx")
    with pytest.raises(PlanError):
        admin.read_plan_bytes(empty_db, b"not a workbook", "计划.xlsx", 2025)


def test_phasing_table_empty_without_phasing(empty_db):
    parsed = admin.read_plan_bytes(empty_db, _plan_workbook(phasing=False), "p.xlsx", 2025)
    assert admin.plan_phasing_preview(empty_db, parsed).empty
    admin.save_uploaded_plan(empty_db, 2025, parsed, "p.xlsx")
    assert admin.phasing_table(empty_db, 2025).empty


def test_plan_grid_roundtrip(empty_db):
    parsed = admin.read_plan_bytes(empty_db, _plan_workbook(), "p.xlsx", 2025)
    admin.save_uploaded_plan(empty_db, 2025, parsed, "p.xlsx")
    grid = admin.plan_grid(empty_db, 2025)
    ref = reference.load(empty_db)
    assert list(grid.columns) == ["乡镇", *ref.indicators]
    assert grid["乡镇"].tolist()[-1] == "全县" and len(grid) == len(ref.units) + 1
    row = grid.set_index("乡镇")
    assert row.loc["丰州镇", "patrols_run"] == 120 and pd.isna(row.loc["蟠龙镇", "patrols_run"])
    grid.loc[grid["乡镇"] == "蟠龙镇", "patrols_run"] = 60
    grid.loc[grid["乡镇"] == "全县", "patrols_run"] = None
    assert admin.save_grid(empty_db, 2025, grid) == 5
    totals = admin.county_totals(empty_db, 2025).set_index("指标")
    assert (
        totals.loc["街面巡查", "全县目标"] == 260 and totals.loc["街面巡查", "来源"] == "各单位合计"
    )
    assert not admin.phasing_table(empty_db, 2025).empty, "editing keeps the phasing"


def test_grid_to_long_accepts_headers(empty_db):
    ref = reference.load(empty_db)
    grid = pd.DataFrame(
        {"乡镇": ["丰州镇", "全县"], "街面巡查（次）": [3, None], "法治讲座": ["2", ""]}
    )
    long = admin.grid_to_long(grid, ref)
    assert long.to_dict("records") == [
        {"township": "丰州镇", "indicator": "patrols_run", "target": 3.0},
        {"township": "丰州镇", "indicator": "lectures_held", "target": 2.0},
    ]


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("patrols_run", -1, "不能为负数"),
        ("patrols_run", "很多", "应为数字"),
        ("不存在的指标", 1, "不是指标目录中的指标"),
    ],
)
def test_grid_to_long_refuses(empty_db, column, value, fragment):
    grid = pd.DataFrame({"乡镇": ["丰州镇"], column: [value]})
    with pytest.raises(PlanError, match=fragment):
        admin.grid_to_long(grid, reference.load(empty_db))


def test_plan_hidden_targets_of_retired_units(empty_db):
    plan.set_targets(
        empty_db,
        2025,
        pd.DataFrame({"township": ["丰州镇"], "indicator": ["patrols_run"], "target": [9]}),
    )
    assert admin.plan_has_hidden_targets(empty_db, 2025) == []
    admin.set_unit_active(empty_db, "丰州镇", False)
    assert admin.plan_has_hidden_targets(empty_db, 2025) == ["丰州镇"]
    assert "丰州镇" not in admin.plan_grid(empty_db, 2025)["乡镇"].tolist()


# --- units and catalog --------------------------------------------------------------------------


def test_units_and_indicators_tables(empty_db):
    units = admin.units_table(empty_db)
    assert list(units.columns) == ["代码", "名称", "类型", "别名", "状态"]
    assert len(units) == 13 and units.iloc[0]["名称"] == "丰州镇"
    assert units.iloc[0]["别名"] == "丰州" and units.iloc[-1]["类型"] == "局机关"
    assert set(units["状态"]) == {"在用"}
    inds = admin.indicators_table(empty_db)
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


def test_add_alias_bumps_version_and_matches(empty_db):
    before = db.data_version(empty_db)
    admin.add_alias(empty_db, "蟠龙镇", " 蟠龙镇政府 ")
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
        admin.add_alias(empty_db, unit, alias)
    assert db.data_version(empty_db) == before


def test_add_unit_and_retire(empty_db):
    unit_id = admin.add_unit(empty_db, "新建镇", "township", "140429999")
    assert unit_id > 13
    units = admin.units_table(empty_db)
    assert units.iloc[-1]["名称"] == "新建镇" and units.iloc[-1]["代码"] == "140429999"
    admin.set_unit_active(empty_db, "新建镇", False)
    assert admin.units_table(empty_db).iloc[-1]["状态"] == "已停用"
    assert reference.load(empty_db).unit("新建镇") is None
    admin.set_unit_active(empty_db, "新建镇", True)
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
        admin.add_unit(empty_db, name, kind, code)


def test_add_synonym_and_indicator(empty_db):
    admin.add_synonym(empty_db, "patrols_run", "夜间巡查")
    assert reference.load(empty_db).category("夜间巡查").key == "patrols_run"
    admin.add_indicator(
        empty_db,
        "meals_delivered",
        "送餐服务",
        "人次",
        accepted_units=admin.split_list("人、次"),
        max_per_row=500,
    )
    ref = reference.load(empty_db)
    assert ref.indicators["meals_delivered"].accepted_units == ("人次", "人", "次")
    admin.add_synonym(empty_db, "meals_delivered", "助餐")
    assert (
        ref.indicators["meals_delivered"].name in admin.indicators_table(empty_db)["名称"].tolist()
    )
    assert "meals_delivered" in admin.plan_grid(empty_db, 2025).columns


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
        admin.add_synonym(empty_db, key, synonym)


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
        admin.add_indicator(empty_db, key, name, unit, max_per_row=limit)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("人、次", ["人", "次"]),
        ("人, 户，次;场", ["人", "户", "次", "场"]),
        ("", []),
        (" 份 ", ["份"]),
    ],
)
def test_split_list(text, parts):
    assert admin.split_list(text) == parts


# --- settings -----------------------------------------------------------------------------------


def test_thresholds_roundtrip(empty_db):
    assert admin.thresholds(empty_db) == {"ahead": 10.0, "behind": 10.0, "due_day": 5}
    before = db.data_version(empty_db)
    admin.save_thresholds(empty_db, 5, 12.5, 10)
    assert db.data_version(empty_db) > before
    assert settings.get(empty_db, "status.ahead_margin") == pytest.approx(0.05)
    assert settings.get(empty_db, "status.behind_margin") == pytest.approx(0.125)
    assert settings.get(empty_db, "reporting.due_day") == 10
    assert admin.thresholds(empty_db) == {"ahead": 5.0, "behind": 12.5, "due_day": 10}
    unchanged = db.data_version(empty_db)
    admin.save_thresholds(empty_db, 5, 12.5, 10)
    assert db.data_version(empty_db) == unchanged, "no write when nothing changed"


@pytest.mark.parametrize(
    ("ahead", "behind", "due", "fragment"),
    [(-1, 10, 5, "超前"), (10, 101, 5, "滞后"), (10, 10, 0, "截止日"), (10, 10, 29, "截止日")],
)
def test_save_thresholds_refuses(empty_db, ahead, behind, due, fragment):
    with pytest.raises(MinzhengError, match=fragment):
        admin.save_thresholds(empty_db, ahead, behind, due)
    assert admin.thresholds(empty_db) == {"ahead": 10.0, "behind": 10.0, "due_day": 5}


def test_filter_batches_matches_whole_township_names(loaded):
    con, _first, _second = loaded
    table = admin.batch_table(con)
    assert admin.filter_batches(table, townships=["丰州"])["文件"].tolist() == []
    assert admin.filter_batches(table, months=["2025-0"])["文件"].tolist() == []
    assert admin.filter_batches(table, townships=["丰州镇"], months=["2025-03"])[
        "文件"
    ].tolist() == ["丰州镇2025年3月台账.xlsx"]
