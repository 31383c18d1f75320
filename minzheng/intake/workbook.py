"""Reading township files into plain grids: .xlsx/.xlsm/.xls via python-calamine, .csv via csv.

Merged ranges are filled with their top-left value, so a category or township written once for
a block of rows reads as if it were written on every row.

Whatever a file holds, reading it either returns grids or raises ReadError with a Chinese
message: the readers' own errors (python-calamine's exceptions and Rust panics, the csv module's
errors) are caught here, and their English text goes to the log only.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import NoReturn

import python_calamine as pc

from minzheng.errors import Problem
from minzheng.intake import filecheck

# .xlsb and .ods are not accepted: their grids cannot be sized cheaply before calamine reads them
# (an .ods can repeat one cell 16384 x 1048576 times in a few bytes).
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
SUFFIXES = EXCEL_SUFFIXES | {".csv"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
log = logging.getLogger(__name__)


def is_spreadsheet_name(name: str) -> bool:
    """True for a file name worth reading: a known suffix, not an Office lock or hidden file."""
    return PurePath(name).suffix.lower() in SUFFIXES and not name.startswith(("~$", "."))


@dataclass
class Grid:
    """One sheet as rows of cell values ('' for empty), with merged ranges already filled."""

    name: str
    rows: list[list]
    hidden: bool = False


class ReadError(Exception):
    """The file cannot be read at all; carries the problems to report."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message)
        self.problems = problems


def read(data: bytes, file_name: str, *, native_stderr: bool = False) -> list[Grid]:
    """All sheets of a file given as bytes. Raises ReadError with a Chinese message if unreadable.

    `native_stderr`: catch the reader's native error text even outside the main thread (the
    command line's read-ahead thread, while the main thread prints nothing; readahead.py).
    """
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(
            [
                _problem(
                    file_name,
                    f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 .xlsx、.xls、.xlsm 或 .csv 文件",
                )
            ]
        )
    if not data:
        raise ReadError([_problem(file_name, "文件是空的（0 字节）")])
    problems = filecheck.inspect(data, file_name)
    if problems:
        raise ReadError(problems)
    if suffix == ".csv":
        return [_read_csv(data, file_name)]
    return _read_excel(data, file_name, native_stderr)


def _problem(file_name: str, message: str) -> Problem:
    return Problem(file_name, "", "", "", message)


@contextlib.contextmanager
def _native_stderr_to_log(anywhere: bool = False) -> Iterator[None]:
    """Send what native code prints on stderr meanwhile (a Rust panic's English message and
    backtrace) to the log, not to the person at the terminal.

    Only in the main thread, i.e. the command line: the file descriptor is the whole process's,
    and in the dashboard (script threads) stderr is the server's console anyway. `anywhere`: also
    in another thread (the command line's read-ahead, while the main thread prints nothing).
    """
    if not anywhere and threading.current_thread() is not threading.main_thread():
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            text = caught.read(20_000).decode("utf-8", "replace").strip()
            if text:
                log.debug("native reader output: %s", text)


def _read_excel(data: bytes, file_name: str, native_stderr: bool = False) -> list[Grid]:
    with _native_stderr_to_log(native_stderr):
        return _read_book(data, file_name)


def _read_book(data: bytes, file_name: str) -> list[Grid]:
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise ReadError([_problem(file_name, filecheck.PASSWORD_MESSAGE)]) from None
    except BaseException as exc:  # calamine raises several unrelated types for broken files
        _reader_failed(exc, file_name, data)
    grids = []
    try:
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            grids.append(Grid(meta.name, rows, meta.visible != pc.SheetVisibleEnum.Visible))
    except BaseException as exc:
        _reader_failed(exc, file_name, data)
    return grids


def is_panic(exc: BaseException) -> bool:
    """Whether this is a Rust panic surfaced by pyo3 (pyo3_runtime.PanicException).

    It derives from BaseException, not Exception, and its class cannot be imported: it is known
    by its name and module. Everything else that is not an Exception (KeyboardInterrupt,
    SystemExit, MemoryError's siblings) must keep propagating.
    """
    kind = type(exc)
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"


def _reader_failed(exc: BaseException, file_name: str, data: bytes) -> NoReturn:
    """Refuse the file a reader failed on, in Chinese; re-raise what is not a reader failure."""
    if not isinstance(exc, Exception) and not is_panic(exc):
        raise exc
    log.info("reader failed: %s: %s", type(exc).__name__, str(exc)[:200])
    if filecheck.old_excel_format(data):
        raise ReadError([_problem(file_name, filecheck.OLD_EXCEL_MESSAGE)]) from None
    raise ReadError([_problem(file_name, filecheck.DAMAGED_MESSAGE)]) from None


def _fill_merged(rows: list[list], ranges) -> None:
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def _read_csv(data: bytes, file_name: str) -> Grid:
    for encoding in CSV_ENCODINGS:
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError([_problem(file_name, "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")])
    if "\x00" in content:
        raise ReadError([_problem(file_name, "文件不是文本格式的 CSV（含有二进制内容）")])
    delimiter = _guess_delimiter(content)
    # newline="": the csv module then ends lines at CR, LF or CRLF alike (old Mac files use CR)
    # and keeps line breaks inside quoted fields.
    try:
        rows = [
            list(row) for row in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        log.info("csv reader failed: %s", str(exc)[:200])
        raise ReadError(
            [
                _problem(
                    file_name,
                    "CSV 文件格式有误，无法读取；请在 Excel 或 WPS 中另存为 CSV 后重新上传",
                )
            ]
        ) from None
    return Grid(Path(file_name).stem, rows)


def _guess_delimiter(content: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields (>1)."""
    lines = [line for line in content[:20000].splitlines() if line.strip()][:30]
    best, best_score = ",", 0
    for delimiter in (",", "\t", ";", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        widest = max(counts, default=0)
        if widest < 2:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal) * (modal > 1) + widest / 100
        if score > best_score:
            best, best_score = delimiter, score
    return best
