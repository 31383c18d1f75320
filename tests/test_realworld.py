"""Real spreadsheets written by Excel, WPS, LibreOffice and many libraries, each ingested once.

The files sit in the shared folder `../shared/realworld/` (relative to the repository root; in CI
the shared folder is checked out beside the clone): files from the PhpSpreadsheet, calamine and
xlrd test suites, with MANIFEST.txt saying where each comes from, plus `probes/`, the demo ledger
with one change each. Locally the tests skip without the folder; under CI=true they fail.

Every file is loaded into a fresh database in its own forked child (`tests.isolated_ingest`) and
must end with the outcome written in EXPECTED below: loaded with its number of rows, or refused
for the stated reason. Whatever the outcome: no crash or hang, exactly one line starting with
拒绝/已导入/重复 that names the file once and holds no English text. Most files are charts and
other sheets that are not ledgers: the guard must let them through (they are refused for their
content, "no header found"), so none of them is refused before it is read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from minzheng.intake import filecheck
from tests.helpers import ROOT

REALWORLD = ROOT.parent / "shared" / "realworld"
TIME_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 1024.0

# The reasons a file may be refused, as they appear in its line.
NO_LEDGER = "所有工作表都未找到表头"  # read, but nothing in it is a ledger: refused for content
DAMAGED = "文件已损坏或不是有效的 Excel 文件，无法读取；请在 Excel 或 WPS 中打开后另存为 .xlsx"
OLD_EXCEL = "文件是 Excel 97 之前的旧格式"

_CHARTS = [
    f"PHPOffice_PhpSpreadsheet__32readwrite{name}.xlsx"
    for name in (
        "BubbleChart1",
        "BubbleChart3D1",
        "ColumnChart4",
        "DonutChartExploded1",
        "DonutChartMultiseries1",
        "LineChart5",  # styled empty rows down to row 1,048,576
        "PieChartExploded1",
        "PieChartExploded3D1",
        "RadarChart1",
        "RadarChart2",
        "RadarChart3",
        "RadarChart4",
        "ScatterChart1",
        "ScatterChart2",
        "ScatterChart3",
        "ScatterChart4",
        "ScatterChart5",
        "ScatterChart6",
        "ScatterChart7",
        "StockChart1",
        "StockChart2",
        "StockChart3",
        "StockChart4",
        "StockChart5",
        "SurfaceChart1",
        "SurfaceChart2",
        "SurfaceChart3",
        "SurfaceChart4",
    )
]

# Path under REALWORLD -> ("已导入", fact rows) or ("拒绝", the reason's text).
EXPECTED: dict[str, tuple[str, int | str]] = {
    **{name: ("拒绝", NO_LEDGER) for name in _CHARTS},  # <xm:f> in <extLst>: not formula cells
    # <xm:f> in <extLst> (x14 dropdowns, conditional formats, sparklines)
    "PHPOffice_PhpSpreadsheet__CellMatcher.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__conditionalFormattingDataBarTest.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__conditionalFormattingIconSet.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__dataValidation2Test.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.1432b.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.2677.namespace.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.2677.removeformula1.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.3145.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.4629.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__sparklineEdgeCases.xlsx": ("拒绝", NO_LEDGER),
    # cached empty-text results written <v/>
    "PHPOffice_PhpSpreadsheet__colortabs.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__double_attr_drawing.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.2301.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.4312c.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.4415.xlsx": ("拒绝", NO_LEDGER),
    # styled empty rows or cells out to row 1,048,576 or column XFD
    "PHPOffice_PhpSpreadsheet__issue.3255.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.3982.xlsx": ("拒绝", NO_LEDGER),
    "tafia_calamine__issue_174.xlsx": ("拒绝", NO_LEDGER),
    # zip part names with backslashes
    "PHPOffice_PhpSpreadsheet__Zip-Windows-Directory-Separator.xlsx": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.3730.xlsx": ("拒绝", NO_LEDGER),
    "tafia_calamine__issue_530.xlsx": ("拒绝", NO_LEDGER),
    # .xls with formulas returning text (STRING records)
    "PHPOffice_PhpSpreadsheet__biff8cover.xls": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__formulas.database.xls": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__formulas.other.xls": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__formulas.xls": ("拒绝", NO_LEDGER),
    "PHPOffice_PhpSpreadsheet__issue.3658.xls": ("拒绝", NO_LEDGER),
    "python-excel_xlrd__formula_test_names.xls": ("拒绝", NO_LEDGER),
    "python-excel_xlrd__formula_test_sjmachin.xls": ("拒绝", NO_LEDGER),
    "python-excel_xlrd__namesdemo.xls": ("拒绝", NO_LEDGER),
    "tafia_calamine__OOM_alloc.xls": ("拒绝", NO_LEDGER),
    "tafia_calamine__issues.xls": ("拒绝", NO_LEDGER),
    "tafia_calamine__ptgexp-truncated-operand.xls": ("拒绝", NO_LEDGER),
    "tafia_calamine__xls_ref_String.xls": ("拒绝", NO_LEDGER),
    # CSV with old-Mac line ends (CR only): read (it crashed), then refused for content
    "PHPOffice_PhpSpreadsheet__linend.mac.csv": ("拒绝", NO_LEDGER),
    # Excel 4.0 and Excel 5.0/95 files python-calamine cannot read
    "PHPOffice_PhpSpreadsheet__maccentraleurope.biff5.xls": ("拒绝", OLD_EXCEL),
    "python-excel_xlrd__biff4_no_format_no_window2.xls": ("拒绝", OLD_EXCEL),
    # truly damaged: a broken sheet range, UTF-16 XML, a bad CRC, a broken OLE file, a text file
    "PHPOffice_PhpSpreadsheet__issue.2501.b.xlsx": ("拒绝", DAMAGED),
    "PHPOffice_PhpSpreadsheet__utf16be.bom.xlsx": ("拒绝", DAMAGED),
    "PHPOffice_PhpSpreadsheet__utf16be.xlsx": ("拒绝", DAMAGED),
    "tafia_calamine__issue252.xlsx": ("拒绝", DAMAGED),
    "tafia_calamine__OOM_alloc3.xls": ("拒绝", DAMAGED),
    "tafia_calamine__too_small.xls": ("拒绝", DAMAGED),
    # the demo ledger with one change each: loads like the unchanged copy
    "probes/丰州镇2023年10月工作台账_copy.xlsx": ("已导入", 16),
    "probes/丰州镇2023年10月工作台账_vslash.xlsx": ("已导入", 16),  # a formula cached as <v/>
    "probes/丰州镇2023年10月工作台账_xmf.xlsx": ("已导入", 16),  # an x14 dropdown in <extLst>
    # the folder-run pair (see test_folder_run_finishes_every_file)
    "probes/folder_abort_a_good.xlsx": ("已导入", 47),
    "probes/folder_abort_b_mac.csv": ("拒绝", NO_LEDGER),  # CR line ends: read, not a ledger
}

# Words a line may hold in Latin letters: product and format names staff know.
_ALLOWED_WORDS = {"Excel", "WPS", "CSV", "UTF", "GBK", "xlsx", "xls", "xlsm", "csv"}


def _files() -> list[str]:
    return sorted(
        str(p.relative_to(REALWORLD))
        for p in REALWORLD.rglob("*")
        if p.is_file() and p.name != "MANIFEST.txt"
    )


@pytest.fixture(scope="module")
def realworld() -> Path:
    """The shared folder; missing: skip locally, fail under CI=true."""
    if not REALWORLD.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REALWORLD} is required in CI (the shared folder beside the clone)")
        pytest.skip(f"{REALWORLD} not present")
    return REALWORLD


@pytest.fixture(scope="module")
def outcomes(realworld, tmp_path_factory, template_db_file) -> dict[str, dict]:
    """Each file ingested into a fresh database in its own forked child: path -> report."""
    work = tmp_path_factory.mktemp("realworld_work")
    paths = [realworld / name for name in _files()]
    run = subprocess.run(
        [sys.executable, "-m", "tests.isolated_ingest", str(template_db_file), str(work)],
        input="\n".join(str(p) for p in paths),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        check=True,
    )
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    assert len(reports) == len(paths)
    return {str(p.relative_to(realworld)): r for p, r in zip(paths, reports, strict=True)}


def test_every_file_has_an_expected_outcome(realworld):
    assert sorted(EXPECTED) == _files()


def _latin_words(line: str, name: str) -> set[str]:
    """Latin-letter words of a line, leaving out the file name and quoted sheet names."""
    text = line.replace(name, "")
    text = re.sub(r"「[^」]*」", "", text)
    text = re.sub(r"\b[A-Z]{1,3}\d+\b", "", text)  # cell references such as C12
    return set(re.findall(r"[A-Za-z]{2,}", text)) - _ALLOWED_WORDS


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_file_ends_as_expected(path, outcomes):
    report = outcomes[path]
    name = Path(path).name
    assert report["signal"] == 0 and report["exit"] == 0, report
    assert not report["timed_out"] and report["seconds"] < TIME_LIMIT_S, report["seconds"]
    assert report["max_rss_mb"] < MEMORY_LIMIT_MB, report["max_rss_mb"]
    line = report["line"]
    status, detail = EXPECTED[path]
    assert "\n" not in line
    assert line.startswith(f"{status} {name}："), line
    assert line.count(name) == 1, line
    assert not _latin_words(line, name), line
    if status == "已导入":
        assert report["counts"]["facts"] == detail, line
        assert f"：{detail} 行" in line
    else:
        assert detail in line, line
        assert set(report["counts"].values()) == {0}, report["counts"]
        messages = [p["message"] for p in report["problems"] if p["level"] == "error"]
        assert len(messages) == len(set(messages)), messages  # each problem once


@pytest.mark.parametrize(
    "path", sorted(p for p, (status, detail) in EXPECTED.items() if detail != DAMAGED)
)
def test_the_guard_lets_readable_files_through(path, realworld):
    # Every file a reader can open is judged on its content, never turned away before reading.
    data = (realworld / path).read_bytes()
    assert filecheck.inspect(data, Path(path).name) == []


def test_folder_run_finishes_every_file(realworld, tmp_path, template_db_file):
    # A loaded file, then a CR-only CSV that used to end the command with a traceback.
    folder = tmp_path / "township"
    folder.mkdir()
    for name in ("folder_abort_a_good.xlsx", "folder_abort_b_mac.csv"):
        shutil.copyfile(realworld / "probes" / name, folder / name)
    db_file = tmp_path / "run.duckdb"
    shutil.copyfile(template_db_file, db_file)
    done = subprocess.run(
        [sys.executable, "-m", "minzheng", "ingest", str(folder), "--db", str(db_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert [line.split("：")[0] for line in lines] == [
        "已导入 folder_abort_a_good.xlsx",
        "拒绝 folder_abort_b_mac.csv",
    ]
    assert "共 2 个文件：已导入 1 个，重复 0 个，拒绝 1 个" in done.stderr
