"""From sheet grids to fact rows: ledgers, per-person ledgers and monthly summaries.

Every cell that feeds a fact is checked here; each problem names the sheet, the cell (C12), the
value found and what was expected. Nothing here writes anywhere: the caller decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from minzheng import freetext, layout, normalize, privacy
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


FACT_SCHEMA = pa.schema(
    [
        ("unit_id", pa.int32()),
        ("indicator_key", pa.string()),
        ("year", pa.int16()),
        ("month", pa.int8()),
        ("activity_date", pa.date32()),
        ("quantity", pa.float64()),
        ("sheet", pa.string()),
        ("source_row", pa.int32()),
        ("category_text", pa.string()),
        ("place", pa.string()),
        ("note", pa.string()),
        ("person_hash", pa.string()),
        ("person_masked", pa.string()),
    ]
)
FACT_COLUMNS = tuple(FACT_SCHEMA.names)


def _no_rows() -> dict[str, list]:
    return {c: [] for c in FACT_COLUMNS}


@dataclass
class Extraction:
    """What a file yields: fact rows, problems, and a description of what was found.

    Facts arrive as Arrow tables (a clean ledger sheet, built column by column) or one row at a
    time (`rows`, every other sheet); `table()` joins them in the order they were found.
    """

    rows: dict[str, list] = field(default_factory=_no_rows)  # not yet in `chunks`
    chunks: list[pa.Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    shapes: set[str] = field(default_factory=set)
    sheets: list[str] = field(default_factory=list)
    personal_cols: dict[str, set[int]] = field(default_factory=dict)  # sheet -> columns
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> last header row
    sensitive: bool = False  # some cell outside the personal columns holds an ID/phone number

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
        return sum(len(t) for t in self.chunks) + len(self.rows["unit_id"])

    def add_table(self, table: pa.Table) -> None:
        """Append facts built as a table (after any rows added before them)."""
        self._flush()
        self.chunks.append(table)

    def _flush(self) -> None:
        if self.rows["unit_id"]:
            self.chunks.append(pa.table(self.rows, schema=FACT_SCHEMA))
            self.rows = _no_rows()

    def table(self) -> pa.Table:
        """All facts as one Arrow table (FACT_SCHEMA), in the order they were found."""
        self._flush()
        if not self.chunks:
            return FACT_SCHEMA.empty_table()
        return self.chunks[0] if len(self.chunks) == 1 else pa.concat_tables(self.chunks)

    @property
    def facts(self) -> dict[str, list]:
        """The fact columns as Python lists (for inspection; loading uses `table()`)."""
        return self.table().to_pydict()


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


def _empty(value) -> bool:
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
        people's names in it removed or masked (minzheng/freetext.py)."""
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
        cols = _Columns(c_cat, c_unit, c_date, c_month, c_qty, c_measure, header_measure)
        first = header.last_row + 1
        blank = [""] * len(rows)

        def column(c):
            if c is None:
                return blank
            return [row[c] if c < len(row) else "" for row in rows]

        if not per_person and self._ledger_fast(sheet, rows, first, ctx, cols, c_place, c_note):
            return
        # Columns as lists: one pass per column instead of index checks on every row.
        dates, months, cats, qtys = column(c_date), column(c_month), column(c_cat), column(c_qty)
        towns, measures, places, notes = (
            column(c_unit),
            column(c_measure),
            column(c_place),
            column(c_note),
        )
        names, idents, villages = column(c_name), column(c_id), column(c_village)
        running = 0.0
        since_subtotal = 0.0
        count = 0
        for r in range(first, len(rows)):
            row = rows[r]
            kind = self.is_non_data(row)
            if kind == "blank" or kind == "skip":
                continue
            if kind == "total":
                self._check_total(sheet, r, row, c_qty, running, since_subtotal, count, per_person)
                if self.first_text(row)[1].startswith("小计"):
                    since_subtotal = 0.0
                continue
            raw_date, raw_cat, raw_qty = dates[r], cats[r], qtys[r]
            # A row with nothing in the columns that carry data (e.g. only a pre-printed 序号 or a
            # township merged down over trailing rows) is an empty template row, not data.
            if (
                _empty(raw_date)
                and _empty(raw_cat)
                and _empty(raw_qty)
                and _empty(names[r])
                and (_empty(idents[r]))
            ):
                continue
            # Every cell of the row is checked, so that all its problems are reported at once.
            ind, category_text = self._row_category(sheet, r, ctx, cols, raw_cat)
            unit = self._row_unit(sheet, r, ctx, cols, towns[r])
            when = self._row_date(sheet, r, ctx, cols, raw_date, months[r])
            qty = (
                1.0 if per_person else self._row_quantity(sheet, r, ind, cols, raw_qty, measures[r])
            )
            if ind is None or unit is None or when is None or qty is None:
                continue
            day, month_only, year, month = when
            person_hash = person_masked = None
            if per_person:
                person_hash = privacy.person_hash(self.key, idents[r], names[r], villages[r])
                person_masked = privacy.mask_name(names[r]) or None
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
                self.free_text(places[r]),
                self.free_text(notes[r]),
                person_hash,
                person_masked,
                category_text,
            )
            running += qty
            since_subtotal += qty
            count += 1

    def _ledger_fast(self, sheet, rows, first, ctx, cols, c_place, c_note) -> bool:
        """Load a clean ledger sheet column by column; False (nothing added) at the first doubt.

        Every distinct cell value is checked once; if any is empty, wrong, approximate or
        otherwise needs a message, the row-by-row path runs instead and reports it exactly.
        The output is built as Arrow arrays: each column's distinct values are mapped once and
        spread to the rows by their codes, so no Python object is made per output cell.
        """
        n = len(rows)
        if cols.date is None:
            return False
        body = rows[first:]
        transposed = None
        if body and len(set(map(len, body))) == 1:
            transposed = list(zip(*body, strict=True))  # rectangular: one C-level pass
        # Most data rows start with a 序号 or a date cell: no need to look further.
        starts = (float, int, dt.date, dt.datetime)
        if transposed and set(map(type, transposed[0])) <= set(starts):
            kinds = [None] * len(body)  # every row is data
            data, picked = range(first, n), body
        else:
            classify = self.is_non_data
            kinds = [None if row and row[0].__class__ in starts else classify(row) for row in body]
            data = [r for r, kind in enumerate(kinds, start=first) if kind is None]
            picked = [rows[r] for r in data]
            transposed = None
            if picked and len(set(map(len, picked))) == 1:
                transposed = list(zip(*picked, strict=True))
        if not data:
            return False

        if transposed is not None:

            def col(c):
                return None if c is None else transposed[c]
        else:

            def col(c):
                return None if c is None else [row[c] if c < len(row) else "" for row in picked]

        size = len(data)
        zeros = np.zeros(size, np.int32)
        cats, towns, dates, qtys, measures = (
            col(cols.category),
            col(cols.township),
            col(cols.date),
            col(cols.quantity),
            col(cols.measure),
        )
        if cats is None:
            if ctx.category is None:
                return False
            cat_values, cat_codes = [None], zeros
            inds = [ctx.category]
        else:
            cat_values, cat_codes = _encode(cats)
            for value in cat_values:
                if _empty(value) or self.resolve_category(value)[1]:
                    return False
            inds = [self._categories[v][0] for v in cat_values]
        if towns is None:
            if ctx.unit is None:
                return False
            town_values, town_codes = [None], zeros
        else:
            town_values, town_codes = _encode(towns)
            for value in town_values:
                if _empty(value):
                    if ctx.unit is None:
                        return False
                elif self.resolve_unit(value)[1]:
                    return False
        units = [ctx.unit if _empty(v) else self._units[v][0] for v in town_values]
        date_values, date_codes = _encode(dates)
        days = []
        for value in date_values:
            if _empty(value):
                return False
            parsed, err = self.parse_date(value)
            if err:
                return False
            days.append(parsed)
        # A count is clean or not given its cell, the row's measure and the row's indicator:
        # check each distinct combination of the three once.
        qty_values, qty_codes = _encode(qtys)
        measure_values, measure_codes = ([""], zeros) if measures is None else _encode(measures)
        keys = list(dict.fromkeys(ind.key for ind in inds))
        key_codes = np.array([keys.index(ind.key) for ind in inds], np.int64)[cat_codes]
        n_m, n_k = len(measure_values), len(keys)
        if all(v.__class__ in (int, float) for v in qty_values):
            quantities = self._plain_counts(
                qty_values, qty_codes, measure_values, measure_codes, keys, key_codes, cols
            )
            if quantities is None:
                return False
        else:
            combos = (qty_codes.astype(np.int64) * n_m + measure_codes) * n_k + key_codes
            numbers = np.zeros(len(qty_values))
            for combo in np.unique(combos).tolist():
                q, rest = divmod(combo, n_m * n_k)
                m, k = divmod(rest, n_k)
                number = self._clean_quantity(
                    qty_values[q], measure_values[m], keys[k], cols.header_measure
                )
                if number is None:
                    return False
                numbers[q] = number  # the count depends on the cell alone; the rest validates
            quantities = numbers[qty_codes]
        # Totals rows are checked against the rows above them, as on the row-by-row path.
        if "total" in kinds:
            self._check_totals_fast(sheet, rows, first, kinds, quantities, cols.quantity)
        date_parts = [(d.year, d.month, None if only else d) for d, only in days]
        if cats is None:
            labels = [ctx.category.name]
        else:
            labels = [self.category_label(v) for v in cat_values]
        table = {
            "unit_id": _spread([u.unit_id for u in units], town_codes, pa.int32()),
            "indicator_key": _spread([i.key for i in inds], cat_codes, pa.string()),
            "year": _spread([y for y, _m, _d in date_parts], date_codes, pa.int16()),
            "month": _spread([m for _y, m, _d in date_parts], date_codes, pa.int8()),
            "activity_date": _spread([d for _y, _m, d in date_parts], date_codes, pa.date32()),
            "quantity": pa.array(quantities, pa.float64()),
            "sheet": pa.repeat(pa.scalar(sheet, pa.string()), size),
            "source_row": pa.array(np.asarray(data, np.int32) + 1),
            "category_text": _spread(labels, cat_codes, pa.string()),
            "person_hash": pa.nulls(size, pa.string()),
            "person_masked": pa.nulls(size, pa.string()),
        }
        distinct = {}  # column -> its distinct values, for the privacy scan below
        for name, c in (("place", c_place), ("note", c_note)):
            values = col(c)
            if values is None:
                table[name] = pa.nulls(size, pa.string())
            else:
                found, codes = _encode(values)
                distinct[c] = found
                texts = [self.free_text(v) or None for v in found]
                table[name] = _spread(texts, codes, pa.string())
        self.out.add_table(pa.table(table, schema=FACT_SCHEMA))
        # Validated cells (dates, categories, counts, townships) cannot hold an ID or phone
        # number; search the other columns' distinct values and every non-data row.
        checked = {cols.date, cols.category, cols.quantity, cols.measure, cols.township}
        width = len(picked[0]) if picked else 0
        free = [c for c in range(width) if c not in checked]
        others = rows[:first] + [row for row, kind in zip(body, kinds, strict=True) if kind]
        self.out.sensitive = (
            self.out.sensitive
            or any(
                privacy.cells_have_sensitive(_unsafe_values(distinct.get(c) or col(c)))
                for c in free
            )
            or privacy.cells_have_sensitive(v for row in others for v in row)
        )
        self._scanned.add(sheet)
        return True

    def _check_totals_fast(self, sheet, rows, first, kinds, quantities, c_qty) -> None:
        """Check totals rows against the rows above them, as the row-by-row path does."""
        running = since_subtotal = 0.0
        index = 0
        for r, kind in enumerate(kinds, start=first):
            if kind is None:
                running += quantities[index]
                since_subtotal += quantities[index]
                index += 1
            elif kind == "total":
                self._check_total(sheet, r, rows[r], c_qty, running, since_subtotal, index, False)
                if self.first_text(rows[r])[1].startswith("小计"):
                    since_subtotal = 0.0

    def _plain_counts(self, values, codes, measures, measure_codes, keys, key_codes, cols):
        """Each row's count when every count cell is a plain number, else None.

        The checks of `_clean_quantity`, done on arrays: a plain number is its own count (no
        unit written, never approximate); it must be finite, not negative, whole, within each
        indicator's largest count per row, and each row's measure must suit its indicator.
        """
        try:
            numbers = np.array(values, np.float64)
        except OverflowError:
            return None
        if not np.isfinite(numbers).all() or (numbers < 0).any():
            return None
        if (numbers != np.floor(numbers)).any():
            return None
        quantities = numbers[codes]
        n_k = len(keys)
        for pair in np.unique(measure_codes.astype(np.int64) * n_k + key_codes).tolist():
            m, k = divmod(pair, n_k)
            raw = measures[m]
            measure = self._measure(raw) if not _empty(raw) else cols.header_measure
            if measure and measure not in self.ref.indicators[keys[k]].accepted_units:
                return None
        for k, key in enumerate(keys):
            if quantities[key_codes == k].max(initial=0) > self.ref.indicators[key].max_per_row:
                return None
        return quantities

    def _clean_quantity(self, raw, raw_measure, key, header_measure) -> float | None:
        """The count if the cell needs no message at all (fast path), else None."""
        if _empty(raw):
            return None
        parsed, err = self.parse_quantity(raw)
        if err:
            return None
        number, unit_written, approx = parsed
        ind = self.ref.indicators[key]
        if approx or number < 0 or not number.is_integer() or number > ind.max_per_row:
            return None
        measure = self._measure(raw_measure) if not _empty(raw_measure) else header_measure
        written = unit_written or measure
        if written and written not in ind.accepted_units:
            return None
        return number

    def _measure(self, raw) -> str:
        if raw not in self._measures:
            self._measures[raw] = normalize.text(raw)
        return self._measures[raw]

    def _row_category(self, sheet, r, ctx, cols, raw):
        if not _empty(raw):
            ind, err = self._categories.get(raw) or self.resolve_category(raw)
            if err:
                self.problem(sheet, r, cols.category, raw, err)
                return None, ""
            return ind, raw
        if ctx.category is not None:
            return ctx.category, ""
        self.problem(sheet, r, cols.category, "", "类别为空")
        return None, ""

    def _row_unit(self, sheet, r, ctx, cols, raw):
        if not _empty(raw):
            unit, err = self._units.get(raw) or self.resolve_unit(raw)
            if err:
                self.problem(sheet, r, cols.township, raw, err)
            return unit
        if ctx.unit is None:
            self.problem(
                sheet, r, cols.township, "", "乡镇为空，且标题、工作表名和文件名中都没有乡镇名称"
            )
        return ctx.unit

    def _row_date(self, sheet, r, ctx, cols, raw, raw_month):
        """(day, month_only, year, month) of a row, or None after reporting the problem."""
        if not _empty(raw):
            parsed, err = self.parse_date(raw)
            if err:
                self.problem(sheet, r, cols.date, raw, err)
                return None
            day, month_only = parsed
            return day, month_only, day.year, day.month
        if not _empty(raw_month) and ctx.year:
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

    def _row_quantity(self, sheet, r, ind, cols, raw, raw_measure):
        if _empty(raw) or (isinstance(raw, str) and normalize.text(raw) in ("", "-", "—", "/")):
            self.problem(sheet, r, cols.quantity, raw, "数量为空")
            return None
        measure, measure_col = cols.header_measure, cols.quantity
        if not _empty(raw_measure):
            measure, measure_col = normalize.text(raw_measure), cols.measure
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


