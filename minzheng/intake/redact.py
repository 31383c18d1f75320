"""The redacted copy of a loaded file, kept so that nothing the township sent is lost.

Columns of personal data are replaced (ID, phone, address) or masked (names); any ID or phone
number written elsewhere is scrubbed. A file with no personal data is kept byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import xlsxwriter

from minzheng.intake import privacy
from minzheng.intake.workbook import Grid

_MASKED_ROLES_NAME = "name"


def needs_redaction(personal_cols: dict[str, set[int]], sensitive: bool) -> bool:
    """True if a sheet has a personal-data column or a cell elsewhere holds an ID/phone number."""
    return sensitive or any(personal_cols.values())


def redacted_copy(
    data: bytes,
    file_name: str,
    grids: list[Grid],
    personal_cols: dict[str, set[int]],
    header_rows: dict[str, int],
    sensitive: bool = True,
) -> tuple[str, bytes, bool]:
    """(stored file name, bytes, redacted?) for the kept copy of a file.

    `sensitive` says whether extraction saw an ID/phone number outside the personal columns;
    a file with neither is kept byte for byte.
    """
    if not needs_redaction(personal_cols, sensitive):
        return file_name, data, False
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
                    value = (
                        privacy.mask_name(value) if _looks_like_name(value) else privacy.REDACTED
                    )
                if isinstance(value, dt.datetime | dt.date):
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
                        sheet.write_string(r, c, privacy.REDACTED)
                    else:
                        sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, privacy.scrub(str(value)))
    book.close()
    return f"{Path(file_name).stem}（已脱敏）.xlsx", buffer.getvalue(), True


def _looks_like_name(value: object) -> bool:
    text = str(value).strip()
    return 2 <= len(text) <= 4 and all("\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in text)


def _safe_sheet_name(name: str, book) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    existing = {ws.name for ws in book.worksheets()}
    candidate, n = cleaned, 1
    while candidate in existing:
        n += 1
        candidate = f"{cleaned[:28]}_{n}"
    return candidate
