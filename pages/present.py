"""Placeholder page: present (being built)."""

import streamlit as st

st.title("建设中")
