"""How a sheet of the long-standing shapes was read, as one Chinese sentence for the analyst.

Wide tables write their own sentence (`wide.py`); this covers ledgers, per-person ledgers and
monthly summaries, and the sheets that are skipped.
"""

from __future__ import annotations

from minzheng.intake.extract.cells import SheetContext
from minzheng.intake.layout import Header

NO_HEADER = "跳过：未找到表头（如 日期、类别、数量，或 1月…12月，或以指标为列名的横表）。"
DUPLICATE_HEADER = "未读取：表头中有两列含义相同，无法确定以哪一列为准。"
_ROLE_NAMES = {
    "date": "日期",
    "month": "月份",
    "township": "乡镇",
    "category": "类别",
    "quantity": "数量",
    "measure": "计量单位",
    "place": "地点",
    "note": "备注",
    "name": "姓名",
    "id_number": "身份证号",
    "village": "所在村",
}


def _used(header: Header) -> str:
    cols = sorted((c, role) for role, c in header.roles.items() if role in _ROLE_NAMES)
    return "、".join(f"「{header.labels[c]}」为{_ROLE_NAMES[role]}" for c, role in cols)


def _outside(header: Header, ctx: SheetContext) -> str:
    found = []
    if "township" not in header.roles and ctx.unit is not None:
        found.append(f"乡镇（{ctx.unit.name}）")
    if "category" not in header.roles and ctx.category is not None:
        found.append(f"指标（{ctx.category.name}）")
    if not ({"date", "month"} & set(header.roles)) and ctx.year and ctx.month:
        found.append(f"年月（{ctx.year}年{ctx.month}月）")
    elif header.months and not header.year and ctx.year:
        found.append(f"年份（{ctx.year}年）")
    return f"，{'、'.join(found)}取自标题、工作表名或文件名" if found else ""


def sentence(header: Header, ctx: SheetContext, sheet: str, file_name: str) -> str:
    """The sentence for a ledger, per-person ledger or monthly summary sheet."""
    rows = (
        f"第{header.first_row + 1}–{header.last_row + 1}行为两行表头"
        if header.last_row > header.first_row
        else f"第{header.last_row + 1}行为表头"
    )
    if header.months:
        months = "、".join(f"{m}月" for m in sorted(set(header.months.values())))
        total = "，「合计」列只核对不计入" if header.total_col is not None else ""
        return (
            f"月度汇总表：{rows}，每行一项指标，各月为列（{months}）{_outside(header, ctx)}"
            f"{total}，合计行跳过。"
        )
    if "quantity" in header.roles:
        kind = "台账：每行一条记录"
    elif "name" in header.roles or "id_number" in header.roles:
        kind = "走访对象台账：每行一人次，身份证号与姓名只存哈希和遮蔽形式"
    else:
        kind = "台账"
    return f"{kind}，{rows}，{_used(header)}{_outside(header, ctx)}；合计、签名与备注行跳过。"
