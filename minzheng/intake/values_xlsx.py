"""A values-only .xlsx written directly as a minimal OOXML package (the kept copy of a file).

The kept copy of a 50,000-row ledger has some 350,000 cells; a general workbook writer spends
several microseconds on each. Ledgers repeat the same values row after row (dates, townships,
categories, quantities, notes), so each column keeps the XML of every distinct value it has
met, and a row is one join of those pieces: the row number is filled in per row, not per cell.

What goes in is decided by the caller, one function per column: `Column(cell)` calls `cell(value)`
once per distinct value and caches the `Cell` it returns (text, number, date, or nothing).
Only what is written here can be in the file: inline strings, numbers and dates, one style for
dates; no formulas, links, shared strings, macros or anything else of the original.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from operator import itemgetter

from minzheng.intake.extract.result import col_letter

# Excel's limits: a cell holds at most 32,767 characters; a sheet name at most 31.
MAX_TEXT = 32_767
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_EPOCH = dt.datetime(1899, 12, 31)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# A cell as cached by a column: ('s', text), ('n', number), ('d', date) or None for nothing.
Cell = tuple[str, object] | None


def text_xml(text: str) -> str:
    """Cell text as XML character data, escaped the way Excel itself escapes it."""
    text = text[:MAX_TEXT]
    if "_x" in text:  # a literal _xHHHH_ would otherwise read back as the character it names
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    if _CONTROL.search(text):  # not allowed in XML: written as Excel's _xHHHH_ escapes
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def number_xml(value: float | int) -> str:
    """A number as Excel stores it: integral values without a fraction (3.0 and 3 alike)."""
    if value.__class__ is int or (value.is_integer() and abs(value) < 2**53):
        return str(int(value))
    return repr(float(value))


def excel_serial(value: dt.date | dt.datetime) -> float:
    """Excel's 1900-system serial number of a date or naive datetime (Excel's 1900 leap day
    included, as Excel and every writer count it)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EPOCH
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return serial + 1 if serial > 59 else serial


def _cell_tail(cell: Cell) -> bytes:
    """A cell's XML after `<c r="B12` (its reference): `"/>` for nothing."""
    if cell is None:
        return b'"/>'
    kind, value = cell
    if kind == "n" and math.isfinite(value):
        return f'"><v>{number_xml(value)}</v></c>'.encode()
    if kind == "d":
        return f'" s="1"><v>{number_xml(excel_serial(value))}</v></c>'.encode()
    text = text_xml(str(value))
    if not text:
        return b'"/>'
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'" t="inlineStr"><is><t{space}>{text}</t></is></c>'.encode()


class Column(dict):
    """The XML of each distinct value met in one column, made by `cell` on first sight.

    Numbers below `plain_below` are written as numbers without asking `cell` (a column of
    serial numbers or quantities meets thousands of distinct ones).
    """

    __slots__ = ("cell", "head", "plain_below")

    def __init__(self, cell: Callable[[object], Cell], index: int, plain_below: float = -math.inf):
        super().__init__()
        self.cell = cell
        self.head = f'<c r="{col_letter(index)}'.encode()  # the row number follows
        self.plain_below = plain_below

    def __missing__(self, value) -> bytes:
        kind = value.__class__
        if (kind is float or kind is int) and -1e300 < value < self.plain_below:
            xml = f'"><v>{number_xml(value)}</v></c>'.encode()
        else:
            xml = _cell_tail(self.cell(value))
        # True == 1 == 1.0 and False == 0 share a key: those are made anew each time, so a
        # boolean never takes a number's cell (or the reverse).
        if kind is not bool and not (kind is not str and value in (0, 1)):
            self[value] = xml
        return xml

    def tails(self, rows: list[list], c: int) -> Iterator[bytes]:
        """The cells of column `c` of `rows`, after their references.

        A column of whole numbers (serial numbers, counts: mostly distinct) is formatted in one
        pass, as `__missing__` formats each of them (and nothing of it is cached)."""
        values = list(map(itemgetter(c), rows))
        kinds = set(map(type, values))
        if kinds == {float} and all(map(float.is_integer, values)):
            if min(values) > -(2**53) and max(values) < min(self.plain_below, 2**53):
                return map(_WHOLE.__mod__, map(int, values))
        elif kinds == {int} and min(values) > -(2**53) and max(values) < self.plain_below:
            return map(_WHOLE.__mod__, values)
        return map(self.__getitem__, values)


