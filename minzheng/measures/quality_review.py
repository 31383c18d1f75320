"""The follow-up list: upload flags and rule violations together, and their follow-up state.

Everything to check is an item with a stable key: 'flag:<id>' for a flag stored with its batch,
'rule:<rule>:<unit id or county>:<year>:<period>' for a violation, which is evaluated afresh each
time (correcting the data makes it disappear). Analysts set an item's state (待核实, 已核实无误,
已更正), a note, and whether the annual report's 问题 section mentions it; every change is audited.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from minzheng import formatting
from minzheng.errors import MinzhengError
from minzheng.intake import outliers
from minzheng.measures import validation_rules
from minzheng.store import audit, db, permissions, queries, reference

OPEN, CHECKED, CORRECTED = "待核实", "已核实无误", "已更正"
STATES = (OPEN, CHECKED, CORRECTED)
KIND_NAMES = {**outliers.KIND_NAMES, "rule": "违反校验规则"}
SEVERITY = {outliers.OUTLIER: "警告", outliers.REPEAT_VISIT: "提示"}
COLUMNS = [
    "key", "kind", "severity", "year", "end_month", "unit", "period", "subject",
    "left_value", "right_value", "unit_label", "message", "batch_id", "file_name", "state", "note",
    "in_report",
]  # fmt: skip
_FOUND = COLUMNS[:14]  # before the follow-up columns


def _violation_text(
    where: str, rule: validation_rules.Rule, left: str, right: str, r, label: str
) -> str:
    """'丰州镇2024年11月：街面巡查为 109，不满足“≤ 62”。…' (a constant side is not restated)."""
    sign = validation_rules.OPERATOR_SIGNS[rule.operator]
    known = {"_"}  # constants only: parse needs no catalog for them
    constant = {
        side: all(t.kind == "const" for t in _terms(expr, known))
        for side, expr in (("L", rule.left), ("R", rule.right))
    }
    if constant["R"]:
        text = f"{left}为 {formatting.number(r.left_value, label)}，不满足“{sign} {right}”"
    elif constant["L"]:
        text = f"{right}为 {formatting.number(r.right_value, label)}，不满足“{left} {sign}”"
    else:
        text = (
            f"{left}为 {formatting.number(r.left_value, label)}，{right}为 "
            f"{formatting.number(r.right_value, label)}，不满足“{sign}”"
        )
    return f"{where}：{text}。{rule.explanation}"


def _terms(expression: str, known: set[str]) -> list[validation_rules.Term]:
    try:
        return validation_rules.parse(expression, known)
    except validation_rules.RuleError:  # names an indicator: not a constant-only side
        return [validation_rules.Term("sum", "?")]


def _period_months(period: str, period_no: int) -> list[int]:
    if period == "month":
        return [period_no]
    if period == "quarter":
        return list(range(period_no * 3 - 2, period_no * 3 + 1))
    return list(range(1, period_no + 1))


def _years(cur: duckdb.DuckDBPyConnection, year: int | None) -> list[int]:
    if year is not None:
        return [year]
    found = cur.execute("SELECT DISTINCT year FROM monthly_actuals ORDER BY year DESC").fetchall()
    return [int(r[0]) for r in found]


def violations(cur: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Every period in which an active rule does not hold (columns as COLUMNS)."""
    ref = reference.load(cur)
    rows = []
    active = validation_rules.active_rules(cur)
    for y in _years(cur, year) if active else []:
        files = queries.run(cur, "coverage_files", year=y)
        by_unit = {u: g for u, g in files.groupby("unit_id")}
        for rule in active:
            found = validation_rules.evaluate(cur, rule, y)
            sign = validation_rules.OPERATOR_SIGNS[rule.operator]
            label = validation_rules.unit_label(rule, ref)
            left_text = validation_rules.expression_text(rule.left, ref)
            right_text = validation_rules.expression_text(rule.right, ref)
            for r in found[~found["holds"].astype(bool)].itertuples(index=False):
                county = pd.isna(r.unit_id)
                unit = "全县" if county else ref.units[int(r.unit_id)].name
                batch_id, file_name = None, ""
                if not county and int(r.unit_id) in by_unit:
                    cover = by_unit[int(r.unit_id)]
                    cover = cover[cover["month"].isin(_period_months(rule.period, r.period_no))]
                    if not cover.empty:
                        newest = cover.sort_values("batch_id").iloc[-1]
                        batch_id, file_name = int(newest.batch_id), newest.file_name
                period = validation_rules.period_text(rule.period, y, int(r.period_no))
                rows.append(
                    {
                        "key": f"rule:{rule.rule_id}:{'county' if county else int(r.unit_id)}"
                        f":{y}:{int(r.period_no)}",
                        "kind": "rule",
                        "severity": rule.severity,
                        "year": y,
                        "end_month": int(r.end_month),
                        "unit": unit,
                        "period": period,
                        "subject": f"规则 {rule.rule_id}：{left_text} {sign} {right_text}",
                        "left_value": float(r.left_value),
                        "right_value": float(r.right_value),
                        "unit_label": label,
                        "message": _violation_text(
                            f"{unit}{period}", rule, left_text, right_text, r, label
                        ),
                        "batch_id": batch_id,
                        "file_name": file_name,
                    }
                )
    return pd.DataFrame(rows, columns=_FOUND)


