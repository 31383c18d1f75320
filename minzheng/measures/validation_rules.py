"""Validation rules as data: parse, store (audited) and evaluate them in SQL.

A rule compares two expressions over indicator keys for each period (month, quarter or
year-to-date) and scope (each unit or the county): `children_visited >= children_screened`.
An expression is a sum of terms joined by `+`: an indicator key (the period's total from the
monthly aggregate), `distinct(key)` (distinct persons served, by keyed ID hash) or a constant.
Parsing turns it into a list of terms; queries/rule_evaluation.sql receives them as bound lists,
so no text a user typed ever becomes SQL and a new rule needs no code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from minzheng.errors import MinzhengError
from minzheng.measures.rule_terms import OPERATOR_SIGNS, OPERATORS, PERIODS, SCOPES, SEVERITIES
from minzheng.store import audit, db, permissions, queries, reference

_TERM = re.compile(
    r"^(?:(?P<number>\d+(?:\.\d+)?)|distinct\((?P<distinct>[a-z][a-z0-9_]*)\)|(?P<key>[a-z][a-z0-9_]*))$"
)


class RuleError(MinzhengError):
    """A rule that cannot be stored (message in Chinese)."""


@dataclass(frozen=True)
class Term:
    """One term of an expression: kind is 'sum', 'distinct' or 'const'."""

    kind: str
    key: str = ""
    value: float = 0.0


def parse(expression: str, known: set[str]) -> list[Term]:
    """The terms of `expression` ('a + distinct(b) + 10'); RuleError names what is wrong."""
    text = expression.strip().replace("＋", "+").replace("（", "(").replace("）", ")")
    if not text:
        raise RuleError("表达式不能为空")
    terms = []
    for raw in text.split("+"):
        part = re.sub(r"\s+", "", raw)
        match = _TERM.match(part)
        if not match:
            raise RuleError(
                f"表达式“{expression}”中的“{raw.strip()}”无法识别：只能用指标键、distinct(指标键)、"
                "数字和加号"
            )
        if match["number"]:
            terms.append(Term("const", value=float(match["number"])))
            continue
        kind, key = ("distinct", match["distinct"]) if match["distinct"] else ("sum", match["key"])
        if key not in known:
            raise RuleError(f"表达式“{expression}”中的指标键“{key}”不在指标目录中")
        terms.append(Term(kind, key))
    return terms


def _known(cur: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in cur.execute("SELECT key FROM indicators").fetchall()}


@dataclass(frozen=True)
class Rule:
    """A stored rule."""

    rule_id: int
    left: str
    operator: str
    right: str
    period: str
    scope: str
    severity: str
    explanation: str

    @property
    def text(self) -> str:
        """'各单位每季度：children_visited ≥ children_screened'."""
        return (
            f"{SCOPES[self.scope]}{PERIODS[self.period]}：{self.left} "
            f"{OPERATOR_SIGNS[self.operator]} {self.right}"
        )


def add(
    cur: duckdb.DuckDBPyConnection,
    left: str,
    operator: str,
    right: str,
    *,
    period: str,
    scope: str,
    severity: str,
    explanation: str,
    actor: permissions.Actor | None = None,
) -> int:
    """Store a new rule after checking every part; admins only, audited. Returns its number."""
    actor, role = permissions.require(cur, actor, "rules", target="校验规则")
    op = OPERATORS.get(operator.strip())
    if op is None:
        raise RuleError(f"比较符“{operator}”无法识别，应为 =、<=、>=、<、> 之一")
    if period not in PERIODS:
        raise RuleError(
            f"期间“{period}”无法识别，应为 month（每月）、quarter（每季度）、ytd（年初至今）"
        )
    if scope not in SCOPES:
        raise RuleError(f"范围“{scope}”无法识别，应为 unit（各单位）、county（全县）")
    if severity not in SEVERITIES:
        raise RuleError(f"级别“{severity}”无法识别，应为 提示 或 警告")
    if not explanation.strip():
        raise RuleError("请填写规则说明（中文），核实时会显示给填报人员")
    known = _known(cur)
    left_terms, right_terms = parse(left, known), parse(right, known)
    if all(t.kind == "const" for t in left_terms + right_terms):
        raise RuleError("规则两边都只有数字，至少要有一个指标")
    clean = {
        "left": " + ".join(_term_text(t) for t in left_terms),
        "op": op,
        "right": " + ".join(_term_text(t) for t in right_terms),
        "period": period,
        "scope": scope,
        "severity": severity,
        "explanation": explanation.strip(),
    }
    with db.transaction(cur):
        rule_id = cur.execute(
            """
            INSERT INTO quality_rules (left_expr, operator, right_expr, period, scope, severity,
                explanation, created_at, created_by)
            VALUES ($left, $op, $right, $period, $scope, $severity, $explanation, $now, $by)
            RETURNING rule_id
            """,
            {**clean, "now": dt.datetime.now(), "by": actor.name},
        ).fetchone()[0]
        audit.record(cur, actor, "rule_add", role=role, target=f"规则 {rule_id}", after=clean)
        db.bump_version(cur)
    return rule_id


def _term_text(term: Term) -> str:
    if term.kind == "const":
        return f"{term.value:g}"
    return f"distinct({term.key})" if term.kind == "distinct" else term.key


def remove(
    cur: duckdb.DuckDBPyConnection, rule_id: int, *, actor: permissions.Actor | None = None
) -> None:
    """Retire a rule (kept for the follow-ups that name it); admins only, audited."""
    actor, role = permissions.require(cur, actor, "rules", target=f"规则 {rule_id}")
    found = cur.execute(
        "SELECT left_expr, operator, right_expr FROM quality_rules WHERE rule_id = $id AND active",
        {"id": rule_id},
    ).fetchone()
    if found is None:
        raise RuleError(f"没有编号为 {rule_id} 的有效规则")
    with db.transaction(cur):
        cur.execute("UPDATE quality_rules SET active = FALSE WHERE rule_id = $id", {"id": rule_id})
        audit.record(
            cur, actor, "rule_remove", role=role, target=f"规则 {rule_id}", before=" ".join(found)
        )
        db.bump_version(cur)


def active_rules(cur: duckdb.DuckDBPyConnection) -> list[Rule]:
    """The rules in force, by number."""
    rows = cur.execute(
        """
        SELECT rule_id, left_expr, operator, right_expr, period, scope, severity, explanation
        FROM quality_rules WHERE active ORDER BY rule_id
        """
    ).fetchall()
    return [Rule(*r) for r in rows]


def expression_text(expression: str, ref: reference.Reference) -> str:
    """An expression with indicator names: 'distinct(children_visited) + 5' →
    '走访慰问留守困境儿童（不重复人数） + 5'."""
    parts = []
    for term in parse(expression, set(ref.indicators)):
        if term.kind == "const":
            parts.append(f"{term.value:g}")
        else:
            name = ref.indicators[term.key].name
            parts.append(f"{name}（不重复人数）" if term.kind == "distinct" else name)
    return " + ".join(parts)


def unit_label(rule: Rule, ref: reference.Reference) -> str:
    """The unit the rule's figures are counted in, when all its indicators share one ('' if not)."""
    labels = set()
    for expression in (rule.left, rule.right):
        for term in parse(expression, set(ref.indicators)):
            if term.kind == "distinct":
                labels.add("人")
            elif term.kind == "sum":
                labels.add(ref.indicators[term.key].unit_label)
    return labels.pop() if len(labels) == 1 else ""


