"""Cell-level reading shared by every sheet shape: cached parsers, problems, rows kinds.

Every cell that feeds a fact is checked here; each problem names the sheet, the cell (C12), the
value found and what was expected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from minzheng import normalize
from minzheng.errors import Problem
from minzheng.intake import freetext, layout, privacy
from minzheng.intake.extract.result import Extraction, cell_ref
from minzheng.intake.layout import Header
from minzheng.intake.workbook import Grid
from minzheng.store.reference import Indicator, Reference, Unit

SKIP_SHEET_WORDS = ("说明", "目录", "封面", "指标解释", "填报要求")
TOTAL_WORDS = ("合计", "总计", "小计", "累计", "共计", "总数")
SIGNATURE_WORDS = (
    "填表人",
    "审核人",
    "制表人",
    "填报人",
    "单位负责人",
    "负责人",
    "签名",
    "签字",
    "盖章",
    "联系人",
    "联系电话",
    "填报日期",
    "报送日期",
    "制表日期",
    "审核",
    "统计人",
)
NOTE_PREFIXES = ("注:", "注1", "注：", "说明:", "备注:", "填表说明", "附注")
EXAMPLE_WORDS = ("示例", "例", "样例", "填写示例")
BLANK_QUANTITY = {"", "-", "—", "——", "/", "无", "0"}


class SheetContext:
    """Facts about a sheet known from outside the table: sheet name, title rows, file name."""

    def __init__(self, ref: Reference, file_name: str, grid: Grid, header: Header | None):
        self.title = layout.title_text(grid.rows, header)
        stem = Path(file_name).stem
        sources = (grid.name, self.title, stem)
        self.unit: Unit | None = next((u for s in sources if (u := ref.unit_in(s))), None)
        self.category: Indicator | None = next(
            (c for s in (grid.name, self.title) if (c := ref.category_in(s))), None
        )
        self.year: int | None = None
        self.month: int | None = None
        for source in sources:
            year, month = normalize.year_month_in(source)
            self.year = self.year or year
            self.month = self.month or month
            if self.year and self.month:
                break
        # dates written without a year take the sheet's year, but only when the title, sheet
        # name and file name agree on one; two different years there refuse such dates
        try:
            self.date_year, self.year_error = normalize.context_year(*sources), None
        except normalize.AmbiguousYearError as exc:
            self.date_year, self.year_error = None, str(exc)


def sheet_date(value, year: int | None) -> tuple[dt.date, bool]:
    """normalize.date given the year of the sheet's title, name or file (for 3月5日, 3/5, 3.5)."""
    return normalize.date(value, year=year)


def empty(value) -> bool:
    return value is None or value == ""


def _row_kind(first: str) -> str | None:
    """Classify a row by its first non-empty cell's normalised text."""
    if first.startswith(TOTAL_WORDS):
        return "total"
    if first.startswith(SIGNATURE_WORDS) or first.startswith(NOTE_PREFIXES):
        return "skip"
    if first in EXAMPLE_WORDS or first.startswith("示例"):
        return "skip"
    if first.startswith("注") and len(first) > 1 and first[1] in ":：1１一、.":
        return "skip"
    return None


