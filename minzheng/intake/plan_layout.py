"""Reading one sheet of a year plan in whichever orientation it was drawn.

A plan sheet is recognised by its header row: a row naming indicators (units down, indicators
across), a row naming units (indicators down, units across), the long form (指标 and 目标
columns, the unit in a 乡镇/单位 column or none for county figures), or 1月…12月 (monthly
shares). Which column holds the row labels is decided by what is written below the header, not
by its position. Every sheet leaves one Chinese sentence saying how it was read, and every
refusal repeats that reading so an analyst sees how the table was understood.
"""

from __future__ import annotations

from pathlib import Path

from minzheng import normalize
from minzheng.errors import Problem
from minzheng.intake import layout, workbook
from minzheng.intake.extract import cell_ref, col_letter
from minzheng.store import reference

COUNTY_LABELS = ("全县", "合计", "全县合计", "总计", "县合计", "全县总计")
SUBTOTAL_LABELS = ("小计", "片区小计")
TARGET_WORDS = (
    "目标",
    "计划",
    "年度目标",
    "目标值",
    "任务",
    "任务数",
    "计划数",
    "年度计划",
    "目标任务",
)
# Suffixes of headers such as 丰州镇目标, 全县任务数, 街面巡查年度目标: the name is what precedes.
_TARGET_SUFFIXES = tuple(sorted(TARGET_WORDS + ("年度任务", "全年目标", "目标数"), key=len))[::-1]
UNIT_HEADERS = ("单位", "单位名称", "责任单位", "填报单位", "乡镇", "乡镇名称", "所属乡镇")
NOTE_PREFIXES = ("注", "说明", "填表", "备注", "填报", "审核", "制表")
BLANKS = ("", "-", "—", "/", "－", "——")


def _text(row: list, c: int) -> str:
    return normalize.display(row[c]) if c < len(row) and row[c] not in (None, "") else ""


def _is_note(label: str) -> bool:
    return normalize.text(label).startswith(NOTE_PREFIXES)


def _strip_target(label: str) -> str:
    key = normalize.header(label)
    for word in _TARGET_SUFFIXES:
        if key.endswith(word) and len(key) > len(word):
            return key[: -len(word)]
    return key


def is_county(label: str) -> bool:
    """A label that stands for the whole county: 全县, 合计, 全县目标 …"""
    return normalize.header(label) in COUNTY_LABELS or _strip_target(label) in COUNTY_LABELS


def _is_subtotal(label: str) -> bool:
    return normalize.header(label).endswith(SUBTOTAL_LABELS)


def _number(value) -> float | None:
    try:
        number, _unit, _approx = normalize.quantity(value)
    except normalize.QuantityError:
        return None
    return number


def _quote(labels) -> str:
    return "、".join(f"“{label}”" for label in labels)


def _cols(cols, labels: list[str], limit: int = 4) -> str:
    """C列“街面巡查（次）”、D列“法治讲座（场）”… (at most `limit`, then a count)."""
    cols = sorted(cols)
    shown = "、".join(f"{col_letter(c)}列“{labels[c]}”" for c in cols[:limit])
    return shown + (f"等 {len(cols)} 列" if len(cols) > limit else "")


