"""The analyst pages' logic: batches as tables, the plan grid, units, catalog and settings.

Reads return tables with Chinese column names ready to show; every write runs in one
transaction that bumps the data version, so cached dashboard views refresh at once. Nothing here
draws (the pages do).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from minzheng import (
    audit,
    db,
    indicators,
    memo,
    normalize,
    permissions,
    plan,
    queries,
    reference,
    settings,
)
from minzheng.errors import MinzhengError, PlanError

STATUS_NAMES = {"active": "有效", "rolled_back": "已撤销"}
KIND_NAMES = {"township": "乡镇", "bureau": "局机关"}
COUNTY = "全县"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


def md_escape(text: object) -> str:
    """User text (file names, cell values) safe inside Streamlit markdown: no formatting, no HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def facts_markdown(facts: dict[str, object]) -> str:
    """'**格式**：明细台账　**乡镇**：丰州镇' — labelled values on one line, values escaped."""
    return "　　".join(f"**{label}**：{md_escape(value)}" for label, value in facts.items())


def _clean(text: object, what: str) -> str:
    value = normalize.display(text).strip() if text is not None else ""
    if not value:
        raise MinzhengError(f"请填写{what}")
    if len(value) > 60:
        raise MinzhengError(f"{what}太长（最多 60 个字）")
    return value


# --- batches ----------------------------------------------------------------------------------


def _span(months) -> str:
    months = sorted(months or [])
    if not months:
        return "—"
    first, last = (f"{m[:4]}年{int(m[5:])}月" for m in (months[0], months[-1]))
    return first if first == last else f"{first}至{last}"


_KEY_SEP = "\x1f"  # joins a batch's units / months in the helper columns (never in a name)


