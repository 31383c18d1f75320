"""设置: reporting units and their aliases, the indicator catalog and synonyms, status thresholds,
the report due day and (for analysts and admins) the layouts taught on the upload page. Every
change takes effect on the dashboard at once."""

import streamlit as st

from minzheng.errors import MinzhengError
from minzheng.store import catalog, layout_profiles, settings
from minzheng.views import layout_tables, page_text, reference_tables, tables
from pages import access, shared
from pages.quality_rules import rules_tab as quality_rules_tab
from pages.shared import cursor, query

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

cur = cursor()
state = st.session_state

st.title("设置")
locked = not access.can("settings")  # units, catalog and thresholds: admins only
if locked:
    access.explain("settings")
if state.get("settings_flash"):
    st.success(state.pop("settings_flash"), icon=":material/check_circle:")


def _apply(action, *args, done: str, **kwargs) -> None:
    """Run a write; on success remember the message and re-run, else show the error."""
    try:
        action(cur, *args, actor=access.actor(), **kwargs)
    except MinzhengError as exc:
        st.error(page_text.md_escape(exc), icon=":material/error:")
    else:
        state["settings_flash"] = done
        st.rerun()


show_layouts = access.can("layouts")  # viewers see nothing of taught layouts
tab_names = ["单位与别名", "指标与同义词", "进度阈值与报送", "数据校验规则"] + (
    ["表格结构"] if show_layouts else []
)
# Only the chosen tab's content is drawn (a new browser tab would otherwise build every tab's
# tables and buttons unseen), and each form sits in a closed popover: its widgets are not drawn
# until it is opened. The tables stay in view.
units_tab, catalog_tab, rules_tab, checks_tab, *more_tabs = st.tabs(
    tab_names, key="settings_tab", on_change="rerun"
)

# --- units -------------------------------------------------------------------------------------

if units_tab.open:
    with units_tab:
        st.caption(
            "台账里写的单位名称按“名称或别名”识别（如“丰州”识别为丰州镇）。乡镇撤并后可停用该单位："
            "已导入的数据保留，新文件中再出现它会被拒绝。"
        )
        units = query(reference_tables.units_table)
        st.dataframe(
            units,
            hide_index=True,
            height="content",
            column_config={"别名": st.column_config.TextColumn("别名", width="large")},
        )
        names = units["名称"].tolist()
        c1, c2, c3 = st.columns(3)
        with (
            c1.popover("添加别名", icon=":material/add:", width="stretch"),
            st.form("settings_alias", clear_on_submit=True, border=False),
        ):
            st.markdown("**添加别名**")
            unit = st.selectbox("单位", names, key="settings_alias_unit")
            alias = st.text_input("别名", key="settings_alias_text", placeholder="如：丰州")
            if st.form_submit_button("添加别名", disabled=locked):
                _apply(
                    catalog.add_alias,
                    unit,
                    alias,
                    done=f"已添加别名“{page_text.md_escape(alias.strip())}” → {page_text.md_escape(unit)}。",
                )
        with (
            c2.popover("添加单位", icon=":material/add:", width="stretch"),
            st.form("settings_unit", clear_on_submit=True, border=False),
        ):
            st.markdown("**添加单位**")
            new_name = st.text_input("单位名称", key="settings_unit_name", placeholder="如：某某镇")
            kind = st.selectbox(
                "类型",
                list(catalog.KIND_NAMES),
                format_func=catalog.KIND_NAMES.get,
                key="settings_unit_kind",
            )
            code = st.text_input(
                "区划代码（可不填）", key="settings_unit_code", placeholder="9 位数字"
            )
            if st.form_submit_button("添加单位", disabled=locked):
                _apply(
                    catalog.add_unit,
                    new_name,
                    kind,
                    code,
                    done=f"已添加单位“{page_text.md_escape(new_name.strip())}”。",
                )
        with c3.popover("停用 / 恢复单位", icon=":material/block:", width="stretch"):
            st.markdown("**停用 / 恢复单位**")
            chosen = st.selectbox("单位", names, key="settings_active_unit")
            active = units.loc[units["名称"] == chosen, "状态"].iloc[0] == "在用"
            st.caption(f"当前状态：{'在用' if active else '已停用'}")
            if active:
                if st.button("停用该单位", key="settings_retire", disabled=locked):
                    _apply(
                        catalog.set_unit_active,
                        chosen,
                        False,
                        done=f"已停用“{page_text.md_escape(chosen)}”。",
                    )
            elif st.button("恢复该单位", key="settings_reinstate", disabled=locked):
                _apply(
                    catalog.set_unit_active,
                    chosen,
                    True,
                    done=f"已恢复“{page_text.md_escape(chosen)}”。",
                )

