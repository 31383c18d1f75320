"""Fixtures of the security tests: short temporary folders (the control socket's path must stay
under 108 bytes) and one Chromium per module."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.security.server import ARGS, CHROMIUM, need_browser


@pytest.fixture
def short_dir():
    path = Path(tempfile.mkdtemp(prefix="mzs", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    sync_api = need_browser()
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
