"""A real dashboard for the security tests: `streamlit run app.py` on a free port with its own
database, its console kept in a file (the setup code is printed there), and a Chromium.

Without Chromium or Playwright the browser tests skip locally but fail when CI=true.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import pages as bench_pages
from tests.helpers import ROOT

CHROMIUM, ARGS = bench_pages.CHROMIUM, bench_pages.ARGS


def need_browser():
    """The Playwright module, or a skip (a failure when CI=true)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("Chromium is required for the security tests in CI")
        pytest.skip("Chromium not installed")
    if os.environ.get("CI") != "true":
        pytest.importorskip("playwright.sync_api")
    from playwright import sync_api

    return sync_api


class Server:
    """One running dashboard."""

    def __init__(self, db_file: Path, log: Path, *args: str):
        self.db_file, self.log = db_file, log
        self.port = bench_pages._free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
                + ["--server.port", str(self.port), *args],
                cwd=ROOT,
                env={**os.environ, "MINZHENG_DB": str(db_file)},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_listening(self, host: str = "127.0.0.1", timeout: float = 60) -> float:
        """Seconds until the port accepts connections."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(self.console())
            try:
                with socket.create_connection((host, self.port), timeout=1):
                    return time.perf_counter() - start
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("streamlit did not start")

    def console(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the server (and wait, so the database is free again)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def cli(db_file: Path, *argv, stdin: str = "") -> subprocess.CompletedProcess:
    """`python -m minzheng …` against this database, as the operator would run it."""
    return subprocess.run(
        [sys.executable, "-m", "minzheng", *map(str, argv), "--db", str(db_file)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def wait_quiet(page, timeout: float = 60) -> None:
    """Until Streamlit has stopped running and the page stopped changing."""
    try:
        bench_pages.wait_ready(page, timeout, quiet_for=0.5, titled=False)
    except TimeoutError:
        raise AssertionError("the page did not finish loading") from None


def login(page, name: str, password: str) -> None:
    """Fill the login form and submit it."""
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    wait_quiet(page)
