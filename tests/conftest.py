"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from minzheng import store
from minzheng.store import login_guard
from tests.data import build


@pytest.fixture(autouse=True)
def _fresh_login_limits():
    """Each test starts with no failed logins counted (the process-wide guard)."""
    login_guard.GUARD.unlock()


@pytest.fixture(autouse=True)
def through_app_py(monkeypatch):
    """Every AppTest run goes through app.py (its login gate, then the page), as on the server
    after its first second. AppTest otherwise starts each run in Streamlit's old pages/ mode;
    the pages then stop and rerun through app.py, which drops a widget's click of that run."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(scope="session")
def test_files(tmp_path_factory) -> dict[str, Path]:
    """Every workbook of tests/data/build.py, built once per session into a fresh folder."""
    return build.build(tmp_path_factory.mktemp("workbooks"))


@pytest.fixture(scope="session")
def template_db_file(tmp_path_factory) -> Path:
    """A migrated, seeded database file made once per session; copy it, never open it."""
    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    store.connect(path).close()
    return path


@pytest.fixture
def empty_db(template_db_file, tmp_path):
    """A new migrated, seeded, empty database (a copy of the session template); closed after."""
    target = tmp_path / "empty.duckdb"
    shutil.copyfile(template_db_file, target)
    con = store.connect(target)
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory) -> Path:
    """A database with the demo data loaded, made once per session; copy it, never write to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    from minzheng.demo import loader

    con = store.connect(path)
    loader.load_demo(con)
    con.close()
    return path


@pytest.fixture
def demo_con(demo_db_file, tmp_path):
    """A private copy of the demo database (with its key file), open; closed after."""
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_file, target)
    key = demo_db_file.with_name(demo_db_file.name + ".key")
    if key.exists():
        shutil.copyfile(key, target.with_name(target.name + ".key"))
    con = store.connect(target)
    yield con
    con.close()
