"""The bound of a worksheet from the references of its plainly written rows and cells, and the
A1-style names both measures use."""

from __future__ import annotations

import re

from minzheng.intake.filecheck.quick import Quick


class Tags:
    """Literal tag prefixes of one worksheet (with its namespace prefix, e.g. x:)."""

    def __init__(self, head: bytes):
        found = re.search(rb"<(\w+:)?worksheet[\s>]", head)
        self.prefix = p = found.group(1) or b"" if found else b""
        self.row_end = b"</" + p + b"row>"
        self.data_start = b"<" + p + b"sheetData"
        self.data_end = b"</" + p + b"sheetData"
        # Inside <sheetData> only rows start with "<row" and (rich text aside) only cells with
        # "<c": two counts each tell whether every row and cell carries its reference.
        self.row_any = b"<" + p + b"row"
        self.row_r = b"<" + p + b'row r="'
        self.cell_any = b"<" + p + b"c"
        self.cell_r = b"<" + p + b'c r="'
        self.formula = b"<" + p + b"f"
        q = re.escape(p)
        self.row_numbers = re.compile(b"<" + q + rb'row r="(\d+)"')
        self.cell_refs = re.compile(b"<" + q + rb'c r="([A-Za-z]+)(\d+)"')
        self.cols = {n: re.compile(b"<" + q + rb'c r="([A-Za-z]{%d})\d' % n) for n in (2, 3)}
        self.long_col = re.compile(b"<" + q + rb'c r="[A-Za-z]{2}')


# A cell or row that holds nothing: self-closing or closed at once, every attribute in double
# quotes (anything written otherwise stays and is counted). Calamine allocates nothing for them.
_EMPTY_CELL = re.compile(rb'<c r="[A-Za-z]+[0-9]+"(?:\s+[\w:]+="[^"]*")*\s*(?:/>|>\s*</c>)')
_EMPTY_ROW = re.compile(rb'<row r="[0-9]+"(?:\s+[\w:]+="[^"]*")*\s*(?:/>|>\s*</row>)')


def without_empty(xml: bytes) -> bytes:
    """A plain run of rows without its empty (style-only) cells and rows."""
    return _EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", xml))


def plain_cells(xml: bytes, tags: Tags) -> int | None:
    """The number of cells of this run if every row and cell starts with its reference
    (<row r="12", <c r="C12") and none has a namespace prefix (then literal counts and one
    pattern measure it), else None."""
    if tags.prefix or b":c" in xml or b":row" in xml:
        return None
    if xml.count(tags.row_any) != xml.count(tags.row_r):
        return None
    n_cells = xml.count(tags.cell_any)
    return n_cells if n_cells == xml.count(tags.cell_r) else None


def bounded_extent(xml: bytes, tags: Tags, n_cells: int) -> tuple[int, int]:
    """(Largest row number, largest column) of a plain run of complete rows inside <sheetData>:
    an upper bound (refusals are measured again by `Exact`).

    A cell's own reference decides where calamine puts it, whatever its row says, so the largest
    row number is taken over rows and cells alike; roughly, as the largest number with as many
    digits as the largest row number, when no cell reference has more digits than that.
    """
    row = max(map(int, tags.row_numbers.findall(xml)), default=0)
    digits = len(str(row))
    longer = f'<c r="(?:[A-Za-z]+[0-9]{{{digits + 1}}}|[A-Za-z]{{4}})'
    if not Quick.matches(xml, longer):
        col = 26 if n_cells else 0  # one-letter columns at most, unless longer ones show up
        for width in (3, 2) if tags.long_col.search(xml) else ():
            letters = tags.cols[width].findall(xml)
            if letters:
                col = max(map(col_number, set(letters)))
                break
        bound = 10**digits - 1 if n_cells else row
        return max(row, bound), col
    refs = tags.cell_refs.findall(xml)
    col = max(map(col_number, {letters for letters, _ in refs}), default=0)
    row = max(row, max((int(digits) for _, digits in refs), default=0))
    return row, col


def cell_name(row: int, col: int) -> str:
    """A1-style name of a 1-based (row, column)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


# A cell reference as calamine reads it: spaces around it allowed, letters of either case.
REF = re.compile(r"\s*([A-Za-z]+)(\d+)\s*")


def col_number(letters: bytes) -> int:
    """The 1-based number of a column's letters (b"A" is 1, b"AA" is 27)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n
