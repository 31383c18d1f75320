"""The exact measure of a worksheet with expat: the grid calamine will allocate, and its formula
cells without a cached value."""

from __future__ import annotations

from xml.parsers import expat

from minzheng.intake.filecheck.extent import REF, col_number
from minzheng.intake.filecheck.refusal import damaged


class _Stop(Exception):
    """The parser has seen the end of <sheetData>: nothing after it is a cell."""


class Exact:
    """The grid calamine will allocate for a worksheet, measured with an XML parser (expat).

    Parsing settles what patterns cannot: quotes of either kind, spaces around "=", ">" inside
    attribute values, comments, namespace prefixes. It follows calamine: only the first
    <sheetData> holds cells; a cell is placed by its own reference, else after the previous cell
    (a row without a number follows the previous row); only a cell that holds an element (<v>,
    <f>, <is>) takes room, a cell or row that only carries a style takes none.
    """

    def __init__(self):
        self.max_row = self.max_col = 0
        self._row = self._col = 0
        self._state = "head"  # then "data", then "done"
        self._cell: tuple[int, int] | None = None
        self._filled = self._formula = self._value = False
        self.unsaved, self.first_unsaved = 0, (0, 0)  # formula cells without a cached value
        self._parser = expat.ParserCreate()
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end

    def feed(self, chunk: bytes | None, file_name: str) -> None:
        """Parse the next chunk (None: the end); refuse a part that is not well-formed XML."""
        if self._state == "done":
            return
        try:
            self._parser.Parse(chunk or b"", chunk is None)
        except _Stop:
            self._state = "done"
        except expat.ExpatError as exc:
            damaged(file_name, exc)

    def _start(self, name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if self._state == "head":
            self._state = "data" if local == "sheetData" else "head"
        elif self._cell is not None:
            self._filled = True  # any element inside a cell holds something
            self._formula = self._formula or local == "f"
            self._value = self._value or local == "v"
        elif local == "row":
            number = attrs.get("r", "")
            self._row = int(number) if number.isdigit() else self._row + 1
            self._col = 0
        elif local == "c":
            ref = REF.fullmatch(attrs.get("r", ""))
            if ref:
                self._col, row = col_number(ref.group(1).encode()), int(ref.group(2))
            else:
                self._col, row = self._col + 1, self._row
            self._cell, self._filled = (row, self._col), False
            self._formula = self._value = False

    def _end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if self._state != "data":
            return
        if local == "c" and self._cell is not None:
            if self._filled:
                self.max_row = max(self.max_row, self._cell[0])
                self.max_col = max(self.max_col, self._cell[1])
            if self._formula and not self._value:
                if not self.unsaved:
                    self.first_unsaved = self._cell
                self.unsaved += 1
            self._cell = None
        elif local == "sheetData":
            raise _Stop
