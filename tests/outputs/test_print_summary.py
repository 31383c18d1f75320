"""Tests of minzheng.outputs.print_summary: the one-page 总览 for paper holds the core figures and
prints on exactly one A4 landscape page (printed with Chromium, counted with pypdf)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess

import pypdf
import pytest

from minzheng import cli, formatting
from minzheng.outputs import print_summary
from minzheng.store import reference

AS_OF = dt.date(2024, 11, 30)
TODAY = dt.date(2024, 12, 20)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page(demo_con, tmp_path, capsys):
    text = print_summary.build(demo_con, 2024, AS_OF, TODAY)
    core = [k for k, i in reference.load(demo_con).indicators.items() if i.core]
    demo_con.close()
    argv = [
        "progress",
        "--db",
        str(tmp_path / "demo.duckdb"),
        "--year",
        "2024",
        "--as-of",
        "2024-11-30",
    ]
    assert cli.main(argv) == 0
    rows = [
        r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["township"] == "全县"
    ]
    return text, {r["indicator"]: r for r in rows}, core


def test_every_core_figure_is_on_the_page(page):
    text, county, core = page
    assert len(core) == 4
    units = {
        "children_visited": "人次",
        "leaflets_distributed": "份",
        "patrols_run": "次",
        "lectures_held": "场",
    }
    for key in core:
        row = county[key]
        actual = formatting.number(float(row["actual"]))
        assert f'{actual}<span class="unit">{units[key]}</span>' in text, key
        assert f"目标 {formatting.number(float(row['target']), units[key])}" in text, key
        completion = float(row["actual"]) / float(row["target"])
        assert f"完成率 <b>{formatting.percent(completion)}</b>" in text, key
    assert "武乡县民政工作进度汇总（2024年，截至11月30日）" in text
    assert "@page { size: A4 landscape" in text
    assert "11月台账" in text  # the latest due month, not past the as-of month


def test_text_is_escaped(empty_db):
    reference.insert_indicator(empty_db, "x", "<script>alert(1)</script>", "场", core=True)
    text = print_summary.build(empty_db, 2024, AS_OF, TODAY)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_prints_on_one_a4_landscape_page(page, tmp_path):
    if CHROMIUM is None and os.environ.get("CI") != "true":
        pytest.skip("Chromium not installed")
    text, _county, _core = page
    html_file = tmp_path / "summary.html"
    html_file.write_text(text, encoding="utf-8")
    pdf = tmp_path / "summary.pdf"
    subprocess.run(
        [
            CHROMIUM or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, pt
    words = reader.pages[0].extract_text()
    assert "滞后事项" in words and "各项指标" in words


def test_cli_summary(demo_db_file, tmp_path, capsys):
    db_file = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_file, db_file)
    out = tmp_path / "一页纸.html"
    argv = [
        "summary",
        "--db",
        str(db_file),
        "--year",
        "2024",
        "--as-of",
        "2024-11-30",
        "--out",
        str(out),
    ]
    assert cli.main(argv) == 0
    assert "已生成一页纸汇总" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
