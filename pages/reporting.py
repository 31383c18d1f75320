"""Placeholder page: reporting (being built)."""

import streamlit as st

st.title("建设中")
