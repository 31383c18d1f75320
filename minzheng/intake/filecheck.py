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
bounded by one RE2 pass per chunk (`_Quick`: Excel, WPS and openpyxl write every row and cell with
its reference first, so a sheet whose references are all short is within the limits without
counting anything); a sheet the quick pass cannot bound is read again and bounded from its cell
references (`_extent`), as long as every row and cell starts with its reference; a sheet written
otherwise, or whose bound is over the limits, is parsed with expat and measured exactly as
calamine will place its cells (`_Exact`): refusals are judged on that measure only.

The extent is what calamine will allocate, not what the file mentions: it spans the cells that
hold something (a value, a formula, an inline string). A row or a cell that only carries a style
(LibreOffice and WPS write them out to row 1,048,576 or column XFD) takes no room in calamine's
grid, so it does not count; nor does anything outside <sheetData> (an <extLst> with Excel 2010
dropdowns, conditional formats or sparklines holds <xm:f> formulas that are not cells).
"""

from __future__ import annotations

import dataclasses
import html
import io
import itertools
import logging
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NoReturn
from xml.parsers import expat

import olefile
import pyarrow as pa
import pyarrow.compute as pc

from minzheng import config
from minzheng.errors import Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ZIP_ENTRIES = 10_000
# Entries smaller than this are never judged by their compression ratio: repetitive XML (styles,
# empty styled rows, a column of long notes) legitimately compresses over 100 times, and a part
# this small costs little however it was packed; the total is capped by max_uncompressed_bytes.
RATIO_FLOOR_BYTES = 64 << 20
_CHUNK = 1 << 20
PASSWORD_MESSAGE = "文件设有密码，请在 Excel 或 WPS 中取消密码（文件—信息—保护工作簿）后重新上传"
RESAVE = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再重新上传"
DAMAGED_MESSAGE = f"文件已损坏或不是有效的 Excel 文件，无法读取；{RESAVE}"
OLD_EXCEL_MESSAGE = (
    "文件是 Excel 97 之前的旧格式（Excel 2.1—5.0/95），无法读取；请在 Excel 或 WPS 中打开后"
    "另存为 .xlsx 再重新上传"
)
# The library's own (English) reason goes here, never into a message for bureau staff.
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one file may cost; defaults in data/config.toml [ingest]."""

    max_file_bytes: int
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_rows: int
    max_columns: int
    max_cells: int

    @classmethod
    def from_config(cls) -> Limits:
        """The limits configured in data/config.toml."""
        d = config.defaults()
        return cls(
            max_file_bytes=int(d["ingest.max_file_bytes"]),
            max_uncompressed_bytes=int(d["ingest.max_uncompressed_bytes"]),
            max_compression_ratio=float(d["ingest.max_compression_ratio"]),
            max_rows=int(d["ingest.max_rows"]),
            max_columns=int(d["ingest.max_columns"]),
            max_cells=int(d["ingest.max_cells"]),
        )


