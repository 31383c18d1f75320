"""Dispatch: which shape each sheet has, and the reader that handles it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from minzheng import normalize
from minzheng.errors import Problem
from minzheng.intake import layout, privacy
from minzheng.intake.extract import explain
from minzheng.intake.extract.cells import SKIP_SHEET_WORDS, SheetContext
from minzheng.intake.extract.cumulative import CumulativeReports, History
from minzheng.intake.extract.fast import LedgerFast
from minzheng.intake.extract.ledger import LedgerRows
from minzheng.intake.extract.profile import ProfileReader, matching
from minzheng.intake.extract.result import Extraction, cell_ref
from minzheng.intake.extract.summary import MonthlySummary
from minzheng.intake.extract.wide import WideTables
from minzheng.intake.extract.wide_header import WideHeader, find_wide
from minzheng.intake.layout import Header
from minzheng.intake.workbook import Grid
from minzheng.store.layout_profiles import LayoutProfile
from minzheng.store.reference import Reference


class Extractor(
    LedgerFast, LedgerRows, MonthlySummary, WideTables, CumulativeReports, ProfileReader
):
    """Works through one file's grids, appending facts and problems to an Extraction."""

    def __init__(
        self,
        ref,
        file_name,
        key,
        today,
        history: History | None = None,
        profiles: list[LayoutProfile] | tuple = (),
    ):
        super().__init__(ref, file_name, key, today)
        self.history = history
        self.profiles = list(profiles)
        self.claims: list = []  # cumulative figures of wide tables, resolved after all sheets
        self.file_months: dict = defaultdict(dict)  # (unit_id, key, year) -> {month: figure}

    def run(self, grids: list[Grid]) -> Extraction:
        for grid in grids:
            name = grid.name
            if any(w in name for w in SKIP_SHEET_WORDS):
                self.out.explanations[name] = "跳过：工作表名表明是说明、目录或封面，不含数据。"
                continue
            has_content = any(v not in (None, "") for row in grid.rows[:50] for v in row)
            if not has_content:
                self.out.explanations[name] = "跳过：空白工作表。"
                continue
            if grid.hidden:
                self.out.explanations[name] = "跳过：隐藏的工作表。"
                self.problem(
                    name,
                    None,
                    None,
                    "",
                    "隐藏的工作表未导入；如需导入请在 Excel 中取消隐藏",
                    "warning",
                )
                continue
            if self._try_profiles(grid):
                continue
            header = layout.find_header(grid.rows)
            if self._try_wide(grid, header):
                continue
            if header is None:
                self.out.explanations[name] = explain.NO_HEADER
                self.problem(name, None, None, "", NO_HEADER_WARNING, "warning")
                continue
            if header.duplicates and not header.months:
                self.out.explanations[name] = explain.DUPLICATE_HEADER
                self._duplicate_headers(name, header)
                continue
            ctx = SheetContext(self.ref, self.file, grid, header)
            self.out.sheets.append(name)
            self.out.header_rows[name] = header.last_row
            if header.personal:
                self.out.personal_cols[name] = set(header.personal)
            self.out.explanations[name] = explain.sentence(header, ctx, name, self.file)
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
                self.problem(name, None, None, "", NO_HEADER_WARNING, "warning")
        if self.claims and not self.out.errors:
            self.resolve_claims()
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

    def _try_profiles(self, grid: Grid) -> bool:
        """Read the sheet with the layout profile whose header it has; False if none matches.

        A sheet matching a profile is never read automatically: when the profile cannot serve
        (two match, its indicator was retired) the sheet is refused saying why.
        """
        found = matching(self.profiles, grid)
        if not found:
            return False
        refusal = self.profile_refusal(grid, found)
        if refusal is None:
            self.read_with_profile(grid, found[0])
            return True
        self.out.sheets.append(grid.name)
        self.out.explanations[grid.name] = "未读取：" + refusal + "。"
        self.problem(grid.name, found[0].header_last, None, "", refusal)
        return True

    def _try_wide(self, grid: Grid, header: Header | None) -> bool:
        """Read the sheet as a wide table if its header names indicators; False if it does not.

        Sheets the other readers take (months across, a 类别 column, a per-person ledger) are
        never wide, so every shape read before stays read the same way.
        """
        roles = set(header.roles) if header is not None else set()
        if header is not None and (header.months or {"category", "name", "id_number"} & roles):
            return False
        wh = find_wide(grid.rows, self.ref)
        if wh is None or ({"date", "quantity"} <= roles and len(wh.columns) < 2):
            return False
        if _names_only(grid.rows, wh, self.ref):
            return False
        ctx = SheetContext(self.ref, self.file, grid, wh)
        self.out.sheets.append(grid.name)
        self.out.header_rows[grid.name] = wh.last_row
        self.out.shapes.add("wide")
        self.out.explanations[grid.name] = "横表：未能读取（见下方问题）。"
        self.wide(grid, wh, ctx)
        return True

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


NO_HEADER_WARNING = "未找到表头（如 日期、类别、数量，或 1月…12月），本工作表未导入"


def _names_only(rows: list[list], wh: WideHeader, ref: Reference) -> bool:
    """True when every cell under the indicator columns names an indicator: a list of names
    (the source of a dropdown), not a table of figures."""
    cells = [
        row[c]
        for row in rows[wh.last_row + 1 :]
        for c in wh.columns
        if c < len(row) and row[c] not in (None, "")
    ]
    return bool(cells) and all(normalize.text(v) in ref.category_names for v in cells)


def extract(
    grids: list[Grid],
    file_name: str,
    ref: Reference,
    key: bytes,
    today: dt.date | None = None,
    history: History | None = None,
    profiles: list[LayoutProfile] | tuple = (),
) -> Extraction:
    """Read every sheet of a file into facts and problems (errors refuse the file; warnings do not).

    `history` says what is already loaded, for tables that give only cumulative figures; without
    it nothing is (such a table is read only from January on). `profiles`: the layout profiles
    taught so far; a sheet whose header matches one is read with it.
    """
    return Extractor(ref, file_name, key, today or dt.date.today(), history, profiles).run(grids)
