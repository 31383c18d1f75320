"""Tests of minzheng.intake.uploads: checking many files, explaining them, loading on confirm, undo."""

from __future__ import annotations

import dataclasses

import pytest

from minzheng.errors import Problem
from minzheng.intake import ingest, uploads, workbook
from minzheng.store import reference
from tests.helpers import TODAY, write_ledger

ROWS_MARCH = [
    ["2025-03-01", "丰州镇", "街面巡查", 5, "次"],
    ["2025-03-09", "丰州镇", "发放宣传资料", 200, "份"],
]
ROWS_APRIL = [["2025-04-02", "洪水镇", "法治讲座", 1, "场"]]


def _bytes(path) -> tuple[str, bytes]:
    return path.name, path.read_bytes()


@pytest.fixture
def files(tmp_path):
    """Three small ledgers: two clean ones and one with an unknown category."""
    return {
        "march": _bytes(write_ledger(tmp_path / "丰州镇2025年3月台账.xlsx", ROWS_MARCH)),
        "april": _bytes(write_ledger(tmp_path / "洪水镇2025年4月台账.xlsx", ROWS_APRIL)),
        "bad": _bytes(
            write_ledger(tmp_path / "bad.xlsx", [["2025-03-01", "丰州镇", "不存在的类别", 3, "次"]])
        ),
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.xlsx", True),
        ("a.XLSM", True),
        ("a.xls", True),
        ("sub/dir/a.csv", True),
        ("~$a.xlsx", False),
        (".hidden.xlsx", False),
        ("notes.txt", False),
        ("noext", False),
    ],
)
def test_wanted_files(name, expected):
    assert uploads.wanted(name) is expected


@pytest.mark.parametrize(
    ("name", "base"),
    [("a.xlsx", "a.xlsx"), ("丰州镇/2025/a.xlsx", "a.xlsx"), ("C:\\台账\\b.xls", "b.xls")],
)
def test_base_name_drops_folders(name, base):
    assert uploads.base_name(name) == base


def test_check_files_reports_progress_and_dedupes(empty_db, files):
    seen = []
    checks = uploads.check_files(
        empty_db,
        [files["march"], files["april"], files["march"]],
        progress=lambda f, text: seen.append((f, text)),
        today=TODAY,
    )
    assert len(checks) == 2, "same bytes checked once"
    assert [f for f, _t in seen] == pytest.approx([0, 1 / 3, 2 / 3, 1.0])
    assert "丰州镇2025年3月台账.xlsx" in seen[0][1]
    assert empty_db.execute("SELECT count(*) FROM batches").fetchone()[0] == 0, "nothing written"


def test_overview_problems_and_preview(empty_db, files):
    checks = uploads.check_files(empty_db, files.values(), today=TODAY)
    table = uploads.overview(checks)
    assert list(table.columns) == ["状态", "文件", "格式", "乡镇", "月份", "行数", "错误", "提示"]
    row = table.set_index("文件").loc["丰州镇2025年3月台账.xlsx"]
    assert (row["格式"], row["乡镇"], row["月份"], row["行数"]) == (
        "明细台账",
        "丰州镇",
        "2025年3月",
        2,
    )
    assert row["状态"] == uploads.READY
    bad = next(c for c in checks.values() if c.file_name == "bad.xlsx")
    assert uploads.state(bad) == uploads.INVALID
    problems = uploads.problems_table(bad)
    assert list(problems.columns) == ["工作表", "单元格", "值", "问题", "级别"]
    assert problems.iloc[0]["单元格"] == "C2" and problems.iloc[0]["级别"] == "错误"
    assert problems.iloc[0]["值"] == "不存在的类别"
    ref = reference.load(empty_db)
    march = next(c for c in checks.values() if c.file_name.startswith("丰州镇"))
    preview = uploads.preview(march, ref)
    assert preview["指标"].tolist() == ["街面巡查", "发放宣传资料"]
    assert preview["乡镇"].unique().tolist() == ["丰州镇"]
    assert preview["单位"].tolist() == ["次", "份"]
    assert "unit_id" not in preview.columns and "person_hash" not in preview.columns
    totals = uploads.totals(march, ref)
    assert totals["指标"].tolist() == ["发放宣传资料", "街面巡查"], "catalog order"
    assert totals["合计"].tolist() == ["200 份", "5 次"]


