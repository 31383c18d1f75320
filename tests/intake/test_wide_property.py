"""Property test of wide tables: random orientations, measure columns, totals and context.

Each example is a generated workbook (xlsx, xls or csv) holding one wide table: rows of
townships for one month, or rows of months for one township; indicators across, written as
canonical names or synonyms, with or without their unit, in one header row or two (merged
indicator cells over 本月/累计/年度任务/完成率); a 合计/全县 row at a random place and perhaps a
合计 column; the month or township not in the rows in the title, the sheet name or the file
name. The generator knows the truth; every fact loaded must equal it, a table that gives only
cumulative figures for months whose predecessors are not loaded must be refused naming them,
and nothing but a MinzhengError may escape.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from minzheng import store
from minzheng.errors import MinzhengError
from minzheng.intake import ingest
from minzheng.store import reference
from tests.data.build import Sheet, book_bytes
from tests.helpers import TODAY

YEAR = 2025
# (key, names a header may use, units a header may write)
INDICATORS = [
    ("children_visited", ["走访慰问留守困境儿童", "走访慰问", "入户走访"], ["人次", ""]),
    ("leaflets_distributed", ["发放宣传资料", "宣传资料发放"], ["份", "张", ""]),
    ("patrols_run", ["街面巡查", "巡查", "巡查次数"], ["次", ""]),
    ("lectures_held", ["法治讲座", "普法讲座"], ["场", ""]),
    ("disputes_mediated", ["矛盾纠纷调解", "纠纷调解"], ["件", ""]),
]
UNITS = [
    ("丰州镇", ["丰州镇", "丰州"]),
    ("洪水镇", ["洪水镇", "洪水"]),
    ("蟠龙镇", ["蟠龙镇"]),
    ("分水岭乡", ["分水岭乡", "分水岭"]),
    ("县民政局机关", ["县民政局机关", "局机关"]),
]
CN_MONTHS = "一二三四五六七八九十"
MONTH_WORDS = ["本月", "当月", "本月完成", "当月完成"]
CUMULATIVE_WORDS = ["累计", "年累计", "自年初累计", "1-{m}月累计"]
NONE_CELLS = ["", 0, "—", "/"]


def _month_label(style: int, m: int):
    return [
        f"{m}月",
        f"{CN_MONTHS[m - 1] if m <= 10 else '十' + CN_MONTHS[m - 11]}月",
        f"{YEAR}年{m}月",
        f"{YEAR}.{m:02d}",
    ][style]


@st.composite
def wide_tables(draw):
    """(file name, sheets, truth {(unit, key, month): qty}, refusal fragment or None, unchecked)."""
    by_month = draw(st.booleans())  # rows are months (one township) or townships (one month)
    chosen = draw(
        st.lists(st.sampled_from(range(len(INDICATORS))), min_size=1, max_size=4, unique=True)
    )
    # per indicator: which measures it has (the month's own, cumulative, or both)
    kinds = [draw(st.sampled_from(["month", "cum", "both"])) for _ in chosen]
    extra = draw(st.sampled_from(["", "target", "derived", "both"]))
    two_rows = draw(st.booleans())
    place = draw(st.sampled_from(["title", "sheet", "file"]))
    n_months = draw(st.integers(1, 6))
    month = draw(st.integers(1, 12))
    unit = draw(st.sampled_from(UNITS))
    if by_month:
        keys = [(unit[0], m) for m in range(1, n_months + 1)]
        key_labels = [_month_label(draw(st.integers(0, 3)), m) for m in range(1, n_months + 1)]
        context = f"{draw(st.sampled_from(unit[1]))}{YEAR}年"
        key_header = draw(st.sampled_from(["月份", "时间段", ""]))
    else:
        picked = [
            UNITS[i]
            for i in draw(
                st.lists(st.integers(0, len(UNITS) - 1), min_size=1, max_size=5, unique=True)
            )
        ]
        keys = [(u[0], month) for u in picked]
        key_labels = [draw(st.sampled_from(u[1])) for u in picked]
        context = f"{YEAR}年{month}月"
        key_header = draw(st.sampled_from(["乡镇", "单位", "填报单位", ""]))
    if key_header == "时间段":
        key_header = "月份"
    # columns: (header upper, header lower, kind, key)
    columns = []
    for i, k in zip(chosen, kinds, strict=True):
        key, names, units = INDICATORS[i]
        name = draw(st.sampled_from(names))
        written = draw(st.sampled_from(units))
        label = f"{name}（{written}）" if written else name
        if k in ("month", "both"):
            columns.append((label, draw(st.sampled_from(MONTH_WORDS)), "month", key))
        if k in ("cum", "both"):
            word = draw(st.sampled_from(CUMULATIVE_WORDS)).format(m=n_months if by_month else month)
            columns.append((label, word, "cum", key))
        if extra in ("target", "both"):
            columns.append((label, "年度任务", "target", key))
        if extra in ("derived", "both"):
            columns.append((label, "完成率", "derived", key))
    if not two_rows and all(c[2] == "month" for c in columns) and draw(st.booleans()):
        columns = [(up, "", kind, key) for up, _lo, kind, key in columns]  # no measure word
    # figures
    truth: dict[tuple[str, str, int], float] = {}
    running: dict[tuple[str, str], float] = {}
    body = []
    for (u, m), label in zip(keys, key_labels, strict=True):
        row = [label]
        own: dict[str, int] = {}
        for _up, _lo, kind, key in columns:
            if key not in own:
                own[key] = draw(st.integers(0, 30))
                running[(u, key)] = running.get((u, key), 0) + own[key]
            if kind == "month":
                v = own[key]
                row.append(v if v else draw(st.sampled_from(NONE_CELLS)))
            elif kind == "cum":
                row.append(running[(u, key)] if by_month else own[key] + 0)
            elif kind == "target":
                row.append(draw(st.integers(100, 500)))
            else:
                row.append(f"{draw(st.integers(0, 100))}%")
            if own[key]:
                truth[(u, key, m)] = own[key]
        body.append(row)
    month_cols = [j + 1 for j, c in enumerate(columns) if c[2] == "month"]
    total_col = bool(month_cols) and draw(st.booleans())
    if total_col:
        for row in body:
            row.append(sum(row[j] if isinstance(row[j], int) else 0 for j in month_cols))
    total_row_at = draw(st.one_of(st.none(), st.integers(0, len(body))))
    if total_row_at is not None:
        total = [draw(st.sampled_from(["合计", "全县", "小计"] if not by_month else ["合计"]))]
        for j, c in enumerate(columns, start=1):
            ok = c[2] == "month" or (c[2] == "cum" and not by_month)
            total.append(sum(r[j] if isinstance(r[j], int) else 0 for r in body) if ok else "")
        if total_col:
            total.append("")
        if total[0] == "小计":
            total_row_at = len(body)  # a 小计 sums the rows above it
        body.insert(total_row_at, total)
    header_up = [key_header] + [c[0] for c in columns] + (["合计"] if total_col else [])
    header_lo = [""] + [c[1] for c in columns] + ([""] if total_col else [])
    fmt = draw(st.sampled_from(["xlsx", "xls", "csv"]))
    merges = []
    if two_rows:
        head = [header_up, header_lo]
        if fmt != "csv":
            # indicator cells merged across their measure columns, key and 合计 cells down
            start = 1
            while start <= len(columns):
                end = start
                while end < len(columns) and columns[end][0] == columns[start - 1][0]:
                    end += 1
                if end > start:
                    merges.append(f"{_col(start)}{{r}}:{_col(end)}{{r}}")
                    for j in range(start + 1, end + 1):
                        header_up[j] = ""
                start = end + 1
            merges.append("A{r}:A{r1}")
            if total_col:
                merges.append(f"{_col(len(header_up) - 1)}{{r}}:{_col(len(header_up) - 1)}{{r1}}")
    else:
        head = [[up + lo for up, lo in zip(header_up, header_lo, strict=True)]]
    sheet_name, file_stem, rows = "Sheet1", "报表", []
    if place == "title":
        rows.append([f"{context}民政工作统计表"])
        if fmt != "csv" and draw(st.booleans()):
            merges.append(f"A1:{_col(len(header_up) - 1)}1")
    elif place == "sheet" and fmt != "csv":  # a csv file has no sheet name
        sheet_name = context
    else:
        file_stem = f"{context}民政工作统计"
    first = len(rows) + 1
    merges = [m.format(r=first, r1=first + 1) for m in merges]
    rows += head + body
    # Refused: a table that gives only cumulative figures needs the earlier months loaded.
    cum_only = {c[3] for c in columns if c[2] == "cum"} - {c[3] for c in columns if c[2] == "month"}
    refusal = "需先导入" if cum_only and not by_month and month > 1 else None
    if refusal is None and not truth:
        refusal = "没有数据行"  # all figures none: a file that loads nothing is refused, as ever
    # With both figures for a month after January and nothing loaded before it, the cumulative
    # one cannot be checked: a warning says so.
    both = {c[3] for c in columns if c[2] == "cum"} - cum_only
    unchecked = bool(both) and not by_month and month > 1
    return f"{file_stem}.{fmt}", [Sheet(sheet_name, rows, merges)], truth, refusal, unchecked


def _col(c: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[c]


def _bytes(name: str, sheets: list[Sheet]) -> bytes:
    if name.endswith(".csv"):
        out = io.StringIO()
        csv.writer(out).writerows(sheets[0].rows)
        return out.getvalue().encode("utf-8-sig")
    return book_bytes(name, sheets)


@pytest.fixture(scope="module")
def con():
    """One in-memory database for all examples (nothing is committed, so nothing is loaded)."""
    con = store.connect(":memory:")
    yield con
    con.close()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(table=wide_tables())
def test_wide_tables_load_exactly_the_generators_truth(con, table):
    name, sheets, truth, refusal, unchecked = table
    data = _bytes(name, sheets)
    ref = reference.load(con)
    try:
        check = ingest.check_bytes(con, data, name, ref=ref, today=TODAY)
    except MinzhengError:
        event("MinzhengError")
        assert refusal is not None
        return
    messages = "\n".join(p.describe() for p in check.problems)
    if refusal is not None:
        event("refused")
        assert check.errors, messages
        assert any(refusal in p.message for p in check.errors), messages
        return
    assert not check.errors, messages
    if unchecked:
        assert check.warnings and all("累计数未核对" in p.message for p in check.warnings)
    else:
        assert not check.warnings, messages  # the generated totals and cumulatives all agree
    assert check.shapes == ["wide"]
    names = {u.unit_id: u.name for u in ref.units.values()}
    loaded: dict[tuple[str, str, int], float] = {}
    for row in check.facts.itertuples(index=False):
        assert row.year == YEAR
        key = (names[row.unit_id], row.indicator_key, row.month)
        assert key not in loaded, f"one fact per unit, indicator and month: {key}"
        loaded[key] = row.quantity
    assert loaded == truth, messages
    assert [s[:2] for s in check.explanations.values()] == ["横表"]
    event("loaded")
