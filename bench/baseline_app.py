"""A bare Streamlit page for the browser baseline of `bench/pages.py`: a title, plus one tiny
plotly chart (?parts=plotly) and/or one small st.dataframe (?parts=dataframe).

It tells what Streamlit and its lazily loaded components cost in a new browser tab on this
machine, apart from anything the dashboard does.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

parts = st.query_params.get("parts", "")
st.title("基准页面")
if "plotly" in parts:
    st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), theme=None)
if "dataframe" in parts:
    st.dataframe(pd.DataFrame({"a": range(10), "b": range(10)}))
