"""数据上传 › 手动指定表格结构: the controls that teach the reader one sheet layout.

Drawn inside a file's panel on the upload page; the logic (draft, trial reading, confirm) is
minzheng.intake.mapping. Nothing is written until 保存结构并导入.
"""

import streamlit as st

from minzheng.errors import MinzhengError
from minzheng.intake import mapping, uploads
from minzheng.store.permissions import PermissionDenied
from minzheng.views import page_text
from pages import access

NOT_FIXED = "不固定（取自表格）"


def controls(cur, sha: str, file_name: str, data: bytes, ref, user: str | None) -> None:
    """The mapping controls of one uploaded file; on confirm, save, load and re-run the page."""
    key = f"map_{sha[:12]}"
    grids = [g for g in mapping.sheets(data, file_name) if g.rows]
    if not grids:
        st.caption("文件无法打开，无法手动指定表格结构。")
        return
    names = [g.name for g in grids]
    chosen = st.selectbox("工作表", names, key=f"{key}_sheet") if len(names) > 1 else names[0]
    grid = grids[names.index(chosen)]
    st.caption("表格前几行（左侧为行号，上方为列字母）：")
    st.dataframe(mapping.grid_preview(grid), height=260)
    guess = mapping.guess_header(grid)
    top = len(grid.rows)
    a, b, c, d = st.columns(4)
    h_first = a.number_input(
        "表头第一行", 1, top, guess[0] + 1, key=f"{key}_hfirst", help="表头所在的行号"
    )
    h_last = b.number_input(
        "表头最后一行", 1, top, guess[1] + 1, key=f"{key}_hlast", help="两行表头时为下面一行"
    )
    d_first = c.number_input("第一行数据（0=紧接表头）", 0, top, 0, key=f"{key}_dfirst")
    d_last = d.number_input("最后一行数据（0=到表末）", 0, top, 0, key=f"{key}_dlast")
    first, last = int(h_first) - 1, int(h_last) - 1
    options = mapping.meaning_options(ref)
    st.markdown("**每列的含义**")
    labels = mapping.column_labels(grid, first, max(first, last))
    columns = {}
    per_row = 4
    for start in range(0, len(labels), per_row):
        cells = st.columns(per_row)
        for offset, label in enumerate(labels[start : start + per_row]):
            col = start + offset
            choice = cells[offset].selectbox(label, list(options), key=f"{key}_col_{col}")
            columns[col] = options[choice]
    a, b, c = st.columns(3)
    units = [NOT_FIXED, *(u.name for u in ref.units.values() if u.active)]
    unit = a.selectbox("固定乡镇", units, key=f"{key}_unit")
    year = b.number_input("固定年份（0=不固定）", 0, 2100, 0, key=f"{key}_year")
    month = c.selectbox("固定月份", [NOT_FIXED, *range(1, 13)], key=f"{key}_month")
    fixed_unit = None if unit == NOT_FIXED else unit
    offered = mapping.default_name(grid, file_name, ref, fixed_unit, first, max(first, last))
    typed = st.text_input(
        "结构名称（可修改）",
        placeholder=offered,
        key=f"{key}_name",
        help="留空则用灰色提示的名称。以后表头相同的文件会自动按此结构读取，结果中写明“按「名称」结构读取”。",
    )
    name = typed.strip() or offered
    try:
        profile = mapping.draft(
            grid,
            name=name,
            header=(first, last),
            data=(int(d_first) - 1 if d_first else None, int(d_last) - 1 if d_last else None),
            columns=columns,
            unit=fixed_unit,
            year=int(year) or None,
            month=None if month == NOT_FIXED else int(month),
        )
    except MinzhengError as exc:
        st.info(page_text.md_escape(exc), icon=":material/info:")
        return
    trial = mapping.trial(cur, data, file_name, profile)
    st.markdown("**按此结构读取的结果**（尚未写入）：")
    for line in uploads.explanation_lines(trial):
        st.caption(page_text.md_escape(line))
    problems = uploads.problems_table(trial)
    if not problems.empty:
        st.error(f"还有 {len(problems)} 处问题，请调整后再确认。", icon=":material/error:")
        st.table(problems.head(20), hide_index=True)
    elif not trial.facts.empty:
        st.dataframe(uploads.totals(trial, ref), hide_index=True)
    ready = not trial.errors and not trial.facts.empty
    if st.button("保存结构并导入", type="primary", disabled=not ready, key=f"{key}_confirm"):
        try:
            result = mapping.confirm(
                cur, data, file_name, profile, actor=access.actor(), user=user or None
            )
        except (MinzhengError, PermissionDenied) as exc:
            st.error(page_text.md_escape(exc), icon=":material/error:")
            return
        state = st.session_state
        state["upload_last"] = {
            "summary": uploads.summary_text([result]),
            "counts": uploads.counts([result]),
            "table": uploads.results_table([result]),
            "batches": uploads.loaded_batches([result]),
        }
        state["upload_checks"].clear()
        state["upload_nonce"] += 1
        st.rerun()
