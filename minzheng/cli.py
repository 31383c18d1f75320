"""`python -m minzheng`: every command, its output and exit codes, as docs/cli.md states them.

Output formats of ingest, indicators and progress are a stable interface: change only by adding.
Exit status: 0 success, 1 when a file was refused or an operation failed, 2 for usage errors,
3 when the database is in use by another process (a running dashboard) and the command cannot
be handed to it. While the dashboard runs, `user …` and `backup` go to it through the control
channel (minzheng/control.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from minzheng.errors import MinzhengError, PlanError
from minzheng.measures import rule_terms
from minzheng.store import permissions

if TYPE_CHECKING:
    from minzheng.store import layout_profiles


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def _ratio(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.4f}"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def cmd_ingest(args, con) -> int:
    from minzheng.intake import ingest, outliers

    results = []
    # Each line as soon as its file is done: what was loaded shows even if the run is cut short.
    for result in ingest.iter_ingest_paths(con, args.paths, replace=args.replace, user=args.user):
        results.append(result)
        print(result.line(), flush=True)
        if args.explain:
            for sheet, sentence in result.check.explanations.items():
                print(f"  「{sheet}」{sentence}")
        if result.status == ingest.LOADED:
            for line in outliers.lines(result.check.flags):
                print("  " + line)
    if not results:
        print("没有找到可导入的文件（支持 .xlsx .xlsm .xls .csv）", file=sys.stderr)
        return 2
    print(ingest.summary(results), file=sys.stderr)
    return 1 if any(r.status == ingest.REFUSED for r in results) else 0


def cmd_plan(args, con) -> int:
    from minzheng.measures import plan

    if args.explain:
        # Read first, so the reading is shown even when the plan is refused.
        try:
            parsed = plan.read_plan(con, args.path, args.year)
        except PlanError:
            parsed = plan.Plan()
        for sentence in parsed.explanation:
            print(f"读取方式 {args.path}：{sentence}")
    try:
        loaded = plan.load_plan(con, args.path, args.year)
    except PlanError as exc:
        print(f"拒绝 {args.path}：{exc}")
        return 1
    units = {u for u, _ in loaded.targets}
    print(
        f"已导入 {args.path}：{args.year}年度计划，{len(loaded.targets)} 项目标，"
        f"{len(units)} 个单位"
        + (f"，{len(loaded.phasing)} 项指标分月计划" if loaded.phasing else "")
    )
    return 0


def cmd_indicators(args, con) -> int:

    from minzheng.measures import actuals

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["indicator", "township", "month", "actual"])
    for indicator, township, month, actual in actuals.monthly_rows(con, args.year):
        out.writerow([indicator, township, month, _fmt(actual)])
    return 0


def cmd_progress(args, con) -> int:

    from minzheng.measures import progress

    table = progress.columns(con, args.year, args.as_of)
    names = ["indicator", "township", "actual", "target", "completion", "time_progress", "status"]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(names)
    # tolist() gives Python numbers, as a DataFrame's rows would; no pandas needed for CSV.
    values = [table[n].tolist() for n in names]
    for indicator, township, actual, target, completion, time_prog, status in zip(
        *values, strict=True
    ):
        out.writerow(
            [
                indicator,
                township,
                _fmt(actual),
                _fmt(target),
                _ratio(completion),
                _ratio(time_prog),
                status,
            ]
        )
    return 0


def cmd_demo(args, con) -> int:
    from minzheng.demo import loader
    from minzheng.intake import ingest

    results = loader.load_demo(con)
    for result in results:
        print(result.line())
    return 1 if any(r.status == ingest.REFUSED for r in results) else 0


def cmd_remove_demo(args, con) -> int:

    from minzheng.store import batches

    removed = batches.remove_demo(con)
    print(f"已删除演示数据：{removed} 个批次及演示计划")
    return 0


def cmd_batches(args, con) -> int:

    from minzheng.store import batches

    table = batches.list_batches(con)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(
        [
            "batch_id",
            "file_name",
            "shape",
            "units",
            "months",
            "rows",
            "loaded_at",
            "loaded_by",
            "status",
            "demo",
        ]
    )
    for r in table.itertuples(index=False):
        out.writerow(
            [
                r.batch_id,
                r.file_name,
                r.shape,
                "|".join(r.units),
                "|".join(r.months),
                r.row_count,
                r.loaded_at.isoformat(timespec="seconds"),
                r.loaded_by,
                r.status,
                int(r.is_demo),
            ]
        )
    return 0


def cmd_rollback(args, con) -> int:

    from minzheng.store import batches

    batches.rollback(con, args.batch)
    print(f"已撤销批次 {args.batch}")
    return 0


def cmd_restore(args, con) -> int:
    from minzheng.store import batches

    target = str(args.batch)
    if Path(target).is_dir():
        return _restore_backup(target, con)
    if not target.isdigit():
        print(f"“{target}”既不是批次号，也不是备份目录", file=sys.stderr)
        return 2

    batches.restore(con, int(target))
    print(f"已恢复批次 {target}")
    return 0


def cmd_backup(args, con) -> int:
    from minzheng.store import backup

    print(backup.summary(args.out, backup.create(con, args.out)))
    return 0


def _restore_backup(source: str, con) -> int:
    from minzheng.store import backup, db

    path = db.path_of(con)
    con.close()  # the file is about to be replaced: nothing of this process may hold it
    manifest = backup.restore(source, path)
    tables = manifest["tables"]
    print(
        f"已从 {source} 恢复（备份时间 {manifest['created_at']}）：{tables.get('batches', 0)} 个批次，"
        f"{tables.get('facts', 0)} 行明细；原数据库已改名保留在同一目录（.before-restore-时间）"
    )
    return 0


def cmd_catalog(args, con) -> int:

    from minzheng.store import catalog

    if args.action == "add-synonym":
        catalog.add_synonym(con, args.key, args.text, actor=permissions.operator())
        print(f"已添加同义词：“{args.text}” → {args.key}")
    else:
        catalog.add_indicator(con, args.key, args.text, args.unit, actor=permissions.operator())
        print(f"已添加指标：{args.key}（{args.text}，{args.unit}）")
    return 0


def cmd_units(args, con) -> int:

    from minzheng.store import catalog

    if args.action == "add-alias":
        catalog.add_alias(con, args.name, args.alias, actor=permissions.operator())
        print(f"已添加别名：“{args.alias}” → {args.name}")
    elif args.action == "retire":
        catalog.set_unit_active(con, args.name, False, actor=permissions.operator())
        print(f"已停用单位：{args.name}")
    else:
        catalog.add_unit(con, args.name, code=args.code or "", actor=permissions.operator())
        print(f"已添加单位：{args.name}")
    return 0


def cmd_rules(args, con) -> int:
    from minzheng.measures import validation_rules

    if args.action == "add":
        rule_id = validation_rules.add(
            con,
            args.left,
            args.operator,
            args.right,
            period=args.period,
            scope=args.scope,
            severity=args.severity,
            explanation=args.explanation,
        )
        print(f"已添加规则 {rule_id}")
    elif args.action == "remove":
        validation_rules.remove(con, args.rule_id)
        print(f"已删除规则 {args.rule_id}")
    else:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(
            ["rule_id", "left", "operator", "right", "period", "scope", "severity", "explanation"]
        )
        for r in validation_rules.active_rules(con):
            out.writerow(
                [
                    r.rule_id,
                    r.left,
                    r.operator,
                    r.right,
                    r.period,
                    r.scope,
                    r.severity,
                    r.explanation,
                ]
            )
    return 0


def cmd_quality(args, con) -> int:
    import pandas as pd

    from minzheng.measures import quality_review

    found = quality_review.items(con, args.year)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["key", "kind", "severity", "unit", "period", "state", "batch_id", "message"])
    for r in found.itertuples(index=False):
        batch = "" if pd.isna(r.batch_id) else int(r.batch_id)
        out.writerow([r.key, r.kind, r.severity, r.unit, r.period, r.state, batch, r.message])


def _describe_layout(profile: layout_profiles.LayoutProfile) -> list[str]:
    """The lines of `layouts show`: rows, each column's meaning, fixed values, use."""
    from minzheng.intake import extract
    from minzheng.store import layout_profiles

    first = profile.data_first if profile.data_first is not None else profile.header_last + 1
    last = "表末" if profile.data_last is None else f"第{profile.data_last + 1}行"
    lines = [
        f"名称：{profile.name}",
        f"表头：第{profile.header_first + 1}–{profile.header_last + 1}行：{profile.header_preview}",
        f"数据：第{first + 1}行至{last}",
    ]
    for c, col in sorted(profile.columns.items()):
        meaning = layout_profiles.MEANINGS.get(col.meaning, col.meaning)
        if col.meaning == "indicator":
            meaning = f"{meaning} {col.indicator}（{col.measure}）"
        lines.append(f"{extract.col_letter(c)} 列：{meaning}")
    for label, value in (("乡镇", profile.unit), ("年份", profile.year), ("月份", profile.month)):
        if value:
            lines.append(f"固定{label}：{value}")
    lines.append(
        f"创建：{profile.created_by} {_fmt_time(profile.created_at)}；"
        f"已使用 {profile.times_used} 次，最近 {_fmt_time(profile.last_used) or '未使用'}"
    )
    return lines


