"""Loaded batches as the 数据管理 page shows them: the table, its filters, one batch's detail."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from minzheng import formatting
from minzheng.errors import MinzhengError
from minzheng.store import queries

BATCH_STATUS = {"active": "有效", "rolled_back": "已撤销"}
COLUMNS = [
    "批次",
    "状态",
    "文件",
    "乡镇",
    "月份",
    "行数",
    "提示",
    "导入人",
    "导入时间",
    "演示数据",
    "替换",
]


PAGE_SIZE = 50  # batches per page of the 数据管理 list


@dataclass
class BatchPage:
    """One page of the filtered batch list: its rows (newest first) and the counts around them."""

    table: (
        pd.DataFrame
    )  # 批次, 状态, 文件, 乡镇, 月份, 行数, 提示, 导入人, 导入时间, 演示数据, 替换
    matched: int  # batches that pass the filters
    total: int  # every batch
    page: int  # 1-based, clamped to the pages there are
    pages: int


# The filters of `batch_page`; an empty choice means any. Parameters are always bound.
_WHERE = """
    (len($towns) = 0 OR list_has_any(units, $towns))
    AND (len($months) = 0 OR list_has_any(months, $months))
    AND ($any_status OR list_contains($codes, status))
    AND ($needle = '' OR contains(lower(file_name), $needle))
    AND ($demo IS NULL OR is_demo = $demo)
"""
_COUNT_SQL = "SELECT count(*) FILTER (WHERE " + _WHERE + "), count(*) FROM batches"
_PAGE_SQL = (
    """
    WITH b AS (
        SELECT *, list_min(months) AS first_month, list_max(months) AS last_month
        FROM batches WHERE """
    + _WHERE
    + """
        ORDER BY batch_id DESC LIMIT $size OFFSET $offset
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
           row_count, warning_count, loaded_by, loaded_at, is_demo, replaced
    FROM labelled
    ORDER BY batch_id DESC
    """
)


def batch_count(cur: duckdb.DuckDBPyConnection) -> int:
    """How many batches there are (rolled back ones included)."""
    return cur.execute("SELECT count(*) FROM batches").fetchone()[0]


def batch_filter_options(cur: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Choices for the filters: townships, months ('YYYY-MM', newest first) and statuses present.

    Read in SQL, not from a table of every batch: a province holds about 90,000 batches."""
    towns = cur.execute("SELECT DISTINCT unnest(units) FROM batches ORDER BY 1").fetchall()
    months = cur.execute("SELECT DISTINCT unnest(months) FROM batches ORDER BY 1 DESC").fetchall()
    present = {r[0] for r in cur.execute("SELECT DISTINCT status FROM batches").fetchall()}
    statuses = [label for code, label in BATCH_STATUS.items() if code in present]
    return {"乡镇": [r[0] for r in towns], "月份": [r[0] for r in months], "状态": statuses}


def month_label(month: str) -> str:
    """'2023-04' → '2023年4月'."""
    return f"{month[:4]}年{int(month[5:])}月"


def batch_page(
    cur: duckdb.DuckDBPyConnection,
    *,
    townships: tuple[str, ...] = (),
    months: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    text: str = "",
    demo: bool | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> BatchPage:
    """The batches matching every given filter (any of the chosen townships/months/statuses;
    file name containing `text`, case-insensitive; demo or not), newest first, one page of
    `size`. Filtering, counting and formatting are done in SQL so that only the page's rows
    reach Python: the whole list of a province took a third of a second to build."""
    codes = [code for code, label in BATCH_STATUS.items() if label in statuses]
    unknown = [s for s in statuses if s not in BATCH_STATUS.values()]
    needle = (text or "").strip().lower()
    params = {
        "towns": list(townships),
        "months": list(months),
        "any_status": not statuses,
        "codes": codes + unknown,
        "needle": needle,
        "demo": demo,
    }
    matched, total = cur.execute(_COUNT_SQL, params).fetchone()
    pages = max(1, -(-matched // size))
    page = min(max(1, page), pages)
    raw = cur.execute(
        _PAGE_SQL,
        {**params, "size": size, "offset": (page - 1) * size},
    ).df()
    return BatchPage(_shape(raw), int(matched), int(total), page, pages)


def _shape(raw: pd.DataFrame) -> pd.DataFrame:
    if raw.empty:
        return pd.DataFrame(columns=COLUMNS)
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
            "状态": raw["status"].map(BATCH_STATUS).fillna(raw["status"]),
            "演示数据": raw["is_demo"].astype(bool),
            "替换": raw["replaced"].astype(bool),
        },
        columns=COLUMNS,
    )


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
        "状态": BATCH_STATUS.get(row[1], row[1]),
        "行数": row[2],
        "乡镇": "、".join(row[3]),
        "月份": formatting.month_range(row[4]),
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
