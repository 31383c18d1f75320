"""Reading the two crossed shapes of a plan sheet.

Units down with indicators across (a 全县/合计 row is the county figure), or indicators down
with units across (a 全县/合计 column is the county figure).
"""

from __future__ import annotations

from minzheng import normalize
from minzheng.intake import layout
from minzheng.intake.extract import col_letter
from minzheng.intake.plan_reading.labels import (
    UNIT_HEADERS,
    cell_text,
    column_list,
    is_county,
    is_note,
    is_subtotal,
    quoted,
)
from minzheng.intake.plan_reading.sheet import SheetState


class CrossTables(SheetState):
    """Reads a sheet whose header row names indicators, or one whose header row names units."""

    # -- units down, indicators across -----------------------------------------------------------

    def indicators_across(self, header_row: int, labels: list[str], indicators: dict) -> None:
        """Each row a unit, each indicator column its target; 全县/合计 rows the county figure."""

        def is_unit(label: str) -> bool:
            return bool(label) and (self.unit(label) is not None or is_county(label))

        def preferred(labs, c):
            return c < len(labs) and normalize.header(labs[c]) in UNIT_HEADERS

        unit_col = self._label_col(header_row, labels, indicators, is_unit, preferred)
        unit_header = (
            labels[unit_col] if unit_col < len(labels) and labels[unit_col] else "（无表头）"
        )
        self.how = (
            f"“第{header_row + 1}行为表头，每行一个单位（{col_letter(unit_col)}列{quoted([unit_header])}），"
            f"每列一项指标（{column_list(indicators, labels)}）”"
        )
        self._title(header_row)
        why = {c: "（各指标单位不同，不相加）" for c, lab in enumerate(labels) if is_county(lab)}
        self._skip_columns(
            header_row, labels, set(indicators) | {unit_col}, why, self._unknown_indicator
        )
        units, county = [], False
        started = False
        for r in range(header_row + 1, len(self.rows)):
            row = self.rows[r]
            label = cell_text(row, unit_col)
            if not label and self._value_free(row, indicators):
                continue
            if label and is_note(label):
                continue
            if not started and not is_unit(label) and self._value_free(row, indicators):
                self.skipped.append(f"第{r + 1}行（表头第二行）")
                continue
            started = True
            if is_subtotal(label):
                self.skipped.append(f"第{r + 1}行“{label}”")
                continue
            if is_county(label):
                unit_id, county = None, True
            else:
                unit = self.unit(label)
                if unit is None:
                    self._unknown_unit(r, unit_col, label)
                    continue
                unit_id = unit.unit_id
                units.append(unit.name)
            for c, ind in indicators.items():
                self.set_target(r, c, unit_id, ind.key, row[c] if c < len(row) else "")
        self.explain(
            f"横表，第{header_row + 1}行为表头，每行一个单位（{col_letter(unit_col)}列"
            f"{quoted([unit_header])}，{len(dict.fromkeys(units))} 个单位），每列一项指标"
            f"（{column_list(indicators, labels)}）"
            + ("；“全县/合计”行取为计划给定的全县目标" if county else "")
        )

    # -- indicators down, units across -----------------------------------------------------------

    def units_across(self, header_row: int, labels: list[str], units: dict) -> None:
        """Each row an indicator, each unit column its target; a 全县/合计 column the county figure."""
        county_cols = [
            c for c, lab in enumerate(labels) if lab and c not in units and is_county(lab)
        ]
        columns = {c: u.unit_id for c, u in units.items()} | {c: None for c in county_cols}

        def is_indicator(label: str) -> bool:
            return self.indicator(label) is not None

        def preferred(labs, c):
            return c < len(labs) and layout.role_of(labs[c]) == "category"

        ind_col = self._label_col(header_row, labels, columns, is_indicator, preferred)
        ind_header = labels[ind_col] if ind_col < len(labels) and labels[ind_col] else "（无表头）"
        self.how = (
            f"“第{header_row + 1}行为表头，每行一项指标（{col_letter(ind_col)}列{quoted([ind_header])}），"
            f"每列一个单位（{column_list(columns, labels)}）”"
        )
        self._title(header_row)
        self._skip_columns(header_row, labels, set(columns) | {ind_col}, {}, self._unknown_unit)
        started, count = False, 0
        for r in range(header_row + 1, len(self.rows)):
            row = self.rows[r]
            label = cell_text(row, ind_col)
            if not label and self._value_free(row, columns):
                continue
            if label and is_note(label):
                continue
            ind = self.indicator(label)
            if not started and ind is None and self._value_free(row, columns):
                self.skipped.append(f"第{r + 1}行（表头第二行）")
                continue
            started = True
            if ind is None:
                if is_county(label) or is_subtotal(label):
                    self.skipped.append(f"第{r + 1}行“{label}”（各指标单位不同，不相加）")
                    continue
                self._unknown_indicator(r, ind_col, label)
                continue
            count += 1
            for c, unit_id in columns.items():
                self.set_target(r, c, unit_id, ind.key, row[c] if c < len(row) else "")
        self.explain(
            f"竖表，第{header_row + 1}行为表头，每行一项指标（{col_letter(ind_col)}列"
            f"{quoted([ind_header])}，{count} 项），每列一个单位（{column_list(units, labels)}，"
            f"{len(units)} 个单位）"
            + (f"；{column_list(county_cols, labels)}取为计划给定的全县目标" if county_cols else "")
        )
