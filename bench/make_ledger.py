"""A realistic, deterministic county ledger workbook (明细台账) of any number of rows.

The layout is the one townships send most often: a title row and a 填报单位 line above the
header `序号 | 活动日期 | 乡镇 | 类别 | 数量 | 单位 | 具体地点 | 参与人数 | 备注`, then one row per
activity, in date order, spread over the 12 townships and all of 2023. Categories are the
catalog's canonical names and synonyms (data/catalog.csv); quantities are integers in the
indicator's unit, well below its `max_per_row`. Dates are real date cells.

The same `rows` and `seed` always give the same bytes (fixed document timestamps, seeded RNG).
Written with xlsxwriter in constant_memory mode, which streams rows (and stores strings inline).

Run directly: `python -m bench.make_ledger OUT.xlsx [--rows N] [--seed S]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog.csv"

TOWNSHIPS = (
    "丰州镇",
    "洪水镇",
    "蟠龙镇",
    "监漳镇",
    "故城镇",
    "韩北镇",
    "大有乡",
    "贾豁乡",
    "上司乡",
    "石北乡",
    "涌泉乡",
    "分水岭乡",
)
HEADER = ("序号", "活动日期", "乡镇", "类别", "数量", "单位", "具体地点", "参与人数", "备注")
YEAR = 2023

# Per indicator: (relative frequency, quantity range, participants range or None).
# Quantity ranges are checked against the catalog's max_per_row when the catalog is read.
PROFILES: dict[str, tuple[int, tuple[int, int], tuple[int, int] | None]] = {
    "children_visited": (22, (1, 40), None),
    "children_screened": (4, (5, 300), None),
    "trainings_held": (5, (1, 3), (15, 120)),
    "leaflets_distributed": (16, (20, 3000), (20, 500)),
    "publicity_events": (8, (1, 3), (30, 600)),
    "patrols_run": (18, (1, 6), (2, 8)),
    "people_assisted": (7, (1, 5), None),
    "lectures_held": (8, (1, 2), (20, 200)),
    "disputes_mediated": (7, (1, 4), None),
    "petitions_handled": (5, (1, 3), None),
}
DEFAULT_PROFILE = (3, (1, 5), None)

VILLAGES = (
    "东村",
    "西庄",
    "南沟",
    "北坪",
    "石门",
    "王家峪",
    "李家庄",
    "韩家垴",
    "岭头",
    "土河",
    "窑湾",
    "柳沟",
    "大寨",
    "泉则",
    "松庄",
    "槐树坪",
    "上庄",
    "下庄",
    "马堡",
    "胡庄铺",
)
PLACE_FORMS = (
    "{v}村委会",
    "{v}村文化广场",
    "{v}村党群服务中心",
    "{v}小学",
    "{v}村农家书屋",
    "{t}政府会议室",
    "{t}中心学校",
    "{t}集市",
    "{t}敬老院",
    "{t}便民服务中心",
    "县城汽车站",
    "{v}村",
    "{v}村留守儿童之家",
)
NOTES = {
    "children_visited": ("入户了解学习生活情况", "送去学习用品", "联合妇联走访", "春节前慰问", ""),
    "children_screened": ("全面摸底建档", "更新信息台账", "开学季排查", ""),
    "trainings_held": ("儿童主任业务培训", "安全生产培训", "政策解读", ""),
    "leaflets_distributed": ("《未成年人保护法》宣传册", "防溺水宣传单", "民法典宣传资料", ""),
    "publicity_events": ("民法典宣传月", "集市集中宣传", "宪法宣传周", ""),
    "patrols_run": ("联合派出所巡查", "节假日巡查", "夜间巡查", "未发现流浪乞讨人员", ""),
    "people_assisted": ("护送返乡", "提供食宿", "联系家属接回", ""),
    "lectures_held": ("婚姻家庭讲座", "普法进村", "法律明白人授课", ""),
    "disputes_mediated": ("邻里纠纷已调解", "婚姻家庭纠纷", "土地纠纷", ""),
    "petitions_handled": ("已按期答复", "转办相关单位", "已办结", ""),
}


@dataclass(frozen=True)
class Category:
    """One catalog indicator as the generator uses it."""

    key: str
    names: tuple[str, ...]  # canonical name first, then synonyms
    unit: str
    max_per_row: float


def read_catalog(path: Path = CATALOG) -> list[Category]:
    """The indicators of data/catalog.csv (canonical name, synonyms, unit, max_per_row)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            Category(
                row["key"],
                (row["name"], *filter(None, row["synonyms"].split("|"))),
                row["unit"],
                float(row["max_per_row"]),
            )
            for row in csv.DictReader(fh)
        ]


