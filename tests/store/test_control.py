"""The control channel: `user …` and `backup` from the command line reach the process that holds
the database (a running dashboard), over an owner-only Unix socket."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from minzheng import store
from minzheng.store import auth, backup, control, login_guard
from tests.helpers import ROOT

HOLDER = """
import sys
from minzheng import store
from minzheng.store import control
con = store.connect(sys.argv[1])
control.serve(con, sys.argv[1])
print("open", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def short_dir():
    """A folder with a short path (a Unix socket path must stay under 108 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="mzc", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def held(short_dir):
    """A database with an admin, held open by another process that serves the channel."""
    path = short_dir / "c.duckdb"
    con = store.connect(path)
    auth.add_user(con, "管理员", "admin", "first-pass-1")
    con.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout.readline().strip() == "open"
    yield path
    holder.communicate("", timeout=30)


def cli(*argv, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "minzheng", *map(str, argv)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_passwd_list_and_backup_while_another_process_holds_the_database(held, short_dir):
    result = cli("user", "passwd", "管理员", "--db", held, stdin="second-pass-2\n")
    assert (result.returncode, result.stdout.strip()) == (0, "已修改密码：管理员"), result.stderr
    result = cli("user", "add", "李", "--role", "analyst", "--db", held, stdin="li-pass-123\n")
    assert result.returncode == 0, result.stderr
    result = cli("user", "list", "--db", held)
    assert result.stdout.splitlines()[1:] == ["李,analyst,,1", "管理员,admin,,1"]
    assert cli("user", "unlock", "--db", held).stdout.strip() == "当前没有被限制登录的地址"
    out = short_dir / "bk"
    result = cli("backup", "--out", out, "--db", held)
    assert result.returncode == 0 and "已备份到" in result.stdout, result.stderr
    manifest = backup.verify(out)
    assert manifest["tables"]["accounts"] == 2
    # the refusals of the holder come back as they are, with exit status 1
    result = cli("user", "remove", "没有这个人", "--db", held)
    assert result.returncode == 1 and "没有名为“没有这个人”的账号" in result.stderr
    # commands the channel does not carry say the database is in use: exit status 3
    result = cli("batches", "--db", held)
    assert result.returncode == 3 and "同一时间只能由一个程序打开它" in result.stderr


def test_channel_in_process(short_dir):
    path = short_dir / "p.duckdb"
    con = store.connect(path)
    auth.add_user(con, "管理员", "admin", "first-pass-1")
    control.serve(con, path)
    try:
        sock = control.socket_path(path)
        assert stat.S_IMODE(sock.stat().st_mode) == 0o600
        assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700
        for n in range(5):
            login_guard.GUARD.failed("10.0.0.5", 5, 15)
            assert n < 4 or login_guard.GUARD.locked_clients() == ["10.0.0.5"]
        assert control.request(path, "unlock", client="10.0.0.5") == "已解除 10.0.0.5 的登录限制"
        assert login_guard.GUARD.locked_clients() == []
        control.request(path, "user_passwd", name="管理员", password="second-pass-2")
        assert auth.verify_password(
            con.execute("SELECT password_hash FROM accounts").fetchone()[0], "second-pass-2"
        )
        entry = con.execute(
            "SELECT username, action, target FROM audit_log WHERE action = 'user_passwd'"
        ).fetchone()
        assert entry[1:] == ("user_passwd", "管理员")
        with pytest.raises(Exception, match="至少需要 8 个字符"):
            control.request(path, "user_passwd", name="管理员", password="short")
    finally:
        control.stop(con)
        con.close()
    with pytest.raises(control.Unavailable):
        control.request(path, "user_list")


def test_a_garbled_request_is_refused(short_dir):
    path = short_dir / "g.duckdb"
    con = store.connect(path)
    control.serve(con, path)
    try:
        import socket

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(control.socket_path(path)))
            client.sendall(b'{"op": "drop_everything"}')
            client.shutdown(socket.SHUT_WR)
            reply = json.loads(client.recv(4096).decode())
        assert reply == {"ok": False, "message": "看板无法识别这条命令"}
    finally:
        control.stop(con)
        con.close()
