"""Dispatch: which shape each sheet has, and the reader that handles it."""

from __future__ import annotations

import datetime as dt

from minzheng import layout, privacy
from minzheng.errors import Problem
from minzheng.extract.cells import SKIP_SHEET_WORDS, SheetContext
from minzheng.extract.fast import LedgerFast
from minzheng.extract.ledger import LedgerRows
from minzheng.extract.result import Extraction, cell_ref
from minzheng.extract.summary import MonthlySummary
from minzheng.layout import Header
from minzheng.reference import Reference
from minzheng.workbook import Grid


class Extractor(LedgerFast, LedgerRows, MonthlySummary):
    """Works through one file's grids, appending facts and problems to an Extraction."""

    def run(self, grids: list[Grid]) -> Extraction:
        for grid in grids:
            name = grid.name
            if any(w in name for w in SKIP_SHEET_WORDS):
                continue
            has_content = any(v not in (None, "") for row in grid.rows[:50] for v in row)
            if not has_content:
                continue
            if grid.hidden:
                self.problem(
                    name,
                    None,
                    None,
                    "",
                    "隐藏的工作表未导入；如需导入请在 Excel 中取消隐藏",
                    "warning",
                )
                continue
            header = layout.find_header(grid.rows)
            if header is None:
                self.problem(
                    name,
                    None,
                    None,
                    "",
                    "未找到表头（如 日期、类别、数量，或 1月…12月），本工作表未导入",
                    "warning",
                )
                continue
            if header.duplicates and not header.months:
                self._duplicate_headers(name, header)
                continue
            ctx = SheetContext(self.ref, self.file, grid, header)
            self.out.sheets.append(name)
            self.out.header_rows[name] = header.last_row
            if header.personal:
                self.out.personal_cols[name] = set(header.personal)
            if header.months:
                self.out.shapes.add("summary")
                self.summary(grid, header, ctx)
            elif "quantity" in header.roles:
                self.out.shapes.add("ledger")
                self.ledger(grid, header, ctx, per_person=False)
            elif "name" in header.roles or "id_number" in header.roles:
                self.out.shapes.add("person")
                self.ledger(grid, header, ctx, per_person=True)
            elif "category" in header.roles:
                self.out.shapes.add("ledger")
                self.problem(
                    name, header.last_row, None, "", "缺少“数量”列（如 数量、完成数量、人次）"
                )
            else:
                self.problem(
                    name,
                    None,
                    None,
                    "",
                    "未找到表头（如 日期、类别、数量，或 1月…12月），本工作表未导入",
                    "warning",
                )
        for grid in grids:
            if self.out.sensitive:
                break
            if grid.name not in self._scanned:
                self.out.sensitive = privacy.cells_have_sensitive(
                    v for row in grid.rows for v in row
                )
        if not self.out.errors and self.out.row_count == 0:
            if self.out.sheets:
                where = "、".join(f"「{s}」" for s in self.out.sheets)
                message = f"工作表{where}中没有数据行：请确认表头下方填有日期、类别、数量等数据"
            else:
                message = (
                    "所有工作表都未找到表头（如 日期、类别、数量，或 1月…12月），没有可导入的数据"
                )
                hidden = [g.name for g in grids if g.hidden]
                if hidden:
                    where = "、".join(f"「{h}」" for h in hidden)
                    message += f"；隐藏的工作表{where}未导入，如需导入请在 Excel 中取消隐藏"
            self.out.problems.append(Problem(self.file, "", "", "", message))
        return self.out

    def _duplicate_headers(self, sheet: str, header: Header) -> None:
        """Two columns with one decisive meaning (e.g. two 数量 columns): refuse, naming both."""
        for role, second in header.duplicates.items():
            first = header.roles[role]
            self.problem(
                sheet,
                header.last_row,
                second,
                header.labels[second],
                f"表头重复：{cell_ref(header.last_row, first)}“{header.labels[first]}”与本列"
                "含义相同，无法确定以哪一列为准；请删除多余的一列或把它改为其他名称",
            )


def extract(
    grids: list[Grid], file_name: str, ref: Reference, key: bytes, today: dt.date | None = None
) -> Extraction:
    """Read every sheet of a file into facts and problems (errors refuse the file; warnings do not)."""
    return Extractor(ref, file_name, key, today or dt.date.today()).run(grids)
