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
import io
import math
import re
import threading
import zipfile
from collections.abc import Callable, Iterable

# Excel's limits: a cell holds at most 32,767 characters; a sheet name at most 31.
MAX_TEXT = 32_767
_ROW = "\x00"  # stands for the row number inside a cached cell; never left in a written text
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_EPOCH = dt.datetime(1899, 12, 31)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# A cell as cached by a column: ('s', text), ('n', number), ('d', date) or None for nothing.
Cell = tuple[str, object] | None


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


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


def _cell_xml(cell: Cell, letter: str) -> str:
    if cell is None:
        return ""
    kind, value = cell
    ref = f'<c r="{letter}{_ROW}"'
    if kind == "n" and math.isfinite(value):
        return f"{ref}><v>{number_xml(value)}</v></c>"
    if kind == "d":
        return f'{ref} s="1"><v>{number_xml(excel_serial(value))}</v></c>'
    text = text_xml(str(value))
    if not text:
        return ""
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'{ref} t="inlineStr"><is><t{space}>{text}</t></is></c>'


class Column(dict):
    """The XML of each distinct value met in one column, made by `cell` on first sight.

    Numbers below `plain_below` are written as numbers without asking `cell` (a column of
    serial numbers or quantities meets thousands of distinct ones).
    """

    __slots__ = ("cell", "letter", "plain_below")

    def __init__(self, cell: Callable[[object], Cell], index: int, plain_below: float = -math.inf):
        super().__init__()
        self.cell = cell
        self.letter = column_name(index)
        self.plain_below = plain_below

    def __missing__(self, value) -> bytes:
        kind = value.__class__
        if (kind is float or kind is int) and -1e300 < value < self.plain_below:
            xml = f'<c r="{self.letter}{_ROW}"><v>{number_xml(value)}</v></c>'.encode()
        else:
            xml = _cell_xml(self.cell(value), self.letter).encode()
        # True == 1 == 1.0 and False == 0 share a key: those are made anew each time, so a
        # boolean never takes a number's cell (or the reverse).
        if kind is not bool and not (kind is not str and value in (0, 1)):
            self[value] = xml
        return xml


class Sheet:
    """One worksheet being written: rows go in as values, each through its column."""

    def __init__(self, name: str):
        self.name = name
        self.parts: list[bytes] = []

    def add_rows(self, rows: Iterable[list], columns: list[Column], first: int = 0) -> None:
        """Append `rows` (row `first` of the sheet onwards, 0-based) through `columns`."""
        parts = self.parts
        join = b"".join
        row_mark = _ROW.encode()
        for number, row in enumerate(rows, first + 1):
            if len(row) > len(columns):
                raise ValueError(f"row {number} is wider than the columns given")
            cells = join(map(_lookup, columns, row))
            if cells:
                text = b"%d" % number
                parts.append(b'<row r="%b">%b</row>' % (text, cells.replace(row_mark, text)))

    def xml(self) -> bytes:
        head = f'{_XML}<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheetData>'.encode()
        return b"".join([head, *self.parts, b"</sheetData></worksheet>"])


# dict's own subscript, which calls a subclass's __missing__: no Python frame per cell
_lookup = dict.__getitem__


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


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


def package(sheets: list[Sheet], compresslevel: int = 1) -> bytes:
    """The .xlsx bytes of the sheets (an empty sheet when there is none)."""
    sheets = sheets or [Sheet("Sheet1")]
    n = len(sheets)
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
            f'<sheet name="{_attr(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(sheets, 1)
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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        z.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet.xml())
    return buffer.getvalue()


class Packing:
    """`package(sheets)` done in a thread: zlib compresses without holding Python's global
    lock, so the caller goes on (checks, the database insert) meanwhile. `result()` waits."""

    def __init__(self, sheets: list[Sheet], compresslevel: int = 1):
        self._bytes: bytes | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(sheets, compresslevel), name="minzheng-kept-copy"
        )
        self._thread.daemon = True
        self._thread.start()

    def _run(self, sheets: list[Sheet], compresslevel: int) -> None:
        try:
            self._bytes = package(sheets, compresslevel)
        except BaseException as exc:  # raised again in the thread that asks for the result
            self._error = exc

    def result(self) -> bytes:
        """The .xlsx bytes (raising what packaging raised)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._bytes
