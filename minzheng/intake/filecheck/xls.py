"""Checks of an OLE compound file: a .xls workbook (a walk over its BIFF records) or an
encrypted .xlsx."""

from __future__ import annotations

import io
import struct

import olefile

from minzheng.intake.filecheck.limits import Limits, check_extent
from minzheng.intake.filecheck.refusal import (
    DAMAGED_MESSAGE,
    PASSWORD_MESSAGE,
    RESAVE,
    Refuse,
    damaged,
    log,
    mb,
    refuse,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# BIFF5/8 records calamine turns into cells, all with (row, col) in their first four bytes:
# FORMULA, LABELSST, NUMBER, RK, BOOLERR, LABEL, RSTRING. Not counted: BLANK and MULBLANK (a
# style only: calamine keeps no cell for them), STRING (0x0207, a formula's cached text, whose
# first bytes are the text's length and flags, not a position) and every other record.
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6}
_MULRK = 0x00BD  # row, first col, ..., last col
_BOF, _EOF, _FILEPASS, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
# calamine reserves room for the area a sheet's DIMENSIONS record declares, before any cell:
# an area beyond Excel's own grid (65,536 × 256), or one whose first row lies after its last,
# makes it abort the process.
_DIMENSIONS, _XLS_ROWS, _XLS_COLUMNS = 0x0200, 65_536, 256
# A workbook stream starts with a BOF record: types of Excel 2.1, 3.0, 4.0 and 5.0 and later.
_OLD_BOFS = {0x0009, 0x0209, 0x0409}


def check_ole(data: bytes, file_name: str, limits: Limits) -> None:
    """Refuse an OLE file that is encrypted, holds no workbook, is too large, or whose workbook
    stream fails the BIFF walk."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile raises several types for broken containers
        damaged(file_name, exc)
    with ole:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            refuse(file_name, PASSWORD_MESSAGE)
        stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
        if stream is None:
            refuse(
                file_name, "文件已损坏或不是 Excel 表格（不含工作簿内容，可能是 Word 等其他文件）"
            )
        try:
            if ole.get_size(stream) > limits.max_uncompressed_bytes:
                refuse(file_name, f"文件内容过大，上限为 {mb(limits.max_uncompressed_bytes)}")
            book = ole.openstream(stream).read()
        except Refuse:
            raise
        except Exception as exc:
            damaged(file_name, exc)
    _scan_biff(book, file_name, limits)


def _scan_biff(book: bytes, file_name: str, limits: Limits) -> None:
    """Walk BIFF records: refuse FILEPASS and sheets whose cells span more than the limits.

    Substreams nest (a chart embedded in a sheet has its own BOF and EOF inside the sheet's), so
    only a top-level BOF starts a sheet and only its EOF closes it.
    """
    names: list[str] = []
    sheet_no, depth, max_row, max_col = -1, 0, -1, -1
    pos, end = 0, len(book)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", book, pos)
        body = book[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind == _FILEPASS:
            refuse(file_name, PASSWORD_MESSAGE)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            # calamine reads each sheet at the stream position given here: one past the end
            # makes it panic
            if struct.unpack_from("<I", body)[0] + 4 > end:
                log.info("xls BOUNDSHEET points past the stream")
                refuse(file_name, DAMAGED_MESSAGE)
            names.append(_biff_sheet_name(body))
        elif kind == _BOF:
            if depth == 0:
                sheet_no, max_row, max_col = sheet_no + 1, -1, -1
            depth += 1
        elif kind in _CELL_RECORDS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            max_row, max_col = max(max_row, row), max(max_col, col)
        elif kind == _DIMENSIONS and len(body) in (10, 14):
            _check_dimensions(body, file_name)
        elif kind == _MULRK and len(body) >= 6:
            row = struct.unpack_from("<H", body)[0]
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            max_row, max_col = max(max_row, row), max(max_col, last)
        elif kind == _EOF:
            depth = max(depth - 1, 0)
            if depth == 0 and sheet_no >= 1 and max_row >= 0:
                sheet = (
                    names[sheet_no - 1] if sheet_no - 1 < len(names) else f"第{sheet_no}个工作表"
                )
                check_extent(file_name, sheet, max_row + 1, max_col + 1, limits)
                max_row = max_col = -1
    if max_row >= 0:  # a stream cut off before its sheet's EOF: calamine may still read the cells
        sheet = (
            names[sheet_no - 1] if 0 < sheet_no <= len(names) else f"第{max(sheet_no, 1)}个工作表"
        )
        check_extent(file_name, sheet, max_row + 1, max_col + 1, limits)


def _check_dimensions(body: bytes, file_name: str) -> None:
    """Refuse a DIMENSIONS record no Excel writes: calamine would abort on it."""
    if len(body) == 14:  # BIFF8: 32-bit rows
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
    else:  # BIFF5
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    if (
        first_row > last_row
        or first_col > last_col
        or last_row > _XLS_ROWS
        or last_col > _XLS_COLUMNS
    ):
        log.info("xls DIMENSIONS out of range: %s", (first_row, last_row, first_col, last_col))
        refuse(file_name, f"文件已损坏（工作表记录的表格范围无效）；{RESAVE}")


def _biff_sheet_name(body: bytes) -> str:
    try:
        length, flags = body[6], body[7]
        raw = body[8:]
        return (
            raw[: length * 2].decode("utf-16-le") if flags & 1 else raw[:length].decode("latin-1")
        )
    except Exception:
        return ""


def old_excel_format(data: bytes) -> bool:
    """Whether the bytes are an Excel 2.1–5.0/95 workbook (BIFF2 to BIFF5), not Excel 97 or later.

    Excel 2.1–4.0 wrote a bare BIFF stream; Excel 5.0/95 an OLE file whose stream is "Book", or
    "Workbook" with a BIFF5 BOF record (version 0x0500).
    """
    if len(data) >= 4 and struct.unpack_from("<H", data)[0] in _OLD_BOFS | {_BOF}:
        return True
    if not data.startswith(OLE_MAGIC):
        return False
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("Workbook"):
                head = ole.openstream("Workbook").read(8)
                return len(head) >= 6 and struct.unpack_from("<HHH", head)[2] == 0x0500
            return ole.exists("Book")
    except Exception:  # a broken container is damaged, whatever its age
        return False
