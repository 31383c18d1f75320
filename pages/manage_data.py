"""数据管理: every loaded file (batch), its rows and kept copy; roll back, restore, remove the demo."""

import streamlit as st

from minzheng.errors import MinzhengError
from minzheng.store import batches
from minzheng.views import batch_table, page_text
from pages import access, handout
from pages.shared import cursor, empty_state, query

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

# rollback / restore: (what it does, confirmation, button, function, message afterwards)
UNDO = {
    "rollback": (
        "撤销后，这个文件的数据不再计入统计；如果它替换过旧数据，旧数据恢复有效。",
        "确认撤销这个批次",
        "撤销批次",
        batches.rollback,
        "批次 {batch_id} 已撤销，可随时恢复。",
    ),
    "restore": (
        "恢复后，这个文件的数据重新计入统计，并取代同一乡镇、月份、指标的现有数据。",
        "确认恢复这个批次",
        "恢复批次",
        batches.restore,
        "批次 {batch_id} 已恢复。",
    ),
}

cur = cursor()
state = st.session_state

st.title("数据管理")
st.caption(
    "每个导入的文件是一个“批次”。撤销后该文件的数据不再计入统计（被它替换的旧数据恢复有效），"
    "随时可以恢复。"
)

if state.get("batches_flash"):
    st.success(state.pop("batches_flash"), icon=":material/check_circle:")

if not query(batch_table.batch_count):
    empty_state("还没有导入任何文件。", "请到“数据上传”页面上传乡镇台账，导入后会列在这里。")
    st.page_link("pages/upload.py", label="去上传台账", icon=":material/upload:")
    st.stop()

# --- demo data ---------------------------------------------------------------------------------

if query(batches.has_demo):
    demo = query(batch_table.demo_summary)
    # A closed popover: a new browser tab draws none of its widgets until it is opened.
    with st.popover("当前包含演示数据 — 正式使用前请删除", icon=":material/warning:"):
        st.warning(
            f"数据库中有 {demo['批次']} 个演示批次（共 {demo['行数']:,} 行）和 "
            f"{demo['计划年度']} 个年度的演示计划，都是虚构的数字。删除后将**永久移除、不能恢复**，"
            "看板只显示你们自己导入的数据和计划；以后也不会再自动加载演示数据。",
            icon=":material/warning:",
        )
        may_remove = access.can("remove_demo")
        if not may_remove:
            access.explain("remove_demo")
        sure = st.checkbox(
            "我已了解，删除全部演示数据", key="batches_confirm_demo", disabled=not may_remove
        )
        if st.button("删除演示数据", type="primary", disabled=not sure, key="batches_remove_demo"):
            try:
                removed = batches.remove_demo(cur, actor=access.actor())
            except MinzhengError as exc:
                st.error(page_text.md_escape(exc))
            else:
                state.pop("batches_confirm_demo", None)
                state["batches_flash"] = f"已删除 {removed} 个演示批次和演示计划。"
                st.rerun()

# --- filters -----------------------------------------------------------------------------------

# In a closed popover (four inputs cost a new browser tab more than the list itself); the
# filters in force are named beside the count.
options = query(batch_table.batch_filter_options)
c0, c1, c2 = st.columns([1, 5, 1], vertical_alignment="bottom")
with c0.popover("筛选", icon=":material/filter_list:", width="stretch"):
    towns = st.multiselect("乡镇", options["乡镇"], key="batches_towns", placeholder="全部乡镇")
    months = st.multiselect(
        "月份",
        options["月份"],
        key="batches_months",
        format_func=batch_table.month_label,
        placeholder="全部月份",
    )
    statuses = st.multiselect("状态", options["状态"], key="batches_status", placeholder="全部")
    text = st.text_input("文件名包含", key="batches_text", placeholder="如：丰州 或 4月")
listed = query(
    batch_table.batch_page,
    townships=tuple(towns),
    months=tuple(months),
    statuses=tuple(statuses),
    text=text,
    page=int(state.get("batches_page", 1)),
)
shown = listed.table
# A narrower filter can leave fewer pages than the one last chosen.
state["batches_page"] = listed.page

in_force = [
    ("乡镇", "、".join(towns)),
    ("月份", "、".join(batch_table.month_label(m) for m in months)),
    ("状态", "、".join(statuses)),
    ("文件名包含", f"“{text.strip()}”" if text.strip() else ""),
]
c1.caption(
    f"共 {listed.matched:,} 个批次（全部 {listed.total:,} 个）"
    + (
        f"，每页 {batch_table.PAGE_SIZE} 个，第 {listed.page} / {listed.pages} 页"
        if listed.pages > 1
        else ""
    )
    + "。筛选："
    + page_text.md_escape("；".join(f"{k} {v}" for k, v in in_force if v) or "无")
)
if listed.pages > 1:  # the page number input in a closed popover too; its label is the page
    with c2.popover(f"第 {listed.page} / {listed.pages} 页", width="stretch"):
        st.number_input("页码", min_value=1, max_value=listed.pages, step=1, key="batches_page")
