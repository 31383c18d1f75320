"""乡镇: one township (or the bureau itself) — every indicator's progress against time progress,
its monthly trend, and the files it sent."""

import streamlit as st

from minzheng.measures import overview, trends
from minzheng.store import queries
from minzheng.views import cards as card_views
from minzheng.views import figures, shaping, style, tables
from pages import access
from pages.shared import (
    empty_state,
    period_filters,
    query,
    township_filter,
)

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

year, as_of = period_filters()
township = township_filter()
period = (f"{year}年", f"截至{as_of.isoformat()}")

st.title(township)
cards = query(overview.cards, year, as_of)
matrix = query(overview.matrix, year, as_of)
rows = shaping.unit_progress(matrix, township, cards)
counts = shaping.status_counts(rows["status"])
st.html(card_views.unit_status_html(year, as_of, len(rows), counts))

st.subheader("各指标进度")
if not shaping.data_state(rows)["has_data"] and not shaping.data_state(rows)["has_plan"]:
    empty_state(
        f"{township}{year}年还没有报送数据，也没有年度目标。",
        "请到“数据上传”页面导入该乡镇的台账，到“年度计划”页面填写目标。",
    )
else:
    st.caption("条形颜色为状态，黑色竖线为该指标的序时进度，虚线为年度目标（100%）。")
    st.plotly_chart(
        figures.completion_bars(
            rows, "indicator_name", f"{township}：各指标完成率（{year}年，截至{as_of}）"
        ),
        config=style.plot_config(style.file_name(township, "各指标完成率", *period)),
        theme=None,
        key="unit_progress",
    )
    with st.expander("查看明细表"):
        st.html(tables.table_html(shaping.progress_table(rows)))

st.subheader("每月完成情况")
monthly = query(trends.unit_trends, year, township)
if monthly.empty:
    empty_state(f"{township}{year}年还没有报送数据。", "请到“数据上传”页面导入该乡镇的台账。")
else:
    st.caption(
        f"{year}年1—{as_of.month}月，每个指标按它自己的最大月份画满；鼠标移到柱上可看当月数量。"
    )
    st.html(card_views.unit_trends_html(monthly, shaping.indicator_columns(cards), as_of.month))

st.subheader("报送的文件")
batches = query(queries.run, "unit_batches", township=township, year=year)
if batches.empty:
    empty_state(f"{township}{year}年还没有报送文件。")
else:
    st.caption(f"共 {len(batches)} 个文件（最新的在前）。撤销或恢复请到“数据管理”页面。")
    st.html(tables.table_html(shaping.batches_table(batches), plain=("批次号",), max_height=460))
