"""Monthly summaries: indicators down, months across (1月 … 12月), one unit per sheet or row."""

from __future__ import annotations

import datetime as dt

from minzheng import normalize
from minzheng.intake.extract.cells import BLANK_QUANTITY, CellReader, SheetContext
from minzheng.intake.layout import Header
from minzheng.intake.workbook import Grid


class MonthlySummary(CellReader):
    """A summary sheet: one fact per indicator row and month column."""

    def summary(self, grid: Grid, header: Header, ctx: SheetContext) -> None:
        sheet, rows, roles = grid.name, grid.rows, header.roles
        if not self._sheet_unit(sheet, header, ctx):
            return
        if ctx.year is None and header.year is None:
            self.problem(
                sheet,
                header.last_row,
                None,
                "",
                "无法确定年份：月份表头、标题、工作表名和文件名中都没有年份（如 2023年）",
            )
            return
        year = header.year or ctx.year
        first_month_col = min(header.months)
        c_label = roles.get("category")
        if c_label is None:
            skip = {roles.get(k) for k in ("seq", "measure", "township", "note")}
            c_label = next((c for c in range(first_month_col) if c not in skip), None)
        if c_label is None:
            self.problem(sheet, header.last_row, None, "", "缺少指标名称列（如 指标、工作内容）")
            return
        c_unit = roles.get("township")
        c_measure = roles.get("measure")
        for r in range(header.last_row + 1, len(rows)):
            row = rows[r]
            kind = self.is_non_data(row)
            label = row[c_label] if c_label < len(row) else ""
            if kind in ("blank", "skip", "total") or label in (None, ""):
                continue
            ind, err = self.resolve_category(label)
            if err:
                self.problem(sheet, r, c_label, label, err)
            unit = ctx.unit
            if c_unit is not None and c_unit < len(row) and row[c_unit] not in (None, ""):
                unit, err = self.resolve_unit(row[c_unit])
                if err:
                    self.problem(sheet, r, c_unit, row[c_unit], err)
            elif unit is None:
                self.problem(
                    sheet, r, c_unit, "", "乡镇为空，且标题、工作表名和文件名中都没有乡镇名称"
                )
            measure, measure_col = normalize.bracketed(label), c_label
            if c_measure is not None and c_measure < len(row) and row[c_measure] not in (None, ""):
                measure, measure_col = normalize.text(row[c_measure]), c_measure
            if measure and ind is not None and measure not in ind.accepted_units:
                shown = row[measure_col] if measure_col < len(row) else measure
                self.problem(
                    sheet,
                    r,
                    measure_col,
                    shown,
                    f"计量单位“{measure}”与「{ind.name}」不符，该指标按“{ind.unit_label}”统计",
                )
                ind, measure = None, ""
            row_sum = 0.0
            for c, month in header.months.items():
                raw = row[c] if c < len(row) else ""
                if raw is None or (isinstance(raw, str) and normalize.text(raw) in BLANK_QUANTITY):
                    continue
                if dt.date(year, month, 1) > self.today:
                    self.problem(sheet, r, c, raw, f"{year}年{month}月尚未到来，不能填报未来的数据")
                    continue
                qty = self.check_quantity(sheet, r, c, raw, ind, measure, measure_col)
                if qty is None or qty == 0 or unit is None:
                    continue
                row_sum += qty
                self.add_fact(
                    unit, ind, None, True, year, month, qty, sheet, r, category_text=label
                )
            if ind is None or unit is None:
                continue
            c_total = header.total_col
            if c_total is not None and c_total < len(row) and row[c_total] not in (None, ""):
                parsed, err = self.parse_quantity(row[c_total])
                if not err and abs(parsed[0] - row_sum) > 1e-9:
                    self.problem(
                        sheet,
                        r,
                        c_total,
                        row[c_total],
                        f"合计列与各月相加（{row_sum:,.0f}）不一致，合计列未计入统计",
                        "warning",
                    )
