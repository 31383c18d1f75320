"""What the leadership pages show, prepared as plain data so `pages/` stay arithmetic-free:
empty states, the freshness line, one unit's progress, status counts, headline text, and the
display tables with Chinese headers (units in the headers) that the pages and downloads share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from minzheng import formatting
from minzheng.views.batch_table import BATCH_STATUS
from minzheng.views.style import MONTHS

# The batch states as staff read them (the batch tables of the township and admin pages).


def data_state(cards: pd.DataFrame) -> dict[str, bool]:
    """Whether the year has any actual and any target (for the empty states)."""
    return {
        "has_data": bool((cards["actual"].fillna(0) != 0).any()) if len(cards) else False,
        "has_plan": bool(cards["target"].notna().any()) if len(cards) else False,
    }


def card_state(card: Mapping) -> dict[str, bool]:
    """Whether one indicator card has any actual and a target."""
    return {
        "has_data": not formatting.missing(card.get("actual")) and float(card["actual"]) != 0,
        "has_plan": not formatting.missing(card.get("target")),
    }


def freshness_text(fresh: pd.DataFrame) -> str:
    """'最新数据日期 2024-11-30 ｜ 最近一次报送 2024-12-05 09:00' from queries/data_freshness."""
    if fresh.empty:
        return "尚无数据"
    row = fresh.iloc[0]
    data_date = (
        pd.Timestamp(row["last_data_date"]).strftime("%Y-%m-%d")
        if not formatting.missing(row["last_data_date"])
        else "—"
    )
    received = (
        pd.Timestamp(row["last_received"]).strftime("%Y-%m-%d %H:%M")
        if not formatting.missing(row["last_received"])
        else "—"
    )
    return f"最新数据日期 {data_date} ｜ 最近一次报送 {received}"


def indicator_columns(cards: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(key, name, unit) per indicator in card order (core first): the matrix columns."""
    return [(r.indicator, r.name, r.unit_label) for r in cards.itertuples(index=False)]


def unit_progress(matrix: pd.DataFrame, township: str, cards: pd.DataFrame) -> pd.DataFrame:
    """Every catalog indicator for one unit (card order), with 无计划 and 0 where it has
    neither target nor data: indicator, indicator_name, unit_label, actual, target,
    completion, time_progress, gap, status."""
    own = matrix[matrix["township"] == township].set_index("indicator")
    rows = []
    for card in cards.itertuples(index=False):
        if card.indicator in own.index:
            row = own.loc[card.indicator]
            rows.append(
                {
                    "indicator": card.indicator,
                    "indicator_name": card.name,
                    "unit_label": card.unit_label,
                    "actual": float(row["actual"]),
                    "target": row["target"],
                    "completion": row["completion"],
                    "time_progress": row["time_progress"],
                    "gap": row["gap"],
                    "status": row["status"],
                }
            )
        else:
            rows.append(
                {
                    "indicator": card.indicator,
                    "indicator_name": card.name,
                    "unit_label": card.unit_label,
                    "actual": 0.0,
                    "target": None,
                    "completion": None,
                    "time_progress": card.time_progress,
                    "gap": None,
                    "status": "无计划",
                }
            )
    return pd.DataFrame(rows)


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status, in the app's status order."""
    values = list(statuses)
    return {s: values.count(s) for s in formatting.STATUS_ORDER}


def headline(card: Mapping) -> dict[str, str]:
    """An indicator card's numbers as display text: actual, target, completion, time progress,
    change, last year and the year-end projection (rounded to whole units)."""
    unit = str(card["unit_label"])
    projected = card.get("projected")
    return {
        "actual": formatting.number(card["actual"], unit),
        "target": formatting.number(card.get("target"), unit),
        "completion": formatting.percent(card.get("completion")),
        "time_progress": formatting.percent(card.get("time_progress")),
        "change": formatting.change(card.get("change")),
        "last_year": formatting.number(card.get("last_year"), unit),
        "projected": formatting.number(round(float(projected)), unit)
        if not formatting.missing(projected)
        else "—",
        "status": str(card["status"]),
    }


def months_table(months: pd.DataFrame, unit: str, year: int) -> pd.DataFrame:
    """`trends.months()` with Chinese headers (for the page and the Excel download); the plan
    line is rounded to whole units."""

    def numbers(column: str):
        return pd.to_numeric(months[column], errors="coerce").astype("float64").to_numpy()

    return pd.DataFrame(
        {
            "月份": MONTHS,
            f"当月完成（{unit}）": numbers("actual"),
            f"累计完成（{unit}）": numbers("cumulative"),
            f"计划累计（{unit}）": pd.Series(numbers("plan_cumulative")).round(0).to_numpy(),
            f"{year - 1}年当月（{unit}）": numbers("last_year"),
            f"{year - 1}年累计（{unit}）": numbers("last_year_cumulative"),
        }
    )


def ranking_table(ranking: pd.DataFrame, unit: str) -> pd.DataFrame:
    """`trends.ranking()` with Chinese headers; fractions stay fractions (Excel shows %)."""
    return pd.DataFrame(
        {
            "名次": range(1, len(ranking) + 1),
            "乡镇": ranking["township"].to_numpy(),
            f"完成（{unit}）": ranking["actual"].to_numpy(),
            f"年度目标（{unit}）": ranking["target"].to_numpy(),
            "完成率": ranking["completion"].to_numpy(),
            "序时进度": ranking["time_progress"].to_numpy(),
            "完成率减序时进度": ranking["gap"].to_numpy(),
            "状态": ranking["status"].to_numpy(),
            f"预计全年（{unit}）": ranking["projected"].to_numpy(),
        }
    )


def progress_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`unit_progress()` or the behind list as display text with Chinese headers: units in
    the cells, percentages like 85.3% (the 乡镇 column only when the rows have one)."""
    table = {}
    if "township" in rows:
        table["乡镇"] = rows["township"].to_numpy()
    units = list(rows["unit_label"])
    table["指标"] = rows["indicator_name"].to_numpy()
    table["完成"] = [formatting.number(v, u) for v, u in zip(rows["actual"], units, strict=True)]
    table["年度目标"] = [
        formatting.number(v, u) for v, u in zip(rows["target"], units, strict=True)
    ]
    table["完成率"] = [formatting.percent(v) for v in rows["completion"]]
    table["序时进度"] = [formatting.percent(v) for v in rows["time_progress"]]
    table["差距"] = [formatting.points(v) for v in rows["gap"]]
    table["状态"] = rows["status"].to_numpy()
    return pd.DataFrame(table)


def batches_table(batches: pd.DataFrame) -> pd.DataFrame:
    """queries/unit_batches with Chinese headers (the files a unit sent)."""
    return pd.DataFrame(
        {
            "批次号": batches["batch_id"].to_numpy(),
            "文件名": batches["file_name"].to_numpy(),
            "月份": [formatting.month_span(months) for months in batches["months"]],
            "行数": batches["rows"].to_numpy(),
            "收到时间": batches["received_at"].to_numpy(),
            "导入时间": batches["loaded_at"].to_numpy(),
            "导入人": batches["loaded_by"].to_numpy(),
            "状态": [BATCH_STATUS.get(s, s) for s in batches["status"]],
            "演示数据": ["是" if d else "" for d in batches["is_demo"]],
        }
    )