def batch_table(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, newest first: 批次, 状态, 文件, 乡镇, 月份, 行数, 提示, 导入人, 导入时间, 演示数据,
    替换 — plus hidden helper columns `_units` and `_months` used by `filter_batches`: the
    batch's unit names / 'YYYY-MM' months joined and framed by an unprintable separator.

    Formatting is done in SQL: a province holds about 90,000 batches, too many for per-row Python.
    """
    columns = ["批次", "状态", "文件", "乡镇", "月份", "行数", "提示", "导入人", "导入时间"]
    columns += ["演示数据", "替换", "_units", "_months"]
    raw = cur.execute(
        """
        WITH b AS (
            SELECT *, list_min(months) AS first_month, list_max(months) AS last_month
            FROM batches
        ),
        labelled AS (
            SELECT *,
                   left(first_month, 4) || '年' || substr(first_month, 6, 2)::INTEGER || '月'
                     AS first_label,
                   left(last_month, 4) || '年' || substr(last_month, 6, 2)::INTEGER || '月'
                     AS last_label
            FROM b
        )
        SELECT batch_id, status, file_name, array_to_string(units, '、') AS towns,
               CASE WHEN first_month IS NULL THEN '—'
                    WHEN first_month = last_month THEN first_label
                    ELSE first_label || '至' || last_label END AS span,
               row_count, warning_count, loaded_by, loaded_at, is_demo, replaced,
               $sep || array_to_string(units, $sep) || $sep AS unit_keys,
               $sep || array_to_string(months, $sep) || $sep AS month_keys
        FROM labelled
        ORDER BY batch_id DESC
        """,
        {"sep": _KEY_SEP},
    ).df()
    if raw.empty:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(
        {
            "批次": raw["batch_id"].astype(int),
            "文件": raw["file_name"],
            "乡镇": raw["towns"],
            "月份": raw["span"],
            "行数": raw["row_count"].astype(int),
            "提示": raw["warning_count"].astype(int),
            "导入人": raw["loaded_by"],
            "导入时间": pd.to_datetime(raw["loaded_at"]).dt.floor("s"),
            "状态": raw["status"].map(STATUS_NAMES).fillna(raw["status"]),
            "演示数据": raw["is_demo"].astype(bool),
            "替换": raw["replaced"].astype(bool),
            "_units": raw["unit_keys"],
            "_months": raw["month_keys"],
        },
        columns=columns,
    )


def _keys(column: pd.Series) -> set[str]:
    """The distinct names joined in a helper column."""
    return set(_KEY_SEP.join(column).split(_KEY_SEP)) - {""}


def _has_any(column: pd.Series, wanted: set[str]) -> pd.Series:
    """Rows whose helper column holds any of the wanted names (exact names, not substrings)."""
    keep = pd.Series(False, index=column.index)
    for name in wanted:
        keep |= column.str.contains(_KEY_SEP + name + _KEY_SEP, regex=False)
    return keep


def batch_filter_options(table: pd.DataFrame) -> dict[str, list[str]]:
    """Choices for the filters: townships, months ('YYYY-MM', newest first) and statuses present."""
    towns = sorted(_keys(table["_units"])) if not table.empty else []
    months = sorted(_keys(table["_months"]), reverse=True) if not table.empty else []
    statuses = [s for s in STATUS_NAMES.values() if s in set(table["状态"])]
    return {"乡镇": towns, "月份": months, "状态": statuses}


def month_label(month: str) -> str:
    """'2023-04' → '2023年4月'."""
    return f"{month[:4]}年{int(month[5:])}月"


def filter_batches(
    table: pd.DataFrame,
    *,
    townships: list[str] | None = None,
    months: list[str] | None = None,
    statuses: list[str] | None = None,
    text: str = "",
    demo: bool | None = None,
) -> pd.DataFrame:
    """The batches matching every given filter (any of the chosen townships/months/statuses;
    file name containing `text`, case-insensitive; demo or not)."""
    keep = pd.Series(True, index=table.index)
    if townships:
        keep &= _has_any(table["_units"], set(townships))
    if months:
        keep &= _has_any(table["_months"], set(months))
    if statuses:
        keep &= table["状态"].isin(statuses)
    if text and text.strip():
        keep &= table["文件"].str.contains(text.strip(), case=False, regex=False, na=False)
    if demo is not None:
        keep &= table["演示数据"] == demo
    return table[keep]


def visible(table: pd.DataFrame) -> pd.DataFrame:
    """The table without its helper columns (names starting with '_')."""
    return table[[c for c in table.columns if not str(c).startswith("_")]]


def batch_label(table: pd.DataFrame, batch_id: int) -> str:
    """'批次 12 · 丰州镇2023年4月台账.xlsx' for a selectbox (the status is shown beside it, since
    a selectbox keeps showing the label it had when chosen)."""
    row = table[table["批次"] == batch_id]
    if row.empty:
        return f"批次 {batch_id}"
    return f"批次 {batch_id} · {row.iloc[0]['文件']}"


def batch_rows(cur: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """A batch's stored rows (queries/batch_rows.sql) with Chinese column names; personal data
    appears only masked."""
    raw = queries.run(cur, "batch_rows", batch_id=batch_id)
    superseded = raw["superseded_by"].map(lambda b: "" if pd.isna(b) else f"已被批次 {int(b)} 替换")
    return pd.DataFrame(
        {
            "工作表": raw["sheet"],
            "行号": raw["source_row"],
            "乡镇": raw["township"],
            "指标": raw["indicator_name"],
            "原类别": raw["category_text"],
            "日期": pd.to_datetime(raw["activity_date"]).dt.date,
            "月份": [f"{y}年{m}月" for y, m in zip(raw["year"], raw["month"], strict=True)],
            "数量": raw["quantity"].astype(float),
            "单位": raw["unit_label"],
            "地点": raw["place"],
            "备注": raw["note"],
            "服务对象": raw["person_masked"],
            "替换情况": superseded,
        }
    )


def batch_warnings(cur: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """The warnings recorded when the batch was loaded: 工作表, 单元格, 值, 问题."""
    return cur.execute(
        'SELECT sheet AS "工作表", cell AS "单元格", value AS "值", message AS "问题" '
        "FROM batch_warnings WHERE batch_id = $b",
        {"b": batch_id},
    ).df()


def batch_summary(cur: duckdb.DuckDBPyConnection, batch_id: int) -> dict:
    """One batch's facts for the detail header: 文件, 状态, 行数, 乡镇, 月份, 格式, 导入人, 导入时间,
    演示数据, 被替换行数 (rows of this batch now superseded by a later one)."""
    row = cur.execute(
        """
        SELECT file_name, status, row_count, units, months, shape, loaded_by, loaded_at, is_demo,
               (SELECT count(*) FROM facts f WHERE f.batch_id = b.batch_id
                  AND f.superseded_by IS NOT NULL)
        FROM batches b WHERE batch_id = $b
        """,
        {"b": batch_id},
    ).fetchone()
    if not row:
        raise MinzhengError(f"没有编号为 {batch_id} 的导入批次")
    shapes = "、".join(_SHAPES.get(s, s) for s in row[5].split(",") if s)
    return {
        "文件": row[0],
        "状态": STATUS_NAMES.get(row[1], row[1]),
        "行数": row[2],
        "乡镇": "、".join(row[3]),
        "月份": _span(row[4]),
        "格式": shapes,
        "导入人": row[6],
        "导入时间": row[7],
        "演示数据": bool(row[8]),
        "被替换行数": row[9],
    }


_SHAPES = {"ledger": "明细台账", "person": "走访对象台账", "summary": "月度汇总表", "wide": "横表"}


def demo_summary(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """{'批次': demo batches, '行数': their rows, '计划年度': years with a demo plan}."""
    batches_n, rows = cur.execute(
        "SELECT count(*), coalesce(sum(row_count), 0) FROM batches WHERE is_demo"
    ).fetchone()
    years = cur.execute("SELECT count(DISTINCT year) FROM plan_targets WHERE is_demo").fetchone()[0]
    return {"批次": int(batches_n), "行数": int(rows), "计划年度": int(years)}


# --- year plan --------------------------------------------------------------------------------


def _data_years(cur: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with data or a plan, newest first (one statement for the plan page's two uses)."""
    return memo.cached(cur, "years", (), lambda: indicators.years(cur))


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


# --- units and catalog ------------------------------------------------------------------------


def units_table(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every unit in reporting order: 代码, 名称, 类型, 别名, 状态."""
    raw = cur.execute(
        """
        SELECT u.code, u.name, u.kind, u.active,
               coalesce(string_agg(a.alias, '、' ORDER BY a.alias), '') AS aliases
        FROM units u LEFT JOIN unit_aliases a USING (unit_id)
        GROUP BY ALL ORDER BY any_value(u.sort_order)
        """
    ).df()
    return pd.DataFrame(
        {
            "代码": raw["code"].fillna(""),
            "名称": raw["name"],
            "类型": raw["kind"].map(KIND_NAMES).fillna(raw["kind"]),
            "别名": raw["aliases"],
            "状态": raw["active"].map({True: "在用", False: "已停用"}),
        }
    )


def indicators_table(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every active indicator in catalog order: 键, 名称, 计量单位, 可接受单位, 单行上限, 核心指标, 同义词."""
    raw = cur.execute(
        """
        SELECT i.key, i.name, i.unit_label, i.accepted_units, i.max_per_row, i.core,
               coalesce(string_agg(s.synonym, '、' ORDER BY s.synonym), '') AS synonyms
        FROM indicators i LEFT JOIN indicator_synonyms s ON s.indicator_key = i.key
        WHERE i.active
        GROUP BY ALL ORDER BY any_value(i.sort_order)
        """
    ).df()
    return pd.DataFrame(
        {
            "键": raw["key"],
            "名称": raw["name"],
            "计量单位": raw["unit_label"],
            "可接受单位": ["、".join(a) for a in raw["accepted_units"]],
            "单行上限": raw["max_per_row"].astype(float),
            "核心指标": raw["core"].astype(bool),
            "同义词": raw["synonyms"],
        }
    )


def _write(
    cur: duckdb.DuckDBPyConnection,
    who: tuple[permissions.Actor, str],
    what: str,
    target: str,
    after,
    action,
    *args,
    **kwargs,
):
    """Run a reference-data change in one transaction that audits it and bumps the data version.

    `who` is the (actor, role) that `permissions.require` returned for "reference".
    """
    actor, role = who
    with db.transaction(cur):
        result = action(cur, *args, **kwargs)
        audit.record(cur, actor, what, role=role, target=target, after=after)
        db.bump_version(cur)
    return result


def add_alias(
    cur: duckdb.DuckDBPyConnection,
    unit_name: str,
    alias: str,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Let `alias` stand for the unit in workbooks (e.g. 丰州 → 丰州镇). Admins only."""
    who = permissions.require(cur, actor, "reference", target=unit_name)
    alias = _clean(alias, "别名")
    ref = reference.load(cur)
    owner = ref.unit_names.get(normalize.text(alias))
    target = ref.unit_names.get(normalize.text(unit_name))
    if target is None:
        raise MinzhengError(f"没有名为“{unit_name}”的单位")
    if owner is not None and owner != target:
        raise MinzhengError(f"“{alias}”已是“{ref.units[owner].name}”的名称或别名")
    if owner == target:
        raise MinzhengError(f"“{alias}”已经是“{unit_name}”的名称或别名")
    _write(
        cur,
        who,
        "unit_alias",
        unit_name,
        {"别名": alias},
        reference.add_unit_alias,
        unit_name,
        alias,
    )


def add_unit(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    kind: str = "township",
    code: str = "",
    *,
    actor: permissions.Actor | None = None,
) -> int:
    """Add a reporting unit (kind 'township' or 'bureau'; code: the 9-digit division code, optional)."""
    who = permissions.require(cur, actor, "reference", target=name)
    name = _clean(name, "单位名称")
    code = (code or "").strip()
    if kind not in KIND_NAMES:
        raise MinzhengError("单位类型应为乡镇或局机关")
    if code and not re.fullmatch(r"\d{9}|\d{12}", code):
        raise MinzhengError("区划代码应为 9 位或 12 位数字（可不填）")
    ref = reference.load(cur)
    owner = ref.unit_names.get(normalize.text(name))
    if owner is not None:
        raise MinzhengError(f"“{name}”已是“{ref.units[owner].name}”的名称或别名")
    if code and any(u.code == code for u in ref.units.values()):
        raise MinzhengError(f"区划代码 {code} 已被其他单位使用")
    after = {"名称": name, "类型": KIND_NAMES[kind], "区划代码": code}
    return _write(cur, who, "unit_add", name, after, reference.add_unit, name, kind, code=code)


def set_unit_active(
    cur: duckdb.DuckDBPyConnection,
    unit_name: str,
    active: bool,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Retire (False) or reinstate (True) a unit; its loaded data stays."""
    who = permissions.require(cur, actor, "reference", target=unit_name)
    after = {"状态": "在用" if active else "已停用"}
    _write(cur, who, "unit_active", unit_name, after, reference.set_unit_active, unit_name, active)


def add_synonym(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    synonym: str,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Accept `synonym` as the category of indicator `key` in ledgers."""
    who = permissions.require(cur, actor, "reference", target=key)
    synonym = _clean(synonym, "同义词")
    ref = reference.load(cur)
    if key not in ref.indicators:
        raise MinzhengError(f"没有键为“{key}”的指标")
    owner = ref.category_names.get(normalize.text(synonym))
    if owner is not None:
        where = "该指标" if owner == key else f"“{ref.indicators[owner].name}”"
        raise MinzhengError(f"“{synonym}”已是{where}的名称或同义词")
    _write(
        cur, who, "catalog_synonym", key, {"同义词": synonym}, reference.add_synonym, key, synonym
    )


def add_indicator(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    name: str,
    unit_label: str,
    *,
    accepted_units: list[str] | None = None,
    max_per_row: float = 100000,
    core: bool = False,
    actor: permissions.Actor | None = None,
) -> None:
    """Add a catalog indicator (key: lowercase letters, digits and _, e.g. meals_delivered)."""
    who = permissions.require(cur, actor, "reference", target=key)
    key = (key or "").strip()
    if not _KEY.match(key):
        raise MinzhengError(
            "指标键应以小写字母开头，只含小写字母、数字和下划线（如 meals_delivered）"
        )
    name = _clean(name, "指标名称")
    unit_label = _clean(unit_label, "计量单位")
    if max_per_row <= 0:
        raise MinzhengError("单行上限应大于 0")
    exists = cur.execute(
        "SELECT 1 FROM indicators WHERE key = $k OR name = $n", {"k": key, "n": name}
    ).fetchone()
    if exists:
        raise MinzhengError(f"指标键“{key}”或名称“{name}”已存在")
    ref = reference.load(cur)
    owner = ref.category_names.get(normalize.text(name))
    if owner is not None:
        raise MinzhengError(f"“{name}”已是“{ref.indicators[owner].name}”的同义词")
    accepted = [u.strip() for u in (accepted_units or []) if u and u.strip()]
    _write(
        cur,
        who,
        "catalog_indicator",
        key,
        {"名称": name, "计量单位": unit_label, "核心指标": "是" if core else "否"},
        reference.add_indicator,
        key,
        name,
        unit_label,
        accepted_units=accepted,
        max_per_row=float(max_per_row),
        core=core,
    )


def split_list(text: str) -> list[str]:
    """'人次、人, 户' → ['人次', '人', '户'] (separated by 、 , ， ; ； or spaces)."""
    return [p for p in re.split(r"[、,，;；\s]+", text or "") if p]


# --- settings ---------------------------------------------------------------------------------


def thresholds(cur: duckdb.DuckDBPyConnection) -> dict[str, float | int]:
    """Current status margins in 百分点 (ahead, behind) and the report due day."""
    return {
        "ahead": round(float(settings.get(cur, "status.ahead_margin")) * 100, 1),
        "behind": round(float(settings.get(cur, "status.behind_margin")) * 100, 1),
        "due_day": int(settings.get(cur, "reporting.due_day")),
    }


def save_thresholds(
    cur: duckdb.DuckDBPyConnection,
    ahead_points: float,
    behind_points: float,
    due_day: int,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Store the 超前/滞后 margins (given in 百分点, 0–100) and the due day (1–28). Admins only."""
    permissions.require(cur, actor, "settings", target="进度阈值与报送截止日")
    for label, points in (("超前", ahead_points), ("滞后", behind_points)):
        if not 0 <= float(points) <= 100:
            raise MinzhengError(f"{label}阈值应在 0 到 100 个百分点之间")
    if not 1 <= int(due_day) <= 28:
        raise MinzhengError("报送截止日应在 1 到 28 日之间")
    wanted = {
        "status.ahead_margin": round(float(ahead_points) / 100, 4),
        "status.behind_margin": round(float(behind_points) / 100, 4),
        "reporting.due_day": int(due_day),
    }
    for key, value in wanted.items():
        if settings.get(cur, key) != value:
            settings.put(cur, key, value, actor=actor)
