"""The control channel: account and backup commands while the dashboard holds the database.

DuckDB lets one process open the file, so while the dashboard runs `python -m minzheng user
passwd` could not. The dashboard process therefore listens on a Unix socket in a folder beside
the database (`<db>.control/socket`, folder 0700, socket 0600) and runs the few commands below
for a client of the same operating-system user (checked with SO_PEERCRED). The command line
tries it when it finds the database in use. One JSON request and one JSON answer per
connection; a password travels only over the socket, never through a file.
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import io
import json
import logging
import os
import socket
import struct
import threading
import weakref
from pathlib import Path

import duckdb

from minzheng import config
from minzheng.errors import MinzhengError
from minzheng.store import auth, backup, login_guard, permissions

log = logging.getLogger(__name__)
_MAX_REQUEST = 64 * 1024
_TIMEOUT = 300.0  # seconds: a backup of a large database takes a while


class Unavailable(MinzhengError):
    """No dashboard is listening for this database."""


def folder(db_file: str | os.PathLike | None = None) -> Path:
    """The control folder of the database."""
    target = config.db_path(db_file)
    return target.with_name(target.name + ".control")


def socket_path(db_file: str | os.PathLike | None = None) -> Path:
    """The socket the dashboard of this database listens on."""
    return folder(db_file) / "socket"


# --- what the channel may do ------------------------------------------------------------------


def _user_list(cur, actor, args) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "role", "email", "password"])
    for u in auth.list_users(cur):
        writer.writerow([u["name"], u["role"], u["email"] or "", int(u["has_password"])])
    return out.getvalue().rstrip("\n")


def _user_add(cur, actor, args) -> str:
    auth.add_user(
        cur, args["name"], args["role"], args.get("password"), email=args.get("email"), actor=actor
    )
    return f"已添加账号：{args['name']}（{permissions.ROLE_NAMES[args['role']]}）"


def _user_remove(cur, actor, args) -> str:
    auth.remove_user(cur, args["name"], actor=actor)
    return f"已删除账号：{args['name']}"


def _user_passwd(cur, actor, args) -> str:
    auth.set_password(cur, args["name"], args["password"], actor=actor)
    return f"已修改密码：{args['name']}"


def _user_role(cur, actor, args) -> str:
    auth.set_role(cur, args["name"], args["role"], actor=actor)
    return f"已修改角色：{args['name']}（{permissions.ROLE_NAMES[args['role']]}）"


def _unlock(cur, actor, args) -> str:
    return unlock_message(args.get("client"), login_guard.GUARD.unlock(args.get("client")))


def unlock_message(client: str | None, count: int) -> str:
    """What `user unlock` reports (Chinese)."""
    if client:
        return f"已解除 {client} 的登录限制" if count else f"{client} 没有登录限制"
    return f"已解除全部登录限制（{count} 个地址）" if count else "当前没有被限制登录的地址"


def _backup(cur, actor, args) -> str:
    manifest = backup.create(cur, args["out"])
    return backup.summary(args["out"], manifest)


OPERATIONS = {
    "user_list": _user_list,
    "user_add": _user_add,
    "user_remove": _user_remove,
    "user_passwd": _user_passwd,
    "user_role": _user_role,
    "unlock": _unlock,
    "backup": _backup,
}


# --- the dashboard's side -----------------------------------------------------------------------


def _peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _answer(con: duckdb.DuckDBPyConnection, raw: bytes) -> dict:
    try:
        request = json.loads(raw.decode("utf-8"))
        handler = OPERATIONS[request["op"]]
        args = dict(request.get("args") or {})
        # The command line's own operating-system user, as it would act on the file itself.
        actor = permissions.Actor(str(request.get("user") or "unknown")[:64], "cli")
    except (ValueError, KeyError, TypeError, AttributeError):
        return {"ok": False, "message": "看板无法识别这条命令"}
    cur = con.cursor()
    try:
        return {"ok": True, "message": handler(cur, actor, args)}
    except MinzhengError as exc:
        return {"ok": False, "message": str(exc)}
    except Exception:
        log.exception("control request %s failed", request.get("op"))
        return {"ok": False, "message": "看板执行这条命令时出错，详情见看板的日志"}
    finally:
        cur.close()


def _serve(con_ref: weakref.ref, listener: socket.socket) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return  # the listener was closed
        con = con_ref()
        if con is None:  # the dashboard let go of its connection
            conn.close()
            listener.close()
            return
        with conn:
            try:
                conn.settimeout(10)
                if _peer_uid(conn) != os.getuid():
                    continue
                raw = b""
                while chunk := conn.recv(4096):
                    raw += chunk
                    if len(raw) > _MAX_REQUEST:
                        break
                reply = _answer(con, raw)
                conn.sendall(json.dumps(reply, ensure_ascii=False).encode("utf-8"))
            except OSError as exc:
                log.warning("control request dropped: %s", exc)
                continue
            finally:
                del con  # only a weak reference between requests: the owner may close it


def serve(con: duckdb.DuckDBPyConnection, db_file: str | os.PathLike) -> socket.socket | None:
    """Listen for commands for this database on a background thread; the listening socket.

    None (with a log line) when the socket cannot be made, e.g. a read-only folder: the dashboard
    then runs without the channel.
    """
    path = socket_path(db_file)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.parent.chmod(0o700)
        if path.exists():  # left by a dashboard that ended without cleaning up
            path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)
        try:
            listener.bind(str(path))
        finally:
            os.umask(previous)
        path.chmod(0o600)
        listener.listen(8)
    except OSError as exc:
        log.warning("control channel not available at %s: %s", path, exc)
        return None
    # A weak reference, so that the channel never keeps a released connection (and the file
    # lock) alive; stop() closes the listener when the owner lets the connection go.
    threading.Thread(
        target=_serve, args=(weakref.ref(con), listener), name="control", daemon=True
    ).start()
    _listeners[id(con)] = (listener, path)
    return listener


_listeners: dict[int, tuple[socket.socket, Path]] = {}


def stop(con: duckdb.DuckDBPyConnection) -> None:
    """Stop serving for this connection (before it is closed or dropped)."""
    listener, path = _listeners.pop(id(con), (None, None))
    if listener is None:
        return
    with contextlib.suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
    with contextlib.suppress(OSError):
        listener.close()
    with contextlib.suppress(OSError):
        path.unlink()


# --- the command line's side --------------------------------------------------------------------


def request(db_file: str | os.PathLike | None, op: str, **args) -> str:
    """Have the running dashboard of this database do `op`; its message (MinzhengError if it
    refused, Unavailable when no dashboard listens)."""
    path = socket_path(db_file)
    payload = json.dumps({"op": op, "args": args, "user": _os_user()}, ensure_ascii=False)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with client:
        client.settimeout(_TIMEOUT)
        try:
            client.connect(str(path))
        except OSError:
            raise Unavailable("看板未在运行，或没有打开控制通道") from None
        client.sendall(payload.encode("utf-8"))
        client.shutdown(socket.SHUT_WR)
        raw = b""
        while chunk := client.recv(4096):
            raw += chunk
    try:
        reply = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise MinzhengError("看板没有回应这条命令，请查看看板的日志") from None
    if not reply.get("ok"):
        raise MinzhengError(reply.get("message") or "看板拒绝了这条命令")
    return reply.get("message", "")


def _os_user() -> str:
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return "unknown"