_WHOLE = b'"><v>%d</v></c>'


_CHUNK_ROWS = 4096  # rows joined at a time, each chunk compressed while the next is built


class Book:
    """An .xlsx written sheet by sheet, in order; each chunk of a sheet's XML is compressed in a
    thread (zlib runs without Python's global lock) while the next chunk is built.

    `begin(i)` starts sheet i (0-based, in the order of `names`), `add_rows` appends rows,
    `close()` ends the book; `result()` waits for the bytes. A sheet never begun is empty.
    """

    def __init__(self, names: list[str], compresslevel: int = 1):
        self.names = names or ["Sheet1"]
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._bytes: bytes | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(
            target=self._run, args=(compresslevel,), name="minzheng-kept-copy"
        )
        self._thread.daemon = True
        self._thread.start()

    def begin(self, index: int) -> None:
        self._queue.put(index)

    def add_rows(self, rows: list[list], columns: list[Column], first: int = 0) -> None:
        """Append `rows` (row `first` of the sheet onwards, 0-based) through `columns`: every
        cell of every row, empty ones as empty cells (no row is wider than `columns`)."""
        width = len(columns)
        for start in range(0, len(rows), _CHUNK_ROWS):
            part = rows[start : start + _CHUNK_ROWS]
            if set(map(len, part)) != {width}:
                if max(map(len, part)) > width:
                    raise ValueError("a row is wider than the columns given")
                part = [row + [""] * (width - len(row)) for row in part]
            first_number = first + start + 1
            numbers = list(map(b"%d".__mod__, range(first_number, first_number + len(part))))
            pieces = [repeat(b'<row r="'), iter(numbers), repeat(b'">')]
            for c, column in enumerate(columns):
                pieces += [repeat(column.head), iter(numbers), column.tails(part, c)]
            pieces.append(repeat(b"</row>"))
            # the repeats are endless: each chunk ends with its numbers
            self._queue.put(b"".join(chain.from_iterable(zip(*pieces, strict=False))))

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(None)

    def result(self) -> bytes:
        """The .xlsx bytes (raising what writing them raised)."""
        self.close()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._bytes

    def _run(self, compresslevel: int) -> None:
        try:
            buffer = io.BytesIO()
            with zipfile.ZipFile(
                buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel
            ) as z:
                for name, text in _fixed_parts(self.names):
                    z.writestr(name, text)
                written: set[int] = set()
                sheet = None
                while (item := self._queue.get()) is not None:
                    if isinstance(item, int):
                        if sheet is not None:
                            sheet.write(_SHEET_TAIL)
                            sheet.close()
                        sheet = z.open(f"xl/worksheets/sheet{item + 1}.xml", "w")
                        sheet.write(_SHEET_HEAD)
                        written.add(item)
                    else:
                        sheet.write(item)
                if sheet is not None:
                    sheet.write(_SHEET_TAIL)
                    sheet.close()
                for i in range(len(self.names)):
                    if i not in written:
                        z.writestr(f"xl/worksheets/sheet{i + 1}.xml", _SHEET_HEAD + _SHEET_TAIL)
            self._bytes = buffer.getvalue()
        except BaseException as exc:  # raised again in the thread that asks for the result
            self._error = exc
            while self._queue.get() is not None:  # let the writer finish putting
                pass


_SHEET_HEAD = f'{_XML}<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheetData>'.encode()
_SHEET_TAIL = b"</sheetData></worksheet>"


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique (ignoring case, as Excel does) sheet name close to `name`; adds it to
    `taken` (lower-cased)."""
    cleaned = _CONTROL.sub("", "".join("_" if ch in "[]:*?/\\" else ch for ch in name))
    cleaned = cleaned.strip("'")[:31] or "Sheet"
    candidate, n = cleaned, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{cleaned[:28]}_{n}"
    taken.add(candidate.lower())
    return candidate


_STYLES = (
    f'{_XML}<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _fixed_parts(names: list[str]) -> list[tuple[str, str]]:
    """The package's parts other than the worksheets, for sheets named `names`."""
    n = len(names)
    types = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        + "</Types>"
    )
    root_rels = (
        f'{_XML}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><bookViews><workbookView/></bookViews>'
        "<sheets>"
        + "".join(
            f'<sheet name="{html.escape(name, quote=True)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, 1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'{_XML}<Relationships xmlns="{_PKG_REL_NS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    return [
        ("[Content_Types].xml", types),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", _STYLES),
    ]
