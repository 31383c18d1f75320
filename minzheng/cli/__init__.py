"""`python -m minzheng`: every command, its output and exit codes, as docs/cli.md states them.

Output formats of ingest, indicators and progress are a stable interface: change only by adding.
Exit status: 0 success, 1 when a file was refused or an operation failed, 2 for usage errors,
3 when the database is in use by another process (a running dashboard) and the command cannot
be handed to it. While the dashboard runs, `user …` and `backup` go to it through the control
channel (minzheng/store/control.py).

This module holds the parser and `main`; the commands are in data, reports, reference, accounts
and quality, each importing what it uses only when it runs, so `--help` loads no DuckDB, pandas,
pyarrow or argon2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from minzheng.cli.accounts import cmd_user
from minzheng.cli.data import (
    cmd_backup,
    cmd_batches,
    cmd_demo,
    cmd_ingest,
    cmd_plan,
    cmd_remove_demo,
    cmd_restore,
    cmd_rollback,
)
from minzheng.cli.forwarding import forward
from minzheng.cli.quality import cmd_quality, cmd_rules
from minzheng.cli.reference import cmd_catalog, cmd_layouts, cmd_units
from minzheng.cli.reports import (
    cmd_export,
    cmd_indicators,
    cmd_progress,
    cmd_report,
    cmd_summary,
    cmd_template,
)
from minzheng.errors import MinzhengError
from minzheng.measures import rule_terms
from minzheng.store import permissions


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exits with status 2 on usage errors)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="数据库文件（默认：环境变量 MINZHENG_DB，否则 data/minzheng.duckdb）",
    )
    parser = argparse.ArgumentParser(
        prog="python -m minzheng", description="民政工作进度看板命令行", parents=[common]
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="导入乡镇台账文件或文件夹")
    p.add_argument("paths", nargs="+")
    p.add_argument(
        "--replace", action="store_true", help="以本文件更正已导入的重叠数据（旧数据保留可恢复）"
    )
    p.add_argument("--user", help="记录为导入人（默认：当前系统用户）")
    p.add_argument(
        "--explain",
        action="store_true",
        help="逐个工作表说明是如何读取的（表头、各列含义、跳过的内容）",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("plan", parents=[common], help="导入年度计划")
    p.add_argument("path")
    p.add_argument("--year", type=int, required=True)
    p.add_argument(
        "--explain",
        action="store_true",
        help="先逐张工作表说明计划表是怎样读取的（表头、行列各是什么）",
    )
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("indicators", parents=[common], help="各指标分乡镇分月完成数（CSV）")
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("progress", parents=[common], help="年度计划完成进度（CSV）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", type=_date, dest="as_of")
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("template", parents=[common], help="生成乡镇填报模板（.xlsx）")
    p.add_argument("--township", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("export", parents=[common], help="导出年度进度工作簿（.xlsx，可打印）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", type=_date, dest="as_of")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", parents=[common], help="生成年度报告初稿（.docx）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", type=_date, dest="as_of")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--no-charts", action="store_true", help="不插入图表图片")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("summary", parents=[common], help="生成总览一页纸汇总（可打印的 .html）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", type=_date, dest="as_of")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("demo", parents=[common], help="导入内置演示数据")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("remove-demo", parents=[common], help="一键删除演示数据")
    p.set_defaults(func=cmd_remove_demo)

    p = sub.add_parser("batches", parents=[common], help="列出导入批次（CSV）")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("rollback", parents=[common], help="撤销一个导入批次")
    p.add_argument("batch", type=int)
    p.set_defaults(func=cmd_rollback)
    p = sub.add_parser(
        "restore", parents=[common], help="恢复已撤销的批次（批次号），或从备份目录恢复整个数据库"
    )
    p.add_argument("batch", metavar="批次号或备份目录")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("backup", parents=[common], help="备份数据库、保留的原件和密钥到新目录")
    p.add_argument("--out", required=True, help="备份目录（须不存在或为空）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("catalog", parents=[common], help="维护指标目录")
    csub = p.add_subparsers(dest="action", required=True)
    q = csub.add_parser("add-synonym", parents=[common], help="为指标添加同义词")
    q.add_argument("key")
    q.add_argument("text")
    q = csub.add_parser("add-indicator", parents=[common], help="新增指标")
    q.add_argument("key")
    q.add_argument("text", help="规范类别名称")
    q.add_argument("unit", help="计量单位，如 场、份、人次")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("units", parents=[common], help="维护报送单位")
    usub = p.add_subparsers(dest="action", required=True)
    q = usub.add_parser("add-alias", parents=[common])
    q.add_argument("name")
    q.add_argument("alias")
    q = usub.add_parser("retire", parents=[common])
    q.add_argument("name")
    q = usub.add_parser("add", parents=[common])
    q.add_argument("name")
    q.add_argument("--code")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("rules", parents=[common], help="维护数据校验规则")
    rsub = p.add_subparsers(dest="action", required=True)
    q = rsub.add_parser("add", parents=[common], help="添加规则")
    q.add_argument("left", help="左边：指标键、distinct(指标键)、数字，用 + 连接")
    q.add_argument("operator", help="比较符：= <= >= < >")
    q.add_argument("right", help="右边，写法同左边")
    q.add_argument("--period", choices=list(rule_terms.PERIODS), required=True)
    q.add_argument("--scope", choices=list(rule_terms.SCOPES), required=True)
    q.add_argument("--severity", choices=rule_terms.SEVERITIES, default="警告")
    q.add_argument("--explanation", required=True, help="中文说明，核实时显示")
    rsub.add_parser("list", parents=[common], help="列出有效规则（CSV）")
    q = rsub.add_parser("remove", parents=[common], help="删除规则（保留记录）")
    q.add_argument("rule_id", type=int)
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("quality", parents=[common], help="数据质量问题清单（CSV）")
    p.add_argument("--year", type=int)
    p.set_defaults(func=cmd_quality)

    p = sub.add_parser("user", parents=[common], help="管理登录账号（密码从标准输入读取）")
    usub = p.add_subparsers(dest="action", required=True)
    q = usub.add_parser("add", parents=[common], help="添加账号")
    q.add_argument("name")
    q.add_argument("--role", choices=permissions.ROLES, required=True)
    q.add_argument("--email", help="统一身份认证（单点登录）使用的电子邮箱")
    q.add_argument("--no-password", action="store_true", help="不设密码，只能通过统一身份认证登录")
    usub.add_parser("list", parents=[common], help="列出账号（CSV）")
    q = usub.add_parser("remove", parents=[common], help="删除账号")
    q.add_argument("name")
    q = usub.add_parser("passwd", parents=[common], help="修改密码")
    q.add_argument("name")
    q = usub.add_parser("unlock", parents=[common], help="解除登录失败造成的登录限制")
    q.add_argument("--client", help="只解除这个地址（默认：全部）")
    q = usub.add_parser("role", parents=[common], help="修改角色")
    q.add_argument("name")
    q.add_argument("--role", choices=permissions.ROLES, required=True)
    p.set_defaults(func=cmd_user)

    p = sub.add_parser("layouts", parents=[common], help="管理上传时手动指定的表格结构")
    lsub = p.add_subparsers(dest="action", required=True)
    lsub.add_parser("list", parents=[common], help="列出表格结构（CSV）")
    q = lsub.add_parser("show", parents=[common], help="显示一个表格结构")
    q.add_argument("name")
    q = lsub.add_parser("remove", parents=[common], help="删除一个表格结构（已导入的数据保留）")
    q.add_argument("name")
    q = lsub.add_parser("export", parents=[common], help="导出全部表格结构为 JSON")
    q.add_argument("--out", required=True)
    q = lsub.add_parser("import", parents=[common], help="从 JSON 导入表格结构")
    q.add_argument("file")
    p.set_defaults(func=cmd_layouts)
    return parser


def main(argv: list[str] | None = None, *, private: bool = False) -> int:
    """Run one command; returns the exit status. `private`: make every file this process
    creates owner-only (`python -m minzheng` does; tests calling in-process do not)."""
    args = build_parser().parse_args(argv)  # --help and usage errors end here, nothing loaded
    if args.command == "ingest":
        # The first file is read while DuckDB, pandas and pyarrow load and the database opens.
        from minzheng.intake import readahead

        args.first_file = readahead.FirstFile(args.paths)
        try:
            return _run(args, private)
        finally:
            args.first_file.close()
    return _run(args, private)


def _run(args: argparse.Namespace, private: bool) -> int:
    from minzheng import store
    from minzheng.intake import upgrades
    from minzheng.store import control, db

    if private:
        db.private_files()  # the database, its log, backups and outputs: owner only

    try:
        con = store.connect(getattr(args, "db", None))
    except db.DatabaseInUse as exc:
        _wait_for_reading(args)
        try:
            message = forward(args)
        except control.Unavailable:
            message = None
        except MinzhengError as refused:
            print(str(refused), file=sys.stderr)
            return 1
        if message is None:
            print(str(exc), file=sys.stderr)
            return 3
        print(message)
        return 0
    except MinzhengError as exc:
        _wait_for_reading(args)
        print(str(exc), file=sys.stderr)
        return 1
    except BaseException:
        _wait_for_reading(args)  # the traceback is not caught with the reader's native output
        raise
    try:
        upgrades.run_pending(con)
        return args.func(args, con)
    except BaseException as exc:
        _wait_for_reading(args)
        if not isinstance(exc, MinzhengError):
            raise
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        con.close()


def _wait_for_reading(args: argparse.Namespace) -> None:
    """Let the read-ahead of `ingest` end before anything is printed (readahead.py)."""
    first_file = getattr(args, "first_file", None)
    if first_file is not None:
        first_file.close()