def test_preview_masks_people(empty_db, test_files):
    path = test_files["person_visits.xlsx"]
    checks = uploads.check_files(empty_db, [_bytes(path)], today=TODAY)
    check = next(iter(checks.values()))
    preview = uploads.preview(check, reference.load(empty_db))
    shown = " ".join(str(v) for v in preview.to_numpy().ravel())
    assert "王*明" in shown and "王小明" not in shown
    assert "140429201503150012" not in shown and "13812345678" not in shown
    assert uploads.shape_text(check) == "走访对象台账"


def test_load_counts_and_undo(empty_db, files):
    checks = uploads.check_files(empty_db, files.values(), today=TODAY)
    assert uploads.intentions(checks) == {"导入": 2, "替换": 0, "重复": 0, "错误": 1, "未确认": 0}
    seen = []
    results = uploads.load(empty_db, checks, user="张三", progress=lambda f, t: seen.append(f))
    assert seen[-1] == 1.0
    counts = uploads.counts(results)
    assert (counts["已导入"], counts["重复"], counts["拒绝"], counts["行数"]) == (2, 0, 1, 3)
    assert uploads.summary_text(results) == "已导入 2 个文件（共 3 行）；重复 0 个；拒绝 1 个"
    table = uploads.results_table(results)
    assert table["结果"].tolist() == ["已导入", "已导入", "拒绝"]
    assert table.iloc[2]["说明"].startswith(
        "工作表「台账」 C2（不存在的类别）：不是指标目录中的类别"
    )
    assert table.iloc[0]["说明"] == "明细台账；丰州镇；2025年3月"
    assert table["批次"].tolist()[2] == ""
    ids = uploads.loaded_batches(results)
    assert len(ids) == 2
    who = empty_db.execute("SELECT DISTINCT loaded_by FROM batches").fetchall()
    assert who == [("张三",)]
    assert uploads.undo(empty_db, ids) == 2
    assert uploads.undo(empty_db, ids) == 0, "already rolled back"
    live = empty_db.execute("SELECT count(*) FROM monthly_actuals").fetchone()[0]
    assert live == 0


def test_duplicate_explained_and_skipped(empty_db, files):
    first = uploads.check_files(empty_db, [files["march"]], today=TODAY)
    uploads.load(empty_db, first)
    renamed = ("丰州镇3月台账（重发）.xlsx", files["march"][1])
    again = uploads.check_files(empty_db, [renamed], today=TODAY)
    check = next(iter(again.values()))
    assert uploads.state(check) == uploads.DUPLICATE
    text = uploads.duplicate_text(check)
    assert "丰州镇2025年3月台账.xlsx" in text and "批次 1" in text
    results = uploads.load(empty_db, again)
    assert results[0].status == ingest.DUPLICATE


