"""The app starts on an empty database, loads the demo through the import path and renders."""

import duckdb
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT


def test_app_on_empty_database_loads_demo(tmp_path, monkeypatch):
    db_file = tmp_path / "app.duckdb"
    monkeypatch.setenv("MINZHENG_DB", str(db_file))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "民政工作进度看板"
    assert len(at.subheader) >= 4  # the cards, the matrix and the behind list are drawn
    from pages import shared

    shared.connection.clear()  # release the file so it can be inspected
    con = duckdb.connect(str(db_file), read_only=True)
    demo_batches = con.execute("SELECT count(*) FROM batches WHERE is_demo").fetchone()[0]
    assert demo_batches >= 80