# --- catalog -----------------------------------------------------------------------------------

if catalog_tab.open:
    with catalog_tab:
        st.caption(
            "台账中的“类别”按指标名称或同义词识别（忽略空格和全角符号）。遇到“不是指标目录中的类别”的错误时，"
            "可在这里把乡镇的写法添加为同义词；新增指标后，上传、统计和看板会自动包含它。"
        )
        indicators = query(reference_tables.indicators_table).copy()
        indicators["核心指标"] = indicators["核心指标"].map({True: "是", False: "否"})
        st.html(tables.table_html(indicators, wrap=("同义词",)))
        st.caption("单行上限：一行数量超过此值视为填写错误。")
        ref = shared.catalog()
        keys = list(ref.indicators)
        c1, c2 = st.columns([1, 2])
        with (
            c1.popover("添加同义词", icon=":material/add:", width="stretch"),
            st.form("settings_synonym", clear_on_submit=True, border=False),
        ):
            st.markdown("**添加同义词**")
            key = st.selectbox(
                "指标",
                keys,
                format_func=lambda k: f"{ref.indicators[k].name}（{ref.indicators[k].unit_label}）",
                key="settings_synonym_key",
            )
            synonym = st.text_input(
                "同义词", key="settings_synonym_text", placeholder="如：入户走访"
            )
            if st.form_submit_button("添加同义词", disabled=locked):
                _apply(
                    catalog.add_synonym,
                    key,
                    synonym,
                    done=f"已添加同义词“{page_text.md_escape(synonym.strip())}” → {ref.indicators[key].name}。",
                )
        with (
            c2.popover("添加指标", icon=":material/add:", width="stretch"),
            st.form("settings_indicator", clear_on_submit=True, border=False),
        ):
            st.markdown("**添加指标**")
            a, b = st.columns(2)
            name = a.text_input("指标名称", key="settings_ind_name", placeholder="如：送餐服务")
            ind_key = b.text_input(
                "指标键（英文）",
                key="settings_ind_key",
                placeholder="如：meals_delivered",
                help="命令行和导出使用的稳定标识：小写字母、数字和下划线",
            )
            a, b, c = st.columns(3)
            unit_label = a.text_input("计量单位", key="settings_ind_unit", placeholder="如：人次")
            accepted = b.text_input(
                "也接受的单位", key="settings_ind_accepted", placeholder="如：人、次"
            )
            limit = c.number_input(
                "单行上限", min_value=1, value=100000, step=100, key="settings_ind_max"
            )
            core = st.checkbox("核心指标（总览中排在前面）", key="settings_ind_core")
            if st.form_submit_button("添加指标", disabled=locked):
                _apply(
                    catalog.add_indicator,
                    ind_key,
                    name,
                    unit_label,
                    accepted_units=page_text.split_list(accepted),
                    max_per_row=limit,
                    core=core,
                    done=f"已添加指标“{page_text.md_escape(name.strip())}”。",
                )

# --- thresholds --------------------------------------------------------------------------------

