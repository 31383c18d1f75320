"""A real dashboard server for the security tests: `streamlit run` on a free port of 127.0.0.1,
on its own database, started the way the README tells the bureau to run it (serve.py).

MINZHENG_SERVE_SCRIPT=app.py runs the same tests against a server started the old way (to see
them fail on code without the guard).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import ROOT

SCRIPT = os.environ.get("MINZHENG_SERVE_SCRIPT", "serve.py")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A running dashboard process; stop() ends it (and only it)."""

    def __init__(self, db_file: Path, extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = db_file.with_suffix(".log")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                SCRIPT,
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
            ],
            cwd=ROOT,
            env={**os.environ, "MINZHENG_DB": str(db_file), **(extra_env or {})},
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.perf_counter() + 90  # a loaded machine can take a while
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("streamlit did not start")

    def stop(self) -> None:
        """End the server process."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(url: str, headers: dict | None = None, method: str = "GET", data: bytes | None = None):
    """(status, headers, body) of one request without cookies (no cookie jar)."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
