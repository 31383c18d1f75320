"""Who has reported (上报情况): townships × months, the missing list and a reminder message."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from minzheng.store import queries, settings

STATUSES = ("已报", "迟报", "未报", "未到期")


def grid(cur: duckdb.DuckDBPyConnection, year: int, today: dt.date | None = None) -> pd.DataFrame:
    """Long table: township, code, month, first_received, due_date, status (已报/迟报/未报/未到期)."""
    return queries.run(
        cur,
        "reporting_grid",
        year=year,
        due_day=int(settings.get(cur, "reporting.due_day")),
        today=today or dt.date.today(),
    )


def latest_due_month(table: pd.DataFrame, today: dt.date) -> int | None:
    """The latest month of the grid whose report was due by `today`."""
    due = table[pd.to_datetime(table["due_date"]).dt.date < today]
    return int(due["month"].max()) if not due.empty else None


def missing(table: pd.DataFrame, month: int) -> list[str]:
    """Townships with nothing loaded for the month (status 未报 or 未到期), in unit order."""
    rows = table[(table["month"] == month) & table["status"].isin(["未报", "未到期"])]
    return list(rows.sort_values("unit_order")["township"])


def reminder(year: int, month: int, townships: list[str], due: dt.date) -> str:
    """A message ready to paste into the work group, naming who has not reported."""
    if not townships:
        return f"{year}年{month}月工作台账：各乡镇均已报送，感谢支持！"
    names = "、".join(townships)
    return (
        f"【提醒】{names}：{year}年{month}月工作台账尚未报送县民政局"
        f"（截止日期 {due.month}月{due.day}日）。请尽快整理报送，如有困难请与业务股室联系。谢谢！"
    )


def report_counts(grid: pd.DataFrame) -> dict[str, int]:
    """How many township-months are 已报 / 迟报 / 未报 / 未到期."""
    values = list(grid["status"]) if len(grid) else []
    return {s: values.count(s) for s in STATUSES}


def due_date(grid: pd.DataFrame, month: int) -> dt.date:
    """The due date of a month's report in the grid."""
    return pd.Timestamp(grid[grid["month"] == month]["due_date"].iloc[0]).date()


def late_reports(grid: pd.DataFrame) -> pd.DataFrame:
    """The 迟报 cells as a display table (乡镇, 月份, 截止日期, 首次报送)."""
    late = grid[grid["status"] == "迟报"]
    return pd.DataFrame(
        {
            "乡镇": late["township"],
            "月份": [f"{m}月" for m in late["month"]],
            "截止日期": [pd.Timestamp(d).date() for d in late["due_date"]],
            "首次报送": [pd.Timestamp(d).to_pydatetime() for d in late["first_received"]],
        }
    ).reset_index(drop=True)
