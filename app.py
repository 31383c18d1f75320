"""民政工作进度看板 — the Streamlit entry point: page config and navigation only."""

import streamlit as st

st.set_page_config(page_title="民政工作进度看板", page_icon="📊", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/overview.py", title="总览", icon="📊", default=True),
    ]
)
navigation.run()
