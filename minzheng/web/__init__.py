"""Serving the dashboard: the guard in front of Streamlit (hosts, headers, session-bound uploads
and downloads) and the record of which browser sessions are alive. Never imports Streamlit."""
