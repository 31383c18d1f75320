"""Tests of minzheng.intake.outliers on generated histories: planted typos are flagged, clean
months hardly ever are, and repeated visits of one person on one day are found."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from minzheng.intake import outliers
from minzheng.store import reference

# (indicator, typical monthly level range) as townships report them
LEVELS = {
    "leaflets_distributed": (150, 900),
    "children_visited": (20, 60),
    "patrols_run": (20, 40),
    "disputes_mediated": (10, 30),
}
UNITS = list(range(1, 13))
YEARS = (2023, 2024)


def _history(seed: int, noise: float = 0.15) -> pd.DataFrame:
    """Two years of monthly figures for 12 townships: each unit its own level, a county-wide
    seasonal swing (June campaign) and lognormal month-to-month noise."""
    rng = random.Random(seed)
    rows = []
    for unit in UNITS:
        for key, (lo, hi) in LEVELS.items():
            level = rng.uniform(lo, hi)
            for year in YEARS:
                for month in range(1, 13):
                    season = 1.6 if month == 6 else 1.0
                    value = max(1, round(level * season * np.exp(rng.gauss(0, noise))))
                    rows.append((year, month, unit, key, float(value)))
    return pd.DataFrame(rows, columns=["year", "month", "unit_id", "indicator_key", "actual"])


def _load(cur, history: pd.DataFrame) -> None:
    cur.execute("DELETE FROM monthly_actuals")
    cur.register("generated", history)
    cur.execute(
        "INSERT INTO monthly_actuals SELECT year, month, unit_id, indicator_key, actual, 1, "
        "make_date(year, month, 1) FROM generated"
    )
    cur.unregister("generated")


def _facts(cells: list[tuple]) -> pd.DataFrame:
    """A file's facts: one row per (unit, indicator, year, month, quantity)."""
    return pd.DataFrame(cells, columns=["unit_id", "indicator_key", "year", "month", "quantity"])


def _checked_months(history: pd.DataFrame):
    """Each month of 2024 as one county file: every unit's figures of that month."""
    for month in range(1, 13):
        part = history[(history.year == 2024) & (history.month == month)]
        yield month, part


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clean_histories_give_fewer_than_one_flag_per_200_unit_months(empty_db, seed):
    history = _history(seed)
    _load(empty_db, history)
    ref = reference.load(empty_db)
    flags, cells = 0, 0
    for _month, part in _checked_months(history):
        facts = _facts(
            list(part[["unit_id", "indicator_key", "year", "month", "actual"]].itertuples(False))
        )
        flags += len(outliers.outlier_flags(empty_db, facts, ref))
        cells += len(facts)
    assert cells == 12 * 12 * len(LEVELS)
    assert flags * 200 < cells, f"{flags} flags in {cells} unit-months"


def _swap_leading(value: int) -> int | None:
    """The value with its first two digits swapped, when that changes it at least 2.5-fold
    (a smaller change is within the month-to-month noise of these histories)."""
    text = str(value)
    if len(text) < 2 or text[0] == text[1]:
        return None
    swapped = int(text[1] + text[0] + text[2:])
    if text[1] == "0" or not (swapped >= 2.5 * value or swapped * 2.5 <= value):
        return None
    return swapped


# slip -> (the figure as typed, the hint expected, at least how many of 48 chances apply, the
# share that may go unflagged: a swap of a figure that was itself unusual can land near normal)
SLIPS = {
    "x10": (lambda v: v * 10, "疑似多录一位", 40, 0.0),
    "x0.1": (lambda v: round(v / 10) if v >= 20 else None, "疑似少录一位", 40, 0.0),
    "swap": (_swap_leading, "疑似数字顺序颠倒", 10, 0.2),
}


@pytest.mark.parametrize("slip", list(SLIPS))
def test_planted_typos_are_flagged_with_both_figures(empty_db, slip):
    history = _history(7)
    _load(empty_db, history)
    ref = reference.load(empty_db)
    change, hint, least, share_missed = SLIPS[slip]
    rng = random.Random(slip)
    planted, named, missed = 0, 0, []
    for month, part in _checked_months(history):
        rows = list(part[["unit_id", "indicator_key", "year", "month", "actual"]].itertuples(False))
        # one slip per indicator and month, by a random township: a typo is one clerk's, the
        # other townships' figures of that month stay as they were
        picks = [
            rng.choice([n for n, r in enumerate(rows) if r[1] == key]) for key in sorted(LEVELS)
        ]
        typed = {}
        for n in picks:
            new = change(int(rows[n][4]))
            if new is not None and new != rows[n][4]:
                typed[n] = new
        cells = [r[:4] + ((typed[n],) if n in typed else (r[4],)) for n, r in enumerate(rows)]
        flags = outliers.outlier_flags(empty_db, _facts(cells), ref)
        found = {(f.unit_id, f.indicator_key, f.month): f for f in flags}
        for n, new in typed.items():
            unit, key = rows[n][0], rows[n][1]
            planted += 1
            flag = found.get((unit, key, month))
            if flag is None:
                missed.append(f"{key} of unit {unit} in {month}: {rows[n][4]} → {new}")
                continue
            assert flag.value == new
            label = ref.indicators[key].unit_label
            assert f"{new:,} {label}" in flag.message and "近 12 个月中位数" in flag.message
            named += hint in flag.message
        # the typos are what is flagged: the untouched cells of the same file stay quiet
        assert len(flags) <= len(typed) + 1
    assert planted >= least
    assert len(missed) <= share_missed * planted, missed
    assert named >= (1 - share_missed) * planted


