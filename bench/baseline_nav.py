"""Bare Streamlit pages in a navigation menu, for the switch baseline of `bench/pages.py`.

Three pages as `bench/baseline_app.py` draws them (a title; a title and one tiny plotly chart; a
title and one small st.dataframe), reached by clicks in Streamlit's own sidebar menu: what a menu
switch costs here before the dashboard does anything.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

# The project's config hides the sidebar menu until app.py's navigation takes over (see
# pages/access.py); a bare multipage app shows it from the start.
st.set_option("client.showSidebarNavigation", True)


def title_only() -> None:
    """A title only."""
    st.title("基准页面")


def with_plotly() -> None:
    """A title and one plotly chart of 3 points."""
    st.title("基准图表")
    st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), theme=None)


def with_dataframe() -> None:
    """A title and one st.dataframe of 10 rows."""
    st.title("基准表格")
    st.dataframe(pd.DataFrame({"a": range(10), "b": range(10)}))


st.navigation(
    [
        st.Page(title_only, title="标题", url_path="title", default=True),
        st.Page(with_plotly, title="图表", url_path="plotly"),
        st.Page(with_dataframe, title="表格", url_path="dataframe"),
    ]
).run()
