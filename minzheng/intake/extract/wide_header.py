"""A wide table's header: which row(s), which columns name indicators, units, months, totals.

The header is one row, or two when the second holds only measures (本月, 累计, 年度任务 …) or the
indicators under a measure row; the two cells of a column are read together. Any doubt about a
column (two meanings, two unit columns, a column that is neither indicator nor key) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minzheng import normalize
from minzheng.intake import layout
from minzheng.intake.extract.cells import TOTAL_WORDS, CellReader, empty
from minzheng.intake.extract.measures import (
    CUMULATIVE,
    DERIVED,
    MONTH,
    TARGET,
    ColumnMeaning,
    column_meaning,
    measure_kinds_only,
    measure_only,
    row_month,
)
from minzheng.intake.extract.result import cell_ref
from minzheng.intake.workbook import Grid
from minzheng.store.reference import Reference, Unit

TOTAL_LABELS = ("全县", "全县合计", "全县总计", "县合计", *TOTAL_WORDS)
# Columns a wide table may carry beside its figures, read by nobody.
SKIPPED_ROLES = {
    "seq": "序号",
    "note": "备注",
    "place": "地点",
    "phone": "联系电话",
    "name": "姓名",
    "guardian": "监护人",
    "address": "地址",
    "participants": "人数",
}


@dataclass
class WideHeader:
    """A wide table's header: its rows and the indicator column each header cell names."""

    first_row: int
    last_row: int
    labels: list[str]
    columns: dict[int, ColumnMeaning] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    """A cumulative figure: the unit's total for the indicator from January to `month`."""

    unit: Unit
    key: str
    year: int
    month: int
    value: float
    sheet: str
    row: int
    col: int
    raw: object
    label: str


def _cell(rows: list[list], r: int, c: int) -> str:
    row = rows[r]
    return normalize.display(row[c]) if c < len(row) and row[c] not in (None, "") else ""


def _meanings(labels: list[str], ref: Reference) -> dict[int, ColumnMeaning]:
    return {c: m for c, label in enumerate(labels) if label and (m := column_meaning(label, ref))}


def find_wide(rows: list[list], ref: Reference) -> WideHeader | None:
    """The header row (or two rows) whose cells name catalog indicators; None if there is none.

    A second header row is taken when its cells are measures only (本月, 累计, 年度任务 …) or
    indicators under a measure row; the two cells of a column are read together.
    """
    best: WideHeader | None = None
    for r in range(min(len(rows), layout.HEADER_SCAN_ROWS)):
        if not _header_like(rows[r], ref):
            continue
        upper = [_cell(rows, r, c) for c in range(len(rows[r]))]
        found = [WideHeader(r, r, upper, _meanings(upper, ref))]
        upper = list(upper)
        if r + 1 < len(rows):
            lower = [_cell(rows, r + 1, c) for c in range(len(rows[r + 1]))]
            if _header_like(rows[r + 1], ref) and (
                any(map(measure_only, lower)) or any(map(measure_only, upper))
            ):
                width = max(len(upper), len(lower))
                upper += [""] * (width - len(upper))
                lower += [""] * (width - len(lower))
                # An unmerged group header (走访慰问 over 本月 | 累计) names the columns after it.
                for c in range(1, width):
                    if not upper[c] and upper[c - 1] and measure_only(lower[c]):
                        upper[c] = upper[c - 1]
                joined = [
                    f"{up}|{lo}" if up and lo and up != lo else (up or lo)
                    for up, lo in zip(upper, lower, strict=True)
                ]
                # First, so that it wins a tie: the measure row is not a data row.
                found.insert(0, WideHeader(r, r + 1, joined, _meanings(joined, ref)))
        for cand in found:
            if cand.columns and (best is None or len(cand.columns) > len(best.columns)):
                best = cand
    return best


def _header_like(row: list, ref: Reference) -> bool:
    """A row that can be a header: text only, no unit name, month or count among its cells.

    A ledger's data row names a category too (走访慰问), beside its township, date and count.
    """
    for value in row:
        if value in (None, ""):
            continue
        if not isinstance(value, str) or ref.unit(value) or row_month(value):
            return False
        try:
            normalize.quantity(value)
        except normalize.QuantityError:
            continue
        return False
    return True


