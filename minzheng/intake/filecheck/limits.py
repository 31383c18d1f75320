"""What one file may cost (data/config.toml [ingest]) and the refusal of a sheet over it."""

from __future__ import annotations

from dataclasses import dataclass

from minzheng import config
from minzheng.intake.filecheck.refusal import refuse


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


def check_extent(file_name: str, sheet: str, rows: int, cols: int, limits: Limits) -> None:
    """Refuse a sheet whose extent (rows × columns) is over the limits."""
    if rows > limits.max_rows:
        refuse(
            file_name,
            f"工作表行数过多（至少 {rows:,} 行），上限为 {limits.max_rows:,} 行，请拆分为多个文件",
            sheet,
        )
    if cols > limits.max_columns:
        refuse(
            file_name,
            f"工作表列数过多（用到第 {cols:,} 列），上限为 {limits.max_columns:,} 列；"
            "请删除表格右侧无关的单元格后重新上传",
            sheet,
        )
    if rows * cols > limits.max_cells:
        refuse(
            file_name,
            f"工作表范围过大（{rows:,} 行 × {cols:,} 列），上限为 {limits.max_cells:,} 个单元格；"
            "请删除表格下方或右侧无关的单元格后重新上传",
            sheet,
        )


def over_limits(rows: int, cols: int, limits: Limits) -> bool:
    """Whether an extent is over the limits (`check_extent` would refuse it)."""
    return rows > limits.max_rows or cols > limits.max_columns or rows * cols > limits.max_cells
