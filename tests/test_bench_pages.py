"""bench/pages.py's verdicts from measured times: each page's first render divided by its own
baseline of the same loop, and the switch limit (1.0 s, or 1.25 × the baseline's switch)."""

import pytest

from bench import pages


def _times(first: float, switch: float, base_first: dict, base_switch: dict) -> dict:
    labels = [label for label, _ in pages.PAGES]
    return {
        "cold": {label: [first] for label in labels},
        "first": {label: [first, first + 1, first - 0.01] for label in labels},
        "switch": {label: [switch] for label in labels},
        "base_first": {kind: [v] for kind, v in base_first.items()},
        "base_switch": {kind: [v] for kind, v in base_switch.items()},
    }


def test_each_page_is_divided_by_its_own_baseline():
    times = _times(1.2, 0.5, {"title": 1.0, "plotly": 1.2, "dataframe": 0.8, "menu": 1.1}, {})
    rows = {row[0]: row for row in pages.ratios(times)}
    assert rows["总览"][2] == "title" and rows["总览"][3] == pytest.approx(1.2)
    assert rows["指标"][2] == "plotly" and rows["指标"][3] == pytest.approx(1.0)
    assert rows["数据管理"][2] == "dataframe" and rows["数据管理"][3] == pytest.approx(1.5)
    assert rows["指标"][-1] is True and rows["总览"][-1] is True  # 1.2 ≤ 1.25
    assert rows["数据管理"][-1] is False
    assert "| 数据管理 | 1.20 | dataframe | 1.50 |" in "\n".join(pages.table_lines(times))


def test_switch_limit_is_one_second_or_the_baselines_own_switch():
    base = {"title": 1.0, "plotly": 1.0, "dataframe": 1.0}
    times = _times(1.0, 1.2, base, {"plotly": 1.0, "title": 0.1})
    rows = {row[0]: row for row in pages.ratios(times)}
    assert rows["指标"][5] == 1.25 and rows["指标"][-1] is True
    assert rows["总览"][5] == 1.0 and rows["总览"][-1] is False
    text = pages.section(times, 1, (0.0, 0.0, 0.0))
    assert "Pages meeting both targets: 2 of 8" in text  # 指标 and 乡镇
    assert "menu of 3 pages" not in text  # the menu baseline was not measured here


def test_context_rows_are_shown_as_ratios_to_the_title_only_baseline():
    base = {"title": 0.6, "plotly": 1.2, "dataframe": 0.8, "frame": 0.66, "overview_floor": 0.75}
    text = "\n".join(pages.baseline_lines(_times(1.0, 0.5, base, {"title": 0.1})))
    assert "| Streamlit page with a title only | 0.60 | 1.00 | 0.10 |" in text
    assert "menu and sidebar notice like the dashboard's" in text
    assert "like the dashboard's (bench/baseline_frame.py; context) | 0.66 | 1.10 | — |" in text
    assert "no controls or links (bench/baseline_frame.py; context) | 0.75 | 1.25 | — |" in text
