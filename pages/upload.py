"""数据上传: check the townships' workbooks, show what each holds and what is wrong, load on confirm."""

import streamlit as st

from minzheng.intake import uploads
from minzheng.store.permissions import PermissionDenied
from minzheng.views import page_text
from pages import access, handout, upload_mapping
from pages.downloads import template_download
from pages.shared import catalog, cursor, empty_state, version

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

STATE_ICONS = {
    uploads.READY: ":material/check_circle:",
    uploads.REPLACES: ":material/warning:",
    uploads.INVALID: ":material/error:",
    uploads.DUPLICATE: ":material/content_copy:",
}

cur = cursor()
state = st.session_state
state.setdefault("upload_nonce", 0)
checks_store: dict = state.setdefault("upload_checks", {})

st.title("数据上传")
st.caption(
    "把乡镇报来的台账（.xlsx、.xlsm、.xls、.csv，CSV 可为 UTF-8 或 GBK 编码）拖到下面的方框里，"
    "可一次选多个文件，或选“选择文件夹”把文件夹（含子文件夹）里的台账一次上传。"
    "系统先逐个检查，**确认导入之前不会写入任何数据**。"
)
if not access.can("ingest"):
    access.explain("ingest")
    st.stop()
handout.allow_uploads()  # the guard takes files into this session only while this form shows

template_download()


def _progress_bar(text: str):
    bar = st.progress(0.0, text=text)

    def tick(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=page_text.md_escape(message))

    return bar, tick


# --- the result of the last confirmed upload, with undo ----------------------------------------

last = state.get("upload_last")
if last:
    with st.container(border=True):
        st.subheader("本次导入结果" + ("（已撤销）" if last.get("undone") else ""))
        if last["counts"]["拒绝"]:
            st.warning(last["summary"], icon=":material/warning:")
        else:
            st.success(last["summary"], icon=":material/check_circle:")
        st.table(last["table"], hide_index=True)
        with st.container(horizontal=True):
            if (
                last["batches"]
                and not last.get("undone")
                and st.button(
                    f"撤销本次导入（{len(last['batches'])} 个批次）",
                    key="upload_undo",
                    icon=":material/undo:",
                    help="刚导入的数据不再计入统计；被替换的旧数据恢复有效。之后仍可在“数据管理”中恢复。",
                )
            ):
                try:
                    undone = uploads.undo(cur, last["batches"], actor=access.actor())
                except PermissionDenied as exc:
                    st.error(page_text.md_escape(exc), icon=":material/lock:")
                else:
                    last["undone"] = True
                    state["upload_flash"] = f"已撤销本次导入的 {undone} 个批次。"
                    st.rerun()
            if st.button("关闭结果", key="upload_dismiss"):
                state.pop("upload_last", None)
                st.rerun()
        if state.get("upload_flash"):
            st.info(state.pop("upload_flash"), icon=":material/undo:")

# --- choosing files ----------------------------------------------------------------------------

mode = st.radio(
    "上传方式",
    ["选择文件", "选择文件夹"],
    horizontal=True,
    key="upload_mode",
)
files = st.file_uploader(
    "乡镇台账",
    type=list(uploads.UPLOAD_TYPES),
    accept_multiple_files="directory" if mode == "选择文件夹" else True,
    key=f"upload_files_{mode}_{state['upload_nonce']}",
)
uploaded = [(f.name, f.getvalue()) for f in (files or []) if uploads.wanted(f.name)]

if not uploaded:
    empty_state(
        "还没有选择文件。",
        "把台账拖到上面的方框里，或点击“Upload”按钮选择文件。检查结果会显示在这里。",
    )
    st.stop()

# --- checking (each file once per data version) ------------------------------------------------

now = version()
todo = [
    (name, data)
    for name, data in uploaded
    if checks_store.get(uploads.file_sha(data), {}).get("version") != now
]
if todo:
    bar, tick = _progress_bar(f"正在检查 {len(todo)} 个文件…")
    fresh = uploads.check_files(cur, todo, progress=tick)
    for sha, check in fresh.items():
        checks_store[sha] = {"version": now, "check": check}
    bar.empty()

checks, contents = {}, {}
for name, data in uploaded:
    sha = uploads.file_sha(data)
    checks.setdefault(sha, checks_store[sha]["check"])
    contents.setdefault(sha, (name, data))

ref = catalog()
st.subheader(f"检查结果（{len(checks)} 个文件）")
st.dataframe(
    uploads.overview(checks),
    hide_index=True,
    height="content" if len(checks) <= 15 else "auto",
    column_config={
        "文件": st.column_config.TextColumn("文件", width="medium"),
        "乡镇": st.column_config.TextColumn("乡镇", width="medium"),
        "行数": st.column_config.NumberColumn("行数", format="%d 行"),
        "错误": st.column_config.NumberColumn("错误", format="%d 个"),
        "提示": st.column_config.NumberColumn("提示", format="%d 个"),
    },
)

