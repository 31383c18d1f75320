"""Tests of minzheng.demo.workbooks: the generator's own ground truth is complete and plausible."""

from minzheng.demo import workbooks
from minzheng.store import connect, reference


def test_truth_covers_every_unit_and_month_with_known_keys():
    ref = reference.load(connect(":memory:"))
    truth = workbooks.demo_truth()
    units = {u.name for u in ref.units.values()}
    assert {k[1] for k in truth} == units
    assert {k[0] for k in truth} <= set(ref.indicators)
    months = {(y, m) for _k, _u, y, m in truth}
    assert months == {(2023, m) for m in range(1, 13)} | {(2024, m) for m in range(1, 12)}
    assert all(v >= 0 for v in truth.values())


def test_plan_truth_has_both_years_and_positive_targets():
    plans = workbooks.demo_plan_truth()
    assert {y for y, _u, _k in plans} == {2023, 2024}
    assert all(t > 0 for t in plans.values())
