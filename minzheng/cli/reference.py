"""Commands that keep the reference lists: catalog (indicators, synonyms), units (townships,
aliases) and layouts (table layouts taught on the upload page)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from minzheng.cli.output import clock_time, csv_out, write
from minzheng.errors import MinzhengError
from minzheng.store import permissions

if TYPE_CHECKING:
    from minzheng.store import layout_profiles


def cmd_catalog(args, con) -> int:
    """`catalog`: add a synonym to an indicator, or a new indicator."""
    from minzheng.store import catalog

    if args.action == "add-synonym":
        catalog.add_synonym(con, args.key, args.text, actor=permissions.operator())
        print(f"已添加同义词：“{args.text}” → {args.key}")
    else:
        catalog.add_indicator(con, args.key, args.text, args.unit, actor=permissions.operator())
        print(f"已添加指标：{args.key}（{args.text}，{args.unit}）")
    return 0


def cmd_units(args, con) -> int:
    """`units`: add a reporting unit or an alias of one, or retire one."""
    from minzheng.store import catalog

    if args.action == "add-alias":
        catalog.add_alias(con, args.name, args.alias, actor=permissions.operator())
        print(f"已添加别名：“{args.alias}” → {args.name}")
    elif args.action == "retire":
        catalog.set_unit_active(con, args.name, False, actor=permissions.operator())
        print(f"已停用单位：{args.name}")
    else:
        catalog.add_unit(con, args.name, code=args.code or "", actor=permissions.operator())
        print(f"已添加单位：{args.name}")
    return 0


def _describe_layout(profile: layout_profiles.LayoutProfile) -> list[str]:
    """The lines of `layouts show`: rows, each column's meaning, fixed values, use."""
    from minzheng.intake import extract
    from minzheng.store import layout_profiles

    first = profile.data_first if profile.data_first is not None else profile.header_last + 1
    last = "表末" if profile.data_last is None else f"第{profile.data_last + 1}行"
    lines = [
        f"名称：{profile.name}",
        f"表头：第{profile.header_first + 1}–{profile.header_last + 1}行：{profile.header_preview}",
        f"数据：第{first + 1}行至{last}",
    ]
    for c, col in sorted(profile.columns.items()):
        meaning = layout_profiles.MEANINGS.get(col.meaning, col.meaning)
        if col.meaning == "indicator":
            meaning = f"{meaning} {col.indicator}（{col.measure}）"
        lines.append(f"{extract.col_letter(c)} 列：{meaning}")
    for label, value in (("乡镇", profile.unit), ("年份", profile.year), ("月份", profile.month)):
        if value:
            lines.append(f"固定{label}：{value}")
    lines.append(
        f"创建：{profile.created_by} {clock_time(profile.created_at)}；"
        f"已使用 {profile.times_used} 次，最近 {clock_time(profile.last_used) or '未使用'}"
    )
    return lines


def cmd_layouts(args, con) -> int:
    """Layout profiles taught on the upload page: list, show, remove, export, import."""
    from minzheng.store import layout_profiles

    if args.action == "list":
        out = csv_out()
        out.writerow(["name", "unit", "header", "times_used", "last_used", "created_by"])
        for p in layout_profiles.load(con):
            out.writerow(
                [
                    p.name,
                    p.unit or "",
                    p.header_preview,
                    p.times_used,
                    clock_time(p.last_used),
                    p.created_by,
                ]
            )
    elif args.action == "show":
        print("\n".join(_describe_layout(layout_profiles.get(con, args.name))))
    elif args.action == "remove":
        layout_profiles.remove(con, args.name, actor=permissions.operator())
        print(f"已删除表格结构：{args.name}（已导入的数据不受影响）")
    elif args.action == "export":
        text = layout_profiles.export_json(layout_profiles.load(con))
        if not write(Path(args.out), text.encode("utf-8")):
            return 1
        print(f"已导出 {len(layout_profiles.load(con))} 个表格结构到 {args.out}")
    else:
        try:
            text = Path(args.file).read_bytes()
        except OSError as exc:
            raise MinzhengError(f"无法读取 {args.file}：{exc.strerror or exc}") from exc
        names = layout_profiles.import_json(con, text, actor=permissions.operator())
        print(f"已导入 {len(names)} 个表格结构：" + "、".join(names))
    return 0
