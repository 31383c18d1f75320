"""年度计划: the year's targets per township and indicator — load a plan workbook or edit the grid."""

import streamlit as st

from minzheng.errors import MinzhengError, PlanError
from minzheng.intake import uploads
from minzheng.measures import plan
from minzheng.views import page_text, plan_grid, tables
from pages import access
from pages.shared import catalog, cursor, empty_state, query, version

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

cur = cursor()
state = st.session_state
MONTH_COLUMNS = {
    f"{m}月": st.column_config.NumberColumn(f"{m}月", format="%.1f%%") for m in range(1, 13)
}
state.setdefault("plan_nonce", 0)
may_edit = access.can("plan")

# The plan page offers next year too (a plan is set before any data arrives); ?year= in the URL.
years = query(plan_grid.plan_years)
wanted = st.query_params.get("year")
default = (
    int(wanted)
    if wanted and wanted.isdigit() and int(wanted) in years
    else query(plan_grid.default_plan_year)
)
# The year list opens from a sidebar button labelled with the year (as the other pages' period
# button): a select box costs a new browser tab about 0.1 s; in a closed popover, nothing.
chosen = state.get("plan_year")
with st.sidebar.popover(
    f"{chosen if chosen in years else default}年", icon=":material/calendar_month:", width="stretch"
):
    year = st.selectbox(
        "年度", years, index=years.index(default), key="plan_year", format_func=lambda y: f"{y}年"
    )
st.query_params["year"] = str(year)

st.title(f"{year}年度计划")
if state.get("plan_flash"):
    st.success(state.pop("plan_flash"), icon=":material/check_circle:")

ref = catalog()
targets = query(plan.targets, year)
if targets.empty:
    empty_state(
        f"{year} 年还没有年度计划。",
        "可以在“导入计划表”中上传局里下达的计划表，或在“目标表”中直接填写各乡镇的目标后保存。",
    )

# Only the chosen tab's content is drawn (a file uploader and a table that a new browser tab would
# otherwise build unseen), except the grid's: drawn always, so that unsaved edits in it survive a
# look at another tab.
grid_tab, upload_tab, phasing_tab = st.tabs(
    ["目标表", "导入计划表", "分月计划"], key="plan_tab", on_change="rerun"
)

# --- editing the grid --------------------------------------------------------------------------

with grid_tab:
    if not may_edit:
        access.explain("plan")
    # The columns' explanation as text, not as a tooltip on each header (each costs a new tab).
    st.caption(
        "每列是一个指标的年度目标（计量单位在列名的括号中）。"
        "直接在表格中修改目标，然后点击“保存目标”。“全县”一行留空时，全县目标按各单位之和计算；"
        "填写了则以填写的数为准。"
    )
    hidden = query(plan_grid.plan_has_hidden_targets, year)
    if hidden:
        st.warning(
            f"已停用单位（{page_text.md_escape('、'.join(hidden))}）的目标不在表中，保存后将不再保留。",
            icon=":material/warning:",
        )
    editor_key = f"plan_editor_{year}_{state['plan_nonce']}"
    columns = {
        "乡镇": st.column_config.TextColumn("乡镇", disabled=True, pinned=True, width="medium"),
    }
    for key, ind in ref.indicators.items():
        columns[key] = st.column_config.NumberColumn(
            plan_grid.indicator_header(ind),
            min_value=0,
            step=1,
        )
    edited = st.data_editor(
        query(plan_grid.plan_grid, year),
        key=editor_key,
        hide_index=True,
        num_rows="fixed",
        column_config=columns,
        disabled=["乡镇"] if may_edit else True,
        height="content",
        placeholder="",
    )
    changes = state.get(editor_key, {}).get("edited_rows", {})
    changed = sum(len(cells) for cells in changes.values())
    left, right = st.columns([1, 4])
    if left.button(
        "保存目标", type="primary", key="plan_save_grid", disabled=not changed or not may_edit
    ):
        try:
            saved = plan_grid.save_grid(cur, year, edited, actor=access.actor())
        except MinzhengError as exc:
            st.error(page_text.md_escape(exc))
        else:
            state["plan_nonce"] += 1
            state["plan_flash"] = f"已保存 {year} 年的 {saved} 个目标。"
            st.rerun()
    right.caption(f"有 {changed} 处修改尚未保存。" if changed else "没有未保存的修改。")

    st.subheader("全县目标")
    # Short and read-only: an HTML table, not a second data grid (a grid costs a new tab dearly).
    st.html(tables.table_html(query(plan_grid.county_totals, year)))