# Arrow types that a column of Python values can only get when all of them have one type (a
# double column may hold ints and floats, a date32 column dates and datetimes).
_ONE_KIND = {pa.string(), pa.int64(), pa.bool_()}


def _encode(values) -> tuple[list, np.ndarray]:
    """(distinct values in first-seen order, each value's position among them as int32)."""
    try:
        array = pa.array(values)
    except (pa.ArrowException, OverflowError):
        array = None
    if (
        array is not None
        and array.null_count == 0
        and (
            array.type in _ONE_KIND
            or pa.types.is_timestamp(array.type)
            or len(set(map(type, values))) == 1
        )
    ):
        encoded = array.dictionary_encode()
        return encoded.dictionary.to_pylist(), encoded.indices.to_numpy()
    kinds = set(map(type, values))
    if bool in kinds:  # True == 1 and False == 0 as dict keys: keep them apart
        distinct, codes = _encode_keys(list(zip(map(type, values), values, strict=True)))
        return [v for _t, v in distinct], codes
    return _encode_keys(values)


def _encode_keys(values) -> tuple[list, np.ndarray]:
    index = dict.fromkeys(values)
    for i, key in enumerate(index):
        index[key] = i
    return list(index), np.fromiter(map(index.__getitem__, values), np.int32, len(values))


def _spread(per_value: list, codes: np.ndarray, kind: pa.DataType) -> pa.Array:
    """One output value per row: the value mapped from each row's distinct cell value."""
    return pa.array(per_value, kind).take(pa.array(codes))


def _unsafe_values(values):
    """The distinct values of a column that could hold an ID or phone number.

    A column of plain numbers all below a million holds none (privacy.cells_have_sensitive
    looks at numbers from a million up); any other column is given whole.
    """
    try:
        array = pa.array(values)
    except (pa.ArrowException, OverflowError):
        array = None
    if array is not None and array.type in (pa.int64(), pa.float64()) and not array.null_count:
        largest = pc.max(array).as_py()  # NaN is skipped, as cells_have_sensitive skips it
        if largest is None or largest < 1e6:
            return ()
    return dict.fromkeys(values)


def extract(
    grids: list[Grid], file_name: str, ref: Reference, key: bytes, today: dt.date | None = None
) -> Extraction:
    """Read every sheet of a file into facts and problems (errors refuse the file; warnings do not)."""
    return _Extractor(ref, file_name, key, today or dt.date.today()).run(grids)
