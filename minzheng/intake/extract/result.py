"""The extraction result: fact rows in FACT_SCHEMA, problems, and cell references."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from minzheng.errors import HasProblems, Problem

FACT_SCHEMA = pa.schema(
    [
        ("unit_id", pa.int32()),
        ("indicator_key", pa.string()),
        ("year", pa.int16()),
        ("month", pa.int8()),
        ("activity_date", pa.date32()),
        ("quantity", pa.float64()),
        ("sheet", pa.string()),
        ("source_row", pa.int32()),
        ("category_text", pa.string()),
        ("place", pa.string()),
        ("note", pa.string()),
        ("person_hash", pa.string()),
        ("person_masked", pa.string()),
    ]
)
FACT_COLUMNS = tuple(FACT_SCHEMA.names)


def _no_rows() -> dict[str, list]:
    return {c: [] for c in FACT_COLUMNS}


@dataclass
class Extraction(HasProblems):
    """What a file yields: fact rows, problems, and a description of what was found.

    Facts arrive as Arrow tables (a clean ledger sheet, built column by column) or one row at a
    time (`rows`, every other sheet); `table()` joins them in the order they were found.
    """

    rows: dict[str, list] = field(default_factory=_no_rows)  # not yet in `chunks`
    chunks: list[pa.Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    shapes: set[str] = field(default_factory=set)
    sheets: list[str] = field(default_factory=list)
    personal_cols: dict[str, set[int]] = field(default_factory=dict)  # sheet -> columns
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> last header row
    explanations: dict[str, str] = field(default_factory=dict)  # sheet -> how it was read
    profiles_used: list[str] = field(default_factory=list)  # layout profiles that read sheets
    sensitive: bool = False  # some cell outside the personal columns holds an ID/phone number

    @property
    def row_count(self) -> int:
        """Number of fact rows extracted."""
        return sum(len(t) for t in self.chunks) + len(self.rows["unit_id"])

    def add_table(self, table: pa.Table) -> None:
        """Append facts built as a table (after any rows added before them)."""
        self._flush()
        self.chunks.append(table)

    def _flush(self) -> None:
        if self.rows["unit_id"]:
            self.chunks.append(pa.table(self.rows, schema=FACT_SCHEMA))
            self.rows = _no_rows()

    def table(self) -> pa.Table:
        """All facts as one Arrow table (FACT_SCHEMA), in the order they were found."""
        self._flush()
        if not self.chunks:
            return FACT_SCHEMA.empty_table()
        return self.chunks[0] if len(self.chunks) == 1 else pa.concat_tables(self.chunks)

    @property
    def facts(self) -> dict[str, list]:
        """The fact columns as Python lists (for inspection; loading uses `table()`)."""
        return self.table().to_pydict()


def col_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → 'C12'."""
    return f"{col_letter(col)}{row + 1}"