def _fmt_time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def cmd_layouts(args, con) -> int:
    """Layout profiles taught on the upload page: list, show, remove, export, import."""
    from minzheng.store import layout_profiles

    if args.action == "list":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["name", "unit", "header", "times_used", "last_used", "created_by"])
        for p in layout_profiles.load(con):
            out.writerow(
                [
                    p.name,
                    p.unit or "",
                    p.header_preview,
                    p.times_used,
                    _fmt_time(p.last_used),
                    p.created_by,
                ]
            )
    elif args.action == "show":
        print("\n".join(_describe_layout(layout_profiles.get(con, args.name))))
    elif args.action == "remove":
        layout_profiles.remove(con, args.name, actor=permissions.operator())
        print(f"已删除表格结构：{args.name}（已导入的数据不受影响）")
    elif args.action == "export":
        text = layout_profiles.export_json(layout_profiles.load(con))
        if not _write(Path(args.out), text.encode("utf-8")):
            return 1
        print(f"已导出 {len(layout_profiles.load(con))} 个表格结构到 {args.out}")
    else:
        try:
            text = Path(args.file).read_bytes()
        except OSError as exc:
            raise MinzhengError(f"无法读取 {args.file}：{exc.strerror or exc}") from exc
        names = layout_profiles.import_json(con, text, actor=permissions.operator())
        print(f"已导入 {len(names)} 个表格结构：" + "、".join(names))
    return 0