def items(cur: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Flags and rule violations with their follow-up, newest period first (columns as COLUMNS)."""
    ref = reference.load(cur)
    flags = queries.run(cur, "quality_flags", year=year)
    stored = pd.DataFrame(
        {
            "key": flags["flag_key"],
            "kind": flags["kind"],
            "severity": flags["kind"].map(SEVERITY),
            "year": flags["year"].astype(int),
            "end_month": flags["month"].astype(int),
            "unit": flags["unit"],
            "period": [f"{y}年{m}月" for y, m in zip(flags["year"], flags["month"], strict=True)],
            "subject": flags["indicator"].map(
                lambda k: ref.indicators[k].name if k in ref.indicators else k
            ),
            "left_value": flags["value"].astype(float),
            "right_value": flags["reference"].astype(float),
            "unit_label": [
                "次"
                if kind == outliers.REPEAT_VISIT
                else ref.indicators[k].unit_label
                if k in ref.indicators
                else ""
                for kind, k in zip(flags["kind"], flags["indicator"], strict=True)
            ],
            "message": flags["message"],
            "batch_id": flags["batch_id"],
            "file_name": flags["file_name"],
        },
        columns=_FOUND,
    )
    found = pd.concat(
        [df for df in (stored, violations(cur, year)) if not df.empty] or [stored],
        ignore_index=True,
    )
    follow = cur.execute(
        "SELECT flag_key AS key, state, note, in_report FROM quality_followup"
    ).df()
    found = found.merge(follow, on="key", how="left")
    found["state"] = found["state"].fillna(OPEN)
    found["note"] = found["note"].fillna("")
    found["in_report"] = found["in_report"].fillna(False).astype(bool)
    found["batch_id"] = found["batch_id"].astype("Int64")
    found = found.sort_values(
        ["year", "end_month", "unit", "key"], ascending=[False, False, True, True], kind="stable"
    )
    return found[COLUMNS].reset_index(drop=True)


def open_count(cur: duckdb.DuckDBPyConnection, year: int | None = None) -> int:
    """How many items are still 待核实 (for 总览's 'N 项数据待核实')."""
    found = items(cur, year)
    return int((found["state"] == OPEN).sum())


def report_items(cur: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """The unresolved items of `year` an analyst chose to mention in the annual report."""
    found = items(cur, year)
    chosen = found[(found["state"] == OPEN) & found["in_report"]]
    return chosen["message"].tolist()


def table(found: pd.DataFrame) -> pd.DataFrame:
    """Items for people: 状态, 级别, 类型, 单位, 期间, 问题, 本期数, 对照数, 批次, 文件, 备注, 写入报告."""
    return pd.DataFrame(
        {
            "状态": found["state"],
            "级别": found["severity"],
            "类型": found["kind"].map(KIND_NAMES),
            "单位": found["unit"],
            "期间": found["period"],
            "问题": found["message"],
            "本期数": [
                formatting.number(v, u)
                for v, u in zip(found["left_value"], found["unit_label"], strict=True)
            ],
            "对照数": [
                formatting.number(v, u)
                for v, u in zip(found["right_value"], found["unit_label"], strict=True)
            ],
            "批次": found["batch_id"],
            "文件": found["file_name"],
            "备注": found["note"],
            "写入报告": found["in_report"],
        }
    )


def _exists(cur: duckdb.DuckDBPyConnection, key: str) -> bool:
    parts = key.split(":")
    if parts[0] == "flag" and len(parts) == 2 and parts[1].isdigit():
        sql = "SELECT count(*) FROM quality_flags WHERE flag_id = $id"
        return cur.execute(sql, {"id": int(parts[1])}).fetchone()[0] > 0
    if parts[0] == "rule" and len(parts) == 5 and parts[1].isdigit():
        sql = "SELECT count(*) FROM quality_rules WHERE rule_id = $id"
        return cur.execute(sql, {"id": int(parts[1])}).fetchone()[0] > 0
    return False


def set_state(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    state: str,
    note: str = "",
    in_report: bool = False,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Record the follow-up of one item (analysts and admins; audited with before and after)."""
    actor, role = permissions.require(cur, actor, "quality", target=key)
    if state not in STATES:
        raise MinzhengError(f"状态“{state}”无法识别，应为 {'、'.join(STATES)} 之一")
    if not _exists(cur, key):
        raise MinzhengError(f"没有找到要核实的问题“{key}”")
    before = cur.execute(
        "SELECT state, note, in_report FROM quality_followup WHERE flag_key = $key", {"key": key}
    ).fetchone()
    after = {"状态": state, "备注": note.strip(), "写入报告": "是" if in_report else "否"}
    with db.transaction(cur):
        cur.execute(
            "INSERT OR REPLACE INTO quality_followup VALUES ($key, $state, $note, $rep, $by, $at)",
            {
                "key": key,
                "state": state,
                "note": note.strip(),
                "rep": bool(in_report),
                "by": actor.name,
                "at": dt.datetime.now(),
            },
        )
        audit.record(
            cur,
            actor,
            "quality_followup",
            role=role,
            batch_id=None,
            target=key,
            before=(
                {"状态": before[0], "备注": before[1], "写入报告": "是" if before[2] else "否"}
                if before
                else {"状态": OPEN}
            ),
            after=after,
        )
        db.bump_version(cur)