def _profile(cat: Category) -> tuple[int, tuple[int, int], tuple[int, int] | None]:
    weight, (lo, hi), people = PROFILES.get(cat.key, DEFAULT_PROFILE)
    hi = min(hi, int(cat.max_per_row) - 1)  # strictly below the plausibility ceiling
    if hi < lo:
        raise ValueError(f"{cat.key}: no quantity fits below max_per_row {cat.max_per_row}")
    return weight, (lo, hi), people


def write_ledger(
    path: str | Path, rows: int = 50_000, seed: int = 20230101, *, constant_memory: bool = True
) -> Path:
    """Write the ledger workbook with `rows` data rows to `path`; returns the path.

    `constant_memory=False` writes a shared-strings table, as Excel itself does (slower to write).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    catalog = read_catalog()
    profiles = [_profile(c) for c in catalog]
    weights = [p[0] for p in profiles]
    days = (dt.date(YEAR, 12, 31) - dt.date(YEAR, 1, 1)).days + 1
    # Activities in date order, as a county ledger is kept.
    offsets = sorted(rng.randrange(days) for _ in range(rows))

    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": constant_memory,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    fixed = dt.datetime(2024, 1, 10, 9, 0, 0)
    book.set_properties(
        {"title": f"武乡县{YEAR}年民政工作明细台账", "author": "武乡县民政局", "created": fixed}
    )
    title_fmt = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head_fmt = book.add_format(
        {"bold": True, "border": 1, "align": "center", "bg_color": "#D9E1F2"}
    )
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(f"{YEAR}年明细台账")
    for col, width in enumerate((7, 12, 10, 20, 8, 6, 22, 9, 24)):
        sheet.set_column(col, col, width)
    last_col = len(HEADER) - 1
    sheet.merge_range(0, 0, 0, last_col, f"武乡县{YEAR}年民政工作明细台账", title_fmt)
    sheet.merge_range(
        1, 0, 1, last_col, "填报单位：武乡县民政局（各乡镇汇总）    填报日期：2024年1月10日"
    )
    for col, label in enumerate(HEADER):
        sheet.write_string(2, col, label, head_fmt)
    sheet.freeze_panes(3, 0)

    start = dt.datetime(YEAR, 1, 1)
    for i, offset in enumerate(offsets):
        r = 3 + i
        index = rng.choices(range(len(catalog)), weights)[0]
        cat = catalog[index]
        _, (lo, hi), people = profiles[index]
        # Mostly the canonical name, sometimes a synonym, as townships write them.
        name = (
            cat.names[0] if len(cat.names) == 1 or rng.random() < 0.6 else rng.choice(cat.names[1:])
        )
        township = rng.choice(TOWNSHIPS)
        place = rng.choice(PLACE_FORMS).format(v=rng.choice(VILLAGES), t=township)
        note = rng.choice(NOTES.get(cat.key, ("",)))
        sheet.write_number(r, 0, i + 1)
        sheet.write_datetime(r, 1, start + dt.timedelta(days=offset), date_fmt)
        sheet.write_string(r, 2, township)
        sheet.write_string(r, 3, name)
        sheet.write_number(r, 4, rng.randint(lo, hi))
        sheet.write_string(r, 5, cat.unit)
        sheet.write_string(r, 6, place)
        if people:
            sheet.write_number(r, 7, rng.randint(*people))
        if note:
            sheet.write_string(r, 8, note)
    book.close()
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: write a ledger workbook."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.make_ledger", description=__doc__.splitlines()[0]
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20230101)
    parser.add_argument(
        "--shared-strings", action="store_true", help="shared-strings table, as Excel writes"
    )
    args = parser.parse_args(argv)
    print(write_ledger(args.out, args.rows, args.seed, constant_memory=not args.shared_strings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