def _read_password(prompt: str = "密码：") -> str:
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
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["name", "role", "email", "password"])
        for u in auth.list_users(con):
            out.writerow([u["name"], u["role"], u["email"] or "", int(u["has_password"])])
        return 0
    if args.action == "add":
        sso_only = args.no_password
        password = None if sso_only else _read_password()
        auth.add_user(con, args.name, args.role, password, email=args.email)
        print(f"已添加账号：{args.name}（{permissions.ROLE_NAMES[args.role]}）")
    elif args.action == "remove":
        auth.remove_user(con, args.name)
        print(f"已删除账号：{args.name}")
    elif args.action == "passwd":
        auth.set_password(con, args.name, _read_password("新密码："))
        print(f"已修改密码：{args.name}")
    elif args.action == "unlock":
        # The limits live in the dashboard process; without it running there are none.
        print(control.unlock_message(args.client, login_guard.GUARD.unlock(args.client)))
    else:
        auth.set_role(con, args.name, args.role)
        print(f"已修改角色：{args.name}（{permissions.ROLE_NAMES[args.role]}）")
    return 0


def _write(path: Path, data: bytes) -> bool:
    """Write an output file; a clear message instead of a traceback when it cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(f"无法写入 {path}：{exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def cmd_template(args, con) -> int:
    from minzheng.outputs import template

    if not _write(args.out, template.build(con, args.township, args.year)):
        return 1
    print(f"已生成填报模板 {args.out}（{args.township}，{args.year}年）")
    return 0


def cmd_export(args, con) -> int:
    from minzheng.outputs import year_workbook

    if not _write(args.out, year_workbook.build(con, args.year, args.as_of)):
        return 1
    print(f"已导出 {args.out}（{args.year}年：{'、'.join(year_workbook.SHEETS)}）")
    return 0


def cmd_report(args, con) -> int:
    from minzheng.outputs import report_docx

    result = report_docx.build(con, args.year, args.as_of, with_charts=not args.no_charts)
    if not _write(args.out, result.content):
        return 1
    print(f"已生成年度报告初稿 {args.out}（附图 {result.charts} 张）")
    for note in result.notes:
        print(note)
    return 0


def cmd_summary(args, con) -> int:
    from minzheng.outputs import print_summary

    if not _write(args.out, print_summary.build(con, args.year, args.as_of).encode("utf-8")):
        return 1
    print(f"已生成一页纸汇总 {args.out}（用浏览器打开后打印，A4 横向一页）")
    return 0


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


def _forward(args) -> str | None:
    """Hand a `user` or `backup` command to the running dashboard; its message, or None when the
    command cannot go through the control channel."""
    from minzheng.store import control

    db_file = getattr(args, "db", None)
    if args.command == "backup":
        return control.request(db_file, "backup", out=str(Path(args.out).resolve()))
    if args.command != "user":
        return None
    if args.action == "add":
        password = None if args.no_password else _read_password()
        fields = {"name": args.name, "role": args.role, "password": password, "email": args.email}
        return control.request(db_file, "user_add", **fields)
    if args.action == "passwd":
        return control.request(
            db_file, "user_passwd", name=args.name, password=_read_password("新密码：")
        )
    if args.action == "unlock":
        return control.request(db_file, "unlock", client=args.client)
    if args.action in ("remove", "list"):
        return control.request(db_file, f"user_{args.action}", **_name_of(args))
    return control.request(db_file, "user_role", name=args.name, role=args.role)


def _name_of(args) -> dict:
    return {"name": args.name} if hasattr(args, "name") else {}


def main(argv: list[str] | None = None, *, private: bool = False) -> int:
    """Run one command; returns the exit status. `private`: make every file this process
    creates owner-only (`python -m minzheng` does; tests calling in-process do not)."""
    args = build_parser().parse_args(argv)  # --help and usage errors end here, nothing loaded
    from minzheng import store
    from minzheng.intake import upgrades
    from minzheng.store import control, db

    if private:
        db.private_files()  # the database, its log, backups and outputs: owner only

    try:
        con = store.connect(getattr(args, "db", None))
    except db.DatabaseInUse as exc:
        try:
            message = _forward(args)
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
        print(str(exc), file=sys.stderr)
        return 1
    try:
        upgrades.run_pending(con)
        return args.func(args, con)
    except MinzhengError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        con.close()
