"""民政工作进度看板 — the Streamlit entry point: page config and navigation only."""

from pathlib import Path

import streamlit as st

from pages import access, handout
from pages.shared import autoload_demo

access.leave_old_pages_mode()  # before anything is drawn (the first seconds after a start)
st.set_page_config(
    page_title="民政工作进度看板",
    page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
    layout="wide",
)
handout.begin_run()  # links and upload rights of the previous run end here (logout included)
signed_in = access.gate()  # None: the login form is shown instead of any page

if st.query_params.get("mode") == "present":
    navigation = st.navigation(
        [st.Page("pages/present.py", title="会议投屏", icon=":material/present_to_all:")],
        position="hidden",
    )
else:
    navigation = st.navigation(
        {
            "局领导": [
                st.Page(
                    "pages/home.py",
                    title="总览",
                    icon=":material/dashboard:",
                    default=True,
                ),
                st.Page(
                    "pages/indicator.py",
                    title="指标",
                    icon=":material/trending_up:",
                    url_path="indicator",
                ),
                st.Page(
                    "pages/township.py",
                    title="乡镇",
                    icon=":material/holiday_village:",
                    url_path="township",
                ),
                st.Page(
                    "pages/reporting.py",
                    title="上报情况",
                    icon=":material/mark_email_unread:",
                    url_path="reporting",
                ),
            ],
            "业务股室": [
                st.Page(
                    "pages/upload.py",
                    title="数据上传",
                    icon=":material/upload_file:",
                    url_path="upload",
                ),
                st.Page(
                    "pages/manage_data.py",
                    title="数据管理",
                    icon=":material/folder_managed:",
                    url_path="batches",
                ),
                st.Page(
                    "pages/year_plan.py", title="年度计划", icon=":material/flag:", url_path="plan"
                ),
            ]
            + access.quality_pages()  # 数据质量: analysts and admins
            + [
                st.Page(
                    "pages/configure.py",
                    title="设置",
                    icon=":material/settings:",
                    url_path="settings",
                ),
            ],
            "会议": [
                st.Page(
                    "pages/present.py",
                    title="会议投屏",
                    icon=":material/present_to_all:",
                    url_path="present",
                )
            ],
        }
        | access.admin_group(),  # 管理 (audit log, accounts): admins only
        position=access.menu(signed_in),
    )
autoload_demo()  # after the menu is drawn: a new database shows a progress bar meanwhile
access.follow_link(navigation, signed_in)  # a shared link's page survives the login form
if signed_in:
    access.passed_gate()
    navigation.run()
