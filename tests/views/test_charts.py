"""Tests of minzheng.views.charts: traces, Chinese titles, units in hovers, PNG file names, one colour
per status, escaped HTML, and the display tables the leadership pages show."""

import datetime as dt

import pandas as pd
import pytest

from minzheng import formatting
from minzheng.views import charts
from tests.helpers import html_tables

AS_OF = dt.date(2024, 3, 31)


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


def test_file_name_and_plot_config():
    name = charts.file_name("街面巡查", "2024年", "截至2024-11-30")
    assert name == "街面巡查_2024年_截至2024-11-30"
    assert charts.file_name("a/b: c", None, "") == "a_b_c"
    config = charts.plot_config(name)
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {"format": "png", "filename": name, "scale": 2}
    assert charts.plot_config(name, mode_bar=False)["displayModeBar"] is False


def test_sparkline_is_tiny_without_axes_and_hover_has_unit():
    fig = charts.sparkline([1.0, 2.0, 3.0], "街面巡查", "次")
    assert len(fig.data) == 1
    assert list(fig.data[0].x) == ["1月", "2月", "3月"]
    assert "次" in fig.data[0].hovertemplate
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.height <= 80


def test_status_matrix_colours_cells_by_status_and_hovers_with_units():
    rows = progress_rows()
    indicators = [("patrols_run", "街面巡查", "次"), ("lectures_held", "法治讲座", "场")]
    fig = charts.status_matrix(rows, indicators)
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert list(heat.y) == ["丰州镇", "洪水镇", "蟠龙镇", "县民政局机关"]
    codes = {s: i for i, s in enumerate(formatting.STATUS_ORDER)}
    assert [row[0] for row in heat.z] == [codes[s] for s in rows["status"]]
    assert [row[1] for row in heat.z] == [None] * 4  # no lectures data: blank cell
    # every status code lands on that status's colour in the discrete scale
    scale = heat.colorscale
    n = len(formatting.STATUS_ORDER)
    for status, code in codes.items():
        position = (code + 0.5) / n
        colour = next(
            c for (lo, c), (hi, _) in zip(scale, scale[1:], strict=False) if lo <= position <= hi
        )
        assert colour == formatting.STATUS_COLORS[status]
    assert heat.customdata[0][0][2] == "120 次" and heat.customdata[0][0][3] == "100 次"
    assert "完成：" in heat.hovertemplate and "目标：" in heat.hovertemplate
    assert heat.text[0][0] == "120%"
    legend = {t.name: t.marker.color for t in fig.data[1:]}
    assert legend == {s: formatting.STATUS_COLORS[s] for s in formatting.STATUS_ORDER}
    assert "各乡镇" in fig.layout.title.text


def test_cumulative_chart_plan_dashed_last_year_faint_bars_until_as_of():
    fig = charts.cumulative(months_frame(), "街面巡查", "次", 2024, AS_OF)
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {
        "计划累计（序时）",
        "2023年",
        "2024年累计完成",
        "2024年当月",
        "2023年当月",
    }
    assert by_name["计划累计（序时）"].line.dash == "dash"
    assert "0.35" in by_name["2023年"].line.color  # faint
    bars = by_name["2024年当月"]
    assert bars.type == "bar" and list(bars.y[:3]) == [10.0, 20.0, 30.0]
    assert all(v is None for v in bars.y[3:])  # nothing drawn after the as-of month
    for trace in fig.data:
        assert "次" in trace.hovertemplate
    assert fig.layout.title.text.startswith(
        "街面巡查：累计完成与年度计划（2024年，截至2024-03-31）"
    )
    assert by_name["2024年累计完成"].text[2] == "60 次"  # the latest point is labelled


def test_cumulative_chart_without_plan_has_no_plan_line():
    fig = charts.cumulative(months_frame(plan=False), "法治讲座", "场", 2024, AS_OF, "丰州镇")
    assert "计划累计（序时）" not in {t.name for t in fig.data}
    assert fig.layout.title.text.startswith("丰州镇 · 法治讲座")