# --- loading a plan workbook -------------------------------------------------------------------

if upload_tab.open:
    with upload_tab:
        st.caption(
            "计划表可以是“乡镇在左、各指标在上”（表头带单位，如 发放宣传资料（份））的宽表，"
            "“指标在左、各乡镇在上”的竖表，或“乡镇、指标、目标”三列的长表；“全县”“合计”行或列取为"
            "计划给定的全县目标。另有一张“1月…12月”的分月占比表时，会同时导入分月计划。"
        )
        if not may_edit:
            access.explain("plan")
        upload = st.file_uploader(
            "计划表",
            type=list(uploads.UPLOAD_TYPES),
            key=f"plan_file_{state['plan_nonce']}",
            disabled=not may_edit,
        )
        if upload is not None:
            data = upload.getvalue()
            cache_key = (uploads.file_sha(data), year, version())
            if state.get("plan_parsed", (None,))[0] != cache_key:
                try:
                    parsed = plan_grid.read_plan_bytes(cur, data, upload.name, year)
                except PlanError as exc:
                    parsed = exc
                state["plan_parsed"] = (cache_key, parsed)
            parsed = state["plan_parsed"][1]
            if isinstance(parsed, PlanError):
                st.error(page_text.md_escape(parsed), icon=":material/error:")
            else:
                if parsed.explanation:
                    st.info(
                        "**读取方式**\n\n"
                        + "\n".join(f"- {page_text.md_escape(s)}" for s in parsed.explanation),
                        icon=":material/table_view:",
                    )
                if parsed.problems:
                    st.error(
                        f"计划表有 {len(parsed.problems)} 处问题，不能保存。请改正后重新上传。",
                        icon=":material/error:",
                    )
                    st.table(plan_grid.plan_problems(parsed), hide_index=True)
                else:
                    st.success(
                        f"读到 {len(parsed.targets)} 个目标"
                        + (f"和 {len(parsed.phasing)} 个指标的分月计划" if parsed.phasing else "")
                        + "。请核对下表。",
                        icon=":material/check_circle:",
                    )
                st.dataframe(
                    plan_grid.plan_preview(cur, parsed),
                    hide_index=True,
                    height="content",
                    placeholder="",
                    column_config={
                        "乡镇": st.column_config.TextColumn("乡镇", pinned=True, width="medium")
                    },
                )
                if parsed.phasing:
                    st.caption("分月计划（各月占全年目标的比例）：")
                    st.dataframe(
                        plan_grid.plan_phasing_preview(cur, parsed),
                        hide_index=True,
                        height="content",
                        column_config=MONTH_COLUMNS,
                    )
                if not parsed.problems:
                    replacing = "替换现有的全部目标" if not targets.empty else "作为年度计划"
                    sure = st.checkbox(
                        f"用这个文件{replacing}（{year} 年）",
                        key=f"plan_confirm_{state['plan_nonce']}",
                    )
                    if st.button(
                        "保存计划", type="primary", disabled=not sure, key="plan_save_file"
                    ):
                        try:
                            plan_grid.save_uploaded_plan(
                                cur, year, parsed, upload.name, actor=access.actor()
                            )
                        except MinzhengError as exc:
                            st.error(page_text.md_escape(exc))
                        else:
                            state["plan_nonce"] += 1
                            state.pop("plan_parsed", None)
                            state["plan_flash"] = (
                                f"已用“{page_text.md_escape(upload.name)}”替换 {year} 年的年度计划。"
                            )
                            st.rerun()

# --- monthly phasing ---------------------------------------------------------------------------

if phasing_tab.open:
    with phasing_tab:
        phasing = query(plan_grid.phasing_table, year)
        if phasing.empty:
            st.info(
                "本年度计划没有给出分月计划：各指标的序时进度按天数在全年平均计算"
                "（例如到 6 月 30 日约为 49.6%）。",
                icon=":material/info:",
            )
        else:
            st.caption("计划给出的各月占全年目标的比例；未列出的指标按天数在全年平均计算序时进度。")
            shares = phasing.copy()
            months = [f"{m}月" for m in range(1, 13)]
            shares[months] = shares[months] / 100  # per cent → fraction, shown as 7.0%
            st.html(tables.table_html(shares, percent=months))
