"""Reading a plan sheet in long form: one row per unit and indicator with its target.

The indicator may come from the sheet name and the unit from the sheet name or the title; with
no unit anywhere the targets are county figures.
"""

from __future__ import annotations

from minzheng import normalize
from minzheng.intake import layout
from minzheng.intake.extract import col_letter
from minzheng.intake.plan_reading.labels import (
    BLANKS,
    TARGET_WORDS,
    UNIT_HEADERS,
    cell_text,
    column_list,
    is_county,
    is_note,
    is_subtotal,
    number_of,
    quoted,
)
from minzheng.intake.plan_reading.sheet import SheetState
from minzheng.store import reference


class LongForm(SheetState):
    """Reads a 乡镇/指标/目标 sheet (or one with the indicator or unit in its name)."""

    def long(self, header_row: int, labels: list[str], ind_col: int | None, target_cols: list[int]):
        """One row per unit and indicator: 乡镇/单位, 指标, 目标. Without a 指标 column the sheet
        name is the indicator (a sheet per indicator); without a unit column the sheet name is
        the unit (a sheet per township), else the targets are county figures."""
        exact = [c for c in target_cols if normalize.header(labels[c]) in TARGET_WORDS]
        candidates = exact or target_cols
        if len(candidates) > 1:
            self.problem(
                header_row,
                candidates[1],
                labels[candidates[1]],
                f"有两列都像目标（{column_list(candidates, labels)}），不能确定取哪一列",
            )
            return
        target_col = candidates[0]
        unit_col = self._long_unit_col(header_row, labels, {ind_col, target_col})
        sheet_ind = self.indicator(self.grid.name) if ind_col is None else None
        sheet_unit = self.unit(self.grid.name) if unit_col is None else None
        title_unit = (
            self._title_township(header_row) if unit_col is None and sheet_unit is None else None
        )
        if ind_col is not None:
            ind_part = f"{col_letter(ind_col)}列{quoted([labels[ind_col]])}为指标"
        else:
            ind_part = f"指标取工作表名“{sheet_ind.name}”"
        if unit_col is not None:
            unit_part = f"{col_letter(unit_col)}列{quoted([labels[unit_col]])}为单位"
        elif sheet_unit is not None:
            unit_part = f"单位取工作表名“{sheet_unit.name}”"
        elif title_unit is not None:
            sheet_unit, title = title_unit
            unit_part = f"单位取标题“{title}”中的“{sheet_unit.name}”"
        else:
            unit_part = "没有单位列（均为全县目标）"
        sentence = (
            f"长表，第{header_row + 1}行为表头，{ind_part}，"
            f"{col_letter(target_col)}列{quoted([labels[target_col]])}为目标，{unit_part}"
        )
        self.how = f"“{sentence}”"
        self._title(header_row)
        used = {c for c in (ind_col, target_col, unit_col) if c is not None}
        self._skip_columns(header_row, labels, used, {}, lambda r, c, lab: None)
        for r in range(header_row + 1, len(self.rows)):
            row = self.rows[r]
            if ind_col is not None:
                ind_label = cell_text(row, ind_col)
                if not ind_label or is_note(ind_label) or is_note(cell_text(row, 0)):
                    continue
                ind = self.indicator(ind_label)
                if ind is None:
                    self._unknown_indicator(r, ind_col, ind_label)
                    continue
            else:
                ind = sheet_ind
                if is_note(cell_text(row, 0)) or not any(v not in (None, "") for v in row):
                    continue
            unit_id = sheet_unit.unit_id if sheet_unit is not None else None
            if unit_col is not None:
                label = cell_text(row, unit_col) or "全县"
                if is_subtotal(label):
                    self.skipped.append(f"第{r + 1}行“{label}”")
                    continue
                if not is_county(label):
                    unit = self.unit(label)
                    if unit is None:
                        self._unknown_unit(r, unit_col, label)
                        continue
                    unit_id = unit.unit_id
            value = row[target_col] if target_col < len(row) else ""
            if value in (None, "") or normalize.text(value) in BLANKS:
                continue
            number = number_of(value)
            if number is None or number < 0:
                self.problem(r, target_col, value, "目标应为不小于 0 的数字")
                continue
            # Several rows of one unit and indicator (e.g. per village) add up.
            key = (unit_id, ind.key)
            self.plan.targets[key] = self.plan.targets.get(key, 0) + number
        self.explain(sentence)

    def _title_township(self, header_row: int) -> tuple[reference.Unit, str] | None:
        """(township, title) when the rows above the header name exactly one township
        (丰州镇2025年度工作目标). The bureau is never taken from a title: 武乡县民政局…计划 is the
        county's plan, not the bureau's own."""
        found: dict[int, str] = {}
        for row in self.rows[:header_row]:
            for c in range(len(row)):
                raw = normalize.text(cell_text(row, c))
                for name, uid in self.ref.unit_names.items():
                    unit = self.ref.units[uid]
                    if name and name in raw and unit.active and unit.kind == "township":
                        found.setdefault(uid, cell_text(row, c))
        if len(found) != 1:
            return None
        ((uid, title),) = found.items()
        return self.ref.units[uid], title

    def _long_unit_col(self, header_row: int, labels: list[str], taken: set[int]) -> int | None:
        """The 乡镇/单位 column: named so, and (for a bare 单位, which may be the measure 次/份)
        holding unit names below."""
        for c, lab in enumerate(labels):
            if c in taken or not lab:
                continue
            role = layout.role_of(lab)
            if role == "township":
                return c
            if normalize.header(lab) in UNIT_HEADERS:
                values = [cell_text(row, c) for row in self.rows[header_row + 1 :]]
                if any(self.unit(v) or is_county(v) for v in values if v):
                    return c
        return None
