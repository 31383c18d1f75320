"""Finding 9: a websocket `clear_cache` message from a client that never logged in made the server
empty every cache and reopen the database connection. A raw websocket client against a real
server (with an account, so the client is a stranger at the login form); the server process
counts its duckdb.connect calls through a sitecustomize module put on its path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from tests.helpers import ROOT
from tests.security.guard_server import Server

COUNTER = """
import os

import duckdb

_connect = duckdb.connect


def _counted(*args, **kwargs):
    with open(os.environ["MZ_CONNECT_LOG"], "a", encoding="utf-8") as log:
        log.write("connect\\n")
    return _connect(*args, **kwargs)


duckdb.connect = _counted
"""


def _rerun(ws) -> None:
    """Ask for a script run and wait until it has finished."""
    ws.send(
        BackMsg(rerun_script=ClientState(query_string="", page_script_hash="")).SerializeToString()
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        data = ws.recv(timeout=deadline - time.monotonic())
        if isinstance(data, bytes) and ForwardMsg.FromString(data).WhichOneof("type") == (
            "script_finished"
        ):
            return
    raise TimeoutError("the script run did not finish")


@pytest.fixture
def counted_server(demo_db, tmp_path):
    db_file = tmp_path / "cache.duckdb"
    shutil.copy(demo_db, db_file)
    subprocess.run(
        [sys.executable, "-m", "minzheng", "user", "add", "管理员甲", "--role", "admin"],
        input="Correct-Horse-Battery-9\n",
        text=True,
        cwd=ROOT,
        env={**os.environ, "MINZHENG_DB": str(db_file)},
        check=True,
        capture_output=True,
    )
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(COUNTER, encoding="utf-8")
    log = tmp_path / "connects.log"
    path = os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    running = Server(db_file, {"PYTHONPATH": path, "MZ_CONNECT_LOG": str(log)})
    yield running, log
    running.stop()


def _connects(log) -> int:
    return log.read_text(encoding="utf-8").count("connect") if log.exists() else 0


def test_anonymous_clear_cache_does_not_reopen_the_database(counted_server):
    server, log = counted_server
    ws_url = server.url.replace("http", "ws") + "/_stcore/stream"
    with connect(ws_url, subprotocols=["streamlit"], open_timeout=30, max_size=None) as ws:
        _rerun(ws)
        opened = _connects(log)
        assert opened >= 1, "the counter sees the server open its database"
        ws.send(BackMsg(clear_cache=True).SerializeToString())
        _rerun(ws)
        _rerun(ws)
    assert _connects(log) == opened