def rules_table(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The rules in force for people: 编号, 规则 (with indicator names), 写法 (keys), 级别, 说明."""
    ref = reference.load(cur)
    rows = [
        {
            "编号": r.rule_id,
            "规则": f"{SCOPES[r.scope]}{PERIODS[r.period]}：{expression_text(r.left, ref)} "
            f"{OPERATOR_SIGNS[r.operator]} {expression_text(r.right, ref)}",
            "写法": f"{r.left} {OPERATOR_SIGNS[r.operator]} {r.right}",
            "级别": r.severity,
            "说明": r.explanation,
        }
        for r in active_rules(cur)
    ]
    return pd.DataFrame(rows, columns=["编号", "规则", "写法", "级别", "说明"])


def evaluate(cur: duckdb.DuckDBPyConnection, rule: Rule, year: int) -> pd.DataFrame:
    """Every judged (unit or county, period) of `year`: unit_id (NULL: county), period_no,
    end_month, left_value, right_value, holds. Newest period first."""
    known = _known(cur)
    sides, kinds, keys, consts = [], [], [], []
    for side, expression in (("L", rule.left), ("R", rule.right)):
        for term in parse(expression, known):
            sides.append(side)
            kinds.append(term.kind)
            keys.append(term.key)
            consts.append(term.value)
    return queries.run(
        cur,
        "rule_evaluation",
        year=year,
        period=rule.period,
        county=rule.scope == "county",
        op=rule.operator,
        sides=sides,
        kinds=kinds,
        keys=keys,
        consts=consts,
    )


def period_text(period: str, year: int, period_no: int) -> str:
    """'2024年3月', '2024年第1季度' or '2024年1—5月'."""
    if period == "month":
        return f"{year}年{period_no}月"
    if period == "quarter":
        return f"{year}年第{period_no}季度"
    return f"{year}年1—{period_no}月" if period_no > 1 else f"{year}年1月"
