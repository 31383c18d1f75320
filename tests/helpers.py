"""Small builders shared by the tests: a plain ledger workbook from records, a fresh database."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import openpyxl

from minzheng import store

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 25)
LEDGER_HEADER = ["日期", "乡镇", "类别", "数量", "单位"]


def write_ledger(
    path: Path, rows: list[list], header: list[str] | None = None, title: str | None = None
) -> Path:
    """Write rows under a header (and an optional title row) into a one-sheet .xlsx."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    if title:
        sheet.append([title])
    sheet.append(header or LEDGER_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def fresh_db(tmp_path: Path, name: str = "t.duckdb"):
    """A new database file in tmp_path, migrated and seeded."""
    return store.connect(tmp_path / name)


def use_database_copy(source: Path, tmp_path: Path, monkeypatch) -> Path:
    """A private copy of a database file (and its hash-key file) that the app under test opens
    through MINZHENG_DB, with Streamlit's caches cleared so nothing of another test is served."""
    import streamlit as st

    target = tmp_path / source.name
    shutil.copyfile(source, target)
    key = source.with_name(source.name + ".key")
    if key.exists():
        shutil.copyfile(key, target.with_name(target.name + ".key"))
    monkeypatch.setenv("MINZHENG_DB", str(target))
    st.cache_data.clear()
    st.cache_resource.clear()
    return target


def html_tables(text: str) -> list[list[list[str]]]:
    """Every <table> in an HTML string as rows of unescaped cell texts (header row first)."""
    tables = []
    for table in re.findall(r"<table.*?</table>", text, flags=re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        tables.append(
            [
                [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in cells]
                for cells in (re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows)
            ]
        )
    return tables
