"""Tests of the command-line contract (docs/cli.md): commands, output formats, exit codes."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from minzheng import cli
from tests.helpers import write_ledger

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv) -> tuple[int, str]:
    code = cli.main([str(a) for a in argv])
    return code, capsys.readouterr().out


@pytest.fixture
def files(tmp_path):
    good = write_ledger(
        tmp_path / "good.xlsx",
        [
            ["2023-01-10", "丰州镇", "街面巡查", 10, "次"],
            ["2023-02-03", "洪水镇", "发放宣传资料", "1,200", "份"],
        ],
    )
    bad = write_ledger(tmp_path / "bad.xlsx", [["2023-02-30", "丰州镇", "街面巡查", 3, "次"]])
    book = openpyxl.Workbook()
    book.active.append(["乡镇", "街面巡查（次）", "发放宣传资料（份）"])
    book.active.append(["丰州镇", 100, None])
    book.active.append(["洪水镇", None, 4000])
    book.save(tmp_path / "plan.xlsx")
    return tmp_path, good, bad


def test_ingest_lines_and_exit_codes(capsys, files):
    tmp, good, bad = files
    db = tmp / "cli.duckdb"
    code, out = run(capsys, "ingest", good, "--db", db)
    assert code == 0 and out.startswith("已导入 good.xlsx")
    code, out = run(capsys, "--db", db, "ingest", good)
    assert code == 0 and out.startswith("重复 good.xlsx")
    code, out = run(capsys, "ingest", bad, good, "--db", db)
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith("拒绝 bad.xlsx") and "A2" in lines[0] and "2023-02-30" in lines[0]
    assert lines[1].startswith("重复 good.xlsx")


def test_ingest_folder_recursively(capsys, files):
    tmp, _good, _bad = files
    sub = tmp / "folder" / "deeper"
    sub.mkdir(parents=True)
    write_ledger(sub / "a.xlsx", [["2023-05-01", "大有乡", "法治讲座", 1, "场"]])
    (sub / "readme.txt").write_text("not a workbook")
    code, out = run(capsys, "ingest", tmp / "folder", "--db", tmp / "f.duckdb")
    assert code == 0 and out.splitlines() == [
        line for line in out.splitlines() if line.startswith("已导入 a.xlsx")
    ]


def test_indicators_and_progress_csv(capsys, files):
    tmp, good, _bad = files
    db = tmp / "cli.duckdb"
    run(capsys, "ingest", good, "--db", db)
    code, out = run(capsys, "plan", tmp / "plan.xlsx", "--year", "2023", "--db", db)
    assert code == 0 and out.startswith("已导入")
    code, out = run(capsys, "indicators", "--year", "2023", "--db", db)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == "indicator,township,month,actual"
    assert {(r["indicator"], r["township"], r["month"], r["actual"]) for r in rows} == {
        ("patrols_run", "丰州镇", "1", "10"),
        ("leaflets_distributed", "洪水镇", "2", "1200"),
    }
    code, out = run(capsys, "progress", "--year", "2023", "--as-of", "2023-02-28", "--db", db)
    assert out.splitlines()[0] == "indicator,township,actual,target,completion,time_progress,status"
    rows = list(csv.DictReader(io.StringIO(out)))
    by_key = {(r["indicator"], r["township"]): r for r in rows}
    assert by_key[("patrols_run", "丰州镇")]["completion"] == "0.1000"
    assert by_key[("patrols_run", "丰州镇")]["time_progress"] == f"{59 / 365:.4f}"
    assert by_key[("leaflets_distributed", "洪水镇")]["target"] == "4000"
    assert by_key[("patrols_run", "全县")]["actual"] == "10"
    townships = [r["township"] for r in rows]
    assert townships.index("全县") == len(townships) - sum(t == "全县" for t in townships)


def test_progress_as_of_defaults_to_last_data_date(capsys, files):
    tmp, good, _bad = files
    db = tmp / "cli.duckdb"
    run(capsys, "ingest", good, "--db", db)
    _code, default = run(capsys, "progress", "--year", "2023", "--db", db)
    _code, explicit = run(capsys, "progress", "--year", "2023", "--as-of", "2023-02-03", "--db", db)
    assert default == explicit


def test_db_from_environment(capsys, files, monkeypatch):
    tmp, good, _bad = files
    monkeypatch.setenv("MINZHENG_DB", str(tmp / "env.duckdb"))
    run(capsys, "ingest", good)
    assert (tmp / "env.duckdb").exists()


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nope"],
        ["progress"],
        ["progress", "--year", "x"],
        ["progress", "--year", "2023", "--as-of", "2023-02-30"],
        ["ingest"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2


def test_plan_refused_exit_1(capsys, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["乡镇", "街面巡查（次）"])
    book.active.append(["丰洲镇", 100])
    book.save(tmp_path / "p.xlsx")
    code, out = run(
        capsys, "plan", tmp_path / "p.xlsx", "--year", "2023", "--db", tmp_path / "d.duckdb"
    )
    assert code == 1 and out.startswith("拒绝") and "丰州镇" in out


def test_rollback_restore_and_batches(capsys, files):
    tmp, good, _bad = files
    db = tmp / "cli.duckdb"
    run(capsys, "ingest", good, "--db", db)
    code, out = run(capsys, "batches", "--db", db)
    assert code == 0 and "good.xlsx" in out and ",active," in out
    assert run(capsys, "rollback", "1", "--db", db)[0] == 0
    assert (
        run(capsys, "indicators", "--year", "2023", "--db", db)[1].strip()
        == "indicator,township,month,actual"
    )
    assert run(capsys, "restore", "1", "--db", db)[0] == 0
    assert run(capsys, "rollback", "99", "--db", db)[0] == 1


def test_catalog_synonym_makes_a_refused_file_load(capsys, tmp_path):
    path = write_ledger(tmp_path / "a.xlsx", [["2023-05-01", "大有乡", "发放宣传册", 100, "份"]])
    db = tmp_path / "d.duckdb"
    code, out = run(capsys, "ingest", path, "--db", db)
    assert code == 1 and "add-synonym" in out
    assert (
        run(capsys, "catalog", "add-synonym", "leaflets_distributed", "发放宣传册", "--db", db)[0]
        == 0
    )
    assert run(capsys, "ingest", path, "--db", db)[0] == 0


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["catalog", "add-indicator", "Bad Key!", "坏指标", "场"], "指标键"),
        (["catalog", "add-synonym", "no_such_key", "某同义词"], "no_such_key"),
        (["catalog", "add-synonym", "leaflets_distributed", "街面巡查"], "已是"),
        (["units", "add-alias", "洪水镇", "丰州"], "已是"),
        (["units", "add", "丰州镇"], "已是"),
        (["units", "add", "新设乡", "--code", "12ab"], "区划代码"),
    ],
)
def test_catalog_and_unit_changes_are_checked_like_the_pages(capsys, tmp_path, argv, fragment):
    """The CLI goes through store.catalog, the pages' way in: a bad change is refused, unwritten."""
    code = cli.main([*argv, "--db", str(tmp_path / "d.duckdb")])
    shown = capsys.readouterr()
    assert code != 0 and fragment in shown.err
    assert "Traceback" not in shown.err + shown.out


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "minzheng", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0 and "ingest" in result.stdout


def test_docs_list_every_command_and_subcommand():
    """docs/cli.md is the contract: a command the parser has but the page does not is a failure."""
    import argparse

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        assert f"`{name}" in doc, name
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices:
                    assert f"`{name} {child}" in doc, f"{name} {child}"
