"""What every way of reading a plan sheet shares: the sheet, its lookups and its problems.

`SheetState` holds the grid, the plan being filled and the reading sentence; it resolves labels
to catalog indicators and units, records targets and problems, and does the column and title
bookkeeping (which column holds the row labels, what was skipped, whose year the plan is).
"""

from __future__ import annotations

from pathlib import Path

from minzheng import normalize
from minzheng.errors import Problem
from minzheng.intake import layout, workbook
from minzheng.intake.extract import cell_ref, col_letter
from minzheng.intake.plan_reading.labels import (
    BLANKS,
    cell_text,
    is_note,
    is_subtotal,
    number_of,
    strip_target,
)
from minzheng.store import reference


class SheetState:
    """One grid being read into a plan: lookups, targets, problems and the explanation."""

    def __init__(
        self,
        ref: reference.Reference,
        file_name: str,
        grid: workbook.Grid,
        plan,
        *,
        year: int,
        seen: dict[tuple[int | None, str], tuple[str, float]],
    ):
        """`plan` collects targets, phasing, problems and explanation; `seen` is shared by the
        file's sheets so one target given twice with two values is caught across sheets."""
        self.ref, self.file, self.grid, self.plan, self.year = ref, file_name, grid, plan, year
        self.rows = grid.rows
        self.skipped: list[str] = []
        self.how = ""  # the reading, repeated in every problem of the sheet
        self.seen = seen
        self.extra_skipped: dict[int, str] = {}  # column -> why, for 完成 beside 目标 columns

    # -- lookups ---------------------------------------------------------------------------------

    def indicator(self, label: str) -> reference.Indicator | None:
        """The catalog indicator a header or row label names (brackets and 目标 suffix ignored)."""
        if not label:
            return None
        return (
            self.ref.category(label)
            or self.ref.category(normalize.header(label))
            or self.ref.category(strip_target(label))
        )

    def unit(self, label: str) -> reference.Unit | None:
        """The unit a header or row label names (丰州, 丰州镇目标 …)."""
        if not label:
            return None
        return self.ref.unit(label) or self.ref.unit(strip_target(label))

    # -- problems and the explanation ------------------------------------------------------------

    def problem(self, r: int | None, c: int | None, value, message: str) -> None:
        """Record a problem; the sheet's reading is appended so the refusal says how it was read."""
        if self.how:
            message += f"（本表按{self.how}读取）"
        self.plan.problems.append(
            Problem(
                self.file,
                self.grid.name,
                cell_ref(r, c) if r is not None and c is not None else "",
                normalize.display(value),
                message,
            )
        )

    def explain(self, sentence: str) -> None:
        """Add the sheet's reading (with what was skipped) to the plan's explanation."""
        skipped = f"；跳过{'、'.join(self.skipped)}" if self.skipped else ""
        self.plan.explanation.append(f"工作表「{self.grid.name}」：{sentence}{skipped}。")

    def set_target(self, r: int, c: int, unit_id: int | None, key: str, value) -> None:
        """Record one target cell; blank is none, a second different value for it a problem."""
        if value in (None, "") or normalize.text(value) in BLANKS:
            return
        number = number_of(value)
        if number is None or number < 0:
            self.problem(r, c, value, "目标应为不小于 0 的数字")
            return
        where = f"{self.grid.name}!{cell_ref(r, c)}"
        earlier = self.seen.get((unit_id, key))
        if earlier and earlier[1] != number:
            self.problem(
                r, c, value, f"同一单位同一指标的目标已在 {earlier[0]} 给出（{earlier[1]:g}）"
            )
            return
        self.seen[(unit_id, key)] = (where, number)
        self.plan.targets[(unit_id, key)] = number

    # -- columns, titles and years ---------------------------------------------------------------

    def _label_col(self, header_row: int, labels: list[str], taken, resolves, preferred) -> int:
        """The column whose cells below the header name the row labels (units or indicators).

        The column where most cells resolve wins; a header such as 乡镇/指标 breaks ties. With
        none resolving, the preferred header, else the first non-empty, non-序号 column.
        """
        scores: dict[int, int] = {}
        width = max((len(row) for row in self.rows[header_row:]), default=0)
        for c in range(width):
            if c in taken:
                continue
            scores[c] = sum(1 for row in self.rows[header_row + 1 :] if resolves(cell_text(row, c)))
        ranked = sorted(scores, key=lambda c: (-scores[c], not preferred(labels, c), c))
        if ranked and scores[ranked[0]] > 0:
            return ranked[0]
        named = [c for c in scores if preferred(labels, c)]
        if named:
            return named[0]
        return next(
            (
                c
                for c in sorted(scores)
                if c < len(labels) and labels[c] and layout.role_of(labels[c]) != "seq"
            ),
            0,
        )

    def _skip_columns(
        self, header_row: int, labels: list[str], used: set[int], why: dict[int, str], unknown
    ) -> None:
        """List the columns not read; one holding figures under a header that names nothing
        known (巡查次数, 丰州镇民政办) is a problem, not a silent skip."""
        why = why | self.extra_skipped
        for c, lab in enumerate(labels):
            if not lab or c in used:
                continue
            ordinary = c in why or layout.role_of(lab) in ("seq", "measure", "note", "township")
            figures = any(
                number_of(row[c]) is not None
                for row in self.rows[header_row + 1 :]
                if c < len(row) and row[c] != "" and not is_note(cell_text(row, 0))
            )
            if figures and not ordinary and not is_subtotal(lab):
                unknown(header_row, c, lab)
            else:
                self.skipped.append(f"{col_letter(c)}列“{lab}”{why.get(c, '')}")

    def _title(self, header_row: int) -> None:
        """Note the rows above the header as skipped, after checking the year they name."""
        self._check_year(header_row)
        if header_row:
            self.skipped.append(
                "第1行（表头以上）" if header_row == 1 else f"第1–{header_row}行（表头以上）"
            )

    def _check_year(self, header_row: int) -> None:
        """A plan whose title, sheet name or file name names years, none of them the year being
        loaded, is another year's plan. Only title cells about the plan count: a 制表日期 of last
        December is usual on a plan for the coming year."""
        texts = [self.grid.name, Path(self.file).stem] + [
            lab
            for row in self.rows[:header_row]
            for c in range(len(row))
            if (lab := cell_text(row, c)) and any(w in lab for w in ("计划", "目标", "任务"))
        ]
        named = {y: t for t in texts if (y := normalize.year_month_in(t)[0])}
        if named and self.year not in named:
            found, text = min(named.items())
            self.problem(
                None,
                None,
                text,
                f"这是{found}年的计划，而导入的是{self.year}年度计划；请核对年度后再导入",
            )

    def _value_free(self, row: list, cols) -> bool:
        """No number in any of the value columns: a second header row (（人次）, 目标 …)."""
        return all(number_of(row[c]) is None for c in cols if c < len(row))

    # -- labels that name nothing known ----------------------------------------------------------

    def _unknown_unit(self, r: int, c: int, label: str) -> None:
        if label == "":
            self.problem(r, c, label, "单位为空")
            return
        ind = self.indicator(label)
        if ind is not None:
            self.problem(r, c, label, f"这是指标“{ind.name}”，不是本县的乡镇或单位")
            return
        near = self.ref.closest_units(label)
        hint = f"，是否为“{'”或“'.join(near)}”？" if near else ""
        self.problem(r, c, label, f"不是本县的乡镇或单位{hint}")

    def _unknown_indicator(self, r: int, c: int, label: str) -> None:
        unit = self.unit(label)
        if unit is not None:
            self.problem(r, c, label, f"这是单位“{unit.name}”，不是指标目录中的指标")
            return
        near = self.ref.closest_categories(label)
        self.problem(
            r,
            c,
            label,
            "不是指标目录中的指标" + (f"，最接近的是“{'”、“'.join(near)}”" if near else ""),
        )
