"""Wide tables: indicators across, each row a unit (for one month) or a month (for one unit).

The month, year or unit that the rows do not give comes from the title, sheet name or file name.
Only the month's own figure (本月) is loaded; a cumulative figure (累计) is kept as a claim that
`cumulative.py` turns into the month's figure or checks; targets and ratios are skipped.
合计/小计/全县 rows and columns are checked against the figures they sum, never loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from minzheng import layout, normalize
from minzheng.extract.cells import BLANK_QUANTITY, TOTAL_WORDS, CellReader, SheetContext, empty
from minzheng.extract.measures import (
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
from minzheng.extract.result import cell_ref
from minzheng.reference import Reference, Unit
from minzheng.workbook import Grid

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


def _is_total(value) -> bool:
    return isinstance(value, str) and normalize.header(value).startswith(TOTAL_LABELS)


def _where(found, grid: Grid, title: str, file_name: str) -> str:
    """Where a unit or month found outside the rows was written: 工作表名, 标题 or 文件名."""
    for text, place in ((grid.name, "工作表名"), (title, "标题"), (Path(file_name).stem, "文件名")):
        if found(text):
            return place
    return "表外"


def _quote(names) -> str:
    return "".join(f"「{n}」" for n in names)


class WideTables(CellReader):
    """Reads wide tables into month facts and cumulative claims; explains how each was read."""

    def wide(self, grid: Grid, wh: WideHeader, ctx: SheetContext) -> None:
        """One wide sheet: refuse at the first doubt about the layout, else check every cell."""
        sheet, rows = grid.name, grid.rows
        keys = self._wide_key_columns(grid, wh)
        if keys is None or not self._wide_header_ok(sheet, wh):
            return
        c_unit, c_month, c_totals, skipped = keys
        if c_unit is None and ctx.unit is None:
            self.problem(
                sheet,
                wh.last_row,
                None,
                "",
                "无法确定乡镇：表中没有乡镇列，标题、工作表名和文件名中也没有乡镇名称",
            )
            return
        if c_month is None and not (ctx.year and ctx.month):
            self.problem(
                sheet,
                wh.last_row,
                None,
                "",
                "无法确定年月：表中没有月份列，标题、工作表名和文件名中也没有年月（如 2025年3月）",
            )
            return
        data, totals = self._wide_rows(sheet, rows, wh, ctx, c_unit, c_month)
        if data is None:
            return
        self._wide_figures(sheet, rows, wh, data)
        self._wide_totals(sheet, rows, wh, data, totals, c_totals, by_month=c_month is not None)
        self.out.explanations[sheet] = self._wide_sentence(
            grid, wh, ctx, c_unit, c_month, c_totals, totals, skipped
        )

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
        """(unit column, month column, 合计 columns, skipped labels), or None after a refusal."""
        sheet, rows = grid.name, grid.rows
        width = max((len(r) for r in rows[wh.last_row + 1 :]), default=0)
        units, months, totals, skipped = [], [], [], []
        for c in range(max(width, len(wh.labels))):
            if c in wh.columns:
                continue
            label = wh.labels[c] if c < len(wh.labels) else ""
            if label and _is_total(label.replace("|", "")):
                totals.append(c)
                continue
            values = [
                row[c]
                for row in rows[wh.last_row + 1 :]
                if c < len(row) and not empty(row[c]) and self.is_non_data(row) is None
            ]
            role = layout.role_of(label.split("|")[-1]) if label else None
            values = [v for v in values if not _is_total(v)]
            ratio = measure_kinds_only(label) and measure_kinds_only(label) <= {TARGET, DERIVED}
            if not values or role in SKIPPED_ROLES or ratio:
                if label:
                    skipped.append(label.replace("|", " "))
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

    def _wide_rows(self, sheet, rows, wh, ctx, c_unit, c_month):
        """([(row, unit, year, month)], [total rows]), or (None, None) after a refusal."""
        data, totals, seen, ok = [], [], {}, True
        for r in range(wh.last_row + 1, len(rows)):
            row = rows[r]
            kind = self.is_non_data(row)
            if kind in ("blank", "skip"):
                continue
            key_cells = [row[c] for c in (c_unit, c_month) if c is not None and c < len(row)]
            if kind == "total" or any(_is_total(v) for v in key_cells):
                totals.append(r)
                continue
            if all(empty(row[c]) if c < len(row) else True for c in wh.columns):
                continue  # a pre-printed unit or month with nothing filled in
            unit, when = self._wide_row_unit(sheet, r, row, ctx, c_unit), None
            if unit is not None:
                when = self._wide_row_month(sheet, r, row, ctx, c_month)
            if unit is None or when is None:
                ok = False
                continue
            first = seen.setdefault((unit.unit_id, *when), r)
            if first != r:
                ok = False
                self.problem(
                    sheet,
                    r,
                    None,
                    "",
                    f"与第{first + 1}行是同一乡镇的同一月份（{unit.name} {when[0]}年{when[1]}月），"
                    "无法确定以哪一行为准",
                )
                continue
            data.append((r, unit, *when))
        return (data, totals) if ok else (None, None)

    def _wide_row_unit(self, sheet, r, row, ctx, c_unit) -> Unit | None:
        if c_unit is None:
            return ctx.unit
        raw = row[c_unit] if c_unit < len(row) else ""
        if empty(raw):
            if ctx.unit is None:
                self.problem(sheet, r, c_unit, "", "乡镇为空")
            return ctx.unit
        unit, err = self.resolve_unit(raw)
        if err:
            self.problem(sheet, r, c_unit, raw, err)
            return None
        if ctx.unit is not None and unit.unit_id != ctx.unit.unit_id:
            self.problem(
                sheet,
                r,
                c_unit,
                raw,
                f"本行乡镇为“{unit.name}”，而标题、工作表名或文件名写的是“{ctx.unit.name}”，无法确定以哪个为准",
            )
            return None
        return unit

    def _wide_row_month(self, sheet, r, row, ctx, c_month) -> tuple[int, int] | None:
        if c_month is None:
            year, month, cell = ctx.year, ctx.month, None
            raw = f"{year}年{month}月"
        else:
            raw = row[c_month] if c_month < len(row) else ""
            cell = c_month
            found = row_month(raw)
            if found is None:
                self.problem(
                    sheet, r, c_month, raw, "月份应为 1月–12月（如 3月、2025年3月、2025.03）"
                )
                return None
            year, month = found[0] or ctx.year, found[1]
            if year is None:
                self.problem(
                    sheet,
                    r,
                    c_month,
                    raw,
                    "无法确定年份：月份、标题、工作表名和文件名中都没有年份（如 2025年）",
                )
                return None
            if ctx.year and found[0] and found[0] != ctx.year:
                self.problem(
                    sheet,
                    r,
                    c_month,
                    raw,
                    f"本行为{found[0]}年，而标题、工作表名或文件名写的是{ctx.year}年，无法确定以哪个为准",
                )
                return None
            if ctx.month and month != ctx.month:
                self.problem(
                    sheet,
                    r,
                    c_month,
                    raw,
                    f"本行为{month}月，而标题、工作表名或文件名写的是{ctx.month}月，无法确定以哪个为准",
                )
                return None
        if dt.date(year, month, 1) > self.today:
            self.problem(sheet, r, cell, raw, f"{year}年{month}月尚未到来，不能填报未来的数据")
            return None
        return year, month

    def wide_figure(self, sheet, r, c, raw, ind, cumulative: bool) -> float | None:
        """A figure cell's count: None for none (empty, 0, —, /) or after reporting a problem."""
        if raw is None or (isinstance(raw, str) and normalize.text(raw) in BLANK_QUANTITY):
            return 0.0
        parsed, error = self.parse_quantity(raw)
        if error:
            self.problem(sheet, r, c, raw, error if error.startswith("数量") else f"数量{error}")
            return None
        number, unit_written, approx = parsed
        if number < 0 or not number.is_integer() or approx:
            self.problem(sheet, r, c, raw, "数量应为不带“约”“余”的非负整数")
            return None
        if unit_written and unit_written not in ind.accepted_units:
            self.problem(
                sheet,
                r,
                c,
                raw,
                f"计量单位“{unit_written}”与「{ind.name}」不符，该指标按“{ind.unit_label}”统计",
            )
            return None
        if not cumulative and number > ind.max_per_row:
            self.problem(
                sheet,
                r,
                c,
                raw,
                f"数量过大：「{ind.name}」一个月不应超过 {ind.max_per_row:,.0f} {ind.unit_label}，请核对",
            )
            return None
        return number

    def _wide_figures(self, sheet, rows, wh, data) -> None:
        for r, unit, year, month in data:
            row = rows[r]
            for c, meaning in wh.columns.items():
                if meaning.measure in (TARGET, DERIVED):
                    continue
                raw = row[c] if c < len(row) else None
                ind = meaning.indicator
                cumulative = meaning.measure == CUMULATIVE
                qty = self.wide_figure(sheet, r, c, raw, ind, cumulative)
                if qty is None:
                    continue
                label = wh.labels[c].replace("|", " ")
                if cumulative:
                    if empty(raw) or normalize.text(raw) in ("-", "—", "——", "/"):
                        continue  # no cumulative figure given: nothing to derive or check
                    self.claims.append(
                        Claim(unit, ind.key, year, month, qty, sheet, r, c, raw, label)
                    )
                    continue
                self.file_months[(unit.unit_id, ind.key, year)][month] = qty
                if qty:
                    self.add_fact(
                        unit, ind, None, True, year, month, qty, sheet, r, category_text=ind.name
                    )

    def _wide_totals(self, sheet, rows, wh, data, totals, c_totals, by_month) -> None:
        """Warn where a 合计 row or column differs from the figures it sums (never loaded)."""
        columns = [
            c
            for c, m in wh.columns.items()
            if m.measure == MONTH or (m.measure == CUMULATIVE and not by_month)
        ]

        def figure(r, c):
            raw = rows[r][c] if c < len(rows[r]) else None
            parsed, err = self.parse_quantity(raw) if not empty(raw) else ((0.0, "", False), None)
            if err and isinstance(raw, str) and normalize.text(raw) in BLANK_QUANTITY:
                return 0.0
            return None if err else parsed[0]

        for t in totals:
            label = self.first_text(rows[t])[1]
            group = [r for r, *_ in data]
            if label.startswith("小计"):
                group = [r for r in group if r < t and not any(r < s < t for s in totals)]
            for c in columns:
                shown = figure(t, c)
                expected = sum(figure(r, c) or 0.0 for r in group)
                given = not empty(rows[t][c] if c < len(rows[t]) else None)
                if shown is not None and given and abs(shown - expected) > 1e-9:
                    self.problem(
                        sheet,
                        t,
                        c,
                        rows[t][c],
                        f"合计行与明细不一致：明细相加为 {expected:,.0f}，合计行为 {shown:,.0f}，合计行未计入统计",
                        "warning",
                    )
        month_cols = [c for c, m in wh.columns.items() if m.measure == MONTH]
        for c_total in c_totals:
            for r, *_ in data:
                raw = rows[r][c_total] if c_total < len(rows[r]) else None
                shown = figure(r, c_total)
                if shown is None or empty(raw):
                    continue
                expected = sum(figure(r, c) or 0.0 for c in month_cols)
                if abs(shown - expected) > 1e-9:
                    self.problem(
                        sheet,
                        r,
                        c_total,
                        raw,
                        f"合计列与各指标相加（{expected:,.0f}）不一致，合计列未计入统计",
                        "warning",
                    )

    def _wide_sentence(self, grid, wh, ctx, c_unit, c_month, c_totals, totals, skipped) -> str:
        """How the sheet was read, in one Chinese sentence (shown before anything is written)."""
        header = (
            f"第{wh.first_row + 1}–{wh.last_row + 1}行为两行表头"
            if wh.last_row > wh.first_row
            else f"第{wh.last_row + 1}行为表头"
        )
        if c_unit is not None and c_month is not None:
            rows_are = "每行一个乡镇的一个月份"
        elif c_unit is not None:
            where = _where(lambda t: normalize.year_month_in(t)[1], grid, ctx.title, self.file)
            rows_are = f"每行一个乡镇，月份（{ctx.year}年{ctx.month}月）取自{where}"
        else:
            where = _where(self.ref.unit_in, grid, ctx.title, self.file)
            rows_are = f"每行一个月份，乡镇（{ctx.unit.name}）取自{where}"
        by_kind: dict[str, list[str]] = {MONTH: [], CUMULATIVE: [], TARGET: [], DERIVED: []}
        for c, meaning in wh.columns.items():
            by_kind[meaning.measure].append(wh.labels[c].replace("|", " "))
        parts = [f"横表：{header}，{rows_are}，每列一项指标"]
        if by_kind[MONTH]:
            parts.append(f"取本月数{_quote(by_kind[MONTH])}")
        if by_kind[CUMULATIVE]:
            use = "用于勾稽核对" if by_kind[MONTH] else "减去此前各月已导入的数得出本月数"
            parts.append(f"累计数{_quote(by_kind[CUMULATIVE])}{use}")
        skips = by_kind[TARGET] + by_kind[DERIVED] + skipped
        skips += [wh.labels[c].replace("|", " ") or cell_ref(wh.last_row, c) for c in c_totals]
        if skips:
            parts.append(f"跳过{_quote(skips)}列（任务、比率与合计不是本月完成数）")
        if totals:
            parts.append(f"第{'、'.join(str(t + 1) for t in totals)}行为合计行，只核对不计入")
        return "，".join(parts) + "。"
