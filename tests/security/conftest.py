"""Fixtures of the security tests: Chromium (required when CI=true) and demo databases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minzheng import db, demo
from tests.security.server import ARGS, CHROMIUM


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A database with the demo loaded and no accounts (single-user mode)."""
    path = tmp_path_factory.mktemp("security") / "demo.duckdb"
    con = db.connect(path)
    demo.load_demo(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def browser():
    """Chromium through Playwright; skipped without it, except in CI, where that is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("Chromium is required for the security tests in CI")
        pytest.skip("Chromium not installed")
    if os.environ.get("CI") != "true":
        pytest.importorskip("playwright.sync_api")
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
