"""Tests of the demo: generated deterministically, loaded through the normal import path, exact."""

import datetime as dt

import pytest

from minzheng import store
from minzheng.demo import loader, workbooks
from minzheng.intake import ingest
from minzheng.measures import plan, progress
from minzheng.store import batches


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    con = store.connect(tmp / "demo.duckdb")
    steps = []
    results = loader.load_demo(con, tmp / "files", progress=lambda *step: steps.append(step))
    return con, results, tmp, steps


def test_progress_counts_every_file_once(loaded):
    con, results, _tmp, steps = loaded
    total = steps[0][1]
    plans = con.execute("SELECT count(DISTINCT year) FROM plan_targets WHERE is_demo").fetchone()[0]
    assert total == len(results) + plans
    assert steps == [(done, total) for done in range(total + 1)]


def test_every_demo_file_loads(loaded):
    _con, results, _tmp, _steps = loaded
    assert len(results) >= 80
    refused = [r.line() for r in results if r.status != ingest.LOADED]
    assert refused == []


def test_demo_actuals_equal_the_generators_truth(loaded):
    con, _results, _tmp, _steps = loaded
    got = {
        (k, u, y, m): a
        for k, u, y, m, a in con.execute(
            "SELECT indicator_key, u.name, year, month, actual FROM monthly_actuals JOIN units u USING (unit_id)"
        ).fetchall()
        if a
    }
    truth = {k: v for k, v in workbooks.demo_truth().items() if v}
    assert got == truth


def test_demo_covers_all_shapes_years_and_townships(loaded):
    con, results, _tmp, _steps = loaded
    shapes = {s for r in results for s in r.check.shapes}
    assert shapes == {"ledger", "person", "summary", "wide"}
    suffixes = {r.file_name.rsplit(".", 1)[1] for r in results}
    assert {"xlsx", "xls", "csv", "xlsm"} <= suffixes
    months = set(
        con.execute("SELECT DISTINCT year::INTEGER * 100 + month FROM monthly_actuals").fetchall()
    )
    assert {(202301,), (202312,), (202411,)} <= months and (202412,) not in months
    units = con.execute("SELECT count(DISTINCT unit_id) FROM monthly_actuals").fetchone()[0]
    assert units == 13


def test_demo_agrees_with_the_2023_report(loaded):
    """3 marriage lectures, over 1,000 leaflets in the food-safety week, a supervisors' training."""
    con, _results, _tmp, _steps = loaded
    bureau = """SELECT coalesce(sum(quantity), 0) FROM facts f JOIN units u USING (unit_id)
                WHERE u.kind = 'bureau' AND f.year = 2023 AND indicator_key = $k"""
    lectures = con.execute(bureau + " AND category_text = '婚姻大讲堂'", {"k": "lectures_held"})
    assert lectures.fetchone()[0] == 3
    food_week = con.execute(
        bureau + " AND month = 6 AND coalesce(note, '') || coalesce(place, '') LIKE '%养老%'",
        {"k": "leaflets_distributed"},
    ).fetchone()[0]
    assert food_week > 1000
    trainings = con.execute(bureau + " AND note LIKE '%儿童督导员%'", {"k": "trainings_held"})
    assert trainings.fetchone()[0] == 1


def test_demo_plans_give_a_mix_of_statuses(loaded):
    con, _results, _tmp, _steps = loaded
    assert len(plan.targets(con, 2023)) > 100 and len(plan.targets(con, 2024)) > 100
    table = progress.progress(con, 2024, dt.date(2024, 11, 30))
    statuses = set(table[~table.is_county].status)
    assert {"超前", "正常", "滞后"} <= statuses


def test_demo_is_marked_and_removable_in_one_step(loaded, tmp_path):
    con, _results, tmp, _steps = loaded
    copy = store.connect(tmp_path / "copy.duckdb")
    loader.load_demo(copy, tmp / "files")
    assert batches.has_demo(copy)
    assert batches.remove_demo(copy) > 0
    for table in ("batches", "facts", "monthly_actuals", "plan_targets", "batch_files"):
        assert copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert not loader.should_autoload(copy)


def test_generator_is_deterministic(tmp_path):
    first = workbooks.write_demo(tmp_path / "a")
    second = workbooks.write_demo(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
