"""`python -m minzheng user …`: accounts from the command line, the password read from standard
input (never an argument), every change in the audit log as the local operator."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import duckdb

from minzheng import cli, store
from minzheng.store import auth
from tests.helpers import ROOT


def run(capsys, monkeypatch, stdin: str, *argv) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_add_list_passwd_role_remove(tmp_path, capsys, monkeypatch):
    path = tmp_path / "u.duckdb"
    code, out, _ = run(
        capsys,
        monkeypatch,
        "first-pass-1\n",
        "user",
        "add",
        "王主任",
        "--role",
        "admin",
        "--db",
        path,
    )
    assert code == 0 and out.strip() == "已添加账号：王主任（管理）"
    code, out, _ = run(
        capsys, monkeypatch, "", "user", "add", "李", "--role", "viewer", "--email", "Li@X.cn",
        "--no-password", "--db", path,
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, monkeypatch, "", "user", "list", "--db", path)
    assert out.splitlines() == [
        "name,role,email,password",
        "李,viewer,li@x.cn,0",
        "王主任,admin,,1",
    ]
    code, out, _ = run(
        capsys, monkeypatch, "second-pass-2\n", "user", "passwd", "王主任", "--db", path
    )
    assert code == 0 and "已修改密码" in out
    code, out, _ = run(
        capsys, monkeypatch, "", "user", "role", "李", "--role", "analyst", "--db", path
    )
    assert code == 0 and out.strip() == "已修改角色：李（填报）"
    code, out, _ = run(capsys, monkeypatch, "", "user", "remove", "李", "--db", path)
    assert code == 0 and out.strip() == "已删除账号：李"
    con = store.connect(path)
    try:
        stored = con.execute("SELECT password_hash FROM accounts WHERE name = '王主任'").fetchone()[
            0
        ]
        assert auth.verify_password(stored, "second-pass-2")
        assert not auth.verify_password(stored, "first-pass-1")
        log = con.execute("SELECT action, via, role FROM audit_log ORDER BY entry_id").fetchall()
        assert [a for a, _v, _r in log] == [
            "user_add",
            "user_add",
            "user_passwd",
            "user_role",
            "user_remove",
        ]
        assert {(v, r) for _a, v, r in log} == {("cli", "admin")}
        dump = str(con.execute("SELECT * FROM audit_log").fetchall())
        assert "first-pass-1" not in dump and "second-pass-2" not in dump
    finally:
        con.close()


def test_errors_are_chinese_and_exit_1(tmp_path, capsys, monkeypatch):
    path = tmp_path / "u.duckdb"
    code, _out, err = run(
        capsys, monkeypatch, "short\n", "user", "add", "王", "--role", "admin", "--db", path
    )
    assert code == 1 and "密码至少需要 8 个字符" in err
    code, _out, err = run(
        capsys, monkeypatch, "long-enough\n", "user", "add", "王", "--role", "viewer", "--db", path
    )
    assert code == 1 and "第一个账号必须是管理员" in err
    code, _out, err = run(capsys, monkeypatch, "", "user", "remove", "没有这个人", "--db", path)
    assert code == 1 and "没有名为“没有这个人”的账号" in err


def test_usage_errors_exit_2(tmp_path, capsys, monkeypatch):
    for argv in (["user"], ["user", "add", "王"], ["user", "add", "王", "--role", "boss"]):
        try:
            run(capsys, monkeypatch, "", *argv, "--db", tmp_path / "u.duckdb")
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"{argv} should be a usage error")


def test_the_password_comes_through_a_real_pipe(tmp_path):
    path = tmp_path / "p.duckdb"
    env = {**os.environ, "MINZHENG_DB": str(path)}
    done = subprocess.run(
        [sys.executable, "-m", "minzheng", "user", "add", "张", "--role", "admin"],
        input="piped-pass-1\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "piped-pass-1" not in done.stdout + done.stderr
    con = duckdb.connect(str(path), read_only=True)
    try:
        stored = con.execute("SELECT password_hash FROM accounts").fetchone()[0]
    finally:
        con.close()
    assert auth.verify_password(stored, "piped-pass-1")
