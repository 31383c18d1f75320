"""The year plan (年度计划): targets per indicator and unit, optional monthly phasing.

Plans arrive as workbooks in any orientation — units down and indicators across (headers such as
发放宣传资料（份）), indicators down and units across, or long (乡镇, 指标, 目标) — optionally with a
sheet of monthly shares (indicators down, 1月…12月 across); plan_reading reads each sheet. Loading
a plan replaces that year's plan as a whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from minzheng.errors import PlanError, Problem
from minzheng.intake import plan_reading, workbook
from minzheng.store import audit, db, memo, permissions, reference

COUNTY_LABELS = plan_reading.COUNTY_LABELS
TARGET_WORDS = plan_reading.TARGET_WORDS


@dataclass
class Plan:
    """A parsed plan: targets (unit_id None = county total given by the plan) and phasing shares.

    `explanation` holds one Chinese sentence per sheet saying how it was read (shape, header row,
    which rows and columns were units or indicators, what was skipped).
    """

    targets: dict[tuple[int | None, str], float] = field(default_factory=dict)
    phasing: dict[str, dict[int, float]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)


def read_plan(cur: duckdb.DuckDBPyConnection, path: str | Path, year: int) -> Plan:
    """Parse a plan workbook; problems are collected in Plan.problems (nothing is written)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanError(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc
    return read_plan_bytes(cur, data, path.name, year)


def read_plan_bytes(cur: duckdb.DuckDBPyConnection, data: bytes, file_name: str, year: int) -> Plan:
    """Parse an uploaded plan workbook's bytes (nothing is written); problems in Plan.problems."""
    ref = reference.load(cur)
    try:
        grids = workbook.read(data, file_name)
    except workbook.ReadError as exc:
        raise PlanError(exc.problems[0].describe(), exc.problems) from exc
    parsed = Plan()
    seen: dict = {}
    for grid in grids:
        if grid.hidden:
            parsed.explanation.append(f"工作表「{grid.name}」：隐藏的工作表，跳过。")
        elif "说明" in grid.name:
            parsed.explanation.append(f"工作表「{grid.name}」：说明页，跳过。")
        else:
            plan_reading.SheetReader(ref, file_name, grid, parsed, year=year, seen=seen).read()
    if not parsed.targets and not parsed.problems:
        parsed.problems.append(
            Problem(
                file_name,
                "",
                "",
                "",
                "没有找到计划目标：需要“单位 + 各指标列”“指标 + 各单位列”或“乡镇、指标、目标”三列的表。"
                + "".join(parsed.explanation),
            )
        )
    return parsed


def _target_labels(cur: duckdb.DuckDBPyConnection, year: int) -> dict[str, float]:
    """The year's stored targets as {'丰州镇/街面巡查': target} (全县 for plan-given totals)."""
    rows = cur.execute(
        """
        SELECT coalesce(u.name, '全县') || '/' || coalesce(i.name, t.indicator_key), t.target
        FROM plan_targets t
        LEFT JOIN units u ON u.unit_id = t.unit_id
        LEFT JOIN indicators i ON i.key = t.indicator_key
        WHERE t.year = $y
        """,
        {"y": year},
    ).fetchall()
    return dict(rows)


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the targets that differ: ({label: old}, {label: new}); a missing side is None."""
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


def save_plan(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    plan: Plan,
    source: str,
    *,
    demo: bool = False,
    keep_phasing: bool = False,
    actor: permissions.Actor | None = None,
) -> None:
    """Replace the year's targets (and phasing, unless keep_phasing and the plan gives none).

    Analysts and admins only; the changed targets are audited before and after.
    """
    actor, role = permissions.require(cur, actor, "plan", target=f"{year}年度计划")
    now = dt.datetime.now()
    before = _target_labels(cur, year)
    with db.transaction(cur):
        cur.execute("DELETE FROM plan_targets WHERE year = $y", {"y": year})
        if plan.phasing or not keep_phasing:
            cur.execute("DELETE FROM plan_phasing WHERE year = $y", {"y": year})
        target_rows = [
            (year, unit_id, key, target, now, source, demo)
            for (unit_id, key), target in plan.targets.items()
        ]
        phasing_rows = [
            (year, key, month, share, demo)
            for key, shares in plan.phasing.items()
            for month, share in shares.items()
        ]
        # executemany refuses an empty list
        if target_rows:
            cur.executemany("INSERT INTO plan_targets VALUES (?, ?, ?, ?, ?, ?, ?)", target_rows)
        if phasing_rows:
            cur.executemany("INSERT INTO plan_phasing VALUES (?, ?, ?, ?, ?)", phasing_rows)
        old, new = _changes(before, _target_labels(cur, year))
        audit.record(
            cur,
            actor,
            "plan_save",
            role=role,
            target=f"{year}年度计划",
            before=old,
            after=new,
            detail=f"来源：{source}；{len(new)} 个目标有变化"
            + ("；含分月计划" if plan.phasing else ""),
        )
        db.bump_version(cur)


def load_plan(
    cur: duckdb.DuckDBPyConnection,
    path: str | Path,
    year: int,
    *,
    demo: bool = False,
    actor: permissions.Actor | None = None,
) -> Plan:
    """Read a plan workbook and, if it has no problems, replace the year's plan with it."""
    permissions.require(cur, actor, "plan", target=f"{year}年度计划")
    plan = read_plan(cur, path, year)
    if plan.problems:
        raise PlanError("；".join(p.describe() for p in plan.problems), plan.problems)
    save_plan(cur, year, plan, Path(path).name, demo=demo, actor=actor)
    return plan


def targets(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The year's targets as a table: township (全县 for plan-given county totals), indicator, target.

    Kept per data version (the plan page's grid, county totals and table all read it)."""
    return memo.cached(cur, "plan.targets", (year,), lambda: _targets(cur, year))


def _targets(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    return cur.execute(
        """
        SELECT coalesce(u.name, '全县') AS township, t.indicator_key AS indicator, i.name AS indicator_name,
               i.unit_label, t.target
        FROM plan_targets t
        JOIN indicators i ON i.key = t.indicator_key
        LEFT JOIN units u ON u.unit_id = t.unit_id
        WHERE t.year = $y
        ORDER BY coalesce(u.sort_order, 1000000), i.sort_order
        """,
        {"y": year},
    ).df()


def set_targets(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    table: pd.DataFrame,
    source: str = "看板编辑",
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Replace the year's targets from a table with columns township, indicator (key), target.

    Empty targets are dropped; phasing already loaded for the year is kept.
    """
    permissions.require(cur, actor, "plan", target=f"{year}年度计划")
    ref = reference.load(cur)
    plan = Plan()
    for row in table.itertuples(index=False):
        if row.target is None or pd.isna(row.target):
            continue
        unit = None if row.township == "全县" else ref.unit(row.township)
        if row.township != "全县" and unit is None:
            raise PlanError(f"没有名为“{row.township}”的单位")
        if float(row.target) < 0:
            raise PlanError(f"{row.township}「{row.indicator}」的目标不能为负数")
        plan.targets[(unit.unit_id if unit else None, row.indicator)] = float(row.target)
    save_plan(cur, year, plan, source, keep_phasing=True, actor=actor)
