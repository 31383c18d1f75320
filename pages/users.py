"""账号: the accounts that may log in and their roles — add, change role, reset password,
remove. Admins only; every change goes to the audit log."""

import streamlit as st

from minzheng.errors import MinzhengError
from minzheng.store import auth, permissions
from minzheng.views import page_text
from pages import access
from pages.shared import cursor

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

cur = cursor()
state = st.session_state
st.title("账号")
if not permissions.has_accounts(cur):
    st.info(
        "尚未设置账号：看板处于单用户模式，只接受服务器本机的访问。"
        "创建第一个管理员后，所有人（包括本机）都须登录使用。",
        icon=":material/info:",
    )
    access.first_admin_form()
    st.stop()
if not access.can("users"):
    access.explain("users")
    st.stop()
st.caption(
    "“查看”只能浏览；“填报”还能上传台账、修改年度计划、撤销或恢复自己导入的批次；"
    "“管理”可以做所有操作，包括设置和账号。修改角色后立即生效，对方正在使用的页面也不例外。"
)
if state.get("users_flash"):
    st.success(state.pop("users_flash"), icon=":material/check_circle:")

accounts = auth.list_users(cur)
st.dataframe(
    [
        {
            "用户名": u["name"],
            "角色": permissions.ROLE_NAMES[u["role"]],
            "统一身份认证邮箱": u["email"] or "",
            "密码登录": "是" if u["has_password"] else "否",
            "创建时间": u["created_at"],
        }
        for u in accounts
    ],
    hide_index=True,
    column_config={
        "创建时间": st.column_config.DatetimeColumn("创建时间", format="YYYY-MM-DD HH:mm")
    },
)


def _apply(action, *args, done: str, **kwargs) -> None:
    try:
        action(cur, *args, actor=access.actor(), **kwargs)
    except MinzhengError as exc:
        st.error(page_text.md_escape(exc), icon=":material/error:")
    else:
        state["users_flash"] = done
        st.rerun()


role_label = permissions.ROLE_NAMES.get
names = [u["name"] for u in accounts]
c1, c2 = st.columns(2)
with c1, st.form("users_add", clear_on_submit=True, border=True):
    st.markdown("**添加账号**")
    name = st.text_input("用户名", key="users_add_name")
    role = st.selectbox("角色", permissions.ROLES, format_func=role_label, key="users_add_role")
    password = st.text_input("初始密码（至少 8 个字符）", type="password", key="users_add_pw")
    email = st.text_input("统一身份认证邮箱（可不填）", key="users_add_email")
    if st.form_submit_button("添加账号", type="primary"):
        _apply(
            auth.add_user,
            name,
            role,
            password,
            email=email or None,
            done=f"已添加账号“{page_text.md_escape(name.strip())}”。",
        )
with c2, st.container(border=True):
    st.markdown("**修改账号**")
    if names:
        chosen = st.selectbox("账号", names, key="users_pick")
        new_role = st.selectbox(
            "新角色", permissions.ROLES, format_func=role_label, key="users_new_role"
        )
        if st.button("修改角色", key="users_set_role"):
            _apply(
                auth.set_role,
                chosen,
                new_role,
                done=f"已修改“{page_text.md_escape(chosen)}”的角色。",
            )
        new_pw = st.text_input("新密码（至少 8 个字符）", type="password", key="users_new_pw")
        if st.button("重设密码", key="users_set_pw", disabled=not new_pw):
            _apply(
                auth.set_password,
                chosen,
                new_pw,
                done=f"已重设“{page_text.md_escape(chosen)}”的密码。",
            )
        sure = st.checkbox("确认删除这个账号", key="users_confirm_remove")
        if st.button("删除账号", key="users_remove", disabled=not sure):
            state.pop("users_confirm_remove", None)
            _apply(auth.remove_user, chosen, done=f"已删除账号“{page_text.md_escape(chosen)}”。")
    else:
        st.caption("还没有账号。")
