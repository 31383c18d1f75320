"""Placeholder page: upload (being built)."""

import streamlit as st

st.title("建设中")
