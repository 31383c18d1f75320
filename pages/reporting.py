"""上报情况: who has reported — townships × months (已报 / 迟报 / 未报 / 未到期), the townships
missing for the latest due month, and a reminder message ready to paste into the work group."""

import datetime as dt

import streamlit as st

from minzheng.measures import submissions
from minzheng.store import settings
from minzheng.views import cards, tables
from pages import access
from pages.shared import empty_state, period_filters, query

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

year, _ = period_filters(with_as_of=False)
today = dt.date.today()
due_day = query(settings.get, "reporting.due_day")

st.title("上报情况")
st.caption(
    f"每月台账应在次月 {due_day} 日前报送（报送期限可在“设置”中修改）。统计日期：{today.isoformat()}。"
)
grid = query(submissions.grid, year, today)
if grid.empty:
    empty_state("没有在用的乡镇，无法统计上报情况。", "请到“设置”页面维护报送单位。")
    st.stop()

counts = submissions.report_counts(grid)
columns = st.columns(len(counts))
for column, (status, n) in zip(columns, counts.items(), strict=True):
    column.html(cards.report_tile_html(status, n))

st.html(tables.reporting_grid_html(grid, year))

month = submissions.latest_due_month(grid, today)
if month is None:
    st.info(f"{year}年还没有到期的月份。", icon=":material/info:")
else:
    due = submissions.due_date(grid, month)
    missing = submissions.missing(grid, month)
    st.subheader(f"{year}年{month}月台账未报送的乡镇（截止 {due.isoformat()}）")
    if missing:
        st.html(cards.missing_html(missing))
    else:
        st.success(f"{month}月各乡镇均已报送。", icon=":material/check_circle:")
    reminder = submissions.reminder(year, month, missing, due)
    st.caption("提醒消息（可粘贴到工作群）：")
    st.html(cards.message_html(reminder))
    # The copy box opens on a click: a code block is among the costliest elements to draw.
    with st.popover("复制提醒消息", icon=":material/content_copy:"):
        st.caption("点击右上角按钮复制：")
        st.code(reminder, language=None, wrap_lines=True)

late = submissions.late_reports(grid)
if not late.empty:
    st.subheader("迟报记录")
    st.html(tables.late_html(late))
