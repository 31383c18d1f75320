"""The `user` command: login accounts, with passwords read from standard input."""

from __future__ import annotations

import sys

from minzheng.cli.output import csv_out
from minzheng.errors import MinzhengError
from minzheng.store import permissions


def read_password(prompt: str = "密码：") -> str:
    """The password from standard input: asked twice at a terminal, else the first line."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt)
        if getpass.getpass("再输入一次：") != first:
            raise MinzhengError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user(args, con) -> int:
    """Accounts: add, list, remove, passwd, role. The command line acts as the local operator."""
    from minzheng.store import auth, control, login_guard

    if args.action == "list":
        out = csv_out()
        out.writerow(["name", "role", "email", "password"])
        for u in auth.list_users(con):
            out.writerow([u["name"], u["role"], u["email"] or "", int(u["has_password"])])
        return 0
    if args.action == "add":
        sso_only = args.no_password
        password = None if sso_only else read_password()
        auth.add_user(con, args.name, args.role, password, email=args.email)
        print(f"已添加账号：{args.name}（{permissions.ROLE_NAMES[args.role]}）")
    elif args.action == "remove":
        auth.remove_user(con, args.name)
        print(f"已删除账号：{args.name}")
    elif args.action == "passwd":
        auth.set_password(con, args.name, read_password("新密码："))
        print(f"已修改密码：{args.name}")
    elif args.action == "unlock":
        # The limits live in the dashboard process; without it running there are none.
        print(control.unlock_message(args.client, login_guard.GUARD.unlock(args.client)))
    else:
        auth.set_role(con, args.name, args.role)
        print(f"已修改角色：{args.name}（{permissions.ROLE_NAMES[args.role]}）")
    return 0
