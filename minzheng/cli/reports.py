"""Commands that report on the data: indicators and progress as CSV; template, export, report and
summary as files."""

from __future__ import annotations

from minzheng.cli.output import csv_out, number, ratio, write


def cmd_indicators(args, con) -> int:
    """`indicators`: each indicator's monthly actuals by township, as CSV."""
    from minzheng.measures import actuals

    out = csv_out()
    out.writerow(["indicator", "township", "month", "actual"])
    for indicator, township, month, actual in actuals.monthly_rows(con, args.year):
        out.writerow([indicator, township, month, number(actual)])
    return 0


def cmd_progress(args, con) -> int:
    """`progress`: completion against the year's plan, as CSV."""
    from minzheng.measures import progress

    table = progress.columns(con, args.year, args.as_of)
    names = ["indicator", "township", "actual", "target", "completion", "time_progress", "status"]
    out = csv_out()
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
                number(actual),
                number(target),
                ratio(completion),
                ratio(time_prog),
                status,
            ]
        )
    return 0


def cmd_template(args, con) -> int:
    """`template`: a township's reporting workbook (.xlsx)."""
    from minzheng.outputs import template

    if not write(args.out, template.build(con, args.township, args.year)):
        return 1
    print(f"已生成填报模板 {args.out}（{args.township}，{args.year}年）")
    return 0


def cmd_export(args, con) -> int:
    """`export`: the year's progress workbook (.xlsx)."""
    from minzheng.outputs import year_workbook

    if not write(args.out, year_workbook.build(con, args.year, args.as_of)):
        return 1
    print(f"已导出 {args.out}（{args.year}年：{'、'.join(year_workbook.SHEETS)}）")
    return 0


def cmd_report(args, con) -> int:
    """`report`: the draft annual report (.docx), with its notes."""
    from minzheng.outputs import report_docx

    result = report_docx.build(con, args.year, args.as_of, with_charts=not args.no_charts)
    if not write(args.out, result.content):
        return 1
    print(f"已生成年度报告初稿 {args.out}（附图 {result.charts} 张）")
    for note in result.notes:
        print(note)
    return 0


def cmd_summary(args, con) -> int:
    """`summary`: the printable one-page overview (.html)."""
    from minzheng.outputs import print_summary

    if not write(args.out, print_summary.build(con, args.year, args.as_of).encode("utf-8")):
        return 1
    print(f"已生成一页纸汇总 {args.out}（用浏览器打开后打印，A4 横向一页）")
    return 0
