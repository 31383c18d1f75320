"""The check of a .csv file: its number of lines, and text that mixes UTF-8 with another
encoding."""

from __future__ import annotations

from minzheng.intake.filecheck.limits import Limits
from minzheng.intake.filecheck.refusal import refuse


def check_csv(data: bytes, file_name: str, limits: Limits) -> None:
    """Refuse a .csv file with more lines than a sheet may have rows, or with mixed encodings."""
    # Lines end in LF, CRLF or (old Mac files) a lone CR: the reader splits at all three.
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1
    if lines > limits.max_rows:
        refuse(file_name, f"行数过多（{lines:,} 行），上限为 {limits.max_rows:,} 行")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        whole_lines = head[: head.rfind(b"\n") + 1].removeprefix(b"\xef\xbb\xbf")
        if any(b >= 0x80 for b in whole_lines):
            # Whole lines of UTF-8 Chinese text, then a line in another encoding (a GBK file
            # may look like UTF-8 for a few bytes by chance, never for whole lines).
            line = head.count(b"\n") + 1
            refuse(
                file_name,
                f"文件编码不一致：前面是 UTF-8，第 {line} 行起是另一种编码（如 GBK），"
                "请在 Excel 或 WPS 中统一另存为“CSV UTF-8”后重新上传",
            )
