"""Pausing Python's cyclic garbage collector while a file is read and checked.

Reading a 50,000-row workbook creates about a million short-lived Python objects (one list per
row, one object per cell, then the fact columns). None of them form reference cycles, but the
collector does not know that: every 700 allocations it walks the young objects, and now and then
all of them, which cost about a fifth of the check's CPU time on the benchmark ledger. Reference
counting still frees everything as usual while paused; only the search for cycles waits until
the last pause ends.

The collector is one switch for the whole process and Streamlit runs sessions in threads, so
pauses are counted: the collector is switched back on when the last one ends, and only if it was
on when the first one began.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off inside the block (nested and threaded use counted)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