def is_total(value) -> bool:
    return isinstance(value, str) and normalize.header(value).startswith(TOTAL_LABELS)


class WideHeaderChecks(CellReader):
    """Refusals about a wide table's header and its key (unit, month) and 合计 columns."""

    def _wide_header_ok(self, sheet: str, wh: WideHeader) -> bool:
        ok, seen = True, {}
        for c, meaning in wh.columns.items():
            label = wh.labels[c].replace("|", " ")
            ind = meaning.indicator
            if meaning.conflict:
                ok = False
                words = "”与“".join(
                    {"month": "本月", "cumulative": "累计", "target": "任务", "derived": "比率"}[k]
                    for k in meaning.conflict
                )
                self.problem(
                    sheet,
                    wh.last_row,
                    c,
                    label,
                    f"表头同时含有“{words}”两种含义，无法确定本列是哪一项数字；请改为“本月”或“累计”等单一名称",
                )
                continue
            if meaning.unit_written and meaning.unit_written not in ind.accepted_units:
                ok = False
                self.problem(
                    sheet,
                    wh.last_row,
                    c,
                    label,
                    f"计量单位“{meaning.unit_written}”与「{ind.name}」不符，该指标按“{ind.unit_label}”统计",
                )
            if meaning.measure in (MONTH, CUMULATIVE):
                first = seen.setdefault((ind.key, meaning.measure), c)
                if first != c:
                    ok = False
                    self.problem(
                        sheet,
                        wh.last_row,
                        c,
                        label,
                        f"与 {cell_ref(wh.last_row, first)}“{wh.labels[first].replace('|', ' ')}”"
                        "是同一指标的同一项数字，无法确定以哪一列为准；请删除多余的一列",
                    )
        return ok

    def _wide_key_columns(self, grid: Grid, wh: WideHeader):
        """(unit column, month column, 合计 columns, skipped labels), or None after a refusal.

        Skipped labels of target or ratio columns (年度任务, 完成率) start with "%".
        """
        sheet, rows = grid.name, grid.rows
        width = max((len(r) for r in rows[wh.last_row + 1 :]), default=0)
        units, months, totals, skipped = [], [], [], []
        for c in range(max(width, len(wh.labels))):
            if c in wh.columns:
                continue
            label = wh.labels[c] if c < len(wh.labels) else ""
            if label and is_total(label.replace("|", "")):
                totals.append(c)
                continue
            values = [
                row[c]
                for row in rows[wh.last_row + 1 :]
                if c < len(row) and not empty(row[c]) and self.is_non_data(row) is None
            ]
            role = layout.role_of(label.split("|")[-1]) if label else None
            values = [v for v in values if not is_total(v)]
            ratio = measure_kinds_only(label) and measure_kinds_only(label) <= {TARGET, DERIVED}
            if not values or role in SKIPPED_ROLES or ratio:
                if label:
                    skipped.append(("%" if ratio else "") + label.replace("|", " "))
                continue
            if all(row_month(v) for v in values):
                months.append(c)
            elif any(self.ref.unit(v) or self.ref.unit_in(v) for v in values) or role == "township":
                units.append(c)
            else:
                self.problem(
                    sheet,
                    wh.last_row,
                    c,
                    label.replace("|", " "),
                    "本列既不是指标目录中的指标，也不是乡镇或月份，无法确定其含义；"
                    "如为指标，请由管理员在「设置」中添加同义词",
                )
                return None
        for found, what in ((units, "乡镇"), (months, "月份")):
            if len(found) > 1:
                a, b = found[:2]
                self.problem(
                    sheet,
                    wh.last_row,
                    b,
                    wh.labels[b] if b < len(wh.labels) else "",
                    f"有两列都像{what}列（{cell_ref(wh.last_row, a)} 与本列），无法确定以哪一列为准",
                )
                return None
        return (units or [None])[0], (months or [None])[0], totals, skipped
