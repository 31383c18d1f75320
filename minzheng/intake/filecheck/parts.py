"""Reading the parts of a zip container: streamed and capped by the size budget, the next chunk
decompressed ahead, and no DOCTYPE or ENTITY declaration let through."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from minzheng.intake.filecheck.refusal import Refuse, damaged, refuse

CHUNK = 1 << 20


_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def part_name(info: zipfile.ZipInfo) -> str:
    """The entry's part name with "/" separators: some writers put Windows backslashes in the zip,
    and calamine reads such files."""
    return info.filename.replace("\\", "/")


def read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str, budget: list):
    """Yield an entry's decompressed chunks, refusing once the whole file passes the size budget."""
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    refuse(
                        file_name,
                        "文件解压后过大（实际内容超过声明大小），可能是恶意构造的压缩包（zip 炸弹）",
                    )
                yield chunk
    except Refuse:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        damaged(file_name, exc)


def read_ahead(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The same chunks, the next one decompressed on a thread while the caller scans this one.

    zlib and the RE2 scan both release the GIL, so on two cores the two overlap. Errors (a
    refusal, a broken entry) come out of the thread at the chunk where they happened.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="filecheck") as pool:
        pending = pool.submit(next, chunks, None)
        while (chunk := pending.result()) is not None:
            pending = pool.submit(next, chunks, None)
            yield chunk


def read_whole(archive, info, file_name, budget) -> bytes:
    """An entry's whole decompressed content, within the size budget."""
    return b"".join(read_capped(archive, info, file_name, budget))


def no_doctype(chunk: bytes, file_name: str, part: str) -> None:
    """Refuse XML with a DOCTYPE or ENTITY declaration (entity expansion, external entities)."""
    # A one-byte `in` is a memchr; the pattern runs only where "!" occurs at all
    if b"!" in chunk and b"<!" in chunk and _DOCTYPE.search(chunk):
        refuse(
            file_name,
            f"文件含有不允许的 XML 定义（DOCTYPE/ENTITY，位于 {part}），"
            "可能是恶意构造的文件；请在 Excel 或 WPS 中另存后重新上传",
        )
