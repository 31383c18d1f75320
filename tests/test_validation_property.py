"""Property-based tests of the reader and validator together: random cell contents and layouts
(title rows, shuffled and synonym headers, junk columns, every kind of odd value), written as
.xlsx or .csv bytes and fed through `ingest.check_bytes` and `ingest.commit`.

Whatever the file holds: no exception escapes except the MinzhengError family, a file with an
error loads nothing, and every fact that is loaded satisfies the invariants: a known active unit,
a known indicator, a whole quantity from 0 (a township may report none) up to the indicator's
per-row ceiling, a month in range and a date (when there is one) between 2000-01-01 and today
that agrees with the month.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from minzheng import store
from minzheng.errors import MinzhengError
from minzheng.intake import ingest
from minzheng.store import reference
from tests.data import build_bad as bb
from tests.helpers import TODAY

TOWNSHIPS = ["丰州镇", "洪水镇", "蟠龙镇", "大有乡", "丰州", "丰洲镇", "县民政局机关", "", "北京市"]
CATEGORIES = [
    "街面巡查",
    "发放宣传资料",
    "法治讲座",
    "走访慰问留守困境儿童",
    "业务培训",
    "发放宣传册",
    "婚姻大讲堂",
    "",
    "合计",
    "小计",
]
MEASURES = ["次", "份", "场", "人次", "件", "个", "", "kg"]
HEADERS = {
    "date": ["日期", "活动日期", "时间", "走访日期"],
    "month": ["月份", "月"],
    "township": ["乡镇", "所属乡镇", "填报单位"],
    "category": ["类别", "工作类别", "项目", "工作内容"],
    "quantity": ["数量", "完成数量", "次数", "数量（人次/份/次）"],
    "measure": ["单位", "计量单位"],
    "place": ["地点", "具体地点"],
    "note": ["备注", "说明"],
    "junk": ["负责人", "经费（元）", "", "数量", "日期", "Sheet1", "=SUM(A1)"],
}

odd_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "😀",
            "\u202e镇政府",
            "'); DROP TABLE facts; --",
            "<script>x</script>",
            "=1+1",
            "\x07",
            "nan",
            "inf",
            "-0",
            "1e308",
            "１２０",
            "1,200",
            "30人次",
            "200余份",
            "约50",
            "—",
            "若干",
        ]
    ),
)
odd_number = st.one_of(
    st.integers(-10, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 2, 1.5, -3, 1e308, 5e-324, 99999, 2**53]),
)
dates = st.dates(dt.date(1899, 12, 31), dt.date(2030, 12, 31))
date_texts = st.one_of(
    dates.map(lambda d: d.isoformat()),
    dates.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    dates.map(lambda d: f"{d.year}/{d.month}/{d.day}"),
    st.sampled_from(["2023-02-30", "2023-13-01", "上周三", "2023.3", "3月", "2023年3月", ""]),
)


def _value(role: str):
    pools = {
        "date": st.one_of(date_texts, dates, odd_number, odd_text),
        "month": st.one_of(st.integers(-1, 14), st.sampled_from(["3月", "13月", "2023-03"])),
        "township": st.one_of(st.sampled_from(TOWNSHIPS), odd_text),
        "category": st.one_of(st.sampled_from(CATEGORIES), odd_text),
        "quantity": st.one_of(odd_number, odd_text),
        "measure": st.one_of(st.sampled_from(MEASURES), odd_text),
    }
    return pools.get(role, st.one_of(odd_text, odd_number, st.none()))


PAIRS = [
    ("街面巡查", "次"),
    ("发放宣传资料", "份"),
    ("法治讲座", "场"),
    ("走访慰问留守困境儿童", "人次"),
]
REQUIRED = ["date", "township", "category", "quantity"]


def _valid(draw, role: str, pair: tuple[str, str]):
    """A value the validator must accept for the role (so that some files load)."""
    if role == "date":
        day = draw(st.dates(dt.date(2023, 1, 1), dt.date(2024, 11, 30)))
        return draw(
            st.sampled_from([day, day.isoformat(), f"{day.year}年{day.month}月{day.day}日"])
        )
    if role == "township":
        return draw(st.sampled_from(["丰州镇", "洪水镇", "蟠龙镇", "大有乡", "丰州"]))
    if role == "category":
        return pair[0]
    if role == "measure":
        return pair[1]
    if role == "quantity":
        return draw(st.one_of(st.integers(1, 20), st.sampled_from(["3", "１２", "5次", "约5"])))
    return draw(st.one_of(st.text(max_size=10), st.none()))


@st.composite
def sheets(draw):
    """Rows: optional titles, a header of random synonyms (the four needed columns, extras,
    junk, shuffled), then data rows whose cells are valid or odd at a random rate per file."""
    roles = REQUIRED + draw(
        st.lists(st.sampled_from(["measure", "place", "note", "junk", "month"]), max_size=4)
    )
    roles = draw(
        st.permutations(list(dict.fromkeys(roles)) + (["junk"] if "junk" in roles else []))
    )
    if draw(st.booleans()):  # sometimes a needed column is missing altogether
        roles = roles[: draw(st.integers(1, len(roles)))]
    header = [draw(st.sampled_from(HEADERS[r])) for r in roles]
    odd_percent = draw(st.sampled_from([0, 0, 5, 30, 100]))
    rows = []
    for _ in range(draw(st.integers(0, 2))):
        rows.append(
            [draw(st.sampled_from(["丰州镇2023年3月工作台账", "台账", "", "填报单位：洪水镇"]))]
        )
    rows.append(header)
    for _ in range(draw(st.integers(0, 12))):
        pair = draw(st.sampled_from(PAIRS))
        rows.append(
            [
                draw(_value(r)) if draw(st.integers(0, 99)) < odd_percent else _valid(draw, r, pair)
                for r in roles
            ]
        )
    return rows


def _cell_for_xlsx(value):
    if isinstance(value, dt.date):
        return bb.D((value - dt.date(1899, 12, 30)).days)
    if isinstance(value, float) and not math.isfinite(value):
        return bb.Raw(f"><v>{'NaN' if math.isnan(value) else 'INF'}</v>")
    return value


def _bytes(rows: list[list], fmt: str) -> tuple[bytes, str]:
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([["" if v is None else v for v in row] for row in rows])
        return out.getvalue().encode("utf-8"), "随机.csv"
    cells = [[_cell_for_xlsx(v) for v in row] for row in rows]
    return bb.xlsx([("Sheet1", bb.sheet_xml(cells))]), "随机.xlsx"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = store.connect(tmp_path_factory.mktemp("property") / "p.duckdb")
    yield con
    con.close()


def _assert_fact_invariants(cur, facts, ref: reference.Reference) -> None:
    for row in facts:
        unit_id, key, year, month, day, qty = row
        assert unit_id in ref.units and ref.units[unit_id].active, row
        assert key in ref.indicators, row
        ind = ref.indicators[key]
        assert math.isfinite(qty) and qty == int(qty) and 0 <= qty <= ind.max_per_row, row
        assert 2000 <= year <= TODAY.year and 1 <= month <= 12, row
        assert dt.date(year, month, 1) <= TODAY, row
        if day is not None:
            assert dt.date(2000, 1, 1) <= day <= TODAY, row
            assert (day.year, day.month) == (year, month), row


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=sheets(), fmt=st.sampled_from(["xlsx", "csv"]))
def test_random_files_never_crash_and_never_slip_past_validation(con, rows, fmt):
    data, name = _bytes(rows, fmt)
    ref = reference.load(con)
    try:
        check = ingest.check_bytes(con, data, name, ref=ref, today=TODAY)
        result = ingest.commit(con, check, replace=True)
    except MinzhengError:
        event("MinzhengError")
        return
    event(result.status)
    if check.errors:
        assert result.status == ingest.REFUSED and result.batch_id is None
        assert all(p.message for p in check.errors)
        return
    columns = ["unit_id", "indicator_key", "year", "month", "activity_date", "quantity"]
    facts = check.facts[columns].astype(object).where(check.facts[columns].notna(), None)
    _assert_fact_invariants(con, facts.itertuples(index=False, name=None), ref)
    if result.status == ingest.LOADED:
        stored = con.execute(
            "SELECT unit_id, indicator_key, year, month, activity_date, quantity FROM facts "
            "WHERE batch_id = $b",
            {"b": result.batch_id},
        ).fetchall()
        assert len(stored) == len(check.facts) > 0
        _assert_fact_invariants(con, stored, ref)
