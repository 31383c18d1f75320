"""The row-by-row ledger path: every row checked and reported, for ledgers and per-person ledgers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minzheng import normalize
from minzheng.intake import privacy
from minzheng.intake.extract.cells import CellReader, SheetContext, empty
from minzheng.intake.layout import Header
from minzheng.intake.workbook import Grid


@dataclass(frozen=True)
class _Columns:
    """Where a ledger's cells are (0-based columns, None when absent)."""

    category: int | None
    township: int | None
    date: int | None
    month: int | None
    quantity: int | None
    measure: int | None
    header_measure: str


class LedgerRows(CellReader):
    """Ledger sheets read row by row (the fast path in `fast.py` is tried first)."""

    def _sheet_unit(self, sheet: str, header: Header, ctx: SheetContext) -> bool:
        if "township" not in header.roles and ctx.unit is None:
            self.problem(
                sheet,
                header.last_row,
                None,
                "",
                "无法确定乡镇：表中没有“乡镇”列，工作表名、标题和文件名中也没有乡镇名称",
            )
            return False
        return True

    def ledger(self, grid: Grid, header: Header, ctx: SheetContext, per_person: bool) -> None:
        sheet, rows, roles = grid.name, grid.rows, header.roles
        if not self._sheet_unit(sheet, header, ctx):
            return
        c_cat = roles.get("category")
        if c_cat is None and ctx.category is None:
            what = "走访对象台账的类别" if per_person else "“类别”列"
            self.problem(
                sheet,
                header.last_row,
                None,
                "",
                f"缺少{what}：表中没有类别列，工作表名和标题也没有写明指标（如 留守儿童走访台账）",
            )
            return
        c_date = roles.get("date")
        c_month = roles.get("month")
        if c_date is None and c_month is None and not (ctx.year and ctx.month):
            self.problem(
                sheet,
                header.last_row,
                None,
                "",
                "缺少“日期”列：表中没有日期或月份，工作表名和标题中也没有年月",
            )
            return
        c_qty = roles.get("quantity")
        c_unit = roles.get("township")
        c_measure = roles.get("measure")
        c_place = roles.get("place") if "place" in roles else roles.get("village")
        c_note = roles.get("note")
        c_name = roles.get("name")
        c_id = roles.get("id_number")
        c_village = roles.get("village")
        header_measure = normalize.bracketed(header.labels[c_qty]) if c_qty is not None else ""
        if "/" in header_measure or "、" in header_measure:
            header_measure = ""
        cols = _Columns(c_cat, c_unit, c_date, c_month, c_qty, c_measure, header_measure)
        first = header.last_row + 1
        blank = [""] * len(rows)

        def column(c):
            if c is None:
                return blank
            return [row[c] if c < len(row) else "" for row in rows]

        if not per_person and self._ledger_fast(sheet, rows, first, ctx, cols, c_place, c_note):
            return
        # Columns as lists: one pass per column instead of index checks on every row.
        dates, months, cats, qtys = column(c_date), column(c_month), column(c_cat), column(c_qty)
        towns, measures, places, notes = (
            column(c_unit),
            column(c_measure),
            column(c_place),
            column(c_note),
        )
        names, idents, villages = column(c_name), column(c_id), column(c_village)
        running = 0.0
        since_subtotal = 0.0
        count = 0
        for r in range(first, len(rows)):
            row = rows[r]
            kind = self.is_non_data(row)
            if kind == "blank" or kind == "skip":
                continue
            if kind == "total":
                self._check_total(sheet, r, row, c_qty, running, since_subtotal, count, per_person)
                if self.first_text(row)[1].startswith("小计"):
                    since_subtotal = 0.0
                continue
            raw_date, raw_cat, raw_qty = dates[r], cats[r], qtys[r]
            # A row with nothing in the columns that carry data (e.g. only a pre-printed 序号 or a
            # township merged down over trailing rows) is an empty template row, not data.
            if (
                empty(raw_date)
                and empty(raw_cat)
                and empty(raw_qty)
                and empty(names[r])
                and (empty(idents[r]))
            ):
                continue
            # Every cell of the row is checked, so that all its problems are reported at once.
            ind, category_text = self._row_category(sheet, r, ctx, cols, raw_cat)
            unit = self._row_unit(sheet, r, ctx, cols, towns[r])
            when = self._row_date(sheet, r, ctx, cols, raw_date, months[r])
            qty = (
                1.0 if per_person else self._row_quantity(sheet, r, ind, cols, raw_qty, measures[r])
            )
            if ind is None or unit is None or when is None or qty is None:
                continue
            day, month_only, year, month = when
            person_hash = person_masked = None
            if per_person:
                person_hash = privacy.person_hash(self.key, idents[r], names[r], villages[r])
                person_masked = privacy.mask_name(names[r]) or None
            self.add_fact(
                unit,
                ind,
                day,
                month_only,
                year,
                month,
                qty,
                sheet,
                r,
                self.free_text(places[r]),
                self.free_text(notes[r]),
                person_hash,
                person_masked,
                category_text,
            )
            running += qty
            since_subtotal += qty
            count += 1

    def _row_category(self, sheet, r, ctx, cols, raw):
        if not empty(raw):
            ind, err = self._categories.get(raw) or self.resolve_category(raw)
            if err:
                self.problem(sheet, r, cols.category, raw, err)
                return None, ""
            return ind, raw
        if ctx.category is not None:
            return ctx.category, ""
        self.problem(sheet, r, cols.category, "", "类别为空")
        return None, ""

    def _row_unit(self, sheet, r, ctx, cols, raw):
        if not empty(raw):
            unit, err = self._units.get(raw) or self.resolve_unit(raw)
            if err:
                self.problem(sheet, r, cols.township, raw, err)
            return unit
        if ctx.unit is None:
            self.problem(
                sheet, r, cols.township, "", "乡镇为空，且标题、工作表名和文件名中都没有乡镇名称"
            )
        return ctx.unit

    def _row_date(self, sheet, r, ctx, cols, raw, raw_month):
        """(day, month_only, year, month) of a row, or None after reporting the problem."""
        if not empty(raw):
            parsed, err = self.parse_date(raw, ctx.date_year, ctx.year_error)
            if err:
                self.problem(sheet, r, cols.date, raw, err)
                return None
            day, month_only = parsed
            return day, month_only, day.year, day.month
        if not empty(raw_month) and ctx.year:
            month = normalize.month_header(f"{normalize.text(raw_month).rstrip('月份')}月")
            if not month:
                self.problem(sheet, r, cols.month, raw_month, "月份应为 1–12")
                return None
            if dt.date(ctx.year, month, 1) > self.today:
                self.problem(
                    sheet,
                    r,
                    cols.month,
                    raw_month,
                    f"{ctx.year}年{month}月尚未到来，不能填报未来的数据",
                )
                return None
            return dt.date(ctx.year, month, 1), True, ctx.year, month
        if ctx.year and ctx.month:
            if dt.date(ctx.year, ctx.month, 1) > self.today:
                self.problem(
                    sheet,
                    r,
                    None,
                    f"{ctx.year}年{ctx.month}月",
                    "标题中的月份尚未到来，不能填报未来的数据",
                )
                return None
            return dt.date(ctx.year, ctx.month, 1), True, ctx.year, ctx.month
        self.problem(sheet, r, cols.date if cols.date is not None else cols.month, "", "日期为空")
        return None

    def _row_quantity(self, sheet, r, ind, cols, raw, raw_measure):
        if empty(raw) or (isinstance(raw, str) and normalize.text(raw) in ("", "-", "—", "/")):
            self.problem(sheet, r, cols.quantity, raw, "数量为空")
            return None
        measure, measure_col = cols.header_measure, cols.quantity
        if not empty(raw_measure):
            measure, measure_col = normalize.text(raw_measure), cols.measure
        return self.check_quantity(sheet, r, cols.quantity, raw, ind, measure, measure_col)

    def _check_total(self, sheet, r, row, c_qty, running, since_subtotal, count, per_person):
        label = self.first_text(row)[1]
        expected = since_subtotal if label.startswith("小计") else running
        if per_person:
            expected = float(count)
            candidates = [(c, v) for c, v in enumerate(row) if v not in (None, "")][1:]
        else:
            candidates = [(c_qty, row[c_qty])] if c_qty is not None and c_qty < len(row) else []
        for c, v in candidates:
            parsed, err = self.parse_quantity(v)
            if err:
                continue
            if abs(parsed[0] - expected) > 1e-9:
                self.problem(
                    sheet,
                    r,
                    c,
                    v,
                    f"合计行与上方明细不一致：明细相加为 {expected:,.0f}，合计行未计入统计",
                    "warning",
                )
            return
