"""The database work behind each dashboard page, timed without Streamlit.

Each page is the list of `minzheng` calls its script in pages/ makes through `shared.query` (plus
the sidebar filters every page shows), with the arguments the page uses by default: the latest
year, its last date with data, the first core indicator, the first township, the newest batch.
A page's time is the sum of its calls on a cold cache — what the first render of the page in a
new session costs when the process cache does not hold the results yet. Results a page's calls
share (`minzheng.store.memo`: the progress table, the catalog, the plan targets …) are kept only within
the page: the memo is cleared before each page.
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from minzheng.measures import actuals, overview, plan, progress, submissions, trends
from minzheng.store import batches, memo, queries, reference, settings
from minzheng.views import batch_table, plan_grid, reference_tables


@dataclass(frozen=True)
class Context:
    """The default choices a page opens with."""

    year: int
    as_of: dt.date
    indicator: str
    township: str
    batch_id: int
    today: dt.date


def context(cur: duckdb.DuckDBPyConnection, today: dt.date) -> Context:
    """The latest year, its default as-of date, the first core indicator, first township, newest batch."""
    year = actuals.years(cur)[0]
    ref = reference.load(cur)
    core = [i.key for i in ref.indicators.values() if i.core] or list(ref.indicators)
    town = next(u.name for u in ref.units.values() if u.kind == "township" and u.active)
    batch_id = cur.execute("SELECT max(batch_id) FROM batches").fetchone()[0]
    return Context(year, progress.default_as_of(cur, year), core[0], town, batch_id, today)


Call = tuple[str, Callable[[duckdb.DuckDBPyConnection, Context], object]]

SIDEBAR: list[Call] = [
    # years and the default as-of date (pages/shared.py: year_filter, as_of_filter)
    ("progress.default_dates", lambda cur, c: progress.default_dates(cur)),
    ("reference.current", lambda cur, c: reference.current(cur)),
]

PAGES: dict[str, list[Call]] = {
    "总览": [
        *SIDEBAR,
        ("data_freshness", lambda cur, c: queries.run(cur, "data_freshness")),
        ("overview.cards", lambda cur, c: overview.cards(cur, c.year, c.as_of)),
        ("overview.matrix", lambda cur, c: overview.matrix(cur, c.year, c.as_of)),
        ("overview.behind", lambda cur, c: overview.behind(cur, c.year, c.as_of, 10)),
    ],
    "指标": [
        *SIDEBAR,
        ("overview.cards", lambda cur, c: overview.cards(cur, c.year, c.as_of)),
        ("trends.months", lambda cur, c: trends.months(cur, c.year, c.indicator, c.as_of)),
        ("trends.ranking", lambda cur, c: trends.ranking(cur, c.year, c.indicator, c.as_of)),
    ],
    "乡镇": [
        *SIDEBAR,
        ("overview.cards", lambda cur, c: overview.cards(cur, c.year, c.as_of)),
        ("overview.matrix", lambda cur, c: overview.matrix(cur, c.year, c.as_of)),
        ("trends.unit_trends", lambda cur, c: trends.unit_trends(cur, c.year, c.township)),
        (
            "unit_batches",
            lambda cur, c: queries.run(cur, "unit_batches", township=c.township, year=c.year),
        ),
    ],
    "上报情况": [
        *SIDEBAR,
        ("settings.get", lambda cur, c: settings.get(cur, "reporting.due_day")),
        ("reporting.grid", lambda cur, c: submissions.grid(cur, c.year, c.today)),
    ],
    "数据上传": [("reference.current", lambda cur, c: reference.current(cur))],
    "数据管理": [
        ("batch_table.batch_count", lambda cur, c: batch_table.batch_count(cur)),
        ("batch_table.batch_filter_options", lambda cur, c: batch_table.batch_filter_options(cur)),
        ("batch_table.batch_page", lambda cur, c: batch_table.batch_page(cur)),
        ("batches.has_demo", lambda cur, c: batches.has_demo(cur)),
        ("batch_table.demo_summary", lambda cur, c: batch_table.demo_summary(cur)),
        ("batch_table.batch_summary", lambda cur, c: batch_table.batch_summary(cur, c.batch_id)),
        ("batches.kept_file", lambda cur, c: batches.kept_file(cur, c.batch_id)),
        ("batch_table.batch_rows", lambda cur, c: batch_table.batch_rows(cur, c.batch_id)),
        ("batch_table.batch_warnings", lambda cur, c: batch_table.batch_warnings(cur, c.batch_id)),
    ],
    "年度计划": [
        ("reference.current", lambda cur, c: reference.current(cur)),
        ("plan_grid.plan_years", lambda cur, c: plan_grid.plan_years(cur)),
        ("plan_grid.default_plan_year", lambda cur, c: plan_grid.default_plan_year(cur)),
        ("plan.targets", lambda cur, c: plan.targets(cur, c.year)),
        (
            "plan_grid.plan_has_hidden_targets",
            lambda cur, c: plan_grid.plan_has_hidden_targets(cur, c.year),
        ),
        ("plan_grid.plan_grid", lambda cur, c: plan_grid.plan_grid(cur, c.year)),
        ("plan_grid.county_totals", lambda cur, c: plan_grid.county_totals(cur, c.year)),
        ("plan_grid.phasing_table", lambda cur, c: plan_grid.phasing_table(cur, c.year)),
    ],
    "设置": [
        ("reference.current", lambda cur, c: reference.current(cur)),
        ("reference_tables.units_table", lambda cur, c: reference_tables.units_table(cur)),
        (
            "reference_tables.indicators_table",
            lambda cur, c: reference_tables.indicators_table(cur),
        ),
        ("settings.thresholds", lambda cur, c: settings.thresholds(cur)),
    ],
}


@dataclass
class PageTiming:
    """Per repetition: the page's total and each call's seconds."""

    totals: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # process CPU seconds (all threads)
    calls: dict[str, list[float]] = field(default_factory=dict)

    @property
    def median(self) -> float:
        """Median total seconds of the page's calls."""
        return statistics.median(self.totals)

    def slowest(self) -> tuple[str, float]:
        """The call with the largest median, and that median."""
        name = max(self.calls, key=lambda n: statistics.median(self.calls[n]))
        return name, statistics.median(self.calls[name])


def time_pages(
    con: duckdb.DuckDBPyConnection, today: dt.date, reps: int
) -> tuple[Context, dict[str, PageTiming]]:
    """Run every page's calls `reps` times after one untimed warm-up; per-page timings."""
    cur = con.cursor()
    ctx = context(cur, today)
    result = {page: PageTiming() for page in PAGES}
    for rep in range(reps + 1):
        for page, calls in PAGES.items():
            gc.collect()
            memo.clear()  # every kept result: each page is measured cold
            total = 0.0
            cpu = time.process_time()
            for name, fn in calls:
                start = time.perf_counter()
                fn(cur, ctx)
                seconds = time.perf_counter() - start
                total += seconds
                if rep:
                    result[page].calls.setdefault(name, []).append(seconds)
            if rep:
                result[page].totals.append(total)
                result[page].cpu.append(time.process_time() - cpu)
    cur.close()
    return ctx, result
