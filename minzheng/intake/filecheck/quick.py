"""The quick bound of a worksheet: one RE2 pass per chunk, no counting."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from minzheng.intake.filecheck.limits import Limits


class NeedExact(Exception):
    """The quick look at a sheet cannot bound its extent: measure it exactly instead."""


class Quick:
    """One regular-expression pass per chunk that bounds a plainly written sheet's extent.

    Excel, WPS and openpyxl write every row as <row r="12" …> and every cell as <c r="C12" …>.
    When no row or cell in a chunk deviates from that (no missing or later reference, no column
    beyond Z, no row number with more digits than the row limit has, no namespace prefix), the
    sheet spans at most `rows` × 26, which is within the limits, and nothing needs counting. Any
    deviation sends the whole part to the exact measurement (`extent.bounded_extent`). The pass
    runs in RE2 (pyarrow), which scans about ten times faster than the re module and needs no
    match per cell.
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
