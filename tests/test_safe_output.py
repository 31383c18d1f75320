"""Safe output: Excel files the product writes never hold a formula, user-supplied text is never
rendered as HTML, and no personal data reaches the log even at DEBUG level."""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from minzheng import store
from minzheng.intake import ingest, redact
from minzheng.intake.workbook import Grid
from minzheng.outputs import xlsx
from minzheng.store import db, reference, settings
from tests.helpers import ROOT, TODAY, write_ledger

INJECTIONS = [
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","点击")',
]


def _no_formulas(content: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
            # openpyxl leaves Excel's escape of a carriage return (_x000D_) as it is
            values.append(
                [
                    c.value.replace("_x000D_", "\r") if isinstance(c.value, str) else c.value
                    for c in row
                ]
            )
    return values


def test_exported_table_has_no_formulas():
    table = pd.DataFrame({"乡镇": INJECTIONS, "完成数": range(len(INJECTIONS))})
    values = _no_formulas(xlsx.table_to_xlsx(table, "=title", note="+note"))
    texts = [row[0] for row in values[3:]]
    assert texts == ["'" + v for v in INJECTIONS]
    assert values[0][0] == "'=title" and values[1][0] == "'+note"


def test_redacted_copy_has_no_formulas():
    rows = [["日期", "乡镇", "类别", "数量", "身份证号", "备注"]]
    for text in INJECTIONS:
        rows.append([dt.date(2023, 3, 5), "丰州镇", "街面巡查", 1, "140429201503150012", text])
    name, content, redacted = redact.redacted_copy(
        b"", "=evil.xlsx", [Grid("=Sheet", rows)], {"=Sheet": {4}}, {"=Sheet": 0}
    )
    assert redacted and name == "=evil（已脱敏）.xlsx"
    values = _no_formulas(content)
    notes = [row[5] for row in values[1:]]
    assert notes == INJECTIONS  # kept as the township wrote it, as text that never runs
    assert all("140429201503150012" not in str(v) for row in values for v in row)


# --- nothing user-supplied rendered as HTML --------------------------------------------------

XSS_UNIT = "<script>alert(1)</script>乡"
XSS_INDICATOR = "<img src=x onerror=alert(2)>"
XSS_FILE = "<img src=x onerror=alert(3)>.xlsx"
XSS_PLACE = "<script>alert(4)</script>"
RAW_MARKERS = ("<script", "<img")


@pytest.fixture
def hostile_db(template_db_file, tmp_path, monkeypatch):
    """A database whose unit, indicator, file name and cell values are HTML."""
    path = tmp_path / "xss.duckdb"
    shutil.copyfile(template_db_file, path)
    con = store.connect(path)
    with db.transaction(con):
        reference.insert_unit(con, XSS_UNIT, "township")
        reference.insert_indicator(con, "xss_indicator", XSS_INDICATOR, "次", core=True)
        reference.insert_synonym(con, "xss_indicator", "测试指标")
    settings.put(con, "demo.autoload", False)
    source = write_ledger(
        tmp_path / "x.xlsx",
        [
            ["2023-03-05", XSS_UNIT, "测试指标", 3, "次", XSS_PLACE],
            ["2023-03-06", "丰州镇", "街面巡查", 2, "次", XSS_PLACE],
        ],
        header=["日期", "乡镇", "类别", "数量", "单位", "地点"],
    )
    result = ingest.ingest_file(con, shutil.copyfile(source, tmp_path / XSS_FILE), today=TODAY)
    assert result.status == ingest.LOADED, result.line()
    con.close()
    monkeypatch.setenv("MINZHENG_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def _html_bodies(at: AppTest) -> list[str]:
    """Every piece of text the page hands to the browser as HTML."""
    bodies = []

    def walk(node):
        proto = getattr(node, "proto", None)
        kind = type(node).__name__
        if (
            kind == "Html"
            or kind in ("Markdown", "Caption")
            and getattr(proto, "allow_html", False)
        ):
            bodies.append(proto.body)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return bodies


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("home", {"year": "2023"}),
        ("township", {"year": "2023", "township": XSS_UNIT}),
        ("indicator", {"year": "2023", "indicator": "xss_indicator"}),
        ("manage_data", {"batch": "1"}),
        ("reporting", {"year": "2023"}),
        ("present", {"year": "2023"}),
    ],
)
def test_pages_escape_user_text(hostile_db, page, params):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    bodies = _html_bodies(at)
    for body in bodies:
        for marker in RAW_MARKERS:
            assert marker not in body, (page, body[:300])
    if page == "home":  # the escaped name is really there: the check above is not vacuous
        assert any("&lt;img src=x onerror=alert(2)&gt;" in b for b in bodies)


# --- no personal data in the log ----------------------------------------------------------------

ID_NUMBER = "140429201503150012"
PHONE = "13812345678"


def test_debug_log_has_no_personal_data(tmp_path, template_db_file, caplog):
    path = tmp_path / "log.duckdb"
    shutil.copyfile(template_db_file, path)
    source = write_ledger(
        tmp_path / "走访.xlsx",
        [
            ["王小明", ID_NUMBER, PHONE, "2023-03-10", "丰州镇", f"联系 {PHONE}"],
            ["李小红", "14042920160101002X", "0355-8123456", "2023-03-11", "丰州镇", ""],
        ],
        header=["姓名", "身份证号码", "联系电话", "走访日期", "乡镇", "备注"],
        title="丰州镇2023年留守儿童走访台账",
    )
    bad = write_ledger(
        tmp_path / "错.xlsx",
        [["王小明", ID_NUMBER, PHONE, "2023-02-30", "丰州镇", ""]],
        header=["姓名", "身份证号码", "联系电话", "走访日期", "乡镇", "备注"],
        title="丰州镇2023年留守儿童走访台账",
    )
    caplog.set_level(logging.DEBUG)  # every logger, including duckdb's and the product's
    con = store.connect(path)
    try:
        results = ingest.ingest_paths(con, [source, bad], today=TODAY)
    finally:
        con.close()
    assert [r.status for r in results] == ["已导入", "拒绝"], [r.line() for r in results]
    text = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
    )
    assert caplog.records, "the product logs what it does"
    for secret in (ID_NUMBER, "14042920160101002X", PHONE, "0355-8123456", "王小明", "李小红"):
        assert secret not in text
    assert db.hash_key(path).hex() not in text


def test_upload_texts_are_escaped_for_markdown(tmp_path, empty_db):
    """The upload page shows file names, sheet names and problems through these helpers."""
    from minzheng.intake import uploads
    from minzheng.views import page_text

    source = write_ledger(tmp_path / "x.xlsx", [["2023-03-05", XSS_PLACE, "街面巡查", 1, "次"]])
    data = source.read_bytes()
    checks = uploads.check_files(empty_db, [(XSS_FILE, data)], today=TODAY)
    check = next(iter(checks.values()))
    assert check.errors and check.errors[0].value == XSS_PLACE  # the raw value, shown in a table
    label = page_text.md_escape(check.file_name)
    facts = page_text.facts_markdown({"文件": check.file_name, "值": check.errors[0].value})
    for text in (label, facts):
        assert "<" not in text.replace("\\<", "") and ">" not in text.replace("\\>", "")
    table = uploads.problems_table(check)
    assert XSS_PLACE in table.to_string()  # shown as data in st.dataframe, never as HTML