if rules_tab.open:
    with rules_tab:
        current = query(settings.thresholds)
        st.caption(
            "进度状态比较完成率与序时进度：完成率高出序时进度的百分点达到“超前阈值”为超前，"
            "落后的百分点达到“滞后阈值”为滞后，其余为正常。每月的台账应在次月的“报送截止日”当天或之前"
            "报到局里，晚于该日为迟报。"
        )
        st.caption(
            f"按当前设置：完成率比序时进度高 {current['ahead']:g} 个百分点及以上为“超前”，"
            f"低 {current['behind']:g} 个百分点及以上为“滞后”；每月台账须在次月 {current['due_day']} 日（含）前报送。"
        )
        with (
            st.popover("修改阈值与截止日", icon=":material/edit:"),
            st.form("settings_rules", border=False),
        ):
            a, b, c = st.columns(3)
            ahead = a.number_input(
                "超前阈值（百分点）",
                min_value=0.0,
                max_value=100.0,
                value=float(current["ahead"]),
                step=1.0,
                format="%.1f",
                key="settings_ahead",
            )
            behind = b.number_input(
                "滞后阈值（百分点）",
                min_value=0.0,
                max_value=100.0,
                value=float(current["behind"]),
                step=1.0,
                format="%.1f",
                key="settings_behind",
            )
            due = c.number_input(
                "报送截止日（次月几日）",
                min_value=1,
                max_value=28,
                value=int(current["due_day"]),
                step=1,
                key="settings_due_day",
            )
            if st.form_submit_button("保存设置", type="primary", disabled=locked):
                _apply(
                    settings.save_thresholds,
                    ahead,
                    behind,
                    due,
                    done="设置已保存，看板已按新阈值更新。",
                )

# --- validation rules (data quality) -----------------------------------------------------------

if checks_tab.open:
    with checks_tab:
        quality_rules_tab(_apply, not access.can("rules"))


# --- layout profiles ---------------------------------------------------------------------------

if show_layouts and more_tabs[0].open:
    with more_tabs[0]:
        st.caption(
            "在“数据上传”页手动指定过的表格结构。表头逐格相同的工作表以后会自动按结构读取；"
            "删除结构不影响已导入的数据。可导出为 JSON 文件，供其他县导入使用。"
        )
        profiles = layout_profiles.load(cur)
        st.html(tables.table_html(layout_tables.profiles_table(profiles), wrap=("表头",)))
        names = [p.name for p in profiles]
        c1, c2, c3 = st.columns(3)
        with (
            c1.popover("重命名", icon=":material/edit:", width="stretch"),
            st.form("settings_layout_rename", clear_on_submit=True, border=False),
        ):
            st.markdown("**重命名**")
            old_name = st.selectbox("表格结构", names, key="settings_layout_old")
            new_name = st.text_input("新名称", key="settings_layout_new")
            if st.form_submit_button("重命名", disabled=not names):
                _apply(
                    layout_profiles.rename,
                    old_name,
                    new_name,
                    done=f"已改名为「{page_text.md_escape(new_name.strip())}」。",
                )
        with (
            c2.popover("删除", icon=":material/delete:", width="stretch"),
            st.form("settings_layout_remove", border=False),
        ):
            st.markdown("**删除**")
            doomed = st.selectbox("表格结构", names, key="settings_layout_doomed")
            sure = st.checkbox("确认删除（已导入的数据保留）", key="settings_layout_sure")
            if st.form_submit_button("删除表格结构", disabled=not names):
                if sure:
                    _apply(
                        layout_profiles.remove,
                        doomed,
                        done=f"已删除表格结构「{page_text.md_escape(doomed)}」。",
                    )
                else:
                    st.warning("请先勾选“确认删除”。", icon=":material/warning:")
        with c3.popover("导出 / 导入", icon=":material/swap_vert:", width="stretch"):
            st.markdown("**导出 / 导入**")
            st.download_button(
                f"导出全部（{len(profiles)} 个）",
                layout_profiles.export_json(profiles).encode("utf-8"),
                file_name="表格结构.json",
                mime="application/json",
                disabled=not profiles,
                key="settings_layout_export",
            )
            uploaded = st.file_uploader("导入 JSON 文件", type=["json"], key="settings_layout_file")
            if uploaded is not None and st.button("导入表格结构", key="settings_layout_import"):
                _apply(
                    layout_profiles.import_json,
                    uploaded.getvalue(),
                    done=f"已从 {page_text.md_escape(uploaded.name)} 导入表格结构。",
                )
