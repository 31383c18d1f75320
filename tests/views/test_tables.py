"""Tests of minzheng.views.tables: the HTML matrix and reporting grid, the behind and late lists and
`table_html`: formats, alignment, colours and escaping."""

import pandas as pd

from minzheng import formatting
from minzheng.measures import submissions
from minzheng.views import style, tables
from tests.helpers import html_tables
from tests.samples import grid_frame, progress_rows


def test_behind_html_escapes_and_lists_gap_in_points():
    rows = progress_rows().iloc[[2]].assign(township="<b>x</b>")
    html = tables.behind_html(rows, large=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "-15.0 个百分点" in html and "10 次 / 100 次" in html


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
    html = tables.table_html(
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


def test_status_matrix_html_cells_colours_tooltips_and_escaping():
    rows = progress_rows()
    rows.loc[0, "township"] = "<script>x</script>"
    indicators = [("patrols_run", "街面巡查", "次"), ("lectures_held", "法治讲座", "场")]
    html = tables.status_matrix_html(rows, indicators)
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
    html = tables.reporting_grid_html(grid, 2024)
    assert html.count("<tr>") == 1 + 2 and all(f"<th>{m}</th>" in html for m in style.MONTHS)
    assert html.count(">迟报</td>") == 2 and html.count('class="mz-light"') == 4
    assert "首次报送：2024-02-03 00:00" in html and "首次报送：尚未收到" in html
    assert "截止日期：2024-02-05" in html


def test_late_html_lists_days_late_and_escapes():
    grid = grid_frame()
    grid.loc[grid["status"] == "迟报", "township"] = "<b>洪水镇</b>"
    html = tables.late_html(submissions.late_reports(grid))
    assert html.count("<tr>") == 1 + 2
    assert "&lt;b&gt;洪水镇" in html and "<b><b>" not in html
    assert "晚 " in html and " 天</td>" in html
