"""Cheap checks on a file's bytes before any reader parses it, against hostile or broken files.

A spreadsheet reader trusts what the file says about itself: python-calamine allocates one dense
grid spanning the farthest cell, so a single cell written at XFD1048576 (a few bytes) asks for
hundreds of gigabytes and aborts the process. These checks look at the containers first and
refuse, with a Chinese message, anything that would cost more than the configured limits:

- .xlsx/.xlsm (zip): declared and actual uncompressed sizes, compression ratio of large parts
  (zip bombs), DOCTYPE/ENTITY declarations in any XML part (entity expansion, external entities),
  the row and column extent of every sheet, and formulas without a cached value (calamine would
  read them as empty; the file must be saved by Excel or WPS so the results are stored);
- .xls (OLE compound file): password protection (FILEPASS), the row and column extent of every
  sheet from the records calamine turns into cells;
- an OLE container holding `EncryptedPackage` is a password-protected .xlsx;
- .csv: the number of lines, and text that mixes UTF-8 with another encoding.

Each check streams the bytes; no DOM is built and nothing is expanded. A worksheet is first
bounded by one RE2 pass per chunk (`quick.Quick`: Excel, WPS and openpyxl write every row and cell
with its reference first, so a sheet whose references are all short is within the limits without
counting anything); a sheet the quick pass cannot bound is read again and bounded from its cell
references (`extent.bounded_extent`), as long as every row and cell starts with its reference; a
sheet written otherwise, or whose bound is over the limits, is parsed with expat and measured
exactly as calamine will place its cells (`exact.Exact`): refusals are judged on that measure only.

The extent is what calamine will allocate, not what the file mentions: it spans the cells that
hold something (a value, a formula, an inline string). A row or a cell that only carries a style
(LibreOffice and WPS write them out to row 1,048,576 or column XFD) takes no room in calamine's
grid, so it does not count; nor does anything outside <sheetData> (an <extLst> with Excel 2010
dropdowns, conditional formats or sparklines holds <xm:f> formulas that are not cells).

The modules: `limits` (what a file may cost, the refusal of a sheet over it), `refusal` (the
messages and how a check stops), `csvfile`, `xls` (OLE and BIFF), `xlsx` (the zip container),
`parts` (reading its parts), `worksheet` (the scan of one part), and the three measures of a
worksheet's extent: `quick`, `extent` (from the cell references) and `exact` (expat).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from minzheng.errors import Problem
from minzheng.intake.filecheck.csvfile import check_csv
from minzheng.intake.filecheck.limits import Limits
from minzheng.intake.filecheck.refusal import (
    DAMAGED_MESSAGE,
    OLD_EXCEL_MESSAGE,
    PASSWORD_MESSAGE,
    RESAVE,
    Refuse,
    too_large,
)
from minzheng.intake.filecheck.xls import OLE_MAGIC, check_ole, old_excel_format
from minzheng.intake.filecheck.xlsx import MAX_ZIP_ENTRIES, RATIO_FLOOR_BYTES, ZIP_MAGIC, check_zip

# What the rest of the product imports from here (workbook, ingest, the benchmark, the tests).
__all__ = [
    "DAMAGED_MESSAGE",
    "MAX_ZIP_ENTRIES",
    "OLD_EXCEL_MESSAGE",
    "OLE_MAGIC",
    "PASSWORD_MESSAGE",
    "RATIO_FLOOR_BYTES",
    "RESAVE",
    "ZIP_MAGIC",
    "Limits",
    "inspect",
    "old_excel_format",
    "too_large",
]


def inspect(data: bytes, file_name: str, limits: Limits | None = None) -> list[Problem]:
    """Problems that refuse the file before any reader may touch it (empty list: go ahead)."""
    limits = limits or Limits.from_config()
    suffix = PurePosixPath(file_name).suffix.lower()
    try:
        if len(data) > limits.max_file_bytes:
            raise Refuse(too_large(file_name, len(data), limits.max_file_bytes))
        if suffix == ".csv":
            check_csv(data, file_name, limits)
            return []
        if data.startswith(OLE_MAGIC):
            check_ole(data, file_name, limits)
            return []
        if data.startswith(ZIP_MAGIC):
            return check_zip(data, file_name, limits)
    except Refuse as stop:
        return [stop.problem]
    return []  # not a container we know: the reader says it is broken
