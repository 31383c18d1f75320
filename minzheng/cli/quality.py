"""Commands on data quality: `rules` (the validation rules) and `quality` (the review list)."""

from __future__ import annotations

from minzheng.cli.output import csv_out


def cmd_rules(args, con) -> int:
    """`rules`: add, list (CSV) or remove a validation rule."""
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
        out = csv_out()
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
    """`quality`: the data-quality items to review, as CSV."""
    import pandas as pd

    from minzheng.measures import quality_review

    found = quality_review.items(con, args.year)
    out = csv_out()
    out.writerow(["key", "kind", "severity", "unit", "period", "state", "batch_id", "message"])
    for r in found.itertuples(index=False):
        batch = "" if pd.isna(r.batch_id) else int(r.batch_id)
        out.writerow([r.key, r.kind, r.severity, r.unit, r.period, r.state, batch, r.message])
    return 0
