"""Tests of minzheng.views.shaping: empty states, the freshness line, one unit's progress, headline
text and the display tables with Chinese headers and units."""

import pandas as pd
import pytest

from minzheng.views import shaping
from tests.samples import card, months_frame, progress_rows


def test_view_helpers():
    cards = pd.DataFrame([card(), card(indicator="patrols_run", name="街面巡查", unit_label="次")])
    assert shaping.data_state(cards) == {"has_data": True, "has_plan": True}
    empty = cards.assign(actual=0.0, target=None)
    assert shaping.data_state(empty) == {"has_data": False, "has_plan": False}
    assert shaping.indicator_columns(cards)[1] == ("patrols_run", "街面巡查", "次")
    rows = shaping.unit_progress(progress_rows(), "蟠龙镇", cards)
    assert list(rows["indicator"]) == ["children_visited", "patrols_run"]
    assert list(rows["status"]) == ["无计划", "滞后"]
    assert rows["actual"].tolist() == [0.0, 10.0]
    assert shaping.status_counts(["滞后", "超前", "滞后"]) == {
        "滞后": 2,
        "正常": 0,
        "超前": 1,
        "无计划": 0,
    }
    assert shaping.card_state(card()) == {"has_data": True, "has_plan": True}
    assert shaping.card_state(card(actual=0.0, target=float("nan"))) == {
        "has_data": False,
        "has_plan": False,
    }
    text = shaping.headline(card())
    assert text["actual"] == "3,977 人次" and text["projected"] == "4,370 人次"
    assert text["completion"] == "89.2%" and text["change"] == "-5.4%"


def test_freshness_text():
    fresh = pd.DataFrame(
        {
            "last_received": [pd.Timestamp("2024-12-05 09:00")],
            "last_loaded": [pd.Timestamp("2026-01-01")],
            "last_data_date": [pd.Timestamp("2024-11-30")],
            "active_batches": [3],
        }
    )
    assert (
        shaping.freshness_text(fresh) == "最新数据日期 2024-11-30 ｜ 最近一次报送 2024-12-05 09:00"
    )
    none = fresh.assign(last_received=[pd.NaT], last_data_date=[pd.NaT])
    assert shaping.freshness_text(none) == "最新数据日期 — ｜ 最近一次报送 —"


def test_tables_have_chinese_headers_with_units():
    months = shaping.months_table(months_frame(), "次", 2024)
    assert list(months.columns) == [
        "月份",
        "当月完成（次）",
        "累计完成（次）",
        "计划累计（次）",
        "2023年当月（次）",
        "2023年累计（次）",
    ]
    assert months["累计完成（次）"].dtype == "float64"  # blanks, never the text "None"
    assert months["计划累计（次）"].iloc[11] == 240
    bare = shaping.months_table(months_frame(plan=False), "次", 2024)
    assert bare["计划累计（次）"].isna().all() and bare["累计完成（次）"].isna().sum() == 9
    ranking = shaping.ranking_table(progress_rows(), "次")
    assert list(ranking["名次"]) == [1, 2, 3, 4]
    assert ranking["完成率"].iloc[0] == pytest.approx(1.2)  # a fraction: Excel shows 120.0%
    table = shaping.progress_table(progress_rows())
    assert table.iloc[0].to_dict() == {
        "乡镇": "丰州镇",
        "指标": "街面巡查",
        "完成": "120 次",
        "年度目标": "100 次",
        "完成率": "120.0%",
        "序时进度": "25.0%",
        "差距": "+95.0 个百分点",
        "状态": "超前",
    }
    assert "乡镇" not in shaping.progress_table(progress_rows().drop(columns="township"))


def test_batches_table():
    batches = pd.DataFrame(
        {
            "batch_id": [7],
            "file_name": ["丰州镇2024年3月台账.xlsx"],
            "months": [["2024-03"]],
            "rows": [12],
            "received_at": [pd.Timestamp("2024-04-03")],
            "loaded_at": [pd.Timestamp("2024-04-04")],
            "loaded_by": ["张三"],
            "status": ["rolled_back"],
            "is_demo": [True],
        }
    )
    table = shaping.batches_table(batches)
    assert table.iloc[0]["月份"] == "2024年3月"
    assert table.iloc[0]["状态"] == "已撤销" and table.iloc[0]["演示数据"] == "是"
