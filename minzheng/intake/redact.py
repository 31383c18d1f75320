"""The redacted copy of a loaded file, kept so that nothing the township sent is lost.

Columns of personal data are replaced (ID, phone, address) or masked (names); ID and phone
numbers, addresses and names written in any other cell are removed or masked too
(minzheng/freetext.py). The copy is always written anew as plain values: formulas, links and
macros of the original never survive, even in a file with no personal data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from minzheng.intake import freetext, privacy, values_xlsx
from minzheng.intake.workbook import Grid

REDACTED_SUFFIX = "（已脱敏）"
VALUES_SUFFIX = "（仅数值副本）"
# A number below this has too few digits to be an ID or phone number: kept as a number.
NUMBERS_PLAIN_BELOW = 1e10


def redacted_copy(
    data: bytes,
    file_name: str,
    grids: list[Grid],
    personal_cols: dict[str, set[int]],
    header_rows: dict[str, int],
    sensitive: bool = True,
) -> tuple[str, bytes, bool]:
    """(stored file name, bytes, redacted?) for the kept copy of a file.

    The copy is an .xlsx of the cells' values. Its name says what was done: 文件名（已脱敏）.xlsx
    when personal data was masked or removed, 文件名（仅数值副本）.xlsx when none was found.
    `data` and `sensitive` (an ID/phone number seen outside the personal columns) are no longer
    needed to decide: every text cell is scrubbed anyway.
    """
    del data, sensitive
    name, book, redacted = redacted_copy_book(file_name, grids, personal_cols, header_rows)
    return name, book.result(), redacted


def redacted_copy_book(
    file_name: str,
    grids: list[Grid],
    personal_cols: dict[str, set[int]],
    header_rows: dict[str, int],
) -> tuple[str, values_xlsx.Book, bool]:
    """`redacted_copy` whose bytes are still being compressed in a thread: (name, book,
    redacted?); `book.result()` gives the bytes.

    Everything the copy holds is decided here, before this returns; only the zip compression of
    the last rows may run on (values_xlsx.Book).
    """
    copy = _Copy(_known_names(grids, personal_cols, header_rows))
    taken: set[str] = set()
    book = values_xlsx.Book([values_xlsx.sheet_name(grid.name, taken) for grid in grids])
    try:
        for index, grid in enumerate(grids):
            book.begin(index)
            width = max(map(len, grid.rows), default=0)
            plain = [values_xlsx.Column(copy.cell, c, NUMBERS_PLAIN_BELOW) for c in range(width)]
            cols = personal_cols.get(grid.name, set())
            first_data_row = min(max(header_rows.get(grid.name, -1) + 1, 0), len(grid.rows))
            if cols:  # above the data (title, header) the personal columns are written as is
                book.add_rows(grid.rows[:first_data_row], plain)
                masked = [
                    values_xlsx.Column(copy.personal, c) if c in cols else plain[c]
                    for c in range(width)
                ]
                book.add_rows(grid.rows[first_data_row:], masked, first=first_data_row)
            else:
                book.add_rows(grid.rows, plain)
    finally:
        book.close()
    suffix = REDACTED_SUFFIX if copy.masked else VALUES_SUFFIX
    return f"{Path(file_name).stem}{suffix}.xlsx", book, copy.masked


class _Copy:
    """What the kept copy holds for each value (each distinct value is decided once per
    column), and whether anything was masked."""

    def __init__(self, known: set[str]):
        self.known = known
        self.masked = False
        self.scrubbed: dict[str, str] = {}  # ledgers repeat the same words row after row

    def personal(self, value) -> values_xlsx.Cell:
        """A cell of a name, ID, phone or address column below the header."""
        if value is None or value == "":
            return None
        self.masked = True
        return (
            "s",
            privacy.mask_name(value) if freetext.looks_like_name(value) else privacy.REDACTED,
        )

    def cell(self, value) -> values_xlsx.Cell:
        """Any other cell: dates and numbers as such (a number that reads as an ID or phone
        number removed), text with ID and phone numbers, names and addresses masked."""
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):  # datetime included
            return ("d", value)
        if isinstance(value, float | int) and not isinstance(value, bool):
            if value >= NUMBERS_PLAIN_BELOW and privacy.has_sensitive(f"{value:.0f}"):
                self.masked = True
                return ("s", privacy.REDACTED)
            return ("n", value)
        text = str(value)
        clean = self.scrubbed.get(text)
        if clean is None:
            clean = self.scrubbed[text] = freetext.scrub(text, self.known)[0]
        if clean != text:
            self.masked = True
        return ("s", clean)


def _known_names(
    grids: list[Grid], personal_cols: dict[str, set[int]], header_rows: dict[str, int]
) -> set[str]:
    """The names the file lists in its name and guardian columns (to find them elsewhere)."""
    names: set[str] = set()
    for grid in grids:
        cols = personal_cols.get(grid.name, set())
        for row in grid.rows[header_rows.get(grid.name, -1) + 1 :]:
            for c in cols:
                if c < len(row) and freetext.looks_like_name(row[c]):
                    names.add(str(row[c]).strip())
    return names


def rewrite_kept(con) -> int:
    """Rewrite every kept copy stored before free-text redaction (migration 007); the count.

    Older copies of files without personal columns were the original bytes (formulas included)
    and no copy had names or addresses in free text masked. Each is read again, its personal
    columns found again, and written anew as `redacted_copy` writes new ones. A copy that can no
    longer be read is replaced by an empty workbook saying so: keeping it unread could keep
    personal data.
    """
    import secrets

    from minzheng.intake import extract, workbook
    from minzheng.store import reference

    ref = reference.load(con)
    throwaway_key = secrets.token_bytes(32)  # the facts found here are discarded
    rows = con.execute("SELECT batch_id, file_name, content FROM batch_files").fetchall()
    for batch_id, kept_name, content in rows:
        stem = Path(kept_name).stem.removesuffix(REDACTED_SUFFIX)
        try:
            grids = workbook.read(bytes(content), kept_name)
            found = extract.extract(grids, kept_name, ref, throwaway_key)
            name, data, redacted = redacted_copy(
                b"", f"{stem}.xlsx", grids, found.personal_cols, found.header_rows
            )
        except Exception:  # noqa: BLE001 - any unreadable copy is replaced, never kept as is
            grid = Grid("说明", [["导入时保存的副本已无法读取，为避免保留个人信息已删除。"]])
            name, data, redacted = redacted_copy(b"", f"{stem}.xlsx", [grid], {}, {})
        con.execute(
            "UPDATE batch_files SET file_name = $n, redacted = $r, content = $c WHERE batch_id = $b",
            {"n": name, "r": redacted, "c": data, "b": batch_id},
        )
    return len(rows)


_TEXT_COLUMNS = {
    "place": (
        "SELECT DISTINCT place FROM facts WHERE place IS NOT NULL",
        "UPDATE facts SET place = r.clean FROM rescrubbed r WHERE facts.place = r.raw",
    ),
    "note": (
        "SELECT DISTINCT note FROM facts WHERE note IS NOT NULL",
        "UPDATE facts SET note = r.clean FROM rescrubbed r WHERE facts.note = r.raw",
    ),
}


def rescrub_notes(con) -> int:
    """Mask names and addresses in the places and notes of facts stored before free-text
    redaction (migration 007); the number of distinct texts changed."""
    changed = 0
    for select, update in _TEXT_COLUMNS.values():
        pairs = []
        for (text,) in con.execute(select).fetchall():
            clean = freetext.scrub(text)[0]
            if clean != text:
                pairs.append((text, clean))
        if pairs:
            con.execute("CREATE OR REPLACE TEMP TABLE rescrubbed (raw VARCHAR, clean VARCHAR)")
            con.executemany("INSERT INTO rescrubbed VALUES ($1, $2)", pairs)
            con.execute(update)
            con.execute("DROP TABLE rescrubbed")
        changed += len(pairs)
    return changed
