"""The year plan (年度计划): targets per indicator and unit, optional monthly phasing.

Plans arrive as workbooks in two forms — wide (units down, indicators across, headers such as
发放宣传资料（份）) or long (乡镇, 指标, 目标) — optionally with a sheet of monthly shares
(indicators down, 1月…12月 across). Loading a plan replaces that year's plan as a whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from minzheng import normalize
from minzheng.errors import PlanError, Problem
from minzheng.intake import layout, workbook
from minzheng.intake.extract import cell_ref
from minzheng.store import audit, db, memo, permissions, reference

COUNTY_LABELS = ("全县", "合计", "全县合计", "总计", "县合计", "全县总计")
TARGET_WORDS = (
    "目标",
    "计划",
    "年度目标",
    "目标值",
    "任务",
    "任务数",
    "计划数",
    "年度计划",
    "目标任务",
)


@dataclass
class Plan:
    """A parsed plan: targets (unit_id None = county total given by the plan) and phasing shares."""

    targets: dict[tuple[int | None, str], float] = field(default_factory=dict)
    phasing: dict[str, dict[int, float]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _text(row: list, c: int) -> str:
    return normalize.display(row[c]) if c < len(row) and row[c] not in (None, "") else ""


NOTE_PREFIXES = ("注", "说明", "填表", "备注", "填报", "审核", "制表")


def _is_note(label: str) -> bool:
    return normalize.text(label).startswith(NOTE_PREFIXES)


def _number(value) -> float | None:
    try:
        number, _unit, _approx = normalize.quantity(value)
    except normalize.QuantityError:
        return None
    return number


class _Reader:
    def __init__(self, ref: reference.Reference, file_name: str, year: int):
        self.ref, self.file, self.year = ref, file_name, year
        self.plan = Plan()

    def problem(self, sheet, r, c, value, message):
        self.plan.problems.append(
            Problem(
                self.file,
                sheet,
                cell_ref(r, c) if c is not None else "",
                normalize.display(value),
                message,
            )
        )

    def unit_for(self, sheet, r, c, label) -> tuple[bool, int | None]:
        """(ok, unit_id); unit_id None for a county-total row."""
        if normalize.text(label) in COUNTY_LABELS:
            return True, None
        unit = self.ref.unit(label) or self.ref.unit_in(label)
        if unit is None:
            near = self.ref.closest_units(label)
            hint = f"，是否为“{'”或“'.join(near)}”？" if near else ""
            self.problem(sheet, r, c, label, f"不是本县的乡镇或单位{hint}")
            return False, None
        return True, unit.unit_id

    def target(self, sheet, r, c, value) -> float | None:
        number = _number(value)
        if number is None or number < 0:
            self.problem(sheet, r, c, value, "目标应为不小于 0 的数字")
            return None
        return number

    def sheet(self, grid: workbook.Grid) -> None:
        rows = grid.rows
        for r in range(min(len(rows), layout.HEADER_SCAN_ROWS)):
            labels = [_text(rows[r], c) for c in range(len(rows[r]))]
            months = {c: m for c, lab in enumerate(labels) if (m := normalize.month_header(lab))}
            indicator_cols = {
                c: ind
                for c, lab in enumerate(labels)
                if lab and (ind := self.ref.category(normalize.header(lab)))
            }
            roles = {layout.role_of(lab): c for c, lab in reversed(list(enumerate(labels))) if lab}
            target_col = next(
                (c for c, lab in enumerate(labels) if normalize.header(lab) in TARGET_WORDS), None
            )
            if len(months) >= 3:
                return self.phasing(grid, r, labels, months)
            if indicator_cols and ("township" in roles or labels[0]):
                return self.wide(grid, r, roles.get("township", 0), indicator_cols)
            if "category" in roles and target_col is not None:
                return self.long(grid, r, roles.get("township"), roles["category"], target_col)

    def wide(self, grid, header_row, unit_col, indicator_cols) -> None:
        for r in range(header_row + 1, len(grid.rows)):
            row = grid.rows[r]
            label = _text(row, unit_col)
            if not label or _is_note(label):
                continue
            ok, unit_id = self.unit_for(grid.name, r, unit_col, label)
            if not ok:
                continue
            for c, ind in indicator_cols.items():
                value = row[c] if c < len(row) else ""
                if value in (None, "") or normalize.text(value) in ("-", "—", "/"):
                    continue
                number = self.target(grid.name, r, c, value)
                if number is not None:
                    self.plan.targets[(unit_id, ind.key)] = number

    def long(self, grid, header_row, unit_col, ind_col, target_col) -> None:
        for r in range(header_row + 1, len(grid.rows)):
            row = grid.rows[r]
            ind_label = _text(row, ind_col)
            if not ind_label or _is_note(ind_label) or _is_note(_text(row, 0)):
                continue
            ind = self.ref.category(ind_label) or self.ref.category(normalize.header(ind_label))
            if ind is None:
                near = self.ref.closest_categories(ind_label)
                self.problem(
                    grid.name,
                    r,
                    ind_col,
                    ind_label,
                    "不是指标目录中的指标" + (f"，最接近的是“{'”、“'.join(near)}”" if near else ""),
                )
                continue
            unit_id = None
            if unit_col is not None:
                ok, unit_id = self.unit_for(grid.name, r, unit_col, _text(row, unit_col) or "全县")
                if not ok:
                    continue
            number = self.target(
                grid.name, r, target_col, row[target_col] if target_col < len(row) else ""
            )
            if number is not None:
                self.plan.targets[(unit_id, ind.key)] = (
                    self.plan.targets.get((unit_id, ind.key), 0) + number
                )

    def phasing(self, grid, header_row, labels, months) -> None:
        label_col = next(
            (c for c in range(min(months)) if labels[c] and layout.role_of(labels[c]) != "seq"), 0
        )
        for r in range(header_row + 1, len(grid.rows)):
            row = grid.rows[r]
            label = _text(row, label_col)
            if not label or _is_note(label) or _is_note(_text(row, 0)):
                continue
            ind = self.ref.category(label) or self.ref.category(normalize.header(label))
            if ind is None:
                if normalize.text(label) not in COUNTY_LABELS:
                    self.problem(grid.name, r, label_col, label, "不是指标目录中的指标")
                continue
            shares = {}
            for c, month in months.items():
                value = row[c] if c < len(row) else ""
                if value in (None, ""):
                    shares[month] = 0.0
                    continue
                number = (
                    _number(str(value).replace("%", ""))
                    if isinstance(value, str)
                    else _number(value)
                )
                if number is None or number < 0:
                    self.problem(
                        grid.name, r, c, value, "分月占比应为不小于 0 的数字（如 8.5 或 8.5%）"
                    )
                    break
                shares[month] = number
            else:
                total = sum(shares.values())
                if total <= 0:
                    self.problem(grid.name, r, label_col, label, "分月占比全为 0")
                    continue
                self.plan.phasing[ind.key] = {m: shares.get(m, 0.0) / total for m in range(1, 13)}


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
    reader = _Reader(ref, file_name, year)
    for grid in grids:
        if not grid.hidden and "说明" not in grid.name:
            reader.sheet(grid)
    if not reader.plan.targets and not reader.plan.problems:
        reader.plan.problems.append(
            Problem(
                file_name,
                "",
                "",
                "",
                "没有找到计划目标：需要“乡镇 + 各指标列”或“乡镇、指标、目标”三列的表",
            )
        )
    return reader.plan


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
