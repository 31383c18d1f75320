"""Checks of a zip container (.xlsx/.xlsm): sizes, compression ratios, the sheets it lists, then
every XML part."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import PurePosixPath

from minzheng.errors import Problem
from minzheng.intake.filecheck.limits import Limits
from minzheng.intake.filecheck.parts import no_doctype, part_name, read_whole
from minzheng.intake.filecheck.refusal import RESAVE, damaged, mb, refuse
from minzheng.intake.filecheck.worksheet import scan_part

ZIP_MAGIC = b"PK\x03\x04"


MAX_ZIP_ENTRIES = 10_000
# Entries smaller than this are never judged by their compression ratio: repetitive XML (styles,
# empty styled rows, a column of long notes) legitimately compresses over 100 times, and a part
# this small costs little however it was packed; the total is capped by max_uncompressed_bytes.
RATIO_FLOOR_BYTES = 64 << 20


_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')


def check_zip(data: bytes, file_name: str, limits: Limits) -> list[Problem]:
    """Refuse a zip container that is broken or too large or packed like a bomb; else the
    problems of its XML parts (formulas without a saved result), after refusing any part over
    the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        damaged(file_name, exc)
    if len(infos) > MAX_ZIP_ENTRIES:
        refuse(file_name, f"文件结构异常（压缩包内有 {len(infos):,} 个部件），可能是恶意构造的文件")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_uncompressed_bytes:
        refuse(
            file_name,
            f"文件解压后过大（{mb(declared)}），上限为 {mb(limits.max_uncompressed_bytes)}；"
            "可能是恶意构造的压缩包（zip 炸弹）",
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and (
            info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
        ):
            refuse(
                file_name,
                f"文件压缩比异常（其中一个部件解压后为 {mb(info.file_size)}，是压缩前的 "
                f"{info.file_size / max(info.compress_size, 1):,.0f} 倍，上限 "
                f"{limits.max_compression_ratio:,.0f} 倍）；可能是恶意构造的压缩包（zip 炸弹）",
            )
    if not any(
        part_name(i).endswith((".xml", ".bin"))
        and PurePosixPath(part_name(i)).name.startswith("workbook")
        for i in infos
    ):
        refuse(file_name, f"文件已损坏或不是有效的 Excel 文件（缺少工作簿内容）；{RESAVE}")
    sheets = _sheet_names(archive, file_name, limits)
    budget = [limits.max_uncompressed_bytes]
    problems: list[Problem] = []
    for info in infos:
        name = part_name(info)
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        sheet = sheets.get(name)
        if sheet is None and "/worksheets/" in name and name.endswith(".xml"):
            sheet = (PurePosixPath(name).stem, True)  # not listed: still sized and checked
        problems.extend(scan_part(archive, info, file_name, sheet, limits, budget))
    return problems


def _sheet_names(archive: zipfile.ZipFile, file_name: str, limits: Limits) -> dict[str, tuple]:
    """Part name -> (sheet name, visible) for every worksheet listed in xl/workbook.xml."""
    parts = {part_name(i): i for i in archive.infolist()}
    if "xl/workbook.xml" not in parts:
        return {}
    budget = [limits.max_uncompressed_bytes]
    book = read_whole(archive, parts["xl/workbook.xml"], file_name, budget)
    no_doctype(book, file_name, "xl/workbook.xml")
    rels: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in parts:
        raw = read_whole(archive, parts["xl/_rels/workbook.xml.rels"], file_name, budget)
        no_doctype(raw, file_name, "xl/_rels/workbook.xml.rels")
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
