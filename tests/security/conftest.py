"""Fixtures of the security tests: short temporary folders (the control socket's path must stay
under 108 bytes), a demo database without accounts, and one Chromium per module (required when
CI=true)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from minzheng import store
from minzheng.demo import loader
from tests.security.server import ARGS, CHROMIUM, need_browser


@pytest.fixture
def short_dir():
    path = Path(tempfile.mkdtemp(prefix="mzs", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A database with the demo loaded and no accounts (single-user mode)."""
    path = tmp_path_factory.mktemp("security") / "demo.duckdb"
    con = store.connect(path)
    loader.load_demo(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def browser():
    sync_api = need_browser()
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
