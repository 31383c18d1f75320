"""Sample frames shaped like what `minzheng.measures` returns, shared by the views and measures
tests: a year of monthly figures, progress rows of four units, an indicator card, a reporting grid."""

import datetime as dt

import pandas as pd


def months_frame(plan: bool = True) -> pd.DataFrame:
    actual = [10.0, 20.0, 30.0] + [0.0] * 9
    cumulative = [10.0, 30.0, 60.0] + [None] * 9
    return pd.DataFrame(
        {
            "month": range(1, 13),
            "actual": actual,
            "cumulative": cumulative,
            "plan_cumulative": [20.0 * m for m in range(1, 13)] if plan else None,
            "last_year": [5.0] * 12,
            "last_year_cumulative": [5.0 * m for m in range(1, 13)],
        }
    )


def progress_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "township": ["丰州镇", "洪水镇", "蟠龙镇", "县民政局机关"],
            "indicator": ["patrols_run"] * 4,
            "indicator_name": ["街面巡查"] * 4,
            "unit_label": ["次"] * 4,
            "actual": [120.0, 50.0, 10.0, 3.0],
            "target": [100.0, 100.0, 100.0, None],
            "completion": [1.2, 0.5, 0.1, None],
            "time_progress": [0.25, 0.25, 0.25, 0.25],
            "gap": [0.95, 0.25, -0.15, None],
            "status": ["超前", "超前", "滞后", "无计划"],
            "projected": [480.0, 200.0, 40.0, 12.0],
        }
    )


def card(**changes) -> dict:
    base = {
        "indicator": "children_visited",
        "name": "走访慰问留守困境儿童",
        "unit_label": "人次",
        "core": True,
        "actual": 3977.0,
        "target": 4460.0,
        "completion": 0.8917,
        "time_progress": 0.91,
        "gap": -0.018,
        "status": "正常",
        "projected": 4370.33,
        "last_year": 4206.0,
        "change": -0.0544,
        "trend": [392.0, 381.0, 356.0],
    }
    base.update(changes)
    return base


def grid_frame() -> pd.DataFrame:
    rows = []
    for order, township in enumerate(["丰州镇", "洪水镇"], start=1):
        for month in range(1, 13):
            status = "已报" if month < 3 else ("迟报" if month == 3 else "未报")
            if month > 10:
                status = "未到期"
            received = pd.Timestamp(2024, month + 1, 3) if status in ("已报", "迟报") else pd.NaT
            rows.append(
                {
                    "township": township,
                    "code": "x",
                    "unit_order": order,
                    "month": month,
                    "first_received": received,
                    "due_date": dt.date(2024 + month // 12, month % 12 + 1, 5),
                    "status": status,
                }
            )
    return pd.DataFrame(rows)
