"""The 设置 page's 数据校验规则 tab: the rules in force, adding and removing one (admins)."""

import streamlit as st

from minzheng.measures import validation_rules
from minzheng.views import page_text, tables
from pages.shared import catalog, query


def rules_tab(apply, locked: bool) -> None:
    """Draw the tab; `apply(action, *args, done=…, **kwargs)` runs a write as the settings page does."""
    st.caption(
        "校验规则比较两边的数值：每边是指标（该期合计）、distinct(指标)（该期不重复人数，按身份证号）"
        "和数字用“+”连接。不满足的数据列在“数据质量”页，供核实。"
    )
    table = query(validation_rules.rules_table)
    st.html(tables.table_html(table, plain=("编号",), wrap=("说明",)))
    keys = ", ".join(f"{k}（{i.name}）" for k, i in catalog().indicators.items())
    # The forms sit in closed popovers: a new browser tab draws none of their widgets.
    c1, c2 = st.columns(2)
    with (
        c1.popover("添加规则", icon=":material/add:", width="stretch"),
        st.form("settings_rule_add", clear_on_submit=True, border=False),
    ):
        st.markdown("**添加规则**")
        a, b, c = st.columns([3, 1, 3])
        left = a.text_input("左边", placeholder="如：distinct(children_visited)")
        op = b.selectbox("比较", ["≥", "≤", "=", ">", "<"])
        right = c.text_input("右边", placeholder="如：children_screened")
        d, e, f = st.columns(3)
        period = d.selectbox(
            "期间", list(validation_rules.PERIODS), format_func=validation_rules.PERIODS.get
        )
        scope = e.selectbox(
            "范围", list(validation_rules.SCOPES), format_func=validation_rules.SCOPES.get
        )
        severity = f.selectbox("级别", validation_rules.SEVERITIES, index=1)
        explanation = st.text_input("说明（中文，核实时显示）")
        st.caption(f"可用的指标键：{page_text.md_escape(keys)}")
        if st.form_submit_button("添加规则", disabled=locked):
            apply(
                validation_rules.add,
                left,
                op,
                right,
                period=period,
                scope=scope,
                severity=severity,
                explanation=explanation,
                done="已添加规则。",
            )
    names = dict(zip(table["编号"], table["规则"], strict=True))
    ids = list(names)
    with (
        c2.popover("删除规则", icon=":material/delete:", width="stretch"),
        st.form("settings_rule_remove", border=False),
    ):
        st.markdown("**删除规则**")
        rule_id = st.selectbox("规则", ids, format_func=lambda i: f"{i}. {names[i]}")
        if st.form_submit_button("删除规则", disabled=locked or not ids):
            apply(validation_rules.remove, int(rule_id), done=f"已删除规则 {rule_id}。")
