"""Tests of minzheng.measures.validation_rules: parsing, storing (audited, admins only) and evaluating each
operator, period and scope against hand-computed figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from minzheng.measures import validation_rules
from minzheng.store import audit, permissions

A, B = "children_visited", "children_screened"

# unit 1: (month, A, B); unit 2 reports January only. The county's last month with data is 4.
UNIT1 = [(1, 5, 5), (2, 3, 4), (3, 10, 2), (4, 1, 1)]
UNIT2 = [(1, 1, 10)]


@pytest.fixture
def cur(empty_db):
    rows = [(1, m, a, b) for m, a, b in UNIT1] + [(2, m, a, b) for m, a, b in UNIT2]
    for unit, month, a, b in rows:
        for key, value in ((A, a), (B, b)):
            empty_db.execute(
                "INSERT INTO monthly_actuals VALUES (2024, $m, $u, $k, $v, 1, $d)",
                {"m": month, "u": unit, "k": key, "v": value, "d": dt.date(2024, month, 1)},
            )
    return empty_db


def _rule(left, op, right, period="month", scope="unit") -> validation_rules.Rule:
    return validation_rules.Rule(0, left, op, right, period, scope, "警告", "说明")


def _judged(cur, rule) -> dict:
    found = validation_rules.evaluate(cur, rule, 2024)
    return {
        (
            None if pd.isna(r.unit_id) else int(r.unit_id),
            int(r.period_no),
        ): (
            r.left_value,
            r.right_value,
            bool(r.holds),
        )
        for r in found.itertuples(index=False)
    }


# month by month for unit 1: A = 5, 3, 10, 1 and B = 5, 4, 2, 1
@pytest.mark.parametrize(
    ("op", "holds"),
    [
        ("=", [True, False, False, True]),
        ("<=", [True, True, False, True]),
        (">=", [True, False, True, True]),
        ("<", [False, True, False, False]),
        (">", [False, False, True, False]),
    ],
)
def test_each_operator_by_month(cur, op, holds):
    judged = _judged(cur, _rule(A, op, B))
    assert [judged[1, m][2] for m in (1, 2, 3, 4)] == holds
    assert [judged[1, m][:2] for m in (1, 2, 3, 4)] == [(5, 5), (3, 4), (10, 2), (1, 1)]
    # unit 2 reported January only: judged in January, nowhere else
    assert [k for k in judged if k[0] == 2] == [(2, 1)]
    assert judged[2, 1] == (1, 10, op in ("<=", "<"))


def test_quarter_is_judged_once_complete(cur):
    judged = _judged(cur, _rule(A, ">=", B, period="quarter"))
    # Q1: A = 5 + 3 + 10 = 18, B = 5 + 4 + 2 = 11; Q2 ends in June, after the last month (4)
    assert judged == {(1, 1): (18, 11, True), (2, 1): (1, 10, False)}


def test_year_to_date_at_every_month(cur):
    judged = _judged(cur, _rule(A, ">=", B, period="ytd"))
    assert {k: v for k, v in judged.items() if k[0] == 1} == {
        (1, 1): (5, 5, True),
        (1, 2): (8, 9, False),
        (1, 3): (18, 11, True),
        (1, 4): (19, 12, True),
    }
    # unit 2 reported in January, so its year-to-date figures are judged in every later month
    assert judged[2, 4] == (1, 10, False)


def test_county_scope_sums_the_units(cur):
    judged = _judged(cur, _rule(A, ">=", B, scope="county"))
    assert judged == {
        (None, 1): (6, 15, False),
        (None, 2): (3, 4, False),
        (None, 3): (10, 2, True),
        (None, 4): (1, 1, True),
    }


def test_sums_and_constants_on_both_sides(cur):
    judged = _judged(cur, _rule(f"{A} + {B} + 1", "<=", "12.5", period="quarter"))
    assert judged[1, 1] == (30, 12.5, False)  # 18 + 11 + 1
    judged = _judged(cur, _rule("20", ">", A, period="quarter"))
    assert judged[1, 1] == (20, 18, True)


def test_distinct_persons_in_a_quarter(cur):
    cur.execute(
        "INSERT INTO batches (file_name, sha256, content_hash, shape, units, months, indicators, "
        "row_count, warning_count, sheets, loaded_at, received_at, loaded_by, status) VALUES "
        "('f.xlsx', 's', 'c', 'person', [], [], [], 5, 0, [], now(), now(), 't', 'active')"
    )
    batch = cur.execute("SELECT max(batch_id) FROM batches").fetchone()[0]
    # child x twice in January and once in March, y once in February, z in a superseded row
    for month, person, superseded in ((1, "x", None), (1, "x", None), (2, "y", None),
                                      (3, "x", None), (3, "z", 99)):  # fmt: skip
        cur.execute(
            "INSERT INTO facts (batch_id, unit_id, indicator_key, year, month, quantity, sheet, "
            "source_row, person_hash, superseded_by) VALUES ($b, 1, $k, 2024, $m, 1, 's', 1, $p, $s)",
            {"b": batch, "k": A, "m": month, "p": person, "s": superseded},
        )
    judged = _judged(cur, _rule(f"distinct({A})", ">=", "3", period="quarter"))
    assert judged[1, 1] == (2, 3, False)  # x and y; z's row no longer counts
    judged = _judged(cur, _rule(f"distinct({A})", "=", "1"))
    assert judged[1, 1] == (1, 1, True) and judged[1, 2] == (1, 1, True)


@pytest.mark.parametrize(
    "text",
    [
        "children_visited * 2",
        "children_visited - 1",
        "children_visited); DROP TABLE facts; --",
        "no_such_key",
        "distinct(no_such_key)",
        "",
        "1 + ",
    ],
)
def test_anything_but_keys_distinct_constants_and_plus_is_refused(empty_db, text):
    with pytest.raises(validation_rules.RuleError):
        validation_rules.add(
            empty_db,
            text,
            ">=",
            "1",
            period="month",
            scope="unit",
            severity="提示",
            explanation="x",
        )
    assert empty_db.execute("SELECT count(*) FROM facts").fetchone() is not None


def test_add_and_remove_are_audited_and_admin_only(empty_db):
    before = len(validation_rules.active_rules(empty_db))
    rule_id = validation_rules.add(
        empty_db,
        f"distinct({A})",
        "≥",
        B,
        period="quarter",
        scope="unit",
        severity="提示",
        explanation="每季度走访到名单上的每名儿童",
    )
    added = [r for r in validation_rules.active_rules(empty_db) if r.rule_id == rule_id][0]
    assert (added.left, added.operator, added.right) == (f"distinct({A})", ">=", B)
    assert len(validation_rules.active_rules(empty_db)) == before + 1
    validation_rules.remove(empty_db, rule_id)
    assert rule_id not in [r.rule_id for r in validation_rules.active_rules(empty_db)]
    log = audit.entries(empty_db, actions=["rule_add", "rule_remove"])
    assert log["action"].tolist() == ["rule_remove", "rule_add"]
    assert set(log["target"]) == {f"规则 {rule_id}"}

    from minzheng.store import auth

    auth.add_user(empty_db, "管理员", "admin", password="correct horse 1")
    auth.add_user(empty_db, "小王", "analyst", password="correct horse 2")
    with pytest.raises(permissions.PermissionDenied):
        validation_rules.add(
            empty_db, A, ">=", "1", period="month", scope="unit", severity="提示",
            explanation="x", actor=permissions.Actor("小王"),
        )  # fmt: skip
    assert len(validation_rules.active_rules(empty_db)) == before


def test_seeded_rules_fit_the_catalog(empty_db):
    seeded = validation_rules.active_rules(empty_db)
    assert len(seeded) >= 3
    for rule in seeded:
        validation_rules.evaluate(empty_db, rule, 2024)  # parses against the catalog and runs
        assert rule.period in validation_rules.PERIODS and rule.scope in validation_rules.SCOPES