def test_a_county_wide_jump_is_not_a_typo(empty_db):
    history = _history(11)
    # every township doubles its leaflets in 2024-09 (a county campaign): not a slip of a digit
    campaign = (history.year == 2024) & (history.month == 9)
    leaflets = history.indicator_key == "leaflets_distributed"
    history.loc[campaign & leaflets, "actual"] *= 3.5
    _load(empty_db, history)
    part = history[campaign]
    facts = _facts(
        list(part[["unit_id", "indicator_key", "year", "month", "actual"]].itertuples(False))
    )
    flags = outliers.outlier_flags(empty_db, facts, reference.load(empty_db))
    assert not [f for f in flags if f.indicator_key == "leaflets_distributed"]
    # alone (the other townships not yet loaded for that month) the same jump would be flagged
    alone = history[~(campaign & leaflets & (history.unit_id != 1))]
    _load(empty_db, alone)
    one = facts[facts.unit_id == 1]
    flags = outliers.outlier_flags(empty_db, one, reference.load(empty_db))
    assert [f.indicator_key for f in flags] == ["leaflets_distributed"]


def test_too_short_a_history_gives_no_flag(empty_db):
    history = _history(5)
    short = history[(history.year == 2024) & (history.month <= 5)]  # 5 earlier months only
    _load(empty_db, short)
    facts = _facts([(1, "leaflets_distributed", 2024, 6, 99999.0)])
    assert outliers.outlier_flags(empty_db, facts, reference.load(empty_db)) == []
    _load(empty_db, history[(history.year == 2024) & (history.month <= 6)])
    facts = _facts([(1, "leaflets_distributed", 2024, 7, 99999.0)])
    assert len(outliers.outlier_flags(empty_db, facts, reference.load(empty_db))) == 1


def test_repeated_visit_of_one_child_on_one_day(empty_db):
    ref = reference.load(empty_db)
    day = dt.date(2024, 3, 5)
    base = {"indicator_key": "children_visited", "year": 2024, "month": 3, "quantity": 1.0}
    rows = [
        {**base, "unit_id": 1, "activity_date": day, "person_hash": "a", "sheet": "走访", "source_row": 4},
        {**base, "unit_id": 1, "activity_date": day, "person_hash": "a", "sheet": "走访", "source_row": 9},
        {**base, "unit_id": 1, "activity_date": day, "person_hash": "b", "sheet": "走访", "source_row": 5},
        # the same child on another day, and in another township the same day: no flag
        {**base, "unit_id": 1, "activity_date": dt.date(2024, 3, 6), "person_hash": "a", "sheet": "走访", "source_row": 6},
        {**base, "unit_id": 2, "activity_date": day, "person_hash": "b", "sheet": "走访", "source_row": 7},
    ]  # fmt: skip
    flags = outliers.repeat_visit_flags(pd.DataFrame(rows), ref)
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.kind, flag.unit_id, flag.month, flag.value) == ("repeat_visit", 1, 3, 2.0)
    assert "2024年3月5日同一儿童" in flag.message and "第 4、9 行" in flag.message
    assert "a" not in flag.message.replace("（", "").split("：")[0][-3:]  # no hash in the text


def test_cli_lines_name_the_kind(empty_db):
    flag = outliers.Flag("outlier", 1, "patrols_run", 2024, 3, 90.0, 9.0, "某某")
    assert outliers.lines([flag]) == ["疑似录入错误：某某"]


@pytest.mark.parametrize("seed", [1, 2])
def test_arrow_facts_flag_as_the_dataframe_does(empty_db, seed):
    """The import path passes the facts as an Arrow table: the same flags as from a DataFrame."""
    import pyarrow as pa

    history = _history(seed)
    _load(empty_db, history)
    ref = reference.load(empty_db)
    for _month, part in _checked_months(history):
        cells = list(
            part[["unit_id", "indicator_key", "year", "month", "actual"]].itertuples(False)
        )
        cells = [(u, i, y, m, q * 10 if u == 3 else q) for u, i, y, m, q in cells]  # typos
        frame = _facts(cells)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        assert outliers.outlier_flags(empty_db, table, ref) == outliers.outlier_flags(
            empty_db, frame, ref
        )