def test_completion_bars_status_colours_time_progress_marks_and_units():
    rows = progress_rows()
    fig = charts.completion_bars(rows, "township", "街面巡查：各乡镇完成率", "次")
    bars, marks = fig.data[0], fig.data[1]
    assert list(bars.marker.color) == [formatting.STATUS_COLORS[s] for s in rows["status"]]
    assert list(bars.x) == [1.2, 0.5, 0.1, 0.0]
    assert bars.text[0] == "120.0%（120 次 / 100 次）"
    assert bars.text[3] == "无计划（已完成 3 次）"
    assert marks.name == "序时进度" and list(marks.x) == [0.25, 0.25, 0.25, None]
    assert "完成率" in bars.hovertemplate and bars.customdata[0][1] == "100 次"
    assert {t.name for t in fig.data[2:]} == {"滞后", "超前", "无计划"}
    assert fig.layout.shapes[0].x0 == 1.0  # the target line
    assert fig.layout.yaxis.autorange == "reversed"


def test_completion_bars_unit_per_row():
    rows = progress_rows().assign(unit_label=["次", "场", "份", "人次"])
    fig = charts.completion_bars(rows, "township", "各指标完成率")
    assert fig.data[0].text[1] == "50.0%（50 场 / 100 场）"


def test_unit_trends_html_one_panel_per_indicator():
    trends = pd.DataFrame(
        {
            "indicator": ["patrols_run", "patrols_run", "lectures_held"],
            "indicator_name": ["街面巡查", "街面巡查", "法治讲座"],
            "unit_label": ["次", "次", "场"],
            "month": [1, 3, 2],
            "actual": [4.0, 6.0, 1.0],
        }
    )
    indicators = [
        ("patrols_run", "街面巡查", "次"),
        ("lectures_held", "法治<讲座>", "场"),
        ("cases_handled", "信访", "件"),
    ]
    html = charts.unit_trends_html(trends, indicators, last_month=3)
    assert html.count('class="mz-trend"') == 3
    assert html.count('class="mz-spark-bar"') == 9  # three months per panel
    assert 'title="1月：4 次"' in html and 'title="2月：0 次"' in html
    assert 'title="3月：6 次"' in html and 'title="2月：1 场"' in html
    assert "合计 <b>10 次</b>，最多 6 次" in html and "合计 <b>0 件</b></div>" in html
    assert "height:100.0%" in html and "height:66.7%" in html  # each panel to its own peak
    assert "法治&lt;讲座&gt;（场）" in html and "<讲座>" not in html
    assert "<span>3月</span>" in html and "<svg" not in html


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


def test_reporting_grid_colours_and_readable_pending_cells():
    grid = grid_frame()
    fig = charts.reporting_grid(grid, 2024)
    heat = fig.data[0]
    assert list(heat.x) == charts.MONTHS and list(heat.y) == ["丰州镇", "洪水镇"]
    order = list(formatting.REPORT_COLORS)
    assert heat.z[0][2] == order.index("迟报")
    assert heat.customdata[0][0] == ["已报", "2024-02-03 00:00", "2024-02-05"]
    assert heat.customdata[0][5][1] == "尚未收到"
    overlay = fig.data[1]  # 未到期 labels in dark text on the light cells
    assert overlay.mode == "text" and len(overlay.x) == 4
    assert heat.text[0][11] == ""
    legend = {t.name: t.marker.color for t in fig.data[2:]}
    assert legend == formatting.REPORT_COLORS
    assert charts.report_counts(grid) == {"已报": 4, "迟报": 2, "未报": 14, "未到期": 4}
    assert charts.due_date(grid, 12) == dt.date(2025, 1, 5)
    late = charts.late_reports(grid)
    assert list(late.columns) == ["乡镇", "月份", "截止日期", "首次报送"]
    assert list(late["月份"]) == ["3月", "3月"]


def test_projector_enlarges_type():
    fig = charts.cumulative(months_frame(), "街面巡查", "次", 2024, AS_OF)
    big = charts.projector(fig, 2.0, height=700)
    assert big.layout.font.size == 26 and big.layout.height == 700
    assert big.layout.title.font.size == 34


