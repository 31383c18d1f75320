"""How the commands print: numbers and times in CSV cells, CSV on standard output, output files."""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path


def number(value) -> str:
    """A count or amount for a CSV cell: empty when missing, whole numbers without ".0"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def ratio(value) -> str:
    """A ratio for a CSV cell: four decimals, empty when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.4f}"


def clock_time(value) -> str:
    """A timestamp to the minute, empty when there is none."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def csv_out():
    """A CSV writer on standard output, with Unix line ends."""
    # sys.stdout is looked up on each call: tests replace it while capturing output.
    return csv.writer(sys.stdout, lineterminator="\n")


def write(path: Path, data: bytes) -> bool:
    """Write an output file; a clear message instead of a traceback when it cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(f"无法写入 {path}：{exc.strerror or exc}", file=sys.stderr)
        return False
    return True
