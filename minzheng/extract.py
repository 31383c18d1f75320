"""From sheet grids to fact rows: ledgers, per-person ledgers and monthly summaries.

Every cell that feeds a fact is checked here; each problem names the sheet, the cell (C12), the
value found and what was expected. Nothing here writes anywhere: the caller decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from minzheng import layout, normalize, privacy
from minzheng.errors import Problem
from minzheng.layout import Header
from minzheng.reference import Indicator, Reference, Unit
from minzheng.workbook import Grid

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

FACT_COLUMNS = (
    "unit_id",
    "indicator_key",
    "year",
    "month",
    "activity_date",
    "quantity",
    "sheet",
    "source_row",
    "category_text",
    "place",
    "note",
    "person_hash",
    "person_masked",
)


@dataclass
class Extraction:
    """What a file yields: fact columns, problems, and a description of what was found."""

    facts: dict[str, list] = field(default_factory=lambda: {c: [] for c in FACT_COLUMNS})
    problems: list[Problem] = field(default_factory=list)
    shapes: set[str] = field(default_factory=set)
    sheets: list[str] = field(default_factory=list)
    personal_cols: dict[str, set[int]] = field(default_factory=dict)  # sheet -> columns
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> last header row

    @property
    def errors(self) -> list[Problem]:
        """Problems that refuse the file."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are reported but do not block loading."""
        return [p for p in self.problems if p.level == "warning"]

    @property
    def row_count(self) -> int:
        """Number of fact rows extracted."""
        return len(self.facts["unit_id"])