def test_card_html_escapes_and_shows_units_marker_and_status_colour():
    html = charts.card_html(card(name="<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "3,977" in html and "人次" in html and "4,460 人次" in html
    assert "89.2%" in html and "91.0%" in html
    assert 'class="mz-bar-mark" style="left:91.0%"' in html
    assert formatting.STATUS_COLORS["正常"] in html
    assert "-5.4%" in html and "去年同期 4,206 人次" in html
    large = charts.card_html(card(), large=True)
    assert "mz-large" in large


def test_card_html_without_plan_or_last_year():
    html = charts.card_html(
        card(target=None, completion=None, status="无计划", change=None, last_year=0.0)
    )
    assert "尚无年度计划" in html and "去年同期无数据" in html
    assert formatting.STATUS_COLORS["无计划"] in html
    assert "mz-bar-mark" in html  # time progress is still marked


def test_large_headline_numbers_are_at_least_48px():
    assert "font-size:clamp(52px" in charts.CARD_CSS


def test_behind_html_escapes_and_lists_gap_in_points():
    rows = progress_rows().iloc[[2]].assign(township="<b>x</b>")
    html = charts.behind_html(rows, large=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "-15.0 个百分点" in html and "10 次 / 100 次" in html


def test_view_helpers():
    cards = pd.DataFrame([card(), card(indicator="patrols_run", name="街面巡查", unit_label="次")])
    assert charts.data_state(cards) == {"has_data": True, "has_plan": True}
    empty = cards.assign(actual=0.0, target=None)
    assert charts.data_state(empty) == {"has_data": False, "has_plan": False}
    assert charts.indicator_columns(cards)[1] == ("patrols_run", "街面巡查", "次")
    rows = charts.unit_progress(progress_rows(), "蟠龙镇", cards)
    assert list(rows["indicator"]) == ["children_visited", "patrols_run"]
    assert list(rows["status"]) == ["无计划", "滞后"]
    assert rows["actual"].tolist() == [0.0, 10.0]
    assert charts.status_counts(["滞后", "超前", "滞后"]) == {
        "滞后": 2,
        "正常": 0,
        "超前": 1,
        "无计划": 0,
    }
    assert charts.card_state(card()) == {"has_data": True, "has_plan": True}
    assert charts.card_state(card(actual=0.0, target=float("nan"))) == {
        "has_data": False,
        "has_plan": False,
    }
    text = charts.headline(card())
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
        charts.freshness_text(fresh) == "最新数据日期 2024-11-30 ｜ 最近一次报送 2024-12-05 09:00"
    )
    none = fresh.assign(last_received=[pd.NaT], last_data_date=[pd.NaT])
    assert charts.freshness_text(none) == "最新数据日期 — ｜ 最近一次报送 —"


def test_tables_have_chinese_headers_with_units():
    months = charts.months_table(months_frame(), "次", 2024)
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
    bare = charts.months_table(months_frame(plan=False), "次", 2024)
    assert bare["计划累计（次）"].isna().all() and bare["累计完成（次）"].isna().sum() == 9
    ranking = charts.ranking_table(progress_rows(), "次")
    assert list(ranking["名次"]) == [1, 2, 3, 4]
    assert ranking["完成率"].iloc[0] == pytest.approx(1.2)  # a fraction: Excel shows 120.0%
    table = charts.progress_table(progress_rows())
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
    assert "乡镇" not in charts.progress_table(progress_rows().drop(columns="township"))


def test_table_html_formats_escapes_and_aligns():
    table = pd.DataFrame(
        {
            "批次号": [12345, 7],
            "乡镇": ["<b>丰州镇</b>", "监漳镇"],
            "完成（次）": [1234.0, float("nan")],
            "完成率": [0.853, None],
            "差距": [0.052, -0.1],
            "预计全年（次）": [1500.6, 20.2],
            "状态": ["滞后", "自定义"],
            "收到时间": [pd.Timestamp("2024-04-03 09:05"), pd.NaT],
        }
    )
    html = charts.table_html(
        table,
        percent=("完成率",),
        points=("差距",),
        whole=("预计全年（次）",),
        plain=("批次号",),
        max_height=300,
    )
    rows = html_tables(html)[0]
    assert rows[0] == list(table.columns)
    assert rows[1] == [
        "12345",
        "<b>丰州镇</b>",
        "1,234",
        "85.3%",
        "+5.2 个百分点",
        "1,501",
        "滞后",
        "2024-04-03 09:05",
    ]
    assert rows[2] == ["7", "监漳镇", "—", "—", "-10.0 个百分点", "20", "自定义", "—"]
    assert "<b>丰州镇" not in html and "&lt;b&gt;丰州镇" in html
    assert '<th class="mz-num">完成（次）</th>' in html and "<th>批次号</th>" in html
    assert f"color:{formatting.STATUS_COLORS['滞后']}" in html
    assert "max-height:300px" in html and "<script" not in html


def test_batches_table_and_month_span():
    assert charts.month_span([f"2024-{m:02d}" for m in range(1, 12)]) == "2024年1—11月"
    assert charts.month_span(["2024-03"]) == "2024年3月"
    assert charts.month_span(["2024-01", "2024-03"]) == "2024年1月、2024年3月"
    assert charts.month_span([]) == "—"
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
    table = charts.batches_table(batches)
    assert table.iloc[0]["月份"] == "2024年3月"
    assert table.iloc[0]["状态"] == "已撤销" and table.iloc[0]["演示数据"] == "是"


def test_sparkline_html_bars_tooltips_and_escaping():
    html = charts.sparkline_html([0.0, 5.0, 10.0], "<b>街面巡查</b>", "次")
    assert html.count('class="mz-spark-bar"') == 3
    assert 'title="3月：10 次"' in html and 'title="1月：0 次"' in html
    assert "height:100.0%" in html and "height:50.0%" in html and "height:0.0%" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<svg" not in html  # inline SVG is stripped by Streamlit's HTML sanitizer


def test_status_matrix_html_cells_colours_tooltips_and_escaping():
    rows = progress_rows()
    rows.loc[0, "township"] = "<script>x</script>"
    indicators = [("patrols_run", "街面巡查", "次"), ("lectures_held", "法治讲座", "场")]
    html = charts.status_matrix_html(rows, indicators)
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert html.count("<tr>") == 1 + 4  # header and four units
    for status in rows["status"]:
        assert f"background:{formatting.STATUS_COLORS[status]}" in html
    assert "完成：120 次" in html and "目标：100 次" in html and ">120%<" in html
    assert html.count('class="mz-none"') == 4  # no lectures data: blank cells
    for status in formatting.STATUS_ORDER:  # the legend names every status in its colour
        assert f'--c:{formatting.STATUS_COLORS[status]}">{status}<' in html


def test_reporting_grid_html_statuses_and_tooltips():
    grid = grid_frame()
    html = charts.reporting_grid_html(grid, 2024)
    assert html.count("<tr>") == 1 + 2 and all(f"<th>{m}</th>" in html for m in charts.MONTHS)
    assert html.count(">迟报</td>") == 2 and html.count('class="mz-light"') == 4
    assert "首次报送：2024-02-03 00:00" in html and "首次报送：尚未收到" in html
    assert "截止日期：2024-02-05" in html


def test_headline_html_tiles_keep_units_and_escape():
    tiles = charts.headline_html(card())
    text = charts.headline(card())
    assert tiles.count('class="mz-kpi"') == 6
    number, _, unit = text["actual"].partition(" ")
    assert f'{number}<span class="mz-card-unit">{unit}</span>' in tiles
    assert f"去年同期 {text['last_year']}" in tiles
    assert "<script" not in charts.headline_html({**card(), "unit_label": "<script>"})


def test_cumulative_chart_leaves_out_an_empty_last_year():
    months = months_frame()
    months["last_year"] = 0.0
    months["last_year_cumulative"] = 0.0
    names = {t.name for t in charts.cumulative(months, "街面巡查", "次", 2024, AS_OF).data}
    assert "2023年" not in names and "2023年当月" not in names
    assert "2024年累计完成" in names


def test_late_html_lists_days_late_and_escapes():
    grid = grid_frame()
    grid.loc[grid["status"] == "迟报", "township"] = "<b>洪水镇</b>"
    html = charts.late_html(charts.late_reports(grid))
    assert html.count("<tr>") == 1 + 2
    assert "&lt;b&gt;洪水镇" in html and "<b><b>" not in html
    assert "晚 " in html and " 天</td>" in html
