"""Reading the first file of a command-line import while the database opens.

`python -m minzheng ingest FILE` spends its first few hundred milliseconds loading DuckDB,
pandas and pyarrow and opening the database; python-calamine parses a sheet without holding
Python's global lock. So the command line starts reading its first file in a thread before it
opens the database, and `ingest_file` takes that reading instead of reading the file again: the
same size limit, the same checks of `workbook.read`, the same problems; only sooner.

Only the first file: a reader's native error text is caught by redirecting the process's
standard error while it runs (workbook.py), which is safe only while the main thread prints
nothing, i.e. before the first file's line. The main thread waits for the reading (`take`, or
`close` on any way out) before it prints anything.

This module loads no DuckDB, pandas or pyarrow: it must be importable before them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from minzheng import config
from minzheng.intake import arrowcalls, gcpause, workbook


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files named directly plus every spreadsheet under named folders (recursively), sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and workbook.is_spreadsheet_name(p.name)
                )
            )
        else:
            found.append(path)
    return found


@dataclass
class Reading:
    """What reading one file gave, exactly as `ingest_file` would have found it."""

    path: Path
    size: int | None = None  # st_size; None when the file could not be looked at
    data: bytes | None = None  # None: too large to read, or unreadable
    os_error: OSError | None = None
    grids: list[workbook.Grid] | None = None
    failure: BaseException | None = None  # what workbook.read raised


def load(path: Path, limit: int) -> Reading:
    """Stat and read `path` as `ingest_file` does: a file over `limit` bytes is not read (a huge
    file never reaches memory), and an OSError is kept, not raised."""
    reading = Reading(path)
    try:
        reading.size = path.stat().st_size
        if reading.size <= limit:
            reading.data = path.read_bytes()
    except OSError as exc:
        reading.os_error = exc
    return reading


def read_file(path: Path, limit: int, *, native_stderr: bool = False) -> Reading:
    """Stat, read and parse `path` the way `ingest_file` does, catching what it would catch."""
    reading = load(path, limit)
    if reading.data is None:
        return reading
    try:
        arrowcalls.settle()  # pyarrow must not load pandas only to probe its input
        with gcpause.paused():  # see gcpause.py; ingest's own check pauses it the same way
            reading.grids = workbook.read(reading.data, path.name, native_stderr=native_stderr)
    except Exception as exc:  # reported by the check as it reports its own reading's failures
        reading.failure = exc
    return reading


class FirstFile:
    """The first of `paths` read in a background thread; `take` waits for it."""

    def __init__(self, paths: list[str | Path]):
        self.paths = expand_paths(paths)
        self._reading: Reading | None = None
        self._thread: threading.Thread | None = None
        if self.paths:
            limit = config.defaults()["ingest.max_file_bytes"]
            self._thread = threading.Thread(
                target=self._read, args=(self.paths[0], limit), name="minzheng-read-ahead"
            )
            self._thread.daemon = True  # never keeps the process alive on its own
            self._thread.start()

    def _read(self, path: Path, limit: int) -> None:
        self._reading = read_file(path, limit, native_stderr=True)

    def close(self) -> None:
        """Wait for the reading to end (before the main thread prints anything)."""
        if self._thread is not None:
            self._thread.join()

    def take(self, path: Path) -> Reading | None:
        """The reading of `path` if it is the file read ahead (once); else None."""
        self.close()
        reading, self._reading = self._reading, None
        return reading if reading is not None and reading.path == path else None
