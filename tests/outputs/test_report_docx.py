"""Tests of minzheng.outputs.report_docx and report_text: the annual report draft, opened with
python-docx, says the same numbers as the `progress` command and looks like an official document."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from minzheng import cli
from minzheng.outputs import report_docx
from tests.helpers import TODAY, write_ledger

# How the report must say each count (the bureau's own wording, e.g. 全年走访慰问留守困境儿童N人次).
PHRASES = {
    "children_visited": ("走访慰问留守困境儿童", "人次", "留守困境儿童走访慰问"),
    "children_screened": ("摸排留守困境儿童", "人", "留守困境儿童摸排"),
    "trainings_held": ("举办业务培训", "场", "业务培训"),
    "leaflets_distributed": ("发放宣传资料", "份", "宣传资料发放"),
    "publicity_events": ("开展集中宣传活动", "场", "集中宣传活动"),
    "patrols_run": ("开展街面巡查", "次", "街面巡查"),
    "people_assisted": ("救助流浪乞讨人员", "人次", "流浪乞讨人员救助"),
    "lectures_held": ("举办法治讲座及婚姻大讲堂", "场", "法治讲座及婚姻大讲堂"),
    "disputes_mediated": ("调解矛盾纠纷", "件", "矛盾纠纷调解"),
    "petitions_handled": ("办理信访投诉", "件", "信访投诉办理"),
}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _progress(capsys, db_file, year, as_of=None) -> dict[str, dict]:
    """The county rows of `python -m minzheng progress`, by indicator key."""
    argv = ["progress", "--db", str(db_file), "--year", str(year)]
    if as_of:
        argv += ["--as-of", str(as_of)]
    assert cli.main(argv) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {r["indicator"]: r for r in rows if r["township"] == "全县"}


def _pct(row: dict) -> str:
    """Completion in percent with one decimal, from the command's actual and target (its
    completion column is rounded to 4 places, too coarse to check a 0.1% figure against)."""
    completion = float(row["actual"]) / float(row["target"])
    assert abs(completion - float(row["completion"])) < 0.0001
    return f"{completion * 100:.1f}"


def _n(value: str) -> str:
    number = float(value)
    return f"{number:.0f}" if number.is_integer() else f"{number:.1f}"


def _sections(document) -> dict[str, str]:
    """Text under each 一级 heading (一、二、三、), and the whole text under ''."""
    parts: dict[str, list[str]] = {"": []}
    current = "head"
    parts[current] = []
    for p in document.paragraphs:
        if re.match(r"^[一二三四五六]、", p.text):
            current = p.text[0]
            parts[current] = []
        parts[current].append(p.text)
        parts[""].append(p.text)
    return {k: "\n".join(v) for k, v in parts.items()}


@pytest.fixture
def report_2023(demo_con, tmp_path, capsys):
    result = report_docx.build(demo_con, 2023, with_charts=False, today=TODAY)
    demo_con.close()
    county = _progress(capsys, tmp_path / "demo.duckdb", 2023)
    next_year = _progress(capsys, tmp_path / "demo.duckdb", 2024, "2024-12-31")
    return docx.Document(io.BytesIO(result.content)), county, next_year, result


def test_every_figure_equals_the_progress_command(report_2023):
    document, county, next_year, _ = report_2023
    text = _sections(document)
    work = text["一"]
    assert county, "the demo has 2023 data"
    for key, row in county.items():
        words, unit, _short = PHRASES[key]
        found = re.findall(rf"{words}(\d+(?:\.\d)?){unit}(?![\u4e00-\u9fff]*目标)", work)
        assert found, f"{words}…{unit} missing from 工作开展情况"
        assert found[0] == _n(row["actual"]), (key, found, row["actual"])
        # The plan clause right after the figure: the completion, and the target when named.
        after = work.split(f"{words}{found[0]}{unit}", 1)[1][:40]
        if after.startswith(("，超额完成年度目标任务", "，全面完成年度目标任务")):
            assert float(row["actual"]) >= float(row["target"]), key
            continue
        m = re.match(
            r"，(?:完成年度目标（(\d+)" + unit + r"）的|为年度目标的|完成年度目标的)([\d.]+)%",
            after,
        )
        assert m, (key, after)
        if m.group(1):
            assert m.group(1) == _n(row["target"])
        assert m.group(2) == _pct(row)
    # 2022 has no data: no 同比 is claimed.
    assert "同比" not in work and "上年同期" not in work


def test_problems_name_the_indicators_behind_plan(report_2023):
    document, county, _next, _ = report_2023
    problems = _sections(document)["二"]
    behind = {k: r for k, r in county.items() if r["completion"] and float(r["completion"]) < 1}
    assert behind, "the demo's 2023 has indicators short of their targets"
    for key, row in behind.items():
        assert f"{PHRASES[key][2]}（{_pct(row)}%）" in problems, key
    ahead = set(county) - set(behind)
    for key in ahead:
        assert f"{PHRASES[key][2]}（" not in problems
    count = len(behind)
    assert f"{count}项指标均未完成年度目标" in problems or f"中有{count}项未完成" in problems


def test_next_year_targets_come_from_next_years_plan(report_2023):
    document, _county, next_year, _ = report_2023
    plans = _sections(document)["三"]
    assert plans.startswith("三、2024年工作打算")
    targeted = {k: r for k, r in next_year.items() if r["target"]}
    assert targeted
    for key, row in targeted.items():
        words, unit, _ = PHRASES[key]
        assert f"{words}{_n(row['target'])}{unit}" in plans, key


def test_official_document_look(report_2023):
    document, *_ = report_2023
    section = document.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(v.mm, 1) for v in sizes] == [210, 297, 37, 35, 28, 26]  # stored in twips

    def east_asia(run):
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    title = document.paragraphs[0]
    assert title.text == "武乡县民政局2023年法治政府建设年度报告"
    assert east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    headings = [p for p in document.paragraphs if re.match(r"^[一二三]、", p.text)]
    assert len(headings) == 3
    assert all(east_asia(p.runs[0]) == "黑体" for p in headings)
    leads = [p for p in document.paragraphs if p.text.startswith("（一）")]
    assert east_asia(leads[0].runs[0]) == "楷体_GB2312"
    assert east_asia(leads[0].runs[1]) == "仿宋_GB2312"
    body = [p for p in document.paragraphs if p.text.startswith("对照年度计划")]
    for p in [*body, *leads]:
        assert p.runs[-1].font.size == Pt(16)
        fmt = p.paragraph_format
        assert fmt.line_spacing == Pt(28) and fmt.line_spacing_rule == 4  # EXACTLY
        assert fmt.first_line_indent == Pt(32)
    fonts = next(
        r.target_part.blob for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
    ).decode()
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', fonts)
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):  # right / left
        p = footer.paragraphs[0]
        assert p.alignment == align and p.text == "—  —"  # the PAGE field fills the middle
        assert " PAGE " in p._element.xml
    assert document.paragraphs[-3].text == "武乡县民政局"
    assert document.paragraphs[-2].text == "2026年11月25日"  # the draft's date: today
    assert (
        document.paragraphs[-1].text
        == "（说明：本稿未附图表，按要求未附图表。图表可在看板中查看和下载。）"
    )


def test_partial_year_uses_year_on_year_and_time_progress(demo_con, tmp_path, capsys):
    result = report_docx.build(demo_con, 2024, with_charts=False, today=TODAY)
    demo_con.close()
    now = _progress(capsys, tmp_path / "demo.duckdb", 2024)
    last = _progress(capsys, tmp_path / "demo.duckdb", 2023, "2023-11-30")
    text = _sections(docx.Document(io.BytesIO(result.content)))["一"]
    assert "截至11月30日" in text and "全年，" not in text
    for key in ("children_visited", "leaflets_distributed", "patrols_run", "lectures_held"):
        words, unit, _ = PHRASES[key]
        actual, before = float(now[key]["actual"]), float(last[key]["actual"])
        after = text.split(f"{words}{_n(now[key]['actual'])}{unit}", 1)[1].split("。")[0]
        change = (actual - before) / before
        if abs(change) < 0.01:
            assert "与上年同期基本持平" in after
        else:
            m = re.search(r"同比(增长|增加|提高|下降|减少)([\d.]+)%", after)
            assert m, (key, after)
            assert (m.group(1) in ("下降", "减少")) == (change < 0)
            assert m.group(2) == f"{abs(change) * 100:.1f}"
    plans = _sections(docx.Document(io.BytesIO(result.content)))["三"]
    assert "2025年度计划尚未下达" in plans


def test_indicators_without_data_are_left_out(empty_db, tmp_path):
    path = write_ledger(
        tmp_path / "丰州镇台账.xlsx",
        [
            ["2024-03-02", "丰州镇", "街面巡查", 7, "次"],
            ["2024-03-09", "丰州镇", "街面巡查", 5, "次"],
        ],
    )
    from minzheng.intake import ingest

    assert ingest.ingest_file(empty_db, path, today=TODAY).status == ingest.LOADED
    result = report_docx.build(empty_db, 2024, with_charts=False, today=TODAY)
    text = _sections(docx.Document(io.BytesIO(result.content)))
    assert "开展街面巡查12次" in text["一"]
    assert "（一）坚持开展街面巡查和流浪乞讨人员救助。" in text["一"]  # numbering closes up
    for words, _unit, _ in (PHRASES[k] for k in PHRASES if k != "patrols_run"):
        assert words not in text["一"]
    assert "2025年度计划尚未下达" in text["三"]


def test_empty_year_still_writes_a_document(empty_db):
    result = report_docx.build(empty_db, 2024, with_charts=False, today=TODAY)
    text = _sections(docx.Document(io.BytesIO(result.content)))[""]
    assert "暂无可汇总的数据" in text


def test_without_a_browser_the_text_is_written_and_says_so(demo_con, monkeypatch):
    # Kaleido's browser finder honours BROWSER_PATH: point it at nothing.
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    result = report_docx.build(demo_con, 2023, today=TODAY)
    document = docx.Document(io.BytesIO(result.content))
    assert result.charts == 0 and not document.inline_shapes
    assert any("浏览器" in n for n in result.notes)
    assert "本稿未附图表，本机没有可用于导出图表的浏览器" in document.paragraphs[-1].text
    assert "全年，全县共走访慰问留守困境儿童" in _sections(document)["一"]


def test_with_chromium_the_key_charts_are_embedded(demo_con):
    if CHROMIUM is None and os.environ.get("CI") != "true":
        pytest.skip("Chromium not installed")
    result = report_docx.build(demo_con, 2023, today=TODAY)
    assert result.notes == [] and result.charts == 6  # completion, matrix, four core lines
    document = docx.Document(io.BytesIO(result.content))
    assert len(document.inline_shapes) == 6
    images = [
        r.target_part.blob for r in document.part.rels.values() if r.reltype.endswith("/image")
    ]
    assert len(images) == 6 and all(b.startswith(b"\x89PNG") for b in images)
    captions = [p.text for p in document.paragraphs if re.match(r"^图\d　", p.text)]
    assert captions[0] == "图1　各项指标全县完成率（2023年，截至12月31日）"
    assert len(captions) == 6


def test_cli_report_prints_the_missing_browser(demo_db_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    db_file = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_file, db_file)
    out = tmp_path / "报告.docx"
    code = cli.main(["report", "--db", str(db_file), "--year", "2023", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "附图 0 张" in printed and "未插入图表：本机没有可用于导出图表的浏览器" in printed
    assert docx.Document(str(out)).paragraphs[0].text.endswith("年度报告")
    # an unwritable path is a clear message, not a traceback
    code = cli.main(
        [
            "report",
            "--db",
            str(db_file),
            "--year",
            "2023",
            "--no-charts",
            "--out",
            str(tmp_path / "no" / "x.docx"),
        ]
    )
    assert code == 1 and "无法写入" in capsys.readouterr().err
