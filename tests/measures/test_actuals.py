"""Tests of minzheng.measures.actuals: monthly actuals from the aggregate, hand-computed totals."""

from minzheng.intake import ingest
from minzheng.measures import actuals, plan
from tests.helpers import TODAY, fresh_db, write_ledger


def test_monthly_totals_by_hand(tmp_path):
    con = fresh_db(tmp_path)
    rows = [
        ["2023-01-10", "丰州镇", "街面巡查", 10, "次"],
        ["2023-01-20", "丰州", "巡查", 4, "次"],
        ["2023-01-21", "丰州镇", "街面巡逻", "6次", ""],
        ["2023-02-03", "洪水镇", "发放宣传资料", "1,200", "份"],
        ["2023-02-04", "洪水镇", "发放宣传单", "３００", "份"],
        ["2023-02-05", "洪水镇", "法治讲座", 0, "场"],
        ["2024-02-05", "洪水镇", "法治讲座", 2, "场"],
    ]
    ingest.ingest_file(con, write_ledger(tmp_path / "a.xlsx", rows), today=TODAY)
    table = actuals.monthly(con, 2023)
    assert {(r.indicator, r.township, r.month): r.actual for r in table.itertuples()} == {
        ("patrols_run", "丰州镇", 1): 20,
        ("leaflets_distributed", "洪水镇", 2): 1500,
    }, "zero actuals are left out, other years too"
    assert actuals.years(con) == [2024, 2023]
    plan.save_plan(con, 2025, plan.Plan(targets={(1, "patrols_run"): 5.0}), "t")
    assert actuals.years(con) == [2025, 2024, 2023]
