"""Finding 10 (files and processes): the database, its key and backups were readable by every
local user (0644) though they hold password hashes, the audit log and kept copies; a second
process got DuckDB's raw text with the interpreter path and a PID, and exit status 1 like a
refused file; a backup needed the dashboard stopped."""

from __future__ import annotations

import stat
import sys

from minzheng import store
from minzheng.store import auth, backup, settings
from tests.security.server import Server, cli, wait_quiet


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_running_dashboard_keeps_its_files_private_and_serves_commands(short_dir, browser):
    db_file = short_dir / "s.duckdb"
    con = store.connect(db_file)
    settings.put(con, "demo.autoload", True)
    auth.add_user(con, "张管理", "admin", "admin-pass-1")
    con.close()
    db_file.chmod(0o644)  # as an older version left it
    server = Server(db_file, short_dir / "console.log")
    try:
        server.wait_listening()
        page = browser.new_page()
        page.goto(server.url)  # the first session opens the database and loads the demo
        wait_quiet(page)
        assert "请登录" in page.inner_text("body")
        control = short_dir / "s.duckdb.control" / "socket"
        assert _mode(db_file) == 0o600
        assert _mode(control) == 0o600 and _mode(control.parent) == 0o700

        second = cli(db_file, "batches")
        assert second.returncode == 3
        assert "正在被另一个程序使用" in second.stderr
        for raw in ("PID", sys.executable, "IO Error", "Conflicting lock"):
            assert raw not in second.stderr

        out = short_dir / "online-backup"
        made = cli(db_file, "backup", "--out", out)
        assert made.returncode == 0, made.stderr
        manifest = backup.verify(out)
        assert manifest["tables"]["accounts"] == 1
        assert _mode(out) == 0o700
        assert all(_mode(p) == (0o700 if p.is_dir() else 0o600) for p in out.rglob("*"))
    finally:
        server.stop()
    key = db_file.with_name(db_file.name + ".key")
    assert key.exists() and _mode(key) == 0o600
    assert _mode(db_file) == 0o600
