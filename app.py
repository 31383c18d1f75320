"""民政工作进度看板 — the Streamlit entry point: page config and navigation only."""

import streamlit as st

st.set_page_config(page_title="民政工作进度看板", page_icon="📊", layout="wide")

if st.query_params.get("mode") == "present":
    navigation = st.navigation(
        [st.Page("pages/present.py", title="会议投屏", icon="🖥️")], position="hidden"
    )
else:
    navigation = st.navigation(
        {
            "局领导": [
                st.Page(
                    "pages/overview.py", title="总览", icon="📊", default=True, url_path="overview"
                ),
                st.Page("pages/indicator.py", title="指标", icon="📈", url_path="indicator"),
                st.Page("pages/township.py", title="乡镇", icon="🏘️", url_path="township"),
                st.Page("pages/reporting.py", title="上报情况", icon="📬", url_path="reporting"),
            ],
            "业务股室": [
                st.Page("pages/upload.py", title="数据上传", icon="📤", url_path="upload"),
                st.Page("pages/batches.py", title="数据管理", icon="🗂️", url_path="batches"),
                st.Page("pages/plan.py", title="年度计划", icon="🎯", url_path="plan"),
                st.Page("pages/settings.py", title="设置", icon="⚙️", url_path="settings"),
            ],
            "会议": [st.Page("pages/present.py", title="会议投屏", icon="🖥️", url_path="present")],
        }
    )
navigation.run()
