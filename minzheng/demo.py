"""The bundled demo: township workbooks and plans for 2023 and 2024, loaded like any upload.

The workbooks are written by `minzheng.demo_data` (deterministic) into data/demo/ and then go
through the normal import path, marked as demo data so an admin can remove them in one step.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from minzheng import config, ingest, plan, settings
from minzheng.ingest import IngestResult


def ensure_files(directory: Path = config.DEMO_DIR) -> Path:
    """Write the demo workbooks into `directory` unless they are already there."""
    if not (directory / "plans").is_dir():
        from minzheng import demo_data  # only needed to (re)write the files

        demo_data.write_demo(directory)
    return directory


def load_demo(
    cur: duckdb.DuckDBPyConnection, directory: Path = config.DEMO_DIR
) -> list[IngestResult]:
    """Import every demo workbook (marked as demo) and the demo year plans."""
    directory = ensure_files(directory)
    plans_dir = directory / "plans"
    files = [p for p in ingest.expand_paths([directory]) if plans_dir not in p.parents]
    results = ingest.ingest_paths(cur, files, user="演示数据", demo=True)
    for path in sorted(plans_dir.iterdir()):
        match = re.search(r"(20\d{2})", path.name)
        if match:
            plan.load_plan(cur, path, int(match.group(1)), demo=True)
    return results


def should_autoload(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when the database is empty and the demo has not been removed by an admin before."""
    empty = cur.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    return empty and bool(settings.get(cur, "demo.autoload"))