class SheetReader:
    """Reads one grid into a plan's targets or phasing, explaining how it was understood."""

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
            or self.ref.category(_strip_target(label))
        )

    def unit(self, label: str) -> reference.Unit | None:
        """The unit a header or row label names (丰州, 丰州镇目标 …)."""
        if not label:
            return None
        return self.ref.unit(label) or self.ref.unit(_strip_target(label))

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
        number = _number(value)
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

    # -- finding the shape -----------------------------------------------------------------------

    def read(self) -> None:
        """Find the header and read the sheet in the shape it names."""
        for r in range(min(len(self.rows), layout.HEADER_SCAN_ROWS)):
            labels = [_text(self.rows[r], c) for c in range(len(self.rows[r]))]
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
                    f"第{r + 1}行既有单位名（{_cols(units, labels)}）又有指标名"
                    f"（{_cols(indicators, labels)}），看不出哪一行是表头；"
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
        subs = [_text(below, c) for c in range(len(below))]
        kept = {}
        for cols in groups.values():
            targets = [c for c in cols if c < len(subs) and self._is_target_header(subs[c])]
            if len(cols) > 1 and len(targets) != 1:
                self.problem(
                    r,
                    cols[1],
                    labels[cols[1]],
                    f"“{labels[cols[0]]}”有 {len(cols)} 列（{_cols(cols, labels)}），"
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
            c: sum(1 for row in self.rows[r + 1 :] if self.indicator(_text(row, c)))
            for c in range(width)
            if c not in taken
        }
        best = max(scores, key=lambda c: (scores[c], -c), default=None)
        return best if best is not None and scores[best] > 0 else None

    def _numbers_beside(self, r: int, label_cols: dict) -> bool:
        """The row names one unit or indicator and has figures in other columns: a data row."""
        row = self.rows[r]
        return any(
            _number(v) is not None for c, v in enumerate(row) if c not in label_cols and v != ""
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
                if any(_text(self.rows[r], c) for c in range(len(self.rows[r])))
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
        labels = [_text(self.rows[header_row], c) for c in range(len(self.rows[header_row]))]
        reported = 0
        for c, lab in enumerate(labels):
            if not lab or layout.role_of(lab) in ("seq", "measure", "note", "category", "township"):
                continue
            if is_county(lab) or _is_subtotal(lab) or normalize.header(lab) in UNIT_HEADERS:
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
        labels = [_text(below, c) for c in range(len(below))]
        named = any(self.unit(lab) or self.indicator(lab) for lab in labels)
        return named and all(_number(v) is None for v in below if v != "")

    def _is_target_header(self, label: str) -> bool:
        key = normalize.header(label)
        return bool(key) and (key in TARGET_WORDS or _strip_target(key) in ("全年", "年度", "全县"))

    def _not_found(self) -> str:
        first = next(
            (
                (r, [lab for c in range(len(row)) if (lab := _text(row, c))])
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
            f"也没有“指标”“目标”两列，未读取（第{r + 1}行写的是{_quote(dict.fromkeys(labels[:6]))}）"
        )

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
            scores[c] = sum(1 for row in self.rows[header_row + 1 :] if resolves(_text(row, c)))
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
                _number(row[c]) is not None
                for row in self.rows[header_row + 1 :]
                if c < len(row) and row[c] != "" and not _is_note(_text(row, 0))
            )
            if figures and not ordinary and not _is_subtotal(lab):
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
            if (lab := _text(row, c)) and any(w in lab for w in ("计划", "目标", "任务"))
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
        return all(_number(row[c]) is None for c in cols if c < len(row))

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
            f"“第{header_row + 1}行为表头，每行一个单位（{col_letter(unit_col)}列{_quote([unit_header])}），"
            f"每列一项指标（{_cols(indicators, labels)}）”"
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
            label = _text(row, unit_col)
            if not label and self._value_free(row, indicators):
                continue
            if label and _is_note(label):
                continue
            if not started and not is_unit(label) and self._value_free(row, indicators):
                self.skipped.append(f"第{r + 1}行（表头第二行）")
                continue
            started = True
            if _is_subtotal(label):
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
            f"{_quote([unit_header])}，{len(dict.fromkeys(units))} 个单位），每列一项指标"
            f"（{_cols(indicators, labels)}）"
            + ("；“全县/合计”行取为计划给定的全县目标" if county else "")
        )

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
            f"“第{header_row + 1}行为表头，每行一项指标（{col_letter(ind_col)}列{_quote([ind_header])}），"
            f"每列一个单位（{_cols(columns, labels)}）”"
        )
        self._title(header_row)
        self._skip_columns(header_row, labels, set(columns) | {ind_col}, {}, self._unknown_unit)
        started, count = False, 0
        for r in range(header_row + 1, len(self.rows)):
            row = self.rows[r]
            label = _text(row, ind_col)
            if not label and self._value_free(row, columns):
                continue
            if label and _is_note(label):
                continue
            ind = self.indicator(label)
            if not started and ind is None and self._value_free(row, columns):
                self.skipped.append(f"第{r + 1}行（表头第二行）")
                continue
            started = True
            if ind is None:
                if is_county(label) or _is_subtotal(label):
                    self.skipped.append(f"第{r + 1}行“{label}”（各指标单位不同，不相加）")
                    continue
                self._unknown_indicator(r, ind_col, label)
                continue
            count += 1
            for c, unit_id in columns.items():
                self.set_target(r, c, unit_id, ind.key, row[c] if c < len(row) else "")
        self.explain(
            f"竖表，第{header_row + 1}行为表头，每行一项指标（{col_letter(ind_col)}列"
            f"{_quote([ind_header])}，{count} 项），每列一个单位（{_cols(units, labels)}，"
            f"{len(units)} 个单位）"
            + (f"；{_cols(county_cols, labels)}取为计划给定的全县目标" if county_cols else "")
        )

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

    # -- long form -------------------------------------------------------------------------------

    def long(self, header_row: int, labels: list[str], ind_col: int | None, target_cols: list[int]):
        """One row per unit and indicator: 乡镇/单位, 指标, 目标. Without a 指标 column the sheet
        name is the indicator (a sheet per indicator); without a unit column the sheet name is
        the unit (a sheet per township), else the targets are county figures."""
        exact = [c for c in target_cols if normalize.header(labels[c]) in TARGET_WORDS]
        candidates = exact or target_cols
        if len(candidates) > 1:
            self.problem(
                header_row,
                candidates[1],
                labels[candidates[1]],
                f"有两列都像目标（{_cols(candidates, labels)}），不能确定取哪一列",
            )
            return
        target_col = candidates[0]
        unit_col = self._long_unit_col(header_row, labels, {ind_col, target_col})
        sheet_ind = self.indicator(self.grid.name) if ind_col is None else None
        sheet_unit = self.unit(self.grid.name) if unit_col is None else None
        title_unit = (
            self._title_township(header_row) if unit_col is None and sheet_unit is None else None
        )
        if ind_col is not None:
            ind_part = f"{col_letter(ind_col)}列{_quote([labels[ind_col]])}为指标"
        else:
            ind_part = f"指标取工作表名“{sheet_ind.name}”"
        if unit_col is not None:
            unit_part = f"{col_letter(unit_col)}列{_quote([labels[unit_col]])}为单位"
        elif sheet_unit is not None:
            unit_part = f"单位取工作表名“{sheet_unit.name}”"
        elif title_unit is not None:
            sheet_unit, title = title_unit
            unit_part = f"单位取标题“{title}”中的“{sheet_unit.name}”"
        else:
            unit_part = "没有单位列（均为全县目标）"
        sentence = (
            f"长表，第{header_row + 1}行为表头，{ind_part}，"
            f"{col_letter(target_col)}列{_quote([labels[target_col]])}为目标，{unit_part}"
        )
        self.how = f"“{sentence}”"
        self._title(header_row)
        used = {c for c in (ind_col, target_col, unit_col) if c is not None}
        self._skip_columns(header_row, labels, used, {}, lambda r, c, lab: None)
        for r in range(header_row + 1, len(self.rows)):
            row = self.rows[r]
            if ind_col is not None:
                ind_label = _text(row, ind_col)
                if not ind_label or _is_note(ind_label) or _is_note(_text(row, 0)):
                    continue
                ind = self.indicator(ind_label)
                if ind is None:
                    self._unknown_indicator(r, ind_col, ind_label)
                    continue
            else:
                ind = sheet_ind
                if _is_note(_text(row, 0)) or not any(v not in (None, "") for v in row):
                    continue
            unit_id = sheet_unit.unit_id if sheet_unit is not None else None
            if unit_col is not None:
                label = _text(row, unit_col) or "全县"
                if _is_subtotal(label):
                    self.skipped.append(f"第{r + 1}行“{label}”")
                    continue
                if not is_county(label):
                    unit = self.unit(label)
                    if unit is None:
                        self._unknown_unit(r, unit_col, label)
                        continue
                    unit_id = unit.unit_id
            value = row[target_col] if target_col < len(row) else ""
            if value in (None, "") or normalize.text(value) in BLANKS:
                continue
            number = _number(value)
            if number is None or number < 0:
                self.problem(r, target_col, value, "目标应为不小于 0 的数字")
                continue
            # Several rows of one unit and indicator (e.g. per village) add up.
            key = (unit_id, ind.key)
            self.plan.targets[key] = self.plan.targets.get(key, 0) + number
        self.explain(sentence)

    def _title_township(self, header_row: int) -> tuple[reference.Unit, str] | None:
        """(township, title) when the rows above the header name exactly one township
        (丰州镇2025年度工作目标). The bureau is never taken from a title: 武乡县民政局…计划 is the
        county's plan, not the bureau's own."""
        found: dict[int, str] = {}
        for row in self.rows[:header_row]:
            for c in range(len(row)):
                raw = normalize.text(_text(row, c))
                for name, uid in self.ref.unit_names.items():
                    unit = self.ref.units[uid]
                    if name and name in raw and unit.active and unit.kind == "township":
                        found.setdefault(uid, _text(row, c))
        if len(found) != 1:
            return None
        ((uid, title),) = found.items()
        return self.ref.units[uid], title

    def _long_unit_col(self, header_row: int, labels: list[str], taken: set[int]) -> int | None:
        """The 乡镇/单位 column: named so, and (for a bare 单位, which may be the measure 次/份)
        holding unit names below."""
        for c, lab in enumerate(labels):
            if c in taken or not lab:
                continue
            role = layout.role_of(lab)
            if role == "township":
                return c
            if normalize.header(lab) in UNIT_HEADERS:
                values = [_text(row, c) for row in self.rows[header_row + 1 :]]
                if any(self.unit(v) or is_county(v) for v in values if v):
                    return c
        return None

    # -- monthly shares --------------------------------------------------------------------------

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
            label = _text(row, label_col)
            if not label or _is_note(label) or _is_note(_text(row, 0)):
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
                    _number(str(value).replace("%", ""))
                    if isinstance(value, str)
                    else _number(value)
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
