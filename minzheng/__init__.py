"""民政工作进度看板: township ledgers into DuckDB, indicators in SQL, progress against the plan.

The package holds all logic and never imports streamlit; the UI lives in `app.py` and `pages/`.
"""

__version__ = "0.1.0"
