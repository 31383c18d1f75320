"""The one-time setup code: how the first admin account can be made in the browser.

With no account the dashboard is in single-user mode, open only to the server itself. Someone
at another computer may create the first admin only with the code the dashboard printed to its
console (the terminal or the service log on the server), which proves they can see the server.
The code works once; after MAX_WRONG wrong codes it is replaced by a new one (printed again), so
it cannot be guessed. The command line (`python -m minzheng user add … --role admin`) needs no
code: whoever runs it is already on the server.
"""

from __future__ import annotations

import hmac
import secrets
import sys
import threading

import duckdb

from minzheng.errors import MinzhengError
from minzheng.store import auth, permissions

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a screen and typed
GROUPS, GROUP = 3, 4  # XXXX-XXXX-XXXX: 60 bits
MAX_WRONG = 5
SETUP = permissions.Actor("初始设置码", "setup")

_lock = threading.Lock()
_code: str | None = None
_wrong = 0


def _normal(text: str) -> str:
    return "".join(c for c in (text or "").upper() if c.isalnum())


def issue(out=None) -> bool:
    """Make a code and print it to the server console unless one is already waiting; True when
    a new code was printed."""
    global _code, _wrong
    with _lock:
        if _code is not None:
            return False
        _code = "-".join(
            "".join(secrets.choice(ALPHABET) for _ in range(GROUP)) for _ in range(GROUPS)
        )
        _wrong = 0
        code = _code
    print(
        f"\n民政工作进度看板尚未设置账号。初始设置码：{code}\n"
        "（只能使用一次：在浏览器中打开看板，输入此码创建第一个管理员账号；"
        "也可在服务器上运行 python -m minzheng user add 姓名 --role admin）\n",
        file=out or sys.stderr,
        flush=True,
    )
    return True


def create_first_admin(
    cur: duckdb.DuckDBPyConnection, code: str, name: str, password: str
) -> permissions.Actor:
    """Create the first admin account with the setup code; its Actor (MinzhengError otherwise)."""
    global _code, _wrong
    with _lock:
        if permissions.has_accounts(cur):
            raise MinzhengError("已经设置了账号，请登录。")
        if _code is None or not hmac.compare_digest(_normal(code), _normal(_code)):
            _wrong += 1
            if _wrong >= MAX_WRONG:
                _code = None  # a fresh code is printed at the next issue()
            raise MinzhengError(
                "初始设置码不正确。请查看服务器控制台（或服务日志）中显示的设置码。"
            )
        auth.add_user(cur, name, permissions.ADMIN, password, actor=SETUP)
        _code = None
        _wrong = 0
    return permissions.Actor(auth.clean_name(name), "web")


def reset() -> None:
    """Forget the code (tests)."""
    global _code, _wrong
    with _lock:
        _code, _wrong = None, 0


def current() -> str | None:
    """The waiting code (tests read it here instead of from the console)."""
    return _code