class _Refuse(Exception):
    """Stop inspecting: this problem refuses the file."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def inspect(data: bytes, file_name: str, limits: Limits | None = None) -> list[Problem]:
    """Problems that refuse the file before any reader may touch it (empty list: go ahead)."""
    limits = limits or Limits.from_config()
    suffix = PurePosixPath(file_name).suffix.lower()
    try:
        if len(data) > limits.max_file_bytes:
            raise _Refuse(too_large(file_name, len(data), limits.max_file_bytes))
        if suffix == ".csv":
            _check_csv(data, file_name, limits)
            return []
        if data.startswith(OLE_MAGIC):
            _check_ole(data, file_name, limits)
            return []
        if data.startswith(ZIP_MAGIC):
            return _check_zip(data, file_name, limits)
    except _Refuse as stop:
        return [stop.problem]
    return []  # not a container we know: the reader says it is broken


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MB" if n < 100 << 20 else f"{n / (1 << 20):,.0f} MB"


def too_large(file_name: str, size: int, limit: int) -> Problem:
    """The one refusal of a file over the size limit (the guard, the upload and the CLI say it)."""
    return Problem(file_name, "", "", "", f"文件过大（{_mb(size)}），上限为 {_mb(limit)}")


def _problem(file_name: str, message: str, sheet: str = "", cell: str = "") -> Problem:
    return Problem(file_name, sheet, cell, "", message)


def _refuse(file_name: str, message: str, sheet: str = "", cell: str = "") -> NoReturn:
    raise _Refuse(_problem(file_name, message, sheet, cell))


# --- extent of a sheet -------------------------------------------------------------------------


def _check_extent(file_name: str, sheet: str, rows: int, cols: int, limits: Limits) -> None:
    if rows > limits.max_rows:
        _refuse(
            file_name,
            f"工作表行数过多（至少 {rows:,} 行），上限为 {limits.max_rows:,} 行，请拆分为多个文件",
            sheet,
        )
    if cols > limits.max_columns:
        _refuse(
            file_name,
            f"工作表列数过多（用到第 {cols:,} 列），上限为 {limits.max_columns:,} 列；"
            "请删除表格右侧无关的单元格后重新上传",
            sheet,
        )
    if rows * cols > limits.max_cells:
        _refuse(
            file_name,
            f"工作表范围过大（{rows:,} 行 × {cols:,} 列），上限为 {limits.max_cells:,} 个单元格；"
            "请删除表格下方或右侧无关的单元格后重新上传",
            sheet,
        )


# --- csv -------------------------------------------------------------------------------------


def _check_csv(data: bytes, file_name: str, limits: Limits) -> None:
    # Lines end in LF, CRLF or (old Mac files) a lone CR: the reader splits at all three.
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1
    if lines > limits.max_rows:
        _refuse(file_name, f"行数过多（{lines:,} 行），上限为 {limits.max_rows:,} 行")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        whole_lines = head[: head.rfind(b"\n") + 1].removeprefix(b"\xef\xbb\xbf")
        if any(b >= 0x80 for b in whole_lines):
            # Whole lines of UTF-8 Chinese text, then a line in another encoding (a GBK file
            # may look like UTF-8 for a few bytes by chance, never for whole lines).
            line = head.count(b"\n") + 1
            _refuse(
                file_name,
                f"文件编码不一致：前面是 UTF-8，第 {line} 行起是另一种编码（如 GBK），"
                "请在 Excel 或 WPS 中统一另存为“CSV UTF-8”后重新上传",
            )


# --- OLE compound files: .xls and encrypted .xlsx --------------------------------------------


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


def _check_ole(data: bytes, file_name: str, limits: Limits) -> None:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile raises several types for broken containers
        _damaged(file_name, exc)
    with ole:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            _refuse(file_name, PASSWORD_MESSAGE)
        stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
        if stream is None:
            _refuse(
                file_name, "文件已损坏或不是 Excel 表格（不含工作簿内容，可能是 Word 等其他文件）"
            )
        try:
            if ole.get_size(stream) > limits.max_uncompressed_bytes:
                _refuse(file_name, f"文件内容过大，上限为 {_mb(limits.max_uncompressed_bytes)}")
            book = ole.openstream(stream).read()
        except _Refuse:
            raise
        except Exception as exc:
            _damaged(file_name, exc)
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
            _refuse(file_name, PASSWORD_MESSAGE)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            # calamine reads each sheet at the stream position given here: one past the end
            # makes it panic
            if struct.unpack_from("<I", body)[0] + 4 > end:
                log.info("xls BOUNDSHEET points past the stream")
                _refuse(file_name, DAMAGED_MESSAGE)
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
                _check_extent(file_name, sheet, max_row + 1, max_col + 1, limits)
                max_row = max_col = -1
    if max_row >= 0:  # a stream cut off before its sheet's EOF: calamine may still read the cells
        sheet = (
            names[sheet_no - 1] if 0 < sheet_no <= len(names) else f"第{max(sheet_no, 1)}个工作表"
        )
        _check_extent(file_name, sheet, max_row + 1, max_col + 1, limits)


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
        _refuse(file_name, f"文件已损坏（工作表记录的表格范围无效）；{RESAVE}")


def _biff_sheet_name(body: bytes) -> str:
    try:
        length, flags = body[6], body[7]
        raw = body[8:]
        return (
            raw[: length * 2].decode("utf-16-le") if flags & 1 else raw[:length].decode("latin-1")
        )
    except Exception:
        return ""


def _damaged(file_name: str, exc: BaseException) -> NoReturn:
    """Refuse a broken container; the library's reason goes to the log only."""
    log.info("container unreadable: %s: %s", type(exc).__name__, str(exc)[:200])
    _refuse(file_name, DAMAGED_MESSAGE)


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


