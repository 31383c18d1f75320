"""pyarrow calls of the import path that must not load pandas.

pyarrow loads pandas (about a quarter of a second, more than checking a whole ledger takes) the
first time it is handed a Python list or a numpy array, only to learn whether it is a pandas
object, and again whenever it infers the type of a list, to recognise pandas' missing-value
objects. The import path hands it lists and arrays of plain Python and numpy values only, so in
the command line, where nothing else has loaded pandas, those probes are answered "no pandas":

- `settle()` lets pyarrow make its once-per-process check with pandas out of reach;
- `without_pandas()` keeps pandas out of reach of the calls that infer a type.

Only the calling thread is affected, only inside the block, and only while pandas is not loaded
at all (the dashboard and the tests load it: then all this does nothing). Code that needs pandas
imports it as usual anywhere else; pyarrow loads it again for itself when asked for a DataFrame.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

_blocked: set[int] = set()  # threads inside `without_pandas`
_lock = threading.Lock()
_settled = False


class _PandasOutOfReach:
    """A meta-path finder that refuses pandas to the threads inside `without_pandas`."""

    def find_spec(self, name, path=None, target=None):
        if threading.get_ident() in _blocked and name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError("pandas is not loaded for pyarrow's type probes", name=name)
        return None


_finder = _PandasOutOfReach()


@contextlib.contextmanager
def without_pandas() -> Iterator[None]:
    """Inside the block, this thread's imports of pandas fail, unless pandas is loaded already."""
    ident = threading.get_ident()
    if "pandas" in sys.modules or ident in _blocked:
        yield
        return
    with _lock:
        if _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)
    _blocked.add(ident)
    try:
        yield
    finally:
        _blocked.discard(ident)


def settle() -> None:
    """Have pyarrow decide, once per process and without loading pandas, that it is given no
    pandas objects (a no-op when pandas is loaded already)."""
    global _settled
    if _settled or "pandas" in sys.modules:
        return
    import pyarrow as pa

    with without_pandas():
        pa.array([0], pa.int8())
    _settled = True
