"""总览: where the year stands in ten seconds — a card per indicator (core four first), the
红黄绿 matrix of townships × indicators, and what is behind, worst first."""

import streamlit as st

from minzheng.measures import overview, quality_review
from minzheng.store import queries
from minzheng.views import cards as card_views
from minzheng.views import shaping, tables
from pages import access
from pages.downloads import overview_downloads
from pages.shared import empty_state, period_filters, query

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

COLUMNS = 4


def draw_card(card: dict, year: int, as_of) -> None:
    """One indicator card: the HTML summary, a monthly sparkline and a link to the details."""
    with st.container(border=True):
        st.html(card_views.overview_card_html(card))
        st.page_link(
            "pages/indicator.py",
            label="查看指标详情",
            icon=":material/monitoring:",
            query_params={
                "indicator": card["indicator"],
                "year": str(year),
                "as_of": as_of.isoformat(),
            },
        )


st.html(card_views.CARD_CSS)
st.title("民政工作进度看板")
year, as_of = period_filters()
fresh = query(queries.run, "data_freshness")
cards = query(overview.cards, year, as_of)
state = shaping.data_state(cards)

st.caption(
    f"{year}年 · 截至 {as_of.isoformat()}（{as_of.month}月{as_of.day}日）"
    f" ｜ {shaping.freshness_text(fresh)}"
)

# --- data quality: how many items still wait to be checked --------------------------------------
pending = query(quality_review.open_count, year)
if pending:
    if access.can("quality"):
        st.page_link(
            "pages/quality.py",
            label=f"{pending} 项数据待核实",
            icon=":material/fact_check:",
            query_params={"year": str(year)},
        )
    else:
        st.caption(f":material/fact_check: {pending} 项数据待核实（由业务股室核实）")

if int(fresh["active_batches"].iloc[0]) == 0:
    empty_state(
        "还没有导入任何乡镇台账，所以这里暂时没有进度可看。",
        "请到“数据上传”页面导入各乡镇报来的 Excel 台账，导入后本页会自动显示。",
    )
    st.page_link("pages/upload.py", label="前往数据上传", icon=":material/upload_file:")
if not state["has_plan"]:
    empty_state(
        f"{year}年还没有年度计划，完成率和序时进度暂时无法计算（状态显示为“无计划”）。",
        "请到“年度计划”页面导入或填写各乡镇的年度目标。",
    )
    st.page_link("pages/year_plan.py", label="前往年度计划", icon=":material/flag:")
if int(fresh["active_batches"].iloc[0]) == 0:
    st.stop()  # nothing loaded at all: the cards would only show zeros
if not state["has_data"]:
    empty_state(f"{year}年截至 {as_of.isoformat()} 还没有数据。", "可在左侧选择其他年度或日期。")

records = cards.to_dict("records")
core = [c for c in records if c["core"]]
others = [c for c in records if not c["core"]]
for title, group in (("核心指标", core), ("其他指标", others)):
    if not group:
        continue
    st.subheader(title)
    for start in range(0, len(group), COLUMNS):
        columns = st.columns(COLUMNS)
        for column, card in zip(columns, group[start : start + COLUMNS], strict=False):
            with column:
                draw_card(card, year, as_of)
    if group is core:
        overview_downloads(year, as_of)  # after the core numbers, which a phone shows first
if not core:
    overview_downloads(year, as_of)

st.subheader("红黄绿矩阵：各乡镇 × 各指标")
matrix = query(overview.matrix, year, as_of)
if matrix.empty:
    empty_state("还没有乡镇的数据或计划，矩阵暂时为空。")
else:
    st.caption("格内数字为完成率；鼠标移到格子上可查看完成数、目标和序时进度。")
    st.html(tables.status_matrix_html(matrix, shaping.indicator_columns(cards)))

st.subheader("滞后事项（差距最大的在前）")
behind = query(overview.behind, year, as_of, 10)
if behind.empty:
    if state["has_plan"]:
        st.success("目前没有滞后的乡镇指标。", icon=":material/check_circle:")
    else:
        empty_state("有了年度计划后，这里会列出落后于序时进度的乡镇和指标。")
else:
    st.html(tables.behind_html(behind))
