"""The hostile-file corpus of tests/data/build_bad.py, each file ingested in its own process.

Every file is loaded by `python -m tests.isolated_ingest` in a forked child that is timed and
measured on its own: it must end (no crash, no hang past 10 s, peak memory under 1 GiB) with the
outcome the corpus states. A refused file leaves every write table empty; a loaded one stores
its awkward text exactly as documented. Unit tests of minzheng.intake.filecheck follow.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest

from minzheng.intake import filecheck, workbook
from tests.data import build_bad as bb
from tests.helpers import ROOT

TIME_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 1024.0


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, template_db_file) -> dict[str, dict]:
    """Each hostile file ingested in its own forked child: name -> report."""
    files = bb.build(tmp_path_factory.mktemp("hostile"))
    work = tmp_path_factory.mktemp("hostile_work")
    run = subprocess.run(
        [sys.executable, "-m", "tests.isolated_ingest", str(template_db_file), str(work)],
        input="\n".join(str(p) for p in files.values()),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return {r["name"]: r for r in reports}


def test_corpus_size():
    assert len(bb.HOSTILE) >= 40
    assert len(set(bb.CLASSES.values())) >= 12


@pytest.mark.parametrize("name", bb.all_names())
def test_hostile_file_ends_cleanly(name, outcomes):
    report = outcomes[name]
    assert report["signal"] == 0 and report["exit"] == 0, report
    assert not report["timed_out"] and report["seconds"] < TIME_LIMIT_S, report["seconds"]
    assert report["max_rss_mb"] < MEMORY_LIMIT_MB, report["max_rss_mb"]
    expected = bb.HOSTILE[name]
    problems = report["problems"]
    if isinstance(expected, bb.Refused):
        assert report["status"] == "拒绝", report["line"]
        errors = [p for p in problems if p["level"] == "error"]
        assert any(
            all(f in p["message"] for f in expected.fragments)
            and (expected.sheet is None or p["sheet"] == expected.sheet)
            and (expected.cell is None or p["cell"] == expected.cell)
            for p in errors
        ), f"expected {expected} among {errors}"
        assert report["line"].startswith(f"拒绝 {name}：")
        assert set(report["counts"].values()) == {0}, report["counts"]
        for p in errors:
            assert len(p["message"]) < 400 and len(p["value"]) < 50  # readable, even for 1 MB cells
    else:
        assert report["status"] == "已导入", report["line"]
        counts = report["counts"]
        assert counts["facts"] == expected.rows
        assert counts["batches"] == counts["batch_files"] == 1
        assert counts["monthly_actuals"] > 0 and counts["batch_coverage"] > 0
        for column, values in expected.stored.items():
            assert values <= set(report["stored"][column]), (column, report["stored"][column])
        warnings = [p["message"] for p in problems if p["level"] == "warning"]
        for fragment in expected.warnings:
            assert any(fragment in w for w in warnings), warnings


def test_stored_text_has_no_control_characters(outcomes):
    for report in outcomes.values():
        for column in ("place", "note", "category_text"):
            for value in report.get("stored", {}).get(column, []):
                assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in value), value


def test_documented_classes_match_the_corpus():
    doc = (ROOT / "docs" / "hostile-files.md").read_text(encoding="utf-8")
    for klass in set(bb.CLASSES.values()):
        assert f"| {klass} |" in doc, klass
    for name in bb.HOSTILE:
        assert f"`{name}`" in doc, name


# --- minzheng.intake.filecheck directly -----------------------------------------------------------


def _limits(**changes) -> filecheck.Limits:
    values = filecheck.Limits.from_config().__dict__ | changes
    return filecheck.Limits(**values)


def test_limits_come_from_config():
    limits = filecheck.Limits.from_config()
    assert limits.max_rows == 100_000
    assert limits.max_uncompressed_bytes == 200 << 20
    assert limits.max_compression_ratio == 100


def test_valid_workbooks_pass(test_files):
    for name in ("ledger_plain.xlsx", "format_ledger.xls", "format_ledger_gbk.csv"):
        data = test_files[name].read_bytes()
        assert filecheck.inspect(data, name) == []


def test_row_limit_is_configurable():
    data = bb.ledger()
    assert filecheck.inspect(data, "a.xlsx", _limits(max_rows=3))[0].message.startswith(
        "工作表行数过多"
    )
    assert filecheck.inspect(data, "a.xlsx", _limits(max_rows=4)) == []


def test_uncompressed_limit_is_configurable():
    data = bb.ledger()
    size = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    refused = filecheck.inspect(data, "a.xlsx", _limits(max_uncompressed_bytes=size - 1))
    assert "解压后过大" in refused[0].message
    assert filecheck.inspect(data, "a.xlsx", _limits(max_uncompressed_bytes=size)) == []


def test_file_size_limit():
    refused = filecheck.inspect(b"x" * 101, "a.csv", _limits(max_file_bytes=100))
    assert "文件过大" in refused[0].message


def test_formulas_without_value_are_one_problem_naming_the_first_cell():
    data = bb.ledger({"D2": bb.Raw("><f>1+1</f>"), "D4": bb.Raw("><f>3</f>")})
    [problem] = filecheck.inspect(data, "a.xlsx")
    assert (problem.sheet, problem.cell, problem.cells) == ("台账", "D2", 2)
    assert problem.describe(with_file=False).startswith("工作表「台账」 D2 起共 2 个单元格：是公式")


def test_formula_with_empty_text_result_is_accepted():
    data = bb.ledger({"G2": bb.Raw(' t="str"><f>IF(1,"","")</f><v></v>')})
    assert filecheck.inspect(data, "a.xlsx") == []


def test_workbook_read_refuses_before_calamine():
    with pytest.raises(workbook.ReadError) as caught:
        workbook.read(bb.far("XFD1048576", 1), "far.xlsx")
    assert caught.value.problems[0].sheet == "台账"


def test_ods_and_xlsb_are_not_accepted():
    for suffix in (".ods", ".xlsb"):
        with pytest.raises(workbook.ReadError) as caught:
            workbook.read(b"PK\x03\x04", f"a{suffix}")
        assert "不支持的文件类型" in caught.value.problems[0].message


def test_oversized_file_is_refused_before_reading(tmp_path, empty_db):
    from minzheng.intake import ingest

    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: 2 GB on paper, nothing on disk
        handle.truncate(2 << 30)
    result = ingest.ingest_file(empty_db, huge)
    assert result.status == ingest.REFUSED
    assert "文件过大" in result.check.errors[0].message


def _wide(rows: int, cols: int, extra: str = "") -> bytes:
    grid = [[f"列{c}" for c in range(cols)]] + [
        [r * cols + c for c in range(cols)] for r in range(rows)
    ]
    xml = bb.sheet_xml(grid)
    return bb.xlsx([("台账", xml.replace("</sheetData>", extra + "</sheetData>"))])


def test_a_bound_over_the_limits_is_measured_exactly_before_refusing():
    # 31 rows × 30 columns = 930 cells: within 1,000, though two-digit row numbers could reach 99
    limits = _limits(max_rows=100, max_cells=1_000)
    assert filecheck.inspect(_wide(30, 30), "w.xlsx", limits) == []


def test_a_cell_below_its_row_counts_at_its_own_row():
    # row 5 holds a cell written as AD99: calamine puts it at row 99 (99 × 30 > 1,000)
    far = '<row r="5"><c r="AD99"><v>1</v></c></row>'
    limits = _limits(max_rows=100, max_cells=1_000)
    [problem] = filecheck.inspect(_wide(3, 30, far), "w.xlsx", limits)
    assert "99 行 × 30 列" in problem.message