inside = uploads.internal_overlaps(checks)
overlapping = set(uploads.needs_replace(checks))
for sha, check in checks.items():
    current = uploads.state(check)
    label = f"{page_text.md_escape(check.file_name)} — {current}"
    with st.expander(
        label,
        expanded=len(checks) <= 3 or current != uploads.READY,
        icon=STATE_ICONS[current],
    ):
        st.markdown(
            page_text.facts_markdown(
                {
                    "格式": uploads.shape_text(check),
                    "乡镇": "、".join(check.units) or "—",
                    "月份": uploads.months_text(check),
                    "行数": f"{len(check.facts):,} 行",
                }
            )
        )
        if current == uploads.INVALID:
            st.error(
                f"这个文件有 {len(check.errors)} 处错误，不会导入。请按下表改正后重新上传。",
                icon=":material/error:",
            )
        if current == uploads.DUPLICATE:
            st.info(
                page_text.md_escape(uploads.duplicate_text(check)), icon=":material/content_copy:"
            )
        if current == uploads.REPLACES:
            st.warning(page_text.md_escape(uploads.overlap_text(check)), icon=":material/warning:")
            st.dataframe(uploads.overlap_table(check), hide_index=True, height="content")
        if sha in inside:
            st.warning(
                page_text.md_escape(uploads.internal_overlap_text(inside[sha])),
                icon=":material/warning:",
            )
        if sha in overlapping:
            st.checkbox(
                "替换：用本文件取代上述重叠的数据（旧数据保留，可恢复）",
                key=f"upload_replace_{sha}",
            )
        explained = uploads.explanation_lines(check)
        if explained:
            st.markdown("**本文件是这样读取的**（确认前请核对）：")
            for line in explained:
                st.caption(page_text.md_escape(line))
        # --- data-quality flags: likely typos, repeated visits (never block loading) ----------
        if check.flags and current != uploads.INVALID:
            st.warning(
                f"发现 {len(check.flags)} 处数据可能有误。不影响导入；导入后列入“数据质量”页待核实，"
                "已确认无误的记为“已核实无误”。",
                icon=":material/fact_check:",
            )
            for n, (flag, line) in enumerate(
                zip(check.flags, uploads.flag_lines(check), strict=True)
            ):
                text_col, button_col = st.columns([6, 1], vertical_alignment="center")
                done = "（已确认无误）" if flag.confirmed else ""
                text_col.markdown(page_text.md_escape(line) + done)
                if not flag.confirmed and button_col.button(
                    "确认无误", key=f"upload_flag_{sha}_{n}", icon=":material/check:"
                ):
                    flag.confirmed = True  # kept on the check until it is loaded
                    st.rerun()
        # --- end of data-quality flags --------------------------------------------------------
        problems = uploads.problems_table(check)
        tabs = st.tabs(
            [
                f"问题（{len(problems)}）",
                f"将导入的数据（{len(check.facts):,} 行）",
                "按乡镇、月份合计",
            ]
        )
        with tabs[0]:
            if problems.empty:
                st.caption("没有发现问题。")
            else:
                if len(problems) <= 50:  # a static table wraps long messages
                    st.table(problems, hide_index=True)
                else:
                    st.dataframe(
                        problems,
                        hide_index=True,
                        column_config={"问题": st.column_config.TextColumn("问题", width="large")},
                    )
        with tabs[1]:
            if check.facts.empty:
                st.caption("没有可导入的数据行。")
            else:
                if len(check.facts) > uploads.PREVIEW_ROWS:
                    st.caption(
                        f"只显示前 {uploads.PREVIEW_ROWS} 行。服务对象姓名已脱敏，身份证号、电话不入库。"
                    )
                else:
                    st.caption("服务对象姓名已脱敏，身份证号、电话不入库。")
                st.dataframe(
                    uploads.preview(check, ref),
                    hide_index=True,
                    placeholder="",
                    column_config={
                        "日期": st.column_config.DateColumn("日期", format="YYYY-MM-DD"),
                        "数量": st.column_config.NumberColumn("数量", format="%g"),
                    },
                )
        with tabs[2]:
            st.dataframe(uploads.totals(check, ref), hide_index=True)
        # files read automatically show the mapping only when asked for
        if st.toggle(
            "手动指定表格结构" if current == uploads.INVALID else "读取方式不对？手动指定表格结构",
            key=f"upload_map_{sha}",
            help="标出表头行、数据行和每列的含义；确认后保存为表格结构，以后表头相同的文件自动按它读取。",
        ):
            who = access.actor().name if access.actor().is_account else state.get("upload_user")
            upload_mapping.controls(cur, sha, check.file_name, contents[sha][1], ref, who)

# --- confirming --------------------------------------------------------------------------------

replace = [sha for sha in overlapping if state.get(f"upload_replace_{sha}")]
plan = uploads.intentions(checks, replace)
n_load = plan["导入"] + plan["替换"]
st.divider()
st.markdown(f"**{uploads.intentions_text(plan)}。**")
left, right = st.columns([2, 3])
if access.actor().is_account:
    user = access.actor().name  # recorded as who loaded the batches
    left.caption(f"导入人：{page_text.md_escape(user)}")
else:
    user = left.text_input("导入人", key="upload_user", placeholder="填写您的姓名（可不填）")
if st.button(
    f"确认导入 {n_load} 个文件",
    type="primary",
    disabled=n_load == 0,
    key="upload_confirm",
):
    bar, tick = _progress_bar("正在导入…")
    try:
        results = uploads.load(
            cur,
            checks,
            replace=replace,
            user=user.strip() or None,
            progress=tick,
            actor=access.actor(),
        )
    except PermissionDenied as exc:
        bar.empty()
        st.error(page_text.md_escape(exc), icon=":material/lock:")
        st.stop()
    bar.empty()
    state["upload_last"] = {
        "summary": uploads.summary_text(results),
        "counts": uploads.counts(results),
        "table": uploads.results_table(results),
        "batches": uploads.loaded_batches(results),
    }
    checks_store.clear()
    for sha in overlapping:
        state.pop(f"upload_replace_{sha}", None)
    state["upload_nonce"] += 1  # a fresh, empty uploader
    st.rerun()
