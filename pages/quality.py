"""数据质量: upload flags (likely typos, repeated visits) and rule violations, newest first,
with the file behind each and its follow-up (待核实 / 已核实无误 / 已更正)."""

import pandas as pd
import streamlit as st

from minzheng.errors import MinzhengError
from minzheng.measures import quality_review, validation_rules
from minzheng.views import page_text
from pages import access
from pages.shared import cursor, empty_state, query, year_filter

cur = cursor()
state = st.session_state

st.title("数据质量")
st.caption(
    "导入时发现的疑似录入错误、同一儿童同日重复走访，以及不满足校验规则的数据，最新的在前。"
    "这些问题不影响导入；请逐项核实，并记录核实结果。"
)
if not access.can("quality"):
    access.explain("quality")
    st.stop()
if state.get("quality_flash"):
    st.success(state.pop("quality_flash"), icon=":material/check_circle:")

year = year_filter()
found = query(quality_review.items, year)
counts = found["state"].value_counts()
c1, c2, c3 = st.columns(3)
c1.metric("待核实", f"{int(counts.get(quality_review.OPEN, 0))} 项")
c2.metric("已核实无误", f"{int(counts.get(quality_review.CHECKED, 0))} 项")
c3.metric("已更正", f"{int(counts.get(quality_review.CORRECTED, 0))} 项")

shown_states = st.segmented_control(
    "显示",
    list(quality_review.STATES),
    default=[quality_review.OPEN],
    selection_mode="multi",
    key="quality_states",
)
shown = found[found["state"].isin(shown_states or quality_review.STATES)]
if found.empty:
    empty_state(
        f"{year}年没有发现需要核实的数据。",
        "导入台账时发现的疑似录入错误和不满足校验规则的数据会列在这里。",
    )
elif shown.empty:
    empty_state("没有符合所选状态的问题。")
else:
    people = quality_review.table(shown)
    people["批次"] = ["" if pd.isna(b) else f"/batches?batch={int(b)}" for b in shown["batch_id"]]
    st.dataframe(
        people,
        hide_index=True,
        column_config={
            "问题": st.column_config.TextColumn("问题", width="large"),
            "对照数": st.column_config.TextColumn(
                "对照数", help="疑似录入错误：近 12 个月中位数；重复走访：应为 1 次；规则：右边的值"
            ),
            "批次": st.column_config.LinkColumn(
                "批次", display_text=r"batch=(\d+)", help="点击在“数据管理”中查看该批次"
            ),
            "写入报告": st.column_config.CheckboxColumn("写入报告"),
        },
    )

    st.subheader("核实")
    keys = shown["key"].tolist()
    labels = {
        r.key: r.message if len(r.message) <= 70 else r.message[:70] + "…"
        for r in shown.itertuples(index=False)
    }
    key = st.selectbox("问题", keys, format_func=labels.get, key="quality_pick")
    item = shown[shown["key"] == key].iloc[0]
    st.markdown(page_text.md_escape(item["message"]))
    if not pd.isna(item["batch_id"]):
        st.page_link(
            "pages/manage_data.py",
            label=f"查看批次 {int(item['batch_id'])}：{item['file_name']}",
            icon=":material/folder_open:",
            query_params={"batch": str(int(item["batch_id"]))},
        )
    with st.form("quality_followup", border=True):
        new_state = st.radio(
            "核实结果",
            list(quality_review.STATES),
            index=quality_review.STATES.index(item["state"]),
            horizontal=True,
            key=f"quality_state_{key}",
        )
        note = st.text_input(
            "备注", value=item["note"], key=f"quality_note_{key}", placeholder="如：已电话核实"
        )
        in_report = st.checkbox(
            "未核实时写入年度报告“存在问题和不足”",
            value=bool(item["in_report"]),
            key=f"quality_report_{key}",
        )
        if st.form_submit_button("保存核实结果", type="primary"):
            try:
                quality_review.set_state(cur, key, new_state, note, in_report, actor=access.actor())
            except MinzhengError as exc:
                st.error(page_text.md_escape(exc), icon=":material/error:")
            else:
                state["quality_flash"] = f"已记录：{new_state}。"
                st.rerun()

with st.expander("现行校验规则"):
    st.dataframe(query(validation_rules.rules_table), hide_index=True)
    st.page_link("pages/configure.py", label="在“设置”中维护规则", icon=":material/settings:")
