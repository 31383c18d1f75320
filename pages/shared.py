"""What every page shares: the one database connection of the process (demo loaded when empty)."""

import streamlit as st

from minzheng import db, demo


@st.cache_resource(show_spinner="正在打开数据库…")
def connection():
    """The process's DuckDB connection; pages take a cursor() from it for each script run."""
    con = db.connect()
    if demo.should_autoload(con):
        demo.load_demo(con)
    return con


def cursor():
    """A cursor for this script run (DuckDB connections are not shared across threads)."""
    return connection().cursor()
