"""审计日志: every write, login and refusal — filter by user, action and date; export to Excel.
Admins only (the page is in the navigation for admins, and checks again here)."""

import datetime as dt

import streamlit as st

from minzheng.outputs import xlsx
from minzheng.store import audit
from pages import access, handout
from pages.shared import cursor

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

cur = cursor()
st.title("审计日志")
if not access.can("audit"):
    access.explain("audit")
    st.stop()
st.caption(
    "记录每一次导入、撤销、恢复、计划和设置修改、账号变动，以及每一次登录、登录失败和退出。"
    "日志只能追加，任何人（包括管理员）都不能在看板中修改或删除。日志中没有密码和服务对象的个人信息。"
)

users = audit.usernames(cur)
f1, f2, f3 = st.columns([2, 2, 2])
who = f1.multiselect("用户", users, key="audit_users", placeholder="全部用户")
what = f2.multiselect(
    "操作",
    list(audit.ACTIONS),
    format_func=audit.ACTIONS.get,
    key="audit_actions",
    placeholder="全部操作",
)
today = dt.date.today()
span = f3.date_input(
    "日期",
    value=(today - dt.timedelta(days=30), today),
    key="audit_dates",
    format="YYYY-MM-DD",
)
start, end = (span[0], span[-1]) if isinstance(span, tuple | list) and span else (None, None)

shown = audit.table(audit.entries(cur, users=who, actions=what, start=start, end=end))
st.caption(f"共 {len(shown):,} 条记录")
st.dataframe(
    shown,
    hide_index=True,
    column_config={
        "时间": st.column_config.DatetimeColumn("时间", format="YYYY-MM-DD HH:mm:ss"),
        "修改前": st.column_config.TextColumn("修改前", width="medium"),
        "修改后": st.column_config.TextColumn("修改后", width="medium"),
    },
)
note = f"导出时间：{dt.datetime.now():%Y-%m-%d %H:%M}；导出人：{access.actor().name}"
handout.download(
    "导出 Excel",
    lambda _cur: xlsx.audit_log_to_xlsx(shown, note),
    f"审计日志_{today:%Y%m%d}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="audit_export",
    action="audit_export",
    right="audit",
    detail=f"{len(shown)} 条",
    disabled=shown.empty,
)
