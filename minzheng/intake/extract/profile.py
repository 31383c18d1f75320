"""Reading a sheet with a layout profile an analyst taught: the same checks, a given layout.

The profile replaces only the guessing (which rows are the header, what each column means, the
unit, year or month the sheet does not give); every cell then goes through the ledger or wide
table reader exactly as on automatic reading, so a profile can never load a value that the
automatic reader would refuse.
"""

from __future__ import annotations

from minzheng.intake import layout
from minzheng.intake.extract import explain
from minzheng.intake.extract.cells import CellReader, SheetContext
from minzheng.intake.extract.measures import CUMULATIVE, MONTH, ColumnMeaning
from minzheng.intake.extract.wide_header import WideHeader
from minzheng.intake.layout import Header
from minzheng.intake.workbook import Grid
from minzheng.store.layout_profiles import LayoutProfile

FROM_PROFILE = "取自表格结构设定"


def matching(profiles: list[LayoutProfile], grid: Grid) -> list[LayoutProfile]:
    """The profiles whose header the sheet has, cell for cell."""
    return [p for p in profiles if p.matches(grid.rows)]


def data_grid(grid: Grid, profile: LayoutProfile) -> Grid:
    """The sheet with rows outside the profile's data rows blanked, keeping row numbers."""
    first = profile.data_first if profile.data_first is not None else profile.header_last + 1
    last = profile.data_last if profile.data_last is not None else len(grid.rows) - 1
    rows = [
        row if r <= profile.header_last or first <= r <= last else []
        for r, row in enumerate(grid.rows[: last + 1])
    ]
    return Grid(grid.name, rows, grid.hidden)


def labels(grid: Grid, profile: LayoutProfile, sep: str) -> list[str]:
    """Each column's header text (the header rows' cells joined by `sep`)."""
    width = max((c for _, c, _ in profile.header_cells), default=-1) + 1
    width = max(width, *(c + 1 for c in profile.columns), 0)
    parts: list[list[str]] = [[] for _ in range(width)]
    for _, c, text in profile.header_cells:
        if not parts[c] or parts[c][-1] != text:  # a merged cell fills both header rows
            parts[c].append(text)
    return [sep.join(p) for p in parts]


class ProfileReader(CellReader):
    """Reads sheets with a profile through the ledger and wide-table readers."""

    def profile_refusal(self, grid: Grid, found: list[LayoutProfile]) -> str | None:
        """Why the matching profile(s) cannot read the sheet, or None when one can."""
        if len(found) > 1:
            names = "」与「".join(p.name for p in found)
            return (
                f"本工作表的表头同时符合表格结构「{names}」，无法确定按哪一个读取；"
                "请在「设置」中删除或修改其中一个"
            )
        profile = found[0]
        for key in profile.indicator_keys:
            if key not in self.ref.indicators:
                return (
                    f"表格结构「{profile.name}」使用的指标“{key}”已停用或不在指标目录中，"
                    "不能再按该结构读取；请重新指定表格结构"
                )
        if profile.unit and self.ref.unit(profile.unit) is None:
            return (
                f"表格结构「{profile.name}」固定的乡镇“{profile.unit}”不是本县在用的乡镇或单位，"
                "不能再按该结构读取"
            )
        return None

    def read_with_profile(self, grid: Grid, profile: LayoutProfile) -> None:
        """Read one sheet as the profile says; facts, problems and the sentence go to self.out."""
        name = grid.name
        grid = data_grid(grid, profile)
        self.out.sheets.append(name)
        self.out.header_rows[name] = profile.header_last
        self.out.profiles_used.append(profile.name)
        roles = {
            col.meaning: c
            for c, col in profile.columns.items()
            if col.meaning not in ("ignore", "indicator")
        }
        if profile.wide:
            wh = WideHeader(profile.header_first, profile.header_last, labels(grid, profile, "|"))
            for c, col in profile.columns.items():
                if col.meaning == "indicator":
                    measure = CUMULATIVE if col.measure == "累计" else MONTH
                    wh.columns[c] = ColumnMeaning(self.ref.indicators[col.indicator], measure, "")
            ctx = self._profile_context(grid, wh, profile)
            self.out.shapes.add("wide")
            self.out.explanations[name] = "横表：未能读取（见下方问题）。"
            if self._wide_header_ok(name, wh):
                c_unit, c_month = roles.get("township"), roles.get("month")
                self.wide_rows(grid, wh, ctx, c_unit, c_month, [], [])
        else:
            texts = labels(grid, profile, "")
            header = Header(profile.header_first, profile.header_last, texts, roles)
            header.personal = {
                c for c, t in enumerate(texts) if layout.role_of(t) in layout.PERSONAL_ROLES
            }
            if header.personal:
                self.out.personal_cols[name] = set(header.personal)
            ctx = self._profile_context(grid, header, profile)
            self.out.shapes.add("ledger")
            self.out.explanations[name] = explain.sentence(header, ctx, name, self.file)
            self.ledger(grid, header, ctx, per_person=False)
        said = self.out.explanations[name].replace("取自表外", FROM_PROFILE)
        self.out.explanations[name] = f"按「{profile.name}」结构读取：{said}"

    def _profile_context(self, grid, header, profile: LayoutProfile) -> SheetContext:
        """The sheet's context, with the unit, year and month the profile fixes put first."""
        ctx = SheetContext(self.ref, self.file, grid, header)
        if profile.unit:
            ctx.unit = self.ref.unit(profile.unit)
        if profile.year:
            ctx.year = ctx.date_year = profile.year
            ctx.year_error = None
        if profile.month:
            ctx.month = profile.month
        return ctx