def col_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → 'C12'."""
    return f"{col_letter(col)}{row + 1}"


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


class _SheetContext:
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


class _Extractor:
    """Works through one file's grids, appending facts and problems to an Extraction."""

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

    def parse_date(self, value):
        key = (type(value), value)
        if key not in self._dates:
            try:
                day, month_only = normalize.date(value)
                if day > self.today:
                    self._dates[key] = (None, "日期晚于今天，不能填报未来的日期")
                elif day.year < 2000:
                    self._dates[key] = (None, "日期早于2000年，请核对")
                else:
                    self._dates[key] = ((day, month_only), None)
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
        f = self.out.facts
        f["unit_id"].append(unit.unit_id)
        f["indicator_key"].append(ind.key)
        f["year"].append(year)
        f["month"].append(month)
        f["activity_date"].append(None if month_only else day)
        f["quantity"].append(qty)
        f["sheet"].append(sheet)
        f["source_row"].append(row + 1)
        f["category_text"].append(self.category_label(category_text) or ind.name)
        f["place"].append(privacy.scrub(place) or None)
        f["note"].append(privacy.scrub(note) or None)
        f["person_hash"].append(person_hash)
        f["person_masked"].append(person_masked)

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
        for c, v in enumerate(row):
            if v not in (None, ""):
                return c, normalize.text(v)
        return -1, ""

    def is_non_data(self, row: list) -> str | None:
        """'blank', 'total', 'skip' (signature, footnote, example) or None for a data row."""
        c, first = self.first_text(row)
        if c < 0:
            return "blank"
        if any(first.startswith(w) for w in TOTAL_WORDS) or first in ("合", "总"):
            return "total"
        if any(first.startswith(w) for w in SIGNATURE_WORDS) or any(
            first.startswith(p) for p in NOTE_PREFIXES
        ):
            return "skip"
        if first in EXAMPLE_WORDS or first.startswith("示例"):
            return "skip"
        if first.startswith("注") and len(first) > 1 and (first[1] in ":：1１一、."):
            return "skip"
        return None

    # -- sheets --------------------------------------------------------------------------------

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
            ctx = _SheetContext(self.ref, self.file, grid, header)
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
        if not self.out.errors and self.out.row_count == 0:
            if self.out.sheets:
                where = "、".join(f"「{s}」" for s in self.out.sheets)
                message = f"工作表{where}中没有数据行：请确认表头下方填有日期、类别、数量等数据"
            else:
                message = (
                    "所有工作表都未找到表头（如 日期、类别、数量，或 1月…12月），没有可导入的数据"
                )
            self.out.problems.append(Problem(self.file, "", "", "", message))
        return self.out

    def _sheet_unit(self, sheet: str, header: Header, ctx: _SheetContext) -> bool:
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

    def ledger(self, grid: Grid, header: Header, ctx: _SheetContext, per_person: bool) -> None:
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
        substantive = [c for c in (c_date, c_cat, c_qty, c_name, c_id) if c is not None]
        cols = _Columns(c_cat, c_unit, c_date, c_month, c_qty, c_measure, header_measure)
        running = 0.0
        since_subtotal = 0.0
        count = 0
        for r in range(header.last_row + 1, len(rows)):
            row = rows[r]
            kind = self.is_non_data(row)
            if kind == "blank" or kind == "skip":
                continue
            if kind == "total":
                self._check_total(sheet, r, row, c_qty, running, since_subtotal, count, per_person)
                if self.first_text(row)[1].startswith("小计"):
                    since_subtotal = 0.0
                continue
            width = len(row)

            def value(col, row=row, width=width):
                return row[col] if col is not None and col < width else ""

            # A row with nothing in the columns that carry data (e.g. only a pre-printed 序号 or a
            # township merged down over trailing rows) is an empty template row, not data.
            if all(value(c) in (None, "") for c in substantive):
                continue
            # Every cell of the row is checked, so that all its problems are reported at once.
            ind, category_text = self._row_category(sheet, r, ctx, cols, value)
            unit = self._row_unit(sheet, r, ctx, cols, value)
            when = self._row_date(sheet, r, ctx, cols, value)
            qty = 1.0 if per_person else self._row_quantity(sheet, r, ind, cols, value)
            if ind is None or unit is None or when is None or qty is None:
                continue
            day, month_only, year, month = when
            person_hash = person_masked = None
            if per_person:
                person_hash = privacy.person_hash(
                    self.key, value(c_id), value(c_name), value(c_village)
                )
                person_masked = privacy.mask_name(value(c_name)) or None
            place = normalize.display(value(c_place)) if c_place is not None else ""
            note = normalize.display(value(c_note)) if c_note is not None else ""
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
                place,
                note,
                person_hash,
                person_masked,
                category_text,
            )
            running += qty
            since_subtotal += qty
            count += 1

    def _row_category(self, sheet, r, ctx, cols, value):
        raw = value(cols.category)
        if cols.category is not None and raw not in (None, ""):
            ind, err = self.resolve_category(raw)
            if err:
                self.problem(sheet, r, cols.category, raw, err)
                return None, ""
            return ind, raw
        if ctx.category is not None:
            return ctx.category, ""
        self.problem(sheet, r, cols.category, "", "类别为空")
        return None, ""

    def _row_unit(self, sheet, r, ctx, cols, value):
        raw = value(cols.township)
        if raw not in (None, ""):
            unit, err = self.resolve_unit(raw)
            if err:
                self.problem(sheet, r, cols.township, raw, err)
            return unit
        if ctx.unit is None:
            self.problem(
                sheet, r, cols.township, "", "乡镇为空，且标题、工作表名和文件名中都没有乡镇名称"
            )
        return ctx.unit

    def _row_date(self, sheet, r, ctx, cols, value):
        """(day, month_only, year, month) of a row, or None after reporting the problem."""
        raw = value(cols.date)
        if cols.date is not None and raw not in (None, ""):
            parsed, err = self.parse_date(raw)
            if err:
                self.problem(sheet, r, cols.date, raw, err)
                return None
            day, month_only = parsed
            return day, month_only, day.year, day.month
        raw_month = value(cols.month)
        if cols.month is not None and raw_month not in (None, "") and ctx.year:
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

    def _row_quantity(self, sheet, r, ind, cols, value):
        raw = value(cols.quantity)
        if raw is None or (isinstance(raw, str) and normalize.text(raw) in ("", "-", "—", "/")):
            self.problem(sheet, r, cols.quantity, raw, "数量为空")
            return None
        measure, measure_col = cols.header_measure, cols.quantity
        if cols.measure is not None and value(cols.measure) not in (None, ""):
            measure, measure_col = normalize.text(value(cols.measure)), cols.measure
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

    def summary(self, grid: Grid, header: Header, ctx: _SheetContext) -> None:
        sheet, rows, roles = grid.name, grid.rows, header.roles
        if not self._sheet_unit(sheet, header, ctx):
            return
        if ctx.year is None and header.year is None:
            self.problem(
                sheet,
                header.last_row,
                None,
                "",
                "无法确定年份：月份表头、标题、工作表名和文件名中都没有年份（如 2023年）",
            )
            return
        year = header.year or ctx.year
        first_month_col = min(header.months)
        c_label = roles.get("category")
        if c_label is None:
            skip = {roles.get(k) for k in ("seq", "measure", "township", "note")}
            c_label = next((c for c in range(first_month_col) if c not in skip), None)
        if c_label is None:
            self.problem(sheet, header.last_row, None, "", "缺少指标名称列（如 指标、工作内容）")
            return
        c_unit = roles.get("township")
        c_measure = roles.get("measure")
        for r in range(header.last_row + 1, len(rows)):
            row = rows[r]
            kind = self.is_non_data(row)
            label = row[c_label] if c_label < len(row) else ""
            if kind in ("blank", "skip", "total") or label in (None, ""):
                continue
            ind, err = self.resolve_category(label)
            if err:
                self.problem(sheet, r, c_label, label, err)
            unit = ctx.unit
            if c_unit is not None and c_unit < len(row) and row[c_unit] not in (None, ""):
                unit, err = self.resolve_unit(row[c_unit])
                if err:
                    self.problem(sheet, r, c_unit, row[c_unit], err)
            elif unit is None:
                self.problem(
                    sheet, r, c_unit, "", "乡镇为空，且标题、工作表名和文件名中都没有乡镇名称"
                )
            measure, measure_col = normalize.bracketed(label), c_label
            if c_measure is not None and c_measure < len(row) and row[c_measure] not in (None, ""):
                measure, measure_col = normalize.text(row[c_measure]), c_measure
            if measure and ind is not None and measure not in ind.accepted_units:
                shown = row[measure_col] if measure_col < len(row) else measure
                self.problem(
                    sheet,
                    r,
                    measure_col,
                    shown,
                    f"计量单位“{measure}”与「{ind.name}」不符，该指标按“{ind.unit_label}”统计",
                )
                ind, measure = None, ""
            row_sum = 0.0
            for c, month in header.months.items():
                raw = row[c] if c < len(row) else ""
                if raw is None or (isinstance(raw, str) and normalize.text(raw) in BLANK_QUANTITY):
                    continue
                if dt.date(year, month, 1) > self.today:
                    self.problem(sheet, r, c, raw, f"{year}年{month}月尚未到来，不能填报未来的数据")
                    continue
                qty = self.check_quantity(sheet, r, c, raw, ind, measure, measure_col)
                if qty is None or qty == 0 or unit is None:
                    continue
                row_sum += qty
                self.add_fact(
                    unit, ind, None, True, year, month, qty, sheet, r, category_text=label
                )
            if ind is None or unit is None:
                continue
            c_total = header.total_col
            if c_total is not None and c_total < len(row) and row[c_total] not in (None, ""):
                parsed, err = self.parse_quantity(row[c_total])
                if not err and abs(parsed[0] - row_sum) > 1e-9:
                    self.problem(
                        sheet,
                        r,
                        c_total,
                        row[c_total],
                        f"合计列与各月相加（{row_sum:,.0f}）不一致，合计列未计入统计",
                        "warning",
                    )


def extract(
    grids: list[Grid], file_name: str, ref: Reference, key: bytes, today: dt.date | None = None
) -> Extraction:
    """Read every sheet of a file into facts and problems (errors refuse the file; warnings do not)."""
    return _Extractor(ref, file_name, key, today or dt.date.today()).run(grids)
