"""Wide tables: indicators across, each row a unit (for one month) or a month (for one unit).

The month, year or unit that the rows do not give comes from the title, sheet name or file name.
Only the month's own figure (本月) is loaded; a cumulative figure (累计) is kept as a claim that
`cumulative.py` turns into the month's figure or checks; targets and ratios are skipped.
合计/小计/全县 rows and columns are checked against the figures they sum, never loaded.
"""

from __future__ import annotations

import datetime as dt

from minzheng import normalize
from minzheng.intake.extract.cells import BLANK_QUANTITY, SheetContext, empty
from minzheng.intake.extract.measures import (
    CUMULATIVE,
    DERIVED,
    TARGET,
    row_month,
)
from minzheng.intake.extract.wide_header import Claim, WideHeader, WideHeaderChecks, is_total
from minzheng.intake.extract.wide_report import WideReport
from minzheng.intake.workbook import Grid
from minzheng.store.reference import Unit


class WideTables(WideHeaderChecks, WideReport):
    """Reads wide tables into month facts and cumulative claims; explains how each was read."""

    def wide(self, grid: Grid, wh: WideHeader, ctx: SheetContext) -> None:
        """One wide sheet: refuse at the first doubt about the layout, else check every cell."""
        sheet = grid.name
        keys = self._wide_key_columns(grid, wh)
        if keys is None or not self._wide_header_ok(sheet, wh):
            return
        self.wide_rows(grid, wh, ctx, *keys)

    def wide_rows(self, grid, wh, ctx, c_unit, c_month, c_totals, skipped) -> None:
        """A wide sheet whose key columns are known: check every row and figure."""
        sheet, rows = grid.name, grid.rows
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

    def _wide_rows(self, sheet, rows, wh, ctx, c_unit, c_month):
        """([(row, unit, year, month)], [total rows]), or (None, None) after a refusal."""
        data, totals, seen, ok = [], [], {}, True
        for r in range(wh.last_row + 1, len(rows)):
            row = rows[r]
            kind = self.is_non_data(row)
            if kind in ("blank", "skip"):
                continue
            key_cells = [row[c] for c in (c_unit, c_month) if c is not None and c < len(row)]
            if kind == "total" or any(is_total(v) for v in key_cells):
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
