"""The redacted copy of a loaded file, kept so that nothing the township sent is lost.

Columns of personal data are replaced (ID, phone, address) or masked (names); ID and phone
numbers, addresses and names written in any other cell are removed or masked too
(minzheng/freetext.py). The copy is always written anew as plain values: formulas, links and
macros of the original never survive, even in a file with no personal data.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import xlsxwriter

from minzheng.intake import freetext, privacy
from minzheng.intake.workbook import Grid

REDACTED_SUFFIX = "（已脱敏）"
VALUES_SUFFIX = "（仅数值副本）"


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
    known = _known_names(grids, personal_cols, header_rows)
    found = freetext.Found()
    masked_cells = 0
    scrubbed: dict[str, tuple[str, freetext.Found]] = {}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for grid in grids:
        sheet = book.add_worksheet(_safe_sheet_name(grid.name, book))
        cols = personal_cols.get(grid.name, set())
        first_data_row = header_rows.get(grid.name, -1) + 1
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value in (None, ""):
                    continue
                if c in cols and r >= first_data_row:
                    masked_cells += 1
                    value = (
                        privacy.mask_name(value)
                        if freetext.looks_like_name(value)
                        else privacy.REDACTED
                    )
                    sheet.write_string(r, c, value)
                elif isinstance(value, dt.datetime | dt.date):
                    sheet.write_datetime(
                        r,
                        c,
                        value
                        if isinstance(value, dt.datetime)
                        else dt.datetime.combine(value, dt.time()),
                        date_format,
                    )
                elif isinstance(value, float | int) and not isinstance(value, bool):
                    if value >= 1e10 and privacy.has_sensitive(f"{value:.0f}"):
                        masked_cells += 1
                        sheet.write_string(r, c, privacy.REDACTED)
                    else:
                        sheet.write_number(r, c, value)
                else:
                    text = str(value)
                    if text not in scrubbed:  # ledgers repeat the same words row after row
                        scrubbed[text] = freetext.scrub(text, known)
                    clean, seen = scrubbed[text]
                    found.add(seen)
                    masked_cells += clean != text
                    sheet.write_string(r, c, clean)
    book.close()
    redacted = bool(masked_cells)
    suffix = REDACTED_SUFFIX if redacted else VALUES_SUFFIX
    return f"{Path(file_name).stem}{suffix}.xlsx", buffer.getvalue(), redacted


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


def _safe_sheet_name(name: str, book) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    existing = {ws.name for ws in book.worksheets()}
    candidate, n = cleaned, 1
    while candidate in existing:
        n += 1
        candidate = f"{cleaned[:28]}_{n}"
    return candidate


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
