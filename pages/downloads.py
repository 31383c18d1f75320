"""Download buttons for the files the bureau takes out of the dashboard: the township form
(填报模板), the year's workbook (Excel), the annual report draft (Word) and the one-page
summary for printing. Not a page: the upload and 总览 pages call these helpers.

Each file is built by `minzheng` only when the button is clicked, on its own cursor, and the
download is audited (pages/handout.py).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from minzheng.outputs import print_summary, report_docx, template, year_workbook
from pages import handout
from pages.shared import catalog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(cur, year: int, as_of: dt.date) -> bytes:
    return report_docx.build(cur, year, as_of).content


def template_download(where=st) -> None:
    """Choose a township and year, download its ledger template (.xlsx)."""
    names = [u.name for u in catalog().units.values() if u.active]
    # Opens on a click: its pickers then cost the upload page's first render nothing.
    with where.popover("下载乡镇填报模板", icon=":material/download:"):
        st.caption(
            "模板已填好乡镇名称，类别和单位可从下拉列表选择，日期和数量会自动检查；"
            "第一行“示例”导入时自动跳过。发给乡镇填写后，直接在上方上传即可。"
        )
        left, right = st.columns(2)
        township = left.selectbox("乡镇（单位）", names, key="template_township")
        this_year = dt.date.today().year
        year = right.selectbox(
            "年度",
            [this_year + 1, this_year, this_year - 1],
            index=1,
            key="template_year",
            format_func=lambda y: f"{y}年",
        )
        handout.download(
            f"下载{township}{year}年填报模板",
            lambda cur: template.build(cur, township, year),
            template.file_name(township, year),
            XLSX,
            key="download_template",
        )


def overview_downloads(year: int, as_of: dt.date) -> None:
    """The year's workbook, the annual report draft and the one-page summary, under one
    "下载报表" button (drawn when opened, so they cost the page's first render nothing)."""
    with st.popover("下载报表", icon=":material/download:"):
        handout.download(
            "下载 Excel 进度表",
            lambda cur: year_workbook.build(cur, year, as_of),
            year_workbook.file_name(year, as_of),
            XLSX,
            icon=":material/table_view:",
            key="download_export",
            help="进度总表、完成率矩阵、月度完成、上报情况、年度计划五张表，已设置为 A4 横向打印。",
        )
        handout.download(
            "下载年度报告初稿（Word）",
            lambda cur: _report(cur, year, as_of),
            report_docx.file_name(year),
            DOCX,
            icon=":material/description:",
            key="download_report",
            help="按局里年度报告的格式，用台账数据写好各项数字，附主要图表；生成需要约半分钟。",
        )
        handout.download(
            "下载一页纸汇总（打印）",
            lambda cur: print_summary.build(cur, year, as_of),
            print_summary.file_name(year, as_of),
            "text/html",
            icon=":material/print:",
            key="download_summary",
            help="用浏览器打开后按 Ctrl+P 打印，正好一页 A4 横向纸。",
        )
