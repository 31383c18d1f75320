"""Commands that change or list the data: ingest, plan, demo, remove-demo, batches, rollback,
restore, backup."""

from __future__ import annotations

import sys
from pathlib import Path

from minzheng.cli.output import csv_out
from minzheng.errors import PlanError


def cmd_ingest(args, con) -> int:
    """`ingest`: load ledger files or folders, one line per file; 1 when a file was refused."""
    from minzheng.intake import ingest, outliers

    results = []
    # Each line as soon as its file is done: what was loaded shows even if the run is cut short.
    files = ingest.iter_ingest_paths(
        con,
        args.paths,
        replace=args.replace,
        user=args.user,
        first_file=getattr(args, "first_file", None),
    )
    for result in files:
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
    """`plan`: load a year's plan; 1 when it is refused."""
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


def cmd_demo(args, con) -> int:
    """`demo`: load the built-in demo ledgers and plans."""
    from minzheng.demo import loader
    from minzheng.intake import ingest

    results = loader.load_demo(con)
    for result in results:
        print(result.line())
    return 1 if any(r.status == ingest.REFUSED for r in results) else 0


def cmd_remove_demo(args, con) -> int:
    """`remove-demo`: delete every demo batch and the demo plans."""
    from minzheng.store import batches

    removed = batches.remove_demo(con)
    print(f"已删除演示数据：{removed} 个批次及演示计划")
    return 0


def cmd_batches(args, con) -> int:
    """`batches`: every import batch as CSV."""
    from minzheng.store import batches

    table = batches.list_batches(con)
    out = csv_out()
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
    """`rollback`: withdraw one import batch."""
    from minzheng.store import batches

    batches.rollback(con, args.batch)
    print(f"已撤销批次 {args.batch}")
    return 0


def cmd_restore(args, con) -> int:
    """`restore`: bring back a withdrawn batch (a number) or the whole database (a backup folder)."""
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
    """`backup`: the database, kept originals and keys into a new folder."""
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
