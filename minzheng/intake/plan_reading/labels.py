"""The words a plan sheet is read by, and small helpers on its cells and labels.

County and subtotal labels, the words that mark a target column, unit headers, note prefixes and
blank spellings; plus the cell text, number and quoting helpers every part of the reader uses.
"""

from __future__ import annotations

from minzheng import normalize
from minzheng.intake.extract import col_letter

COUNTY_LABELS = ("全县", "合计", "全县合计", "总计", "县合计", "全县总计")
SUBTOTAL_LABELS = ("小计", "片区小计")
TARGET_WORDS = (
    "目标",
    "计划",
    "年度目标",
    "目标值",
    "任务",
    "任务数",
    "计划数",
    "年度计划",
    "目标任务",
)
# Suffixes of headers such as 丰州镇目标, 全县任务数, 街面巡查年度目标: the name is what precedes.
_TARGET_SUFFIXES = tuple(sorted(TARGET_WORDS + ("年度任务", "全年目标", "目标数"), key=len))[::-1]
UNIT_HEADERS = ("单位", "单位名称", "责任单位", "填报单位", "乡镇", "乡镇名称", "所属乡镇")
NOTE_PREFIXES = ("注", "说明", "填表", "备注", "填报", "审核", "制表")
BLANKS = ("", "-", "—", "/", "－", "——")


def cell_text(row: list, c: int) -> str:
    """The display text of cell `c` of `row`; "" past the row's end or for an empty cell."""
    return normalize.display(row[c]) if c < len(row) and row[c] not in (None, "") else ""


def is_note(label: str) -> bool:
    """A 注/说明/填表… line under the table, never data."""
    return normalize.text(label).startswith(NOTE_PREFIXES)


def strip_target(label: str) -> str:
    """The normalised label without a 目标/任务数… suffix (丰州镇目标 → 丰州镇)."""
    key = normalize.header(label)
    for word in _TARGET_SUFFIXES:
        if key.endswith(word) and len(key) > len(word):
            return key[: -len(word)]
    return key


def is_county(label: str) -> bool:
    """A label that stands for the whole county: 全县, 合计, 全县目标 …"""
    return normalize.header(label) in COUNTY_LABELS or strip_target(label) in COUNTY_LABELS


def is_subtotal(label: str) -> bool:
    """A 小计/片区小计 label: checked by nobody, read as nothing."""
    return normalize.header(label).endswith(SUBTOTAL_LABELS)


def number_of(value) -> float | None:
    """The number a cell holds (30人次, １２０, 三场 …), or None when it holds none."""
    try:
        number, _unit, _approx = normalize.quantity(value)
    except normalize.QuantityError:
        return None
    return number


def quoted(labels) -> str:
    """“a”、“b” for a sentence of the explanation."""
    return "、".join(f"“{label}”" for label in labels)


def column_list(cols, labels: list[str], limit: int = 4) -> str:
    """C列“街面巡查（次）”、D列“法治讲座（场）”… (at most `limit`, then a count)."""
    cols = sorted(cols)
    shown = "、".join(f"{col_letter(c)}列“{labels[c]}”" for c in cols[:limit])
    return shown + (f"等 {len(cols)} 列" if len(cols) > limit else "")
