"""Property test: the columnar fast path and the row-by-row path give the same facts.

Clean ledger sheets are generated (random units, categories, dates, counts, optional 单位, 地点,
序号 and totals rows); each is read once as is (the fast path must take it) and once with the
fast path switched off. Both readings must be identical, problems included.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minzheng import store
from minzheng.intake import extract
from minzheng.intake.workbook import Grid
from minzheng.store import reference

TODAY = dt.date(2026, 11, 25)
KEY = b"k" * 32
UNITS = ["丰州镇", "蟠龙镇", "洪水", "县民政局机关", "分水岭乡"]
CATEGORIES = [("街面巡查", "次"), ("发放宣传资料", "份"), ("走访慰问", "人次"), ("业务培训", "场")]


@pytest.fixture(scope="module")
def ref() -> reference.Reference:
    """Units and catalog as seeded from data/."""
    con = store.connect(":memory:")
    try:
        return reference.load(con)
    finally:
        con.close()


@st.composite
def clean_ledgers(draw) -> list[list]:
    """A clean ledger sheet: header, data rows, perhaps a correct 合计 row at the end."""
    with_measure = draw(st.booleans())
    with_place = draw(st.booleans())
    header = ["序号", "日期", "乡镇", "类别", "数量"]
    header += ["单位"] * with_measure + ["地点"] * with_place
    rows = [header]
    n = draw(st.integers(1, 30))
    total = 0
    for i in range(n):
        category, measure = draw(st.sampled_from(CATEGORIES))
        day = draw(st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)))
        as_text = draw(st.booleans())
        qty = draw(st.integers(1, 50))
        total += qty
        row = [
            i + 1,
            day.isoformat() if as_text else day,
            draw(st.sampled_from(UNITS)),
            category,
            draw(st.sampled_from([qty, float(qty), str(qty)])),
        ]
        row += [draw(st.sampled_from([measure, ""]))] * with_measure
        row += [draw(st.sampled_from(["主街", "村委会", ""]))] * with_place
        rows.append(row)
    if draw(st.booleans()):
        rows.append(["合计", "", "", "", total] + [""] * (with_measure + with_place))
    return rows


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=clean_ledgers())
def test_fast_and_row_paths_agree_on_clean_sheets(ref, monkeypatch, rows):
    taken = []
    original = extract.Extractor._ledger_fast

    def spy(*args):
        taken.append(original(*args))
        return taken[-1]

    with monkeypatch.context() as patch:
        patch.setattr(extract.Extractor, "_ledger_fast", spy)
        fast = extract.extract([Grid("台账", rows, False)], "台账.xlsx", ref, KEY, TODAY)
    assert taken == [True]
    assert fast.errors == [] and fast.row_count == len([r for r in rows[1:] if r[0] != "合计"])
    with monkeypatch.context() as patch:
        patch.setattr(extract.Extractor, "_ledger_fast", lambda *args: False)
        slow = extract.extract([Grid("台账", rows, False)], "台账.xlsx", ref, KEY, TODAY)
    assert fast.table().equals(slow.table())
    assert fast.problems == slow.problems
