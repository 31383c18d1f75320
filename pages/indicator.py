"""指标: one indicator over the year — cumulative actual against the plan line, monthly bars,
last year, townships ranked by completion, and the tables behind the charts as Excel."""

import functools

import streamlit as st

from minzheng.measures import overview, trends
from minzheng.outputs import xlsx
from minzheng.views import cards as card_views
from minzheng.views import figures, shaping, style, tables
from pages import access, handout
from pages.shared import (
    catalog,
    empty_state,
    indicator_filter,
    period_filters,
    query,
)

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(table, title: str, _cur) -> bytes:
    return xlsx.table_to_xlsx(table, title)


year, as_of = period_filters()
key = indicator_filter()
indicator = catalog().indicators[key]
unit = indicator.unit_label
period = (f"{year}年", f"截至{as_of.isoformat()}")

st.title(f"{indicator.name}（{unit}）")
cards = query(overview.cards, year, as_of)
card = next((c for c in cards.to_dict("records") if c["indicator"] == key), None)
if card is None:
    empty_state("这个指标已停用，没有可显示的进度。")
    st.stop()

st.html(card_views.indicator_status_html(year, as_of, str(card["status"])))
st.html(card_views.CARD_CSS + card_views.headline_html(card))

state = shaping.card_state(card)
if not state["has_data"] and not state["has_plan"]:
    empty_state(
        f"{year}年截至 {as_of.isoformat()} 还没有这个指标的数据，也没有年度计划。",
        "请到“数据上传”页面导入乡镇台账，到“年度计划”页面填写目标。",
    )
    st.page_link("pages/upload.py", label="前往数据上传", icon=":material/upload_file:")
    st.stop()
if not state["has_plan"]:
    empty_state(
        f"{year}年还没有这个指标的年度计划，所以没有计划线和完成率。",
        "请到“年度计划”页面导入或填写目标。",
    )
    st.page_link("pages/year_plan.py", label="前往年度计划", icon=":material/flag:")

months = query(trends.months, year, key, as_of)
st.plotly_chart(
    figures.cumulative(months, indicator.name, unit, year, as_of),
    config=style.plot_config(style.file_name(indicator.name, "累计完成与计划", *period)),
    theme=None,
    key="cumulative",
)

st.subheader("各乡镇完成率排名")
ranking = query(trends.ranking, year, key, as_of)
if ranking.empty:
    empty_state(
        "还没有乡镇报送这个指标的数据，也没有分解到乡镇的目标。",
        "请到“数据上传”页面导入乡镇台账。",
    )
else:
    st.caption("条形颜色为状态，黑色竖线为序时进度，虚线为年度目标（100%）。")
    st.plotly_chart(
        figures.completion_bars(
            ranking, "township", f"{indicator.name}：各乡镇完成率（{year}年，截至{as_of}）", unit
        ),
        config=style.plot_config(style.file_name(indicator.name, "乡镇完成率排名", *period)),
        theme=None,
        key="ranking",
    )

st.subheader("数据表")
month_tab, rank_tab = st.tabs(["按月", "按乡镇"])
with month_tab:
    table = shaping.months_table(months, unit, year)
    st.html(tables.table_html(table))
    name = style.file_name(indicator.name, *period)
    handout.download(
        "下载 Excel（按月）",
        functools.partial(
            _xlsx, table, f"{indicator.name}（{unit}）按月完成情况 {year}年 截至{as_of}"
        ),
        f"{name}.xlsx",
        XLSX,
        key="download_months",
    )
with rank_tab:
    table = shaping.ranking_table(ranking, unit)
    st.html(
        tables.table_html(
            table,
            percent=("完成率", "序时进度"),
            points=("完成率减序时进度",),
            whole=(f"预计全年（{unit}）",),
        )
    )
    name = style.file_name(indicator.name, "乡镇排名", *period)
    handout.download(
        "下载 Excel（按乡镇）",
        functools.partial(
            _xlsx, table, f"{indicator.name}（{unit}）各乡镇完成情况 {year}年 截至{as_of}"
        ),
        f"{name}.xlsx",
        XLSX,
        key="download_ranking",
    )
