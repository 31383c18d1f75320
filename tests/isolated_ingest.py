"""Ingest files one by one in forked children, each timed and measured on its own.

Run as `python -m tests.isolated_ingest TEMPLATE_DB WORK_DIR` with one file path per line on
standard input. This process imports the product once; for every file it forks a child that
copies the template database, ingests the file, and writes what happened (status, problems, row
counts of every write table, stored text) as JSON. The parent waits at most TIMEOUT seconds,
kills a child that overruns, and prints one JSON line per file with the child's wall time, peak
resident memory (ru_maxrss from wait4, which includes the pages it shares with this parent) and
how it ended. A crash (abort, segfault) therefore shows up as a signal instead of taking the
test run down.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sys
import time
from pathlib import Path

from minzheng import store
from minzheng.intake import ingest  # imported before forking: children start warm
from tests.data.build import TODAY

TIMEOUT = 10.0
# A safety net only (address space, not memory: DuckDB's threads and arenas reserve ~1 GiB of
# address space even for a tiny load); the bound the tests assert is the measured peak RSS.
ADDRESS_SPACE = 4 << 30
WRITE_TABLES = (
    "batches",
    "facts",
    "monthly_actuals",
    "batch_files",
    "batch_warnings",
    "batch_coverage",
)


def _problems(problems) -> list[dict]:
    return [
        {"sheet": p.sheet, "cell": p.cell, "value": p.value, "message": p.message, "level": p.level}
        for p in problems
    ]


def _child(path: Path, template: Path, work: Path, out: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    target = work / f"{os.getpid()}.duckdb"
    shutil.copyfile(template, target)
    con = store.connect(target)
    result = ingest.ingest_file(con, path, today=TODAY)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WRITE_TABLES}
    stored = {}
    for column in ("place", "note", "category_text", "quantity", "sheet"):
        rows = con.execute(f"SELECT DISTINCT {column} FROM facts").fetchall()
        stored[column] = [r[0] for r in rows if r[0] is not None]
    con.close()
    report = {
        "status": result.status,
        "line": result.line(),
        "problems": _problems(result.check.problems),
        "counts": counts,
        "stored": stored,
    }
    out.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def run_one(path: Path, template: Path, work: Path) -> dict:
    """Ingest one file in a forked child; what it reported, plus time, memory and exit."""
    out = work / f"{path.name}.json"
    out.unlink(missing_ok=True)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            _child(path, template, work, out)
        except BaseException as exc:  # report, never fall back into the parent's loop
            out.write_text(json.dumps({"exception": repr(exc)}), encoding="utf-8")
            code = 3
        os._exit(code)
    killed = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > TIMEOUT:
            os.kill(pid, signal.SIGKILL)
            killed = True
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.005)
    report = {
        "name": path.name,
        "seconds": round(time.monotonic() - started, 3),
        "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "timed_out": killed,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0,
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    }
    if out.exists():
        report.update(json.loads(out.read_text(encoding="utf-8")))
    return report


def main() -> None:
    """Read file paths from stdin, print one JSON report per file."""
    template, work = Path(sys.argv[1]), Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    for line in sys.stdin:
        if line.strip():
            report = run_one(Path(line.strip()), template, work)
            print(json.dumps(report, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
