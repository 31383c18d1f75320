"""A wide table's 合计/小计/全县 checks and its how-it-was-read sentence."""

from __future__ import annotations

from pathlib import Path

from minzheng import normalize
from minzheng.intake.extract.cells import BLANK_QUANTITY, CellReader, empty
from minzheng.intake.extract.measures import (
    CUMULATIVE,
    DERIVED,
    MONTH,
    TARGET,
)
from minzheng.intake.extract.result import cell_ref
from minzheng.intake.workbook import Grid


def _where(found, grid: Grid, title: str, file_name: str) -> str:
    """Where a unit or month found outside the rows was written: 工作表名, 标题 or 文件名."""
    for text, place in ((grid.name, "工作表名"), (title, "标题"), (Path(file_name).stem, "文件名")):
        if found(text):
            return place
    return "表外"


def _quote(names) -> str:
    return "".join(f"「{n}」" for n in names)


class WideReport(CellReader):
    """Totals checked, never counted; one Chinese sentence saying how the sheet was read."""

    def _wide_totals(self, sheet, rows, wh, data, totals, c_totals, by_month) -> None:
        """Warn where a 合计 row or column differs from the figures it sums (never loaded)."""
        columns = [
            c
            for c, m in wh.columns.items()
            if m.measure == MONTH or (m.measure == CUMULATIVE and not by_month)
        ]

        def figure(r, c):
            raw = rows[r][c] if c < len(rows[r]) else None
            parsed, err = self.parse_quantity(raw) if not empty(raw) else ((0.0, "", False), None)
            if err and isinstance(raw, str) and normalize.text(raw) in BLANK_QUANTITY:
                return 0.0
            return None if err else parsed[0]

        for t in totals:
            label = self.first_text(rows[t])[1]
            group = [r for r, *_ in data]
            if label.startswith("小计"):
                group = [r for r in group if r < t and not any(r < s < t for s in totals)]
            for c in columns:
                shown = figure(t, c)
                expected = sum(figure(r, c) or 0.0 for r in group)
                given = not empty(rows[t][c] if c < len(rows[t]) else None)
                if shown is not None and given and abs(shown - expected) > 1e-9:
                    self.problem(
                        sheet,
                        t,
                        c,
                        rows[t][c],
                        f"合计行与明细不一致：明细相加为 {expected:,.0f}，合计行为 {shown:,.0f}，合计行未计入统计",
                        "warning",
                    )
        month_cols = [c for c, m in wh.columns.items() if m.measure == MONTH]
        for c_total in c_totals:
            for r, *_ in data:
                raw = rows[r][c_total] if c_total < len(rows[r]) else None
                shown = figure(r, c_total)
                if shown is None or empty(raw):
                    continue
                expected = sum(figure(r, c) or 0.0 for c in month_cols)
                if abs(shown - expected) > 1e-9:
                    self.problem(
                        sheet,
                        r,
                        c_total,
                        raw,
                        f"合计列与各指标相加（{expected:,.0f}）不一致，合计列未计入统计",
                        "warning",
                    )

    def _wide_sentence(self, grid, wh, ctx, c_unit, c_month, c_totals, totals, skipped) -> str:
        """How the sheet was read, in one Chinese sentence (shown before anything is written)."""
        header = (
            f"第{wh.first_row + 1}–{wh.last_row + 1}行为两行表头"
            if wh.last_row > wh.first_row
            else f"第{wh.last_row + 1}行为表头"
        )
        if c_unit is not None and c_month is not None:
            rows_are = "每行一个乡镇的一个月份"
        elif c_unit is not None:
            where = _where(lambda t: normalize.year_month_in(t)[1], grid, ctx.title, self.file)
            rows_are = f"每行一个乡镇，月份（{ctx.year}年{ctx.month}月）取自{where}"
        else:
            where = _where(self.ref.unit_in, grid, ctx.title, self.file)
            rows_are = f"每行一个月份，乡镇（{ctx.unit.name}）取自{where}"
        by_kind: dict[str, list[str]] = {MONTH: [], CUMULATIVE: [], TARGET: [], DERIVED: []}
        for c, meaning in wh.columns.items():
            by_kind[meaning.measure].append(wh.labels[c].replace("|", " "))
        parts = [f"横表：{header}，{rows_are}，每列一项指标"]
        if by_kind[MONTH]:
            parts.append(f"取本月数{_quote(by_kind[MONTH])}")
        if by_kind[CUMULATIVE]:
            use = "用于勾稽核对" if by_kind[MONTH] else "减去此前各月已导入的数得出本月数"
            parts.append(f"累计数{_quote(by_kind[CUMULATIVE])}{use}")
        ratios = [label[1:] for label in skipped if label.startswith("%")]
        skipped = [label for label in skipped if not label.startswith("%")]
        if by_kind[TARGET] or by_kind[DERIVED] or ratios:
            ignored = _quote(by_kind[TARGET] + by_kind[DERIVED] + ratios)
            parts.append(f"跳过任务与比率列{ignored}（不是本月完成数）")
        if skipped:
            parts.append(f"跳过{_quote(skipped)}列（不含指标数字）")
        if c_totals:
            names = [wh.labels[c].replace("|", " ") or cell_ref(wh.last_row, c) for c in c_totals]
            parts.append(f"{_quote(names)}列只核对不计入")
        if totals:
            parts.append(f"第{'、'.join(str(t + 1) for t in totals)}行为合计行，只核对不计入")
        return "，".join(parts) + "。"