def test_overlap_needs_replace(empty_db, files, tmp_path):
    uploads.load(empty_db, uploads.check_files(empty_db, [files["march"]], today=TODAY))
    fixed = write_ledger(
        tmp_path / "丰州镇2025年3月台账（更正）.xlsx",
        [["2025-03-02", "丰州镇", "街面巡查", 8, "次"]],
    )
    checks = uploads.check_files(empty_db, [_bytes(fixed)], today=TODAY)
    sha, check = next(iter(checks.items()))
    assert uploads.state(check) == uploads.REPLACES
    assert uploads.needs_replace(checks) == [sha]
    table = uploads.overlap_table(check)
    assert table.iloc[0].to_dict() == {
        "已导入文件": "丰州镇2025年3月台账.xlsx",
        "批次": 1,
        "乡镇": "丰州镇",
        "月份": "2025年3月",
        "指标": "街面巡查",
    }
    text = uploads.overlap_text(check)
    assert "丰州镇2025年3月台账.xlsx" in text and "2025年3月" in text and "替换" in text
    assert uploads.intentions(checks)["未确认"] == 1
    refused = uploads.load(empty_db, checks)
    assert refused[0].status == ingest.REFUSED
    assert uploads.intentions(checks, [sha]) == {
        "导入": 0,
        "替换": 1,
        "重复": 0,
        "错误": 0,
        "未确认": 0,
    }
    loaded = uploads.load(empty_db, checks, replace=[sha])
    assert loaded[0].status == ingest.LOADED
    actual = empty_db.execute(
        "SELECT actual FROM monthly_actuals WHERE indicator_key = 'patrols_run'"
    ).fetchone()[0]
    assert actual == 8
    uploads.undo(empty_db, uploads.loaded_batches(loaded))
    actual = empty_db.execute(
        "SELECT actual FROM monthly_actuals WHERE indicator_key = 'patrols_run'"
    ).fetchone()[0]
    assert actual == 5, "undo brings the replaced rows back"


def test_overlap_inside_one_upload(empty_db, files, tmp_path):
    again = write_ledger(tmp_path / "again.xlsx", [["2025-03-20", "丰州镇", "巡查", 2, "次"]])
    checks = uploads.check_files(empty_db, [files["march"], _bytes(again)], today=TODAY)
    inside = uploads.internal_overlaps(checks)
    (sha,) = inside
    assert checks[sha].file_name == "again.xlsx"
    assert inside[sha][0].earlier == "丰州镇2025年3月台账.xlsx" and inside[sha][0].keys == 1
    assert "丰州镇2025年3月台账.xlsx" in uploads.internal_overlap_text(inside[sha])
    assert uploads.needs_replace(checks) == [sha]
    assert uploads.loadable(checks) == 1
    assert uploads.loadable(checks, [sha]) == 2
    results = uploads.load(empty_db, checks, replace=[sha])
    assert [r.status for r in results] == [ingest.LOADED, ingest.LOADED]


@pytest.mark.parametrize(
    ("found", "text"),
    [
        ({"导入": 2, "替换": 0, "重复": 0, "错误": 0, "未确认": 0}, "将导入 2 个文件"),
        (
            {"导入": 1, "替换": 1, "重复": 1, "错误": 2, "未确认": 1},
            "将导入 2 个文件（其中 1 个替换已有数据）；跳过 1 个重复文件；2 个文件有错误，不会导入；"
            "1 个重叠文件未勾选“替换”，不会导入",
        ),
    ],
)
def test_intentions_text(found, text):
    assert uploads.intentions_text(found) == text


def test_the_upload_box_offers_exactly_what_the_reader_reads():
    assert {f".{t}" for t in uploads.UPLOAD_TYPES} == workbook.SUFFIXES


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("丰州镇.xlsx", True),
        ("a/b/洪水镇.XLS", True),
        ("c.csv", True),
        ("~$丰州镇.xlsx", False),
        (".hidden.xlsx", False),
        ("说明.docx", False),
        ("noext", False),
    ],
)
def test_one_rule_for_spreadsheet_names_in_uploads_and_folder_ingest(tmp_path, name, wanted):
    assert uploads.wanted(name) is wanted
    target = tmp_path / "d" / uploads.base_name(name)
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(b"x")
    assert (target in ingest.expand_paths([tmp_path / "d"])) is wanted


def test_problems_table_shows_a_run_of_cells(empty_db, files):
    check = next(iter(uploads.check_files(empty_db, files.values(), today=TODAY).values()))
    run = Problem(check.file_name, "台账", "D3", "", "是公式，但文件中没有保存计算结果", cells=37)
    check = dataclasses.replace(check, problems=[run])
    assert uploads.problems_table(check).iloc[0]["单元格"] == "D3 起共 37 个"
