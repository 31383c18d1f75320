"""The bundled demo: township workbooks and plans for 2023 and 2024, loaded like any upload.

The workbooks are written by `minzheng.demo.workbooks` (deterministic) into data/demo/ and then go
through the normal import path, marked as demo data so an admin can remove them in one step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import duckdb

from minzheng import config
from minzheng.intake import ingest
from minzheng.intake.ingest import IngestResult
from minzheng.measures import plan
from minzheng.store import permissions, reference, settings


def ensure_files(directory: Path = config.DEMO_DIR) -> Path:
    """Write the demo workbooks into `directory` unless they are already there."""
    if not (directory / "plans").is_dir():
        from minzheng.demo import workbooks  # only needed to (re)write the files

        workbooks.write_demo(directory)
    return directory


def load_demo(
    cur: duckdb.DuckDBPyConnection,
    directory: Path = config.DEMO_DIR,
    *,
    actor: permissions.Actor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[IngestResult]:
    """Import every demo workbook (marked as demo) and the demo year plans, as `actor`
    (default: the local operator; the dashboard's first start uses permissions.SYSTEM).

    `progress(done, total)` is called before the first file and after each file (workbooks and
    plans alike), so that the dashboard can show how far its first start has got."""
    directory = ensure_files(directory)
    plans_dir = directory / "plans"
    files = [p for p in ingest.expand_paths([directory]) if plans_dir not in p.parents]
    plans = [
        (path, int(match.group(1)))
        for path in sorted(plans_dir.iterdir())
        if (match := re.search(r"(20\d{2})", path.name))
    ]
    total = len(files) + len(plans)
    if progress:
        progress(0, total)
    ref = reference.load(cur)
    key = ingest.hash_key(cur)
    due_day = int(settings.get(cur, "reporting.due_day"))
    results = []
    for done, path in enumerate(files, 1):
        check = ingest.check_bytes(cur, path.read_bytes(), path.name, ref=ref, key=key)
        received = _received_at(path.name, check.keys, due_day)
        results.append(
            ingest.commit(cur, check, user="演示数据", demo=True, received_at=received, actor=actor)
        )
        if progress:
            progress(done, total)
    for done, (path, year) in enumerate(plans, len(files) + 1):
        plan.load_plan(cur, path, year, demo=True, actor=actor)
        if progress:
            progress(done, total)
    return results


def _received_at(file_name: str, keys: list, due_day: int) -> dt.datetime | None:
    """A plausible date the bureau received a demo file: before the first month's due day, or
    a few days late for about one township-month in eight (deterministic). Lateness is drawn per
    township and month, not per file: a month counts as late only when all its files are."""
    if not keys:
        return None
    year, month, unit_id, _indicator = min(keys)
    due = dt.date(year + month // 12, month % 12 + 1, due_day)
    late = int(hashlib.sha256(f"{unit_id}/{year}/{month}".encode()).hexdigest(), 16)
    spread = int(hashlib.sha256(file_name.encode()).hexdigest(), 16)
    if late % 8 == 0:
        return dt.datetime.combine(due + dt.timedelta(days=1 + late % 9), dt.time(10, 30))
    return dt.datetime.combine(due - dt.timedelta(days=spread % 5), dt.time(9, 0))


def should_autoload(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when the database is empty and the demo has not been removed by an admin before."""
    empty = cur.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    return empty and bool(settings.get(cur, "demo.autoload"))
