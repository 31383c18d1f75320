"""The year plan as the 年度计划 page edits it: the grid, county totals, phasing, uploaded plans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from minzheng.errors import PlanError
from minzheng.measures import actuals, plan
from minzheng.store import memo, permissions, queries, reference

COUNTY = "全县"


def _data_years(cur: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with data or a plan, newest first (one statement for the plan page's two uses)."""
    return memo.cached(cur, "years", (), lambda: actuals.years(cur))


def plan_years(cur: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> list[int]:
    """Years a plan can be kept for, newest first: years with data or a plan, this year and next."""
    today = today or dt.date.today()
    return sorted(set(_data_years(cur)) | {today.year, today.year + 1}, reverse=True)


def default_plan_year(cur: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> int:
    """The year the plan page opens on: the latest with data or a plan, else this year."""
    years = _data_years(cur)
    return years[0] if years else (today or dt.date.today()).year


def indicator_header(ind: reference.Indicator) -> str:
    """'街面巡查（次）': an indicator's name with its unit, as plan workbooks write it."""
    return f"{ind.name}（{ind.unit_label}）"


def plan_grid(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The year's targets wide: a 乡镇 column (active units, then 全县) and one column per
    indicator key; empty cells are missing targets (for 全县: the sum of the units is used)."""
    with memo.pinned(cur):
        ref = reference.current(cur)
        long = plan.targets(cur, year)
    names = [u.name for u in ref.units.values() if u.active] + [COUNTY]
    given = dict(
        zip(zip(long["township"], long["indicator"], strict=True), long["target"], strict=True)
    )
    columns = {"乡镇": names}
    for key in ref.indicators:
        columns[key] = pd.array([given.get((name, key)) for name in names], dtype="Float64")
    return pd.DataFrame(columns)


def plan_has_hidden_targets(cur: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """Units with targets this year that the grid cannot show (retired units); saving drops them."""
    return [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT u.name FROM plan_targets t JOIN units u USING (unit_id) "
            "WHERE t.year = $y AND NOT u.active ORDER BY 1",
            {"y": year},
        ).fetchall()
    ]


def grid_to_long(grid: pd.DataFrame, ref: reference.Reference) -> pd.DataFrame:
    """The wide plan grid (乡镇 + one column per indicator key or per '名称（单位）' header) as the
    long table `plan.set_targets` takes: township, indicator (key), target. Empty cells dropped."""
    by_header = {indicator_header(i): i.key for i in ref.indicators.values()}
    by_header.update({i.name: i.key for i in ref.indicators.values()})
    rows = []
    for column in grid.columns:
        if column == "乡镇":
            continue
        key = column if column in ref.indicators else by_header.get(str(column))
        if key is None:
            raise PlanError(f"表格中的列“{column}”不是指标目录中的指标")
        for township, value in zip(grid["乡镇"], grid[column], strict=True):
            if value is None or pd.isna(value) or str(value).strip() == "":
                continue
            try:
                number = float(value)
            except (TypeError, ValueError) as exc:
                raise PlanError(f"{township}「{ref.indicators[key].name}」的目标应为数字") from exc
            if number < 0:
                raise PlanError(f"{township}「{ref.indicators[key].name}」的目标不能为负数")
            rows.append({"township": township, "indicator": key, "target": number})
    return pd.DataFrame(rows, columns=["township", "indicator", "target"])


def save_grid(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    grid: pd.DataFrame,
    *,
    actor: permissions.Actor | None = None,
) -> int:
    """Save the edited grid as the year's targets (phasing kept); returns the number of targets."""
    permissions.require(cur, actor, "plan", target=f"{year}年度计划")
    long = grid_to_long(grid, reference.load(cur))
    plan.set_targets(cur, year, long, actor=actor)
    return len(long)


def county_totals(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Per indicator: 指标, 单位, 各单位合计, 计划给定全县, 全县目标 (given, else the sum), 来源."""
    with memo.pinned(cur):
        ref = reference.current(cur)
        long = plan.targets(cur, year)
    unit_targets: dict[str, list[float]] = {}
    stated_of: dict[str, float] = {}
    for township, key, target in zip(
        long["township"], long["indicator"], long["target"], strict=True
    ):
        if township == COUNTY:
            stated_of.setdefault(key, float(target))
        else:
            unit_targets.setdefault(key, []).append(float(target))
    rows = []
    for ind in ref.indicators.values():
        units = unit_targets.get(ind.key)
        summed = float(sum(units)) if units else None
        stated = stated_of.get(ind.key)
        total = stated if stated is not None else summed
        source = (
            "计划给定" if stated is not None else ("各单位合计" if summed is not None else "未定")
        )
        rows.append(
            {
                "指标": ind.name,
                "单位": ind.unit_label,
                "各单位合计": summed,
                "计划给定全县": stated,
                "全县目标": total,
                "来源": source,
            }
        )
    return pd.DataFrame(
        rows, columns=["指标", "单位", "各单位合计", "计划给定全县", "全县目标", "来源"]
    )


def phasing_table(cur: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Monthly shares of the indicators the plan phases: 指标 then 1月 … 12月 in per cent
    (empty when the plan gives no phasing: progress is then even over the year)."""
    shares = queries.run(cur, "plan_shares", year=year)
    columns = ["指标"] + [f"{m}月" for m in range(1, 13)]
    phased: dict[str, dict[int, float]] = {}
    for key, month, share, is_phased in zip(
        shares["indicator"], shares["month"], shares["share"], shares["phased"], strict=True
    ):
        if is_phased:
            phased.setdefault(key, {})[int(month)] = share
    if not phased:
        return pd.DataFrame(columns=columns)
    ref = reference.current(cur)
    order = [k for k in ref.indicators if k in phased]
    return _percent_table([ref.indicators[k].name for k in order], [phased[k] for k in order])


def _percent_table(names: list[str], shares: list[dict[int, float]]) -> pd.DataFrame:
    table = {"指标": names}
    for m in range(1, 13):
        values = np.array([s.get(m, np.nan) for s in shares], dtype=float)
        table[f"{m}月"] = (values * 100).round(1) if any(m in s for s in shares) else 0.0
    return pd.DataFrame(table)


def plan_phasing_preview(cur: duckdb.DuckDBPyConnection, parsed: plan.Plan) -> pd.DataFrame:
    """A parsed plan's monthly shares in per cent: 指标 then 1月 … 12月 (empty without phasing)."""
    columns = ["指标"] + [f"{m}月" for m in range(1, 13)]
    if not parsed.phasing:
        return pd.DataFrame(columns=columns)
    ref = reference.load(cur)
    order = [k for k in ref.indicators if k in parsed.phasing]
    return _percent_table(
        [ref.indicators[k].name for k in order], [parsed.phasing[k] for k in order]
    )


def read_plan_bytes(
    cur: duckdb.DuckDBPyConnection, data: bytes, file_name: str, year: int
) -> plan.Plan:
    """Parse an uploaded plan workbook (nothing is written); problems are in Plan.problems.

    Raises PlanError when the file cannot be read at all.
    """
    return plan.read_plan_bytes(cur, data, Path(file_name).name or "计划.xlsx", year)


def plan_preview(cur: duckdb.DuckDBPyConnection, parsed: plan.Plan) -> pd.DataFrame:
    """A parsed plan's targets wide for review: 乡镇 then one '名称（单位）' column per indicator."""
    ref = reference.load(cur)
    order = {u.unit_id: n for n, u in enumerate(ref.units.values())}
    unit_ids = sorted({u for u, _k in parsed.targets}, key=lambda u: order.get(u, 10**6))
    keys = [k for k in ref.indicators if any(k == key for _u, key in parsed.targets)]
    rows = []
    for unit_id in unit_ids:
        row = {"乡镇": ref.units[unit_id].name if unit_id is not None else COUNTY}
        for key in keys:
            row[indicator_header(ref.indicators[key])] = parsed.targets.get((unit_id, key))
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["乡镇"] + [indicator_header(ref.indicators[k]) for k in keys]
    )


def plan_problems(parsed: plan.Plan) -> pd.DataFrame:
    """A parsed plan's problems: 工作表, 单元格, 值, 问题."""
    return pd.DataFrame(
        [
            {"工作表": p.sheet, "单元格": p.cell, "值": p.value, "问题": p.message}
            for p in parsed.problems
        ],
        columns=["工作表", "单元格", "值", "问题"],
    )


def save_uploaded_plan(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    parsed: plan.Plan,
    source: str,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Replace the year's plan with a parsed workbook; refused while it has problems."""
    permissions.require(cur, actor, "plan", target=f"{year}年度计划")
    if parsed.problems:
        raise PlanError("计划表还有问题，请改正后重新上传", parsed.problems)
    if not parsed.targets:
        raise PlanError("计划表中没有目标")
    plan.save_plan(cur, year, parsed, source, actor=actor)