class CellReader:
    """Cached cell parsers and the fact/problem writers every sheet shape uses."""

    def __init__(self, ref: Reference, file_name: str, key: bytes, today: dt.date):
        self.ref = ref
        self.file = file_name
        self.key = key
        self.today = today
        self.out = Extraction()
        self._dates: dict = {}
        self._quantities: dict = {}
        self._units: dict = {}
        self._categories: dict = {}
        self._labels: dict = {}
        self._row_kinds: dict = {}
        self._scanned: set[str] = set()  # sheets already searched for ID/phone numbers
        self._measures: dict = {}
        self._free_text: dict = {}

    # -- problems --------------------------------------------------------------------------------

    def problem(
        self, sheet: str, row: int | None, col: int | None, value, message: str, level="error"
    ):
        cell = (
            cell_ref(row, col)
            if row is not None and col is not None
            else (f"第{row + 1}行" if row is not None else "")
        )
        shown = privacy.scrub(normalize.display(value))
        self.out.problems.append(Problem(self.file, sheet, cell, shown, message, level))

    # -- cached cell parsers -----------------------------------------------------------------

    def parse_date(self, value, year: int | None = None, year_error: str | None = None):
        """((day, month_only), None) or (None, message); `year` serves dates written without one
        (`year_error`: why the sheet has none, when its title, name and file name disagree)."""
        key = (type(value), value, year, year_error)
        if key not in self._dates:
            try:
                day, month_only = sheet_date(value, year)
                if day > self.today:
                    self._dates[key] = (None, "日期晚于今天，不能填报未来的日期")
                elif day.year < 2000:
                    self._dates[key] = (None, "日期早于2000年，请核对")
                else:
                    self._dates[key] = ((day, month_only), None)
            except normalize.MissingYearError as exc:
                self._dates[key] = (None, year_error or str(exc))
            except normalize.DateError as exc:
                self._dates[key] = (None, str(exc))
        return self._dates[key]

    def parse_quantity(self, value):
        key = (type(value), value)
        if key not in self._quantities:
            try:
                self._quantities[key] = (normalize.quantity(value), None)
            except normalize.QuantityError as exc:
                self._quantities[key] = (None, str(exc))
        return self._quantities[key]

    def resolve_unit(self, value) -> tuple[Unit | None, str | None]:
        if value not in self._units:
            unit = self.ref.unit(value) or self.ref.unit_in(value)
            if unit:
                self._units[value] = (unit, None)
            else:
                near = self.ref.closest_units(value)
                hint = (
                    f"，是否为“{'”或“'.join(near)}”？"
                    if near
                    else "，请填写本县乡镇全称（如 丰州镇）"
                )
                self._units[value] = (None, f"不是本县的乡镇或单位{hint}")
        return self._units[value]

    def resolve_category(self, value) -> tuple[Indicator | None, str | None]:
        if value not in self._categories:
            ind = self.ref.category(value) or self.ref.category(normalize.header(value))
            if ind:
                self._categories[value] = (ind, None)
            else:
                near = self.ref.closest_categories(value)
                hint = f"最接近的是“{'”、“'.join(near)}”。" if near else ""
                self._categories[value] = (
                    None,
                    f"不是指标目录中的类别。{hint}如确属某项指标，请由管理员在「设置」中把它添加为该指标的同义词"
                    "（或运行 python -m minzheng catalog add-synonym 指标键 同义词）",
                )
        return self._categories[value]

    # -- row helpers ---------------------------------------------------------------------------

    def add_fact(
        self,
        unit: Unit,
        ind: Indicator,
        day,
        month_only,
        year,
        month,
        qty,
        sheet,
        row,
        place="",
        note="",
        person_hash=None,
        person_masked=None,
        category_text="",
    ):
        f = self.out.rows
        f["unit_id"].append(unit.unit_id)
        f["indicator_key"].append(ind.key)
        f["year"].append(year)
        f["month"].append(month)
        f["activity_date"].append(None if month_only else day)
        f["quantity"].append(qty)
        f["sheet"].append(sheet)
        f["source_row"].append(row + 1)
        f["category_text"].append(self.category_label(category_text) or ind.name)
        f["place"].append(place or None)
        f["note"].append(note or None)
        f["person_hash"].append(person_hash)
        f["person_masked"].append(person_masked)

    def free_text(self, value) -> str:
        """A place or note as stored: single-line; ID and phone numbers, home addresses and
        people's names in it removed or masked (intake/freetext.py)."""
        if value is None or value == "":
            return ""
        key = (type(value), value)
        if key not in self._free_text:
            self._free_text[key] = freetext.scrub(normalize.display(value))[0]
        return self._free_text[key]

    def category_label(self, value) -> str:
        """The category as written, normalised (e.g. 婚姻大讲堂), kept for traceability."""
        if value in (None, ""):
            return ""
        if value not in self._labels:
            self._labels[value] = normalize.header(value)
        return self._labels[value]

    def check_quantity(
        self, sheet, r, c, value, ind: Indicator | None, measure: str, measure_col=None
    ) -> float | None:
        """The row's count, or None after reporting why it cannot be used.

        With `ind` None (the category itself is wrong) only the number itself is checked.
        """
        parsed, error = self.parse_quantity(value)
        if error:
            self.problem(sheet, r, c, value, error if error.startswith("数量") else f"数量{error}")
            return None
        number, unit_written, approx = parsed
        if number < 0:
            self.problem(sheet, r, c, value, "数量不能为负数")
            return None
        if not number.is_integer():
            self.problem(sheet, r, c, value, "数量应为整数")
            return None
        if ind is None:
            return None
        if number > ind.max_per_row:
            self.problem(
                sheet,
                r,
                c,
                value,
                f"数量过大：「{ind.name}」一行不应超过 {ind.max_per_row:,.0f} {ind.unit_label}，请核对",
            )
            return None
        written, where = (unit_written, c) if unit_written else (measure, measure_col)
        if written and written not in ind.accepted_units:
            self.problem(
                sheet,
                r,
                c if where is None else where,
                value if where in (None, c) else written,
                f"计量单位“{written}”与「{ind.name}」不符，该指标按“{ind.unit_label}”统计",
            )
            return None
        if approx:
            self.problem(
                sheet, r, c, value, f"约数，按 {number:,.0f} {ind.unit_label} 计入", "warning"
            )
        return number

    @staticmethod
    def first_text(row: list) -> tuple[int, str]:
        """(column, normalised text) of the first non-empty cell; (-1, '') for a blank row."""
        for c, v in enumerate(row):
            if v is not None and v != "":
                return c, normalize.text(v)
        return -1, ""

    def is_non_data(self, row: list) -> str | None:
        """'blank', 'total', 'skip' (signature, footnote, example) or None for a data row."""
        for v in row:
            if v is not None and v != "":
                first = v
                break
        else:
            return "blank"
        if not isinstance(first, str):
            return None  # a 序号, a date or a number: data
        kind = self._row_kinds.get(first, "?")
        if kind == "?":
            kind = self._row_kinds[first] = _row_kind(normalize.text(first))
        return kind

    # -- sheets --------------------------------------------------------------------------------

    def _measure(self, raw) -> str:
        if raw not in self._measures:
            self._measures[raw] = normalize.text(raw)
        return self._measures[raw]
