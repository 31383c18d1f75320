"""Handing a command to the running dashboard, which holds the database, through the control
channel (minzheng/store/control.py): `user …` and `backup` only."""

from __future__ import annotations

from pathlib import Path

from minzheng.cli.accounts import read_password


def forward(args) -> str | None:
    """Hand a `user` or `backup` command to the running dashboard; its message, or None when the
    command cannot go through the control channel."""
    from minzheng.store import control

    db_file = getattr(args, "db", None)
    if args.command == "backup":
        return control.request(db_file, "backup", out=str(Path(args.out).resolve()))
    if args.command != "user":
        return None
    if args.action == "add":
        password = None if args.no_password else read_password()
        fields = {"name": args.name, "role": args.role, "password": password, "email": args.email}
        return control.request(db_file, "user_add", **fields)
    if args.action == "passwd":
        return control.request(
            db_file, "user_passwd", name=args.name, password=read_password("新密码：")
        )
    if args.action == "unlock":
        return control.request(db_file, "unlock", client=args.client)
    if args.action in ("remove", "list"):
        return control.request(db_file, f"user_{args.action}", **_name_of(args))
    return control.request(db_file, "user_role", name=args.name, role=args.role)


def _name_of(args) -> dict:
    return {"name": args.name} if hasattr(args, "name") else {}
