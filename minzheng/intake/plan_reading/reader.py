"""Finding a plan sheet's header and the shape it names, then reading it in that shape.

The header row is the first that names indicators (units down), units (indicators down),
1月…12月 (monthly shares) or a 目标 column beside a 指标 column (long form). A data row met
before any header, a name over two columns, or a row naming both units and indicators is a
problem that says which cells were looked at.
"""

from __future__ import annotations

from minzheng import normalize
from minzheng.intake import layout
from minzheng.intake.plan_reading.cross_tables import CrossTables
from minzheng.intake.plan_reading.labels import (
    TARGET_WORDS,
    UNIT_HEADERS,
    cell_text,
    column_list,
    is_county,
    is_subtotal,
    number_of,
    quoted,
    strip_target,
)
from minzheng.intake.plan_reading.long_form import LongForm
from minzheng.intake.plan_reading.monthly_shares import MonthlyShares


class SheetReader(CrossTables, LongForm, MonthlyShares):
    """Reads one grid into a plan's targets or phasing, explaining how it was understood."""

    def read(self) -> None:
        """Find the header and read the sheet in the shape it names."""
        for r in range(min(len(self.rows), layout.HEADER_SCAN_ROWS)):
            labels = [cell_text(self.rows[r], c) for c in range(len(self.rows[r]))]
            if len({lab for lab in labels if lab}) < 2:
                continue  # a title (merged or not) or a blank row: no header names one thing
            months = {c: m for c, lab in enumerate(labels) if (m := normalize.month_header(lab))}
            if len(months) >= 3:
                return self.phasing(r, labels, months)
            indicators = {c: ind for c, lab in enumerate(labels) if (ind := self.indicator(lab))}
            units = {c: u for c, lab in enumerate(labels) if (u := self.unit(lab))}
            if indicators and units:
                # Either a long table whose header was not recognised, or no header at all.
                self.problem(
                    r,
                    None,
                    "",
                    f"第{r + 1}行既有单位名（{column_list(units, labels)}）又有指标名"
                    f"（{column_list(indicators, labels)}），看不出哪一行是表头；"
                    "若是“乡镇、指标、目标”三列的长表，请在其上加一行表头“乡镇”“指标”“目标”",
                )
                return None
            if len(indicators) == 1 and self._numbers_beside(r, indicators):
                return self.unknown_header(r, "units")
            if len(units) == 1 and self._numbers_beside(r, units):
                return self.unknown_header(r, "indicators")
            if indicators:
                indicators = self._one_column_each(r, labels, indicators, lambda i: i.key)
                return self.indicators_across(r, labels, indicators) if indicators else None
            if units:
                units = self._one_column_each(r, labels, units, lambda u: u.unit_id)
                return self.units_across(r, labels, units) if units else None
            target_cols = [c for c, lab in enumerate(labels) if self._is_target_header(lab)]
            if target_cols and not self._upper_header(r):
                ind_col = self._long_indicator_col(r, labels, set(target_cols))
                if ind_col is not None or self.indicator(self.grid.name):
                    return self.long(r, labels, ind_col, target_cols)
        self.explain(self._not_found())
        return None

    def _one_column_each(self, r: int, labels: list[str], found: dict, key) -> dict | None:
        """One column per indicator (or unit). A name over two columns (街面巡查 merged over
        目标 | 完成) keeps the one whose second header row says 目标; else it is a problem."""
        groups: dict = {}
        for c, item in found.items():
            groups.setdefault(key(item), []).append(c)
        if all(len(cols) == 1 for cols in groups.values()):
            return found
        below = self.rows[r + 1] if r + 1 < len(self.rows) else []
        subs = [cell_text(below, c) for c in range(len(below))]
        kept = {}
        for cols in groups.values():
            targets = [c for c in cols if c < len(subs) and self._is_target_header(subs[c])]
            if len(cols) > 1 and len(targets) != 1:
                self.problem(
                    r,
                    cols[1],
                    labels[cols[1]],
                    f"“{labels[cols[0]]}”有 {len(cols)} 列（{column_list(cols, labels)}），"
                    f"第{r + 2}行没有标明哪一列是目标",
                )
                return None
            chosen = targets[0] if len(cols) > 1 else cols[0]
            kept[chosen] = found[chosen]
            for c in cols:
                if c != chosen:
                    self.extra_skipped[c] = (
                        f"（第{r + 2}行为“{subs[c] if c < len(subs) else ''}”，不是目标）"
                    )
        return kept

    def _long_indicator_col(self, r: int, labels: list[str], taken: set[int]) -> int | None:
        """A long table's 指标 column: headed so (指标, 项目, 工作内容 …), else the column whose
        cells below name catalog indicators."""
        for c, lab in enumerate(labels):
            if c not in taken and lab and layout.role_of(lab) == "category":
                return c
        width = max((len(row) for row in self.rows[r + 1 :]), default=0)
        scores = {
            c: sum(1 for row in self.rows[r + 1 :] if self.indicator(cell_text(row, c)))
            for c in range(width)
            if c not in taken
        }
        best = max(scores, key=lambda c: (scores[c], -c), default=None)
        return best if best is not None and scores[best] > 0 else None

    def _numbers_beside(self, r: int, label_cols: dict) -> bool:
        """The row names one unit or indicator and has figures in other columns: a data row."""
        row = self.rows[r]
        return any(
            number_of(v) is not None for c, v in enumerate(row) if c not in label_cols and v != ""
        )

    def unknown_header(self, data_row: int, across: str) -> None:
        """The first data row was found before its header: the header's names are not known.

        `across` is what the header above should have named ("units" or "indicators"); each of its
        labels that is neither that nor an ordinary column (序号, 单位, 备注, 合计) is reported.
        """
        header_row = next(
            (
                r
                for r in range(data_row - 1, -1, -1)
                if any(cell_text(self.rows[r], c) for c in range(len(self.rows[r])))
            ),
            None,
        )
        row_kind, col_kind = (
            ("一项指标", "一个单位") if across == "units" else ("一个单位", "一项指标")
        )
        self.how = f"“每行{row_kind}、每列{col_kind}（第{data_row + 1}行起为数据）”"
        if header_row is None:
            self.problem(
                data_row, None, "", f"第{data_row + 1}行之上没有表头，看不出各列是哪个单位或指标"
            )
            return
        labels = [cell_text(self.rows[header_row], c) for c in range(len(self.rows[header_row]))]
        reported = 0
        for c, lab in enumerate(labels):
            if not lab or layout.role_of(lab) in ("seq", "measure", "note", "category", "township"):
                continue
            if is_county(lab) or is_subtotal(lab) or normalize.header(lab) in UNIT_HEADERS:
                continue
            if across == "units" and self.unit(lab) is None:
                self._unknown_unit(header_row, c, lab)
                reported += 1
            elif across == "indicators" and self.indicator(lab) is None:
                self._unknown_indicator(header_row, c, lab)
                reported += 1
        if not reported:
            self.problem(
                header_row,
                None,
                "",
                f"第{header_row + 1}行表头中没有{'单位' if across == 'units' else '指标'}名",
            )

    def _upper_header(self, r: int) -> bool:
        """The next row names units or indicators without figures: r is the upper header row
        (指标 | 各乡镇目标 over 丰州镇 | 洪水镇), not a long table's header."""
        if r + 1 >= len(self.rows):
            return False
        below = self.rows[r + 1]
        labels = [cell_text(below, c) for c in range(len(below))]
        named = any(self.unit(lab) or self.indicator(lab) for lab in labels)
        return named and all(number_of(v) is None for v in below if v != "")

    def _is_target_header(self, label: str) -> bool:
        key = normalize.header(label)
        return bool(key) and (key in TARGET_WORDS or strip_target(key) in ("全年", "年度", "全县"))

    def _not_found(self) -> str:
        first = next(
            (
                (r, [lab for c in range(len(row)) if (lab := cell_text(row, c))])
                for r, row in enumerate(self.rows[: layout.HEADER_SCAN_ROWS])
                if any(v not in (None, "") for v in row)
            ),
            None,
        )
        if first is None:
            return "空表，未读取"
        r, labels = first
        return (
            f"前 {layout.HEADER_SCAN_ROWS} 行中没有一行表头写着指标名（如 街面巡查）或单位名（如 丰州镇），"
            f"也没有“指标”“目标”两列，未读取（第{r + 1}行写的是{quoted(dict.fromkeys(labels[:6]))}）"
        )
