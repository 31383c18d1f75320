"""Tests of minzheng.views.batch_table: the batch table, its filters and one batch's detail."""

from __future__ import annotations

import pytest

from minzheng.errors import MinzhengError
from minzheng.intake import ingest
from minzheng.store import batches
from minzheng.views import batch_table
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


def test_batch_table_columns_and_values(loaded):
    con, first, second = loaded
    listed = batch_table.batch_page(con)
    table = listed.table
    assert (listed.matched, listed.total, listed.page, listed.pages) == (2, 2, 1, 1)
    assert list(table.columns) == [
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
    assert batch_table.batch_filter_options(con) == {
        "乡镇": sorted(["丰州镇", "洪水镇"]),
        "月份": ["2025-04", "2025-03"],
        "状态": ["有效", "已撤销"],
    }
    assert batch_table.batch_label(table, first) == f"批次 {first} · 丰州镇2025年3月台账.xlsx"
    assert batch_table.batch_label(table, 999) == "批次 999"


def test_batch_table_empty(empty_db):
    listed = batch_table.batch_page(empty_db)
    assert listed.table.empty and "批次" in listed.table.columns
    assert (listed.matched, listed.total, listed.page, listed.pages) == (0, 0, 1, 1)
    assert batch_table.batch_count(empty_db) == 0
    assert batch_table.batch_filter_options(empty_db) == {"乡镇": [], "月份": [], "状态": []}


@pytest.mark.parametrize(
    ("filters", "files"),
    [
        ({}, ["洪水镇2025年4月台账.xlsx", "丰州镇2025年3月台账.xlsx"]),
        ({"townships": ("丰州镇",)}, ["丰州镇2025年3月台账.xlsx"]),
        (
            {"townships": ("丰州镇", "洪水镇")},
            ["洪水镇2025年4月台账.xlsx", "丰州镇2025年3月台账.xlsx"],
        ),
        ({"months": ("2025-04",)}, ["洪水镇2025年4月台账.xlsx"]),
        ({"statuses": ("已撤销",)}, ["洪水镇2025年4月台账.xlsx"]),
        ({"text": "3月"}, ["丰州镇2025年3月台账.xlsx"]),
        ({"text": "  XLSX "}, ["洪水镇2025年4月台账.xlsx", "丰州镇2025年3月台账.xlsx"]),
        ({"townships": ("丰州镇",), "statuses": ("已撤销",)}, []),
        ({"demo": True}, []),
    ],
)
def test_filter_batches(loaded, filters, files):
    con, _first, _second = loaded
    listed = batch_table.batch_page(con, **filters)
    assert listed.table["文件"].tolist() == files
    assert (listed.matched, listed.total) == (len(files), 2)


def test_batch_pages(loaded):
    con, first, second = loaded
    pages = [batch_table.batch_page(con, page=p, size=1) for p in (1, 2)]
    assert [p.table["批次"].tolist() for p in pages] == [[second], [first]]
    assert [(p.page, p.pages, p.matched) for p in pages] == [(1, 2, 2), (2, 2, 2)]
    beyond = batch_table.batch_page(con, page=9, size=1)
    assert (beyond.page, beyond.table["批次"].tolist()) == (2, [first]), "clamped to the last page"
    assert batch_table.batch_page(con, page=0, size=1).page == 1
    filtered = batch_table.batch_page(con, townships=("洪水镇",), page=2, size=1)
    assert (filtered.page, filtered.pages, filtered.table["批次"].tolist()) == (1, 1, [second])


def test_batch_detail_rows_and_warnings(loaded):
    con, first, _second = loaded
    rows = batch_table.batch_rows(con, first)
    assert rows["指标"].tolist() == ["街面巡查", "发放宣传资料"]
    assert rows["数量"].tolist() == [5.0, 200.0]
    assert rows["月份"].unique().tolist() == ["2025年3月"]
    assert rows["替换情况"].tolist() == ["", ""]
    warnings = batch_table.batch_warnings(con, first)
    assert list(warnings.columns) == ["工作表", "单元格", "值", "问题"]
    assert len(warnings) == 1 and warnings.iloc[0]["值"] == "200余份"
    info = batch_table.batch_summary(con, first)
    assert info["文件"] == "丰州镇2025年3月台账.xlsx" and info["格式"] == "明细台账"
    assert info["状态"] == "有效" and info["被替换行数"] == 0 and not info["演示数据"]
    with pytest.raises(MinzhengError):
        batch_table.batch_summary(con, 999)


def test_replaced_rows_are_marked(loaded, tmp_path):
    con, first, _second = loaded
    newer = _load(
        con,
        write_ledger(tmp_path / "更正.xlsx", [["2025-03-03", "丰州镇", "街面巡查", 7, "次"]]),
        replace=True,
    )
    rows = batch_table.batch_rows(con, first)
    assert rows.set_index("指标").loc["街面巡查", "替换情况"] == f"已被批次 {newer} 替换"
    assert batch_table.batch_summary(con, first)["被替换行数"] == 1


def test_demo_summary(empty_db):
    assert batch_table.demo_summary(empty_db) == {"批次": 0, "行数": 0, "计划年度": 0}


@pytest.mark.parametrize(("month", "label"), [("2023-04", "2023年4月"), ("2024-12", "2024年12月")])
def test_month_label(month, label):
    assert batch_table.month_label(month) == label


def test_filter_batches_matches_whole_township_names(loaded):
    con, _first, _second = loaded

    def files(**filters):
        return batch_table.batch_page(con, **filters).table["文件"].tolist()

    assert files(townships=("丰州",)) == []
    assert files(months=("2025-0",)) == []
    assert files(townships=("丰州镇",), months=("2025-03",)) == ["丰州镇2025年3月台账.xlsx"]
    assert files(text="%") == [] and files(text="_") == [], "no LIKE wildcards"
