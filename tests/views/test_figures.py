"""Tests of minzheng.views.figures and plotting: traces, Chinese titles, units in hovers, one
colour per status, and the enlarged meeting-room version."""

import datetime as dt

import pytest

from minzheng import formatting
from minzheng.views import figures, plotting, style
from tests.samples import grid_frame, months_frame, progress_rows

AS_OF = dt.date(2024, 3, 31)


def test_sparkline_is_tiny_without_axes_and_hover_has_unit():
    fig = figures.sparkline([1.0, 2.0, 3.0], "街面巡查", "次")
    assert len(fig.data) == 1
    assert list(fig.data[0].x) == ["1月", "2月", "3月"]
    assert "次" in fig.data[0].hovertemplate
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.height <= 80


def test_status_matrix_colours_cells_by_status_and_hovers_with_units():
    rows = progress_rows()
    indicators = [("patrols_run", "街面巡查", "次"), ("lectures_held", "法治讲座", "场")]
    fig = figures.status_matrix(rows, indicators)
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
    fig = figures.cumulative(months_frame(), "街面巡查", "次", 2024, AS_OF)
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
    assert fig.layout.title.text.replace("<br>", "").startswith(
        "街面巡查：累计完成与年度计划（2024年，截至2024-03-31）"
    )
    assert by_name["2024年累计完成"].text[2] == "60 次"  # the latest point is labelled


def test_cumulative_chart_without_plan_has_no_plan_line():
    fig = figures.cumulative(months_frame(plan=False), "法治讲座", "场", 2024, AS_OF, "丰州镇")
    assert "计划累计（序时）" not in {t.name for t in fig.data}
    assert fig.layout.title.text.replace("<br>", "").startswith("丰州镇 · 法治讲座")


def test_completion_bars_status_colours_time_progress_marks_and_units():
    rows = progress_rows()
    fig = figures.completion_bars(rows, "township", "街面巡查：各乡镇完成率", "次")
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
    fig = figures.completion_bars(rows, "township", "各指标完成率")
    assert fig.data[0].text[1] == "50.0%（50 场 / 100 场）"


def test_reporting_grid_colours_and_readable_pending_cells():
    grid = grid_frame()
    fig = figures.reporting_grid(grid, 2024)
    heat = fig.data[0]
    assert list(heat.x) == style.MONTHS and list(heat.y) == ["丰州镇", "洪水镇"]
    order = list(formatting.REPORT_COLORS)
    assert heat.z[0][2] == order.index("迟报")
    assert heat.customdata[0][0] == ["已报", "2024-02-03 00:00", "2024-02-05"]
    assert heat.customdata[0][5][1] == "尚未收到"
    overlay = fig.data[1]  # 未到期 labels in dark text on the light cells
    assert overlay.mode == "text" and len(overlay.x) == 4
    assert heat.text[0][11] == ""
    legend = {t.name: t.marker.color for t in fig.data[2:]}
    assert legend == formatting.REPORT_COLORS


def test_projector_enlarges_type():
    fig = figures.cumulative(months_frame(), "街面巡查", "次", 2024, AS_OF)
    big = plotting.projector(fig, 2.0, height=700)
    assert big.layout.font.size == 26 and big.layout.height == 700
    assert big.layout.title.font.size == 34


def test_cumulative_chart_leaves_out_an_empty_last_year():
    months = months_frame()
    months["last_year"] = 0.0
    months["last_year_cumulative"] = 0.0
    names = {t.name for t in figures.cumulative(months, "街面巡查", "次", 2024, AS_OF).data}
    assert "2023年" not in names and "2023年当月" not in names
    assert "2024年累计完成" in names


@pytest.mark.parametrize(
    "title",
    [
        "走访慰问留守困境儿童：累计完成与年度计划（2024年，截至2024-11-30）",
        "丰州镇 · 走访慰问留守困境儿童：各乡镇完成率（2024年）",
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
        "法治讲座",
    ],
)
def test_long_chart_titles_are_broken_into_lines_that_fit_a_phone(title):
    lines = plotting.title_lines(title)
    assert "".join(lines) == title, "nothing lost or added"
    assert all(plotting._width(line) <= plotting.TITLE_WIDTH for line in lines)
    if plotting._width(title) <= plotting.TITLE_WIDTH:
        assert lines == [title], "a short title stays on one line"
    fig = plotting.figure([], title, 300, 60)
    assert fig.layout.title.text == "<br>".join(lines)
    extra = plotting.TITLE_LINE * (len(lines) - 1)
    assert (fig.layout.height, fig.layout.margin.t) == (300 + extra, 60 + extra)


def test_titles_break_at_punctuation_first():
    assert plotting.title_lines("走访慰问留守困境儿童：累计完成与年度计划（2024年）") == [
        "走访慰问留守困境儿童：",
        "累计完成与年度计划（2024年）",
    ]


def test_the_legend_sits_under_the_chart():
    fig = figures.cumulative(months_frame(), "街面巡查", "次", 2024, AS_OF)
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor, legend.x) == ("container", 0, "bottom", 0)