st.dataframe(
    shown,
    hide_index=True,
    height=min(38 + 35 * max(len(shown), 1), 420),
    column_config={
        "批次": st.column_config.NumberColumn("批次", format="%d", width="small"),
        "文件": st.column_config.TextColumn("文件", width="large"),
        "行数": st.column_config.NumberColumn("行数", format="%d 行"),
        "提示": st.column_config.NumberColumn("提示", format="%d 个"),
        "导入时间": st.column_config.DatetimeColumn("导入时间", format="YYYY-MM-DD HH:mm"),
        "演示数据": st.column_config.CheckboxColumn("演示数据"),
        "替换": st.column_config.CheckboxColumn("替换"),
    },
)
# The columns' explanations as text, not as header tooltips (each costs a new browser tab).
st.caption("“提示”为导入时记录的提示数；“替换”表示导入时替换了已有数据。")

if shown.empty:
    empty_state("没有符合筛选条件的批次。", "清除上面的筛选条件可看到全部批次。")
    st.stop()

# --- one batch ---------------------------------------------------------------------------------

ids = shown["批次"].astype(int).tolist()
wanted = st.query_params.get("batch")
default = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else ids[0]

with st.container(border=True):
    # The choice of batch in a closed popover beside the batch's name (a select box costs a new
    # browser tab about as much as the batch's whole summary).
    h1, h2 = st.columns([4, 1], vertical_alignment="center")
    with h2.popover("查看其他批次", icon=":material/swap_horiz:", width="stretch"):
        batch_id = st.selectbox(
            "查看批次",
            ids,
            index=ids.index(default),
            key="batches_pick",
            format_func=lambda b: batch_table.batch_label(shown, b),
        )
    st.query_params["batch"] = str(batch_id)
    info = query(batch_table.batch_summary, batch_id)
    h1.subheader(f"批次 {batch_id}：{page_text.md_escape(info['文件'])}")
    st.markdown(
        page_text.facts_markdown(
            {
                "状态": info["状态"] + ("（演示数据）" if info["演示数据"] else ""),
                "乡镇": info["乡镇"] or "—",
                "月份": info["月份"],
                "行数": f"{info['行数']:,} 行",
                "格式": info["格式"] or "—",
            }
        )
    )
    st.caption(
        f"导入人：{page_text.md_escape(info['导入人'])}　导入时间：{info['导入时间']:%Y-%m-%d %H:%M}"
        + (f"　其中 {info['被替换行数']:,} 行已被后来的文件替换" if info["被替换行数"] else "")
    )

    name = query(batches.kept_file_name, batch_id)
    d1, d2, d3 = st.columns([2, 1, 1], vertical_alignment="center")
    handout.download(
        "下载原文件（已脱敏）" if "已脱敏" in name else "下载原文件（仅数值副本）",
        lambda cur: batches.kept_file(cur, batch_id)[1],
        name,
        "application/octet-stream",
        key=f"batches_download_{batch_id}",
        batch_id=batch_id,
        where=d1,
    )

    # The import warnings and the rollback / restore sit in closed popovers (a new browser tab
    # draws none of their content until opened); the rows' data grid is built only once its
    # expander is opened. Only the list above is a data grid on the first render.
    warnings = query(batch_table.batch_warnings, batch_id)
    with d2.popover(
        f"导入提示（{len(warnings)} 个）" if len(warnings) else "导入提示（无）",
        icon=":material/info:",
        width="stretch",
    ):
        if warnings.empty:
            st.caption("导入时没有提示。")
        else:
            st.dataframe(warnings, hide_index=True)
    undoing = "rollback" if info["状态"] == batch_table.BATCH_STATUS["active"] else "restore"
    explain, confirm, label, undo, done = UNDO[undoing]
    with d3.popover(label, icon=":material/undo:", width="stretch"):
        may = access.can(undoing, owner=info["导入人"])
        if not may:
            access.explain(undoing, owner=info["导入人"])
        st.write(explain)
        sure = st.checkbox(confirm, key=f"batches_confirm_{undoing}_{batch_id}", disabled=not may)
        if st.button(label, disabled=not sure, key=f"batches_{undoing}_{batch_id}"):
            try:
                undo(cur, batch_id, actor=access.actor())
            except MinzhengError as exc:
                st.error(page_text.md_escape(exc))
            else:
                state["batches_flash"] = done.format(batch_id=batch_id)
                st.rerun()
    st.caption(
        "原文件是导入时保存的副本，只保留数值（不含公式和链接）：身份证号、电话、住址已去除，"
        "姓名已脱敏，备注等文字中的姓名和地址同样处理。"
    )

    rows = st.expander(
        f"数据行（{info['行数']:,} 行）",
        icon=":material/table_rows:",
        key="batches_rows_open",
        on_change="rerun",
    )
    if rows.open:
        with rows:
            st.dataframe(
                query(batch_table.batch_rows, batch_id),
                hide_index=True,
                placeholder="",
                column_config={
                    "日期": st.column_config.DateColumn("日期", format="YYYY-MM-DD"),
                    "数量": st.column_config.NumberColumn("数量", format="%g"),
                },
            )