# --- zip containers: .xlsx / .xlsm -----------------------------------------------------------

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v[\s>/]")
_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')


def _check_zip(data: bytes, file_name: str, limits: Limits) -> list[Problem]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        _damaged(file_name, exc)
    if len(infos) > MAX_ZIP_ENTRIES:
        _refuse(
            file_name, f"文件结构异常（压缩包内有 {len(infos):,} 个部件），可能是恶意构造的文件"
        )
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_uncompressed_bytes:
        _refuse(
            file_name,
            f"文件解压后过大（{_mb(declared)}），上限为 {_mb(limits.max_uncompressed_bytes)}；"
            "可能是恶意构造的压缩包（zip 炸弹）",
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and (
            info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
        ):
            _refuse(
                file_name,
                f"文件压缩比异常（其中一个部件解压后为 {_mb(info.file_size)}，是压缩前的 "
                f"{info.file_size / max(info.compress_size, 1):,.0f} 倍，上限 "
                f"{limits.max_compression_ratio:,.0f} 倍）；可能是恶意构造的压缩包（zip 炸弹）",
            )
    if not any(
        _part_name(i).endswith((".xml", ".bin"))
        and PurePosixPath(_part_name(i)).name.startswith("workbook")
        for i in infos
    ):
        _refuse(file_name, f"文件已损坏或不是有效的 Excel 文件（缺少工作簿内容）；{RESAVE}")
    sheets = _sheet_names(archive, file_name, limits)
    budget = [limits.max_uncompressed_bytes]
    problems: list[Problem] = []
    for info in infos:
        name = _part_name(info)
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        sheet = sheets.get(name)
        if sheet is None and "/worksheets/" in name and name.endswith(".xml"):
            sheet = (PurePosixPath(name).stem, True)  # not listed: still sized and checked
        problems.extend(_scan_part(archive, info, file_name, sheet, limits, budget))
    return problems


def _part_name(info: zipfile.ZipInfo) -> str:
    """The entry's part name with "/" separators: some writers put Windows backslashes in the zip,
    and calamine reads such files."""
    return info.filename.replace("\\", "/")


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str, budget: list):
    """Yield an entry's decompressed chunks, refusing once the whole file passes the size budget."""
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    _refuse(
                        file_name,
                        "文件解压后过大（实际内容超过声明大小），可能是恶意构造的压缩包（zip 炸弹）",
                    )
                yield chunk
    except _Refuse:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        _damaged(file_name, exc)


def _read_ahead(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The same chunks, the next one decompressed on a thread while the caller scans this one.

    zlib and the RE2 scan both release the GIL, so on two cores the two overlap. Errors (a
    refusal, a broken entry) come out of the thread at the chunk where they happened.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="filecheck") as pool:
        pending = pool.submit(next, chunks, None)
        while (chunk := pending.result()) is not None:
            pending = pool.submit(next, chunks, None)
            yield chunk


def _read_whole(archive, info, file_name, budget) -> bytes:
    return b"".join(_read_capped(archive, info, file_name, budget))


