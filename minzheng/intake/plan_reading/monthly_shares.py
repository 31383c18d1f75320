"""Reading a plan's sheet of monthly shares: indicators down, 1月…12月 across."""

from __future__ import annotations

from minzheng.intake import layout
from minzheng.intake.extract import col_letter
from minzheng.intake.plan_reading.labels import cell_text, is_county, is_note, number_of
from minzheng.intake.plan_reading.sheet import SheetState


class MonthlyShares(SheetState):
    """Reads each indicator's share of the year's target per month into the plan's phasing."""

    def phasing(self, header_row: int, labels: list[str], months: dict[int, int]) -> None:
        """Indicators down, 1月…12月 across: each month's share of the year's target."""
        label_col = next(
            (c for c in range(min(months)) if labels[c] and layout.role_of(labels[c]) != "seq"), 0
        )
        sentence = (
            f"分月计划，第{header_row + 1}行为表头，{col_letter(label_col)}列为指标，"
            f"{len(months)} 个月份列为各月占比"
        )
        self.how = f"“{sentence}”"
        count = 0
        for r in range(header_row + 1, len(self.rows)):
            row = self.rows[r]
            label = cell_text(row, label_col)
            if not label or is_note(label) or is_note(cell_text(row, 0)):
                continue
            ind = self.indicator(label)
            if ind is None:
                if not is_county(label):
                    self.problem(r, label_col, label, "不是指标目录中的指标")
                continue
            shares = {}
            for c, month in months.items():
                value = row[c] if c < len(row) else ""
                if value in (None, ""):
                    shares[month] = 0.0
                    continue
                number = (
                    number_of(str(value).replace("%", ""))
                    if isinstance(value, str)
                    else number_of(value)
                )
                if number is None or number < 0:
                    self.problem(r, c, value, "分月占比应为不小于 0 的数字（如 8.5 或 8.5%）")
                    break
                shares[month] = number
            else:
                total = sum(shares.values())
                if total <= 0:
                    self.problem(r, label_col, label, "分月占比全为 0")
                    continue
                self.plan.phasing[ind.key] = {m: shares.get(m, 0.0) / total for m in range(1, 13)}
                count += 1
        self.explain(f"{sentence}，{count} 项指标")