def _sheet_names(archive: zipfile.ZipFile, file_name: str, limits: Limits) -> dict[str, tuple]:
    """Part name -> (sheet name, visible) for every worksheet listed in xl/workbook.xml."""
    parts = {_part_name(i): i for i in archive.infolist()}
    if "xl/workbook.xml" not in parts:
        return {}
    budget = [limits.max_uncompressed_bytes]
    book = _read_whole(archive, parts["xl/workbook.xml"], file_name, budget)
    _no_doctype(book, file_name, "xl/workbook.xml")
    rels: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in parts:
        raw = _read_whole(archive, parts["xl/_rels/workbook.xml.rels"], file_name, budget)
        _no_doctype(raw, file_name, "xl/_rels/workbook.xml.rels")
        for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", raw.decode("utf-8", "replace")):
            attrs = dict(_ATTR.findall(tag))
            target = attrs.get("Target", "").replace("\\", "/")
            target = target[1:] if target.startswith("/") else f"xl/{target}"
            rels[attrs.get("Id", "")] = str(PurePosixPath(target))
    found = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book.decode("utf-8", "replace")):
        attrs = dict(_ATTR.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        if rid in rels:
            found[rels[rid]] = (
                html.unescape(attrs.get("name", "")),
                "state" not in attrs or attrs["state"] == "visible",
            )
    return found


def _no_doctype(chunk: bytes, file_name: str, part: str) -> None:
    # A one-byte `in` is a memchr; the pattern runs only where "!" occurs at all
    if b"!" in chunk and b"<!" in chunk and _DOCTYPE.search(chunk):
        _refuse(
            file_name,
            f"文件含有不允许的 XML 定义（DOCTYPE/ENTITY，位于 {part}），"
            "可能是恶意构造的文件；请在 Excel 或 WPS 中另存后重新上传",
        )


class _Tags:
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


class _NeedExact(Exception):
    """The quick look at a sheet cannot bound its extent: measure it exactly instead."""


class _Quick:
    """One regular-expression pass per chunk that bounds a plainly written sheet's extent.

    Excel, WPS and openpyxl write every row as <row r="12" …> and every cell as <c r="C12" …>.
    When no row or cell in a chunk deviates from that (no missing or later reference, no column
    beyond Z, no row number with more digits than the row limit has, no namespace prefix), the
    sheet spans at most `rows` × 26, which is within the limits, and nothing needs counting. Any
    deviation sends the whole part to the exact measurement (`_extent`). The pass runs in RE2
    (pyarrow), which scans about ten times faster than the re module and needs no match per cell.
    """

    def __init__(self, limits: Limits):
        digits = len(str(limits.max_rows)) - 1  # row numbers this short stay under the limit
        self.rows, self.cols = 10**digits - 1, 26
        self.usable = (
            digits > 0
            and self.cols <= limits.max_columns
            and self.rows * self.cols <= limits.max_cells
        )
        short, long = f"[0-9]{{1,{digits}}}", f"[0-9]{{{digits + 1}}}"
        # After "<c" / "<row": anything but a name going on, or a first attribute other than a
        # reference of one letter and few digits, is a deviation (lower case letters included:
        # calamine reads r="c12" too).
        other = r'[^A-Za-z ]| [^r]| r[^=]| r=[^"]'
        cell = rf'<c(?:{other}| r="(?:[^A-Z]|[A-Z][^0-9]|[A-Z]{short}[^0-9"]|[A-Z]{long}))'
        row = rf'<row(?:{other}| r="(?:[^0-9]|{short}[^0-9"]|{long}))'
        prefixed = r'<[^\s<>/!?"=]+:(?:c|row)[^A-Za-z]'
        formula = r'<(?:[^\s<>/!?"=]+:)?f[^A-Za-z]'
        self.extent = f"{cell}|{row}|{prefixed}"
        self.either = f"{self.extent}|{formula}"

    @staticmethod
    def matches(xml: bytes, pattern: str) -> bool:
        """Whether RE2 finds the pattern anywhere in the bytes (matched as Latin-1)."""
        return pc.match_substring_regex(pa.array([xml], pa.binary()), pattern)[0].as_py()


def _scan_part(archive, info, file_name, sheet, limits, budget) -> list[Problem]:
    """Stream one XML part: no DOCTYPE anywhere; for a worksheet, its extent and formulas.

    A worksheet is first bounded by the quick pass, then from its references; if neither can
    bound it, or the bound is over the limits, the part is read again and parsed (refusals are
    judged on the parser's exact figures).
    """
    if sheet is None:
        carry = b""
        for chunk in _read_capped(archive, info, file_name, budget):
            text = carry + chunk
            _no_doctype(text, file_name, info.filename)
            carry = text[-16:]  # enough to see a DOCTYPE split across chunks
        return []
    before = budget[0]
    quick = _Quick(limits)
    for mode in ([quick] if quick.usable else []) + [_BOUNDED]:
        try:
            return _scan_sheet(archive, info, file_name, sheet, limits, budget, mode)
        except _NeedExact:
            budget[0] = before  # the same bytes again: not more content
    return _scan_sheet(archive, info, file_name, sheet, limits, budget, _STRICT)


def _scan_sheet(archive, info, file_name, sheet, limits, budget, quick) -> list[Problem]:
    chunks = _read_ahead(_read_capped(archive, info, file_name, budget))
    try:
        return _scan_chunks(chunks, info.filename, file_name, sheet, limits, quick)
    finally:
        chunks.close()  # waits for a chunk still being read, so the budget is settled after this


# The measures after the quick pass: bounded from the references of plainly written rows and
# cells, or exact, with the XML parser.
_BOUNDED, _STRICT = "bounded", "strict"


def _scan_chunks(chunks, part, file_name, sheet, limits, mode) -> list[Problem]:
    quick = mode if isinstance(mode, _Quick) else None
    strict = mode == _STRICT
    carry = b""
    tags: _Tags | None = None
    region = _Region()
    max_row = max_col = 0
    unsaved: list[bytes] = []  # the first formula cell without a value, if any
    n_unsaved = 0
    name, visible = sheet
    exact = _Exact() if strict else None
    for chunk in itertools.chain(chunks, [None]):
        text = carry + (chunk or b"")
        _no_doctype(text, file_name, part)
        if exact is not None:  # fed after the DOCTYPE check: the parser never meets an entity
            exact.feed(chunk, file_name)
        if tags is None:
            tags = _Tags(text[:4096])
            if quick and tags.prefix:
                raise _NeedExact
        # Look at complete rows only (all that is left after the last chunk); keep the rest.
        end = text.rfind(tags.row_end)
        cut = end + len(tags.row_end) if chunk is not None else len(text)
        if chunk is not None and end < 0:
            if len(text) < 64 * _CHUNK:
                carry = text
                continue
            cut = text.rfind(b">") + 1
        done, carry = text[:cut], text[cut:]
        data = region.cells(done, tags, chunk is None)
        if region.whole and exact is None:
            raise _NeedExact  # a comment could hide or fake cells and formulas: parse the part
        formulas = exact is None
        if quick:
            formulas = quick.matches(done, quick.either)
            if formulas and quick.matches(done, quick.extent):
                raise _NeedExact
            max_row, max_col = quick.rows, quick.cols
        elif exact is not None:
            max_row, max_col = exact.max_row, exact.max_col
        else:
            n_cells = _plain_cells(data, tags)
            if n_cells is None:
                raise _NeedExact  # odd attributes, prefixes, cells without references: parse it
            rows, cols = _extent(data, tags, n_cells)
            if _over(max(max_row, rows), max(max_col, cols), limits):
                # LibreOffice and WPS write styled empty cells and rows out to the grid's edge
                kept = _without_empty(data)
                rows, cols = _extent(kept, tags, kept.count(tags.cell_any))
            max_row, max_col = max(max_row, rows), max(max_col, cols)
        if formulas and visible and (tags.formula in data or b":f" in data):
            first, count = _formulas_without_value(data)
            if count and not unsaved:
                unsaved.append(first)
            n_unsaved += count
        if not quick:
            try:
                _check_extent(file_name, name, max_row, max_col, limits)
            except _Refuse:
                if not strict:  # refuse on the exact measure (filled cells only) alone
                    raise _NeedExact from None
                raise
    if exact is not None and visible:
        n_unsaved = exact.unsaved
        unsaved = [_cell_name(*exact.first_unsaved).encode()] if n_unsaved else []
    if not n_unsaved:
        return []
    problem = _problem(
        file_name,
        "是公式，但文件中没有保存计算结果；请在 Excel 或 WPS 中打开、确认数字正确后保存，"
        "再重新上传（或把公式改为数值）",
        name,
        unsaved[0].decode("ascii", "replace"),
    )
    return [dataclasses.replace(problem, cells=n_unsaved)]


class _Region:
    """Which bytes of a worksheet, read chunk by chunk, lie inside <sheetData> (the cells).

    What comes after it (<conditionalFormatting>, <dataValidations>, <extLst> with <xm:f>
    formulas of Excel 2010 dropdowns and sparklines) holds no cells; neither does the head
    (<cols>, <sheetViews>). A part without <sheetData> is taken whole, to be safe.
    """

    def __init__(self):
        self.phase = "head"
        self.whole = False  # a comment or processing instruction could hide <sheetData>: no cut

    def cells(self, text: bytes, tags: _Tags, last: bool) -> bytes:
        """The part of this run of text inside <sheetData>.

        Runs end with a row, so </sheetData> comes in the `last` run, the only one searched for
        it (a search per 1 MB chunk for a tag starting with "<" costs more than the whole quick
        pass); content after an early </sheetData> is then looked at too, which only adds.
        """
        # "!" and "?" are rare in a sheet, "<" is everywhere: look for the rare byte first
        if (
            self.whole
            or (b"!" in text and b"<!" in text)
            or (text.find(b"?", 6) >= 0 and text.find(b"<?", 6) >= 0)
        ):
            self.whole = True
            return text
        if self.phase == "tail":
            return b""
        if self.phase == "head":
            start = text.find(tags.data_start)
            if start < 0:
                return text
            close = text.find(b">", start)
            if close > 0 and text[close - 1 : close] == b"/":  # <sheetData/>: no cells at all
                self.phase = "tail"
                return b""
            self.phase, text = "data", text[start:]
        end = text.find(tags.data_end) if last else -1
        if end >= 0:
            self.phase, text = "tail", text[:end]
        return text


# A cell or row that holds nothing: self-closing or closed at once, every attribute in double
# quotes (anything written otherwise stays and is counted). Calamine allocates nothing for them.
_EMPTY_CELL = re.compile(rb'<c r="[A-Za-z]+[0-9]+"(?:\s+[\w:]+="[^"]*")*\s*(?:/>|>\s*</c>)')
_EMPTY_ROW = re.compile(rb'<row r="[0-9]+"(?:\s+[\w:]+="[^"]*")*\s*(?:/>|>\s*</row>)')


def _without_empty(xml: bytes) -> bytes:
    """A plain run of rows without its empty (style-only) cells and rows."""
    return _EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", xml))


def _over(rows: int, cols: int, limits: Limits) -> bool:
    return rows > limits.max_rows or cols > limits.max_columns or rows * cols > limits.max_cells


def _plain_cells(xml: bytes, tags: _Tags) -> int | None:
    """The number of cells of this run if every row and cell starts with its reference
    (<row r="12", <c r="C12") and none has a namespace prefix (then literal counts and one
    pattern measure it), else None."""
    if tags.prefix or b":c" in xml or b":row" in xml:
        return None
    if xml.count(tags.row_any) != xml.count(tags.row_r):
        return None
    n_cells = xml.count(tags.cell_any)
    return n_cells if n_cells == xml.count(tags.cell_r) else None


def _extent(xml: bytes, tags: _Tags, n_cells: int) -> tuple[int, int]:
    """(Largest row number, largest column) of a plain run of complete rows inside <sheetData>:
    an upper bound (refusals are measured again by `_Exact`).

    A cell's own reference decides where calamine puts it, whatever its row says, so the largest
    row number is taken over rows and cells alike; roughly, as the largest number with as many
    digits as the largest row number, when no cell reference has more digits than that.
    """
    row = max(map(int, tags.row_numbers.findall(xml)), default=0)
    digits = len(str(row))
    longer = f'<c r="(?:[A-Za-z]+[0-9]{{{digits + 1}}}|[A-Za-z]{{4}})'
    if not _Quick.matches(xml, longer):
        col = 26 if n_cells else 0  # one-letter columns at most, unless longer ones show up
        for width in (3, 2) if tags.long_col.search(xml) else ():
            letters = tags.cols[width].findall(xml)
            if letters:
                col = max(map(_col_number, set(letters)))
                break
        bound = 10**digits - 1 if n_cells else row
        return max(row, bound), col
    refs = tags.cell_refs.findall(xml)
    col = max(map(_col_number, {letters for letters, _ in refs}), default=0)
    row = max(row, max((int(digits) for _, digits in refs), default=0))
    return row, col


class _Stop(Exception):
    """The parser has seen the end of <sheetData>: nothing after it is a cell."""


class _Exact:
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
            _damaged(file_name, exc)

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
            ref = _REF.fullmatch(attrs.get("r", ""))
            if ref:
                self._col, row = _col_number(ref.group(1).encode()), int(ref.group(2))
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


def _cell_name(row: int, col: int) -> str:
    """A1-style name of a 1-based (row, column)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


_REF = re.compile(r"\s*([A-Za-z]+)(\d+)\s*")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _formulas_without_value(xml: bytes) -> tuple[bytes, int]:
    """(Reference of the first, number of) formula cells that store no calculated value.

    A cached value may be empty: Excel writes an empty-text result as <v/>.
    """
    first, count = b"", 0
    for match in _FORMULA.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, match.start()), xml.rfind(b":c ", 0, match.start()))
        end = xml.find(b"</", match.end())
        close = xml.find(b"c>", end)
        cell_xml = xml[start : close if close > 0 else len(xml)]
        if _VALUE.search(cell_xml):
            continue
        if not count:
            ref = re.search(rb'\sr="([A-Za-z]+\d+)"', xml[start : xml.find(b">", start)])
            first = ref.group(1).upper() if ref else b""
        count += 1
    return first, count
