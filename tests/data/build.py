"""Build every workbook the tests read: small, deterministic, with hand-known outcomes.

Run `python tests/data/build.py` to write them into tests/data/out/ (git-ignored), or import the
module and call `build(out_dir)`. Next to each file this module states what it must yield:

- GOOD_FILES: file name -> {(indicator key, township, month): actual} for YEAR, exactly what
  `minzheng.measures.actuals.monthly` must return after loading the file into an empty database;
- GOOD_WARNINGS: file name -> the warnings the good file must produce (none if absent);
- BAD_FILES: file name -> the problems the refused file must produce (all of them at once).

Sheet cells are written from row 1, column A, so a cell named in an expectation (e.g. D3) is
the cell the builder wrote the bad value into. Tests pass `today=TODAY`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import openpyxl
import xlwt

YEAR = 2023
TODAY = dt.date(2026, 11, 25)
_FIXED_TIME = (2023, 12, 31, 0, 0, 0)


class Expect(NamedTuple):
    """One problem a file must produce: message fragment(s), and where (None: not checked)."""

    fragment: str | tuple[str, ...]
    sheet: str | None = None
    cell: str | None = None

    @property
    def fragments(self) -> tuple[str, ...]:
        """All fragments that must appear in the same message."""
        return (self.fragment,) if isinstance(self.fragment, str) else self.fragment


@dataclass
class Sheet:
    """A sheet to write: rows from A1 (None or '' = empty cell), merged ranges, visibility."""

    name: str
    rows: list[list]
    merges: list[str] = field(default_factory=list)
    hidden: bool = False


Totals = dict[tuple[str, str, int], float]

GOOD_FILES: dict[str, Totals] = {}
GOOD_WARNINGS: dict[str, list[Expect]] = {}
BAD_FILES: dict[str, list[Expect]] = {}
# Files used by specific tests (duplicates, overlaps, personal data), not in the tables above.
OTHER_FILES: set[str] = set()

_BOOKS: dict[str, list[Sheet]] = {}
_RAW: dict[str, Callable[[], bytes]] = {}

D = dt.date


def _good(
    name: str,
    totals: Totals,
    sheets: list[Sheet] | None = None,
    warnings: list[Expect] | None = None,
) -> None:
    GOOD_FILES[name] = totals
    if warnings:
        GOOD_WARNINGS[name] = warnings
    if sheets is not None:
        _BOOKS[name] = sheets


def _bad(
    name: str,
    expects: list[Expect],
    sheets: list[Sheet] | None = None,
    raw: Callable[[], bytes] | None = None,
) -> None:
    BAD_FILES[name] = expects
    if sheets is not None:
        _BOOKS[name] = sheets
    if raw is not None:
        _RAW[name] = raw


# =============================================================================================
# Good files: ledgers
# =============================================================================================

_good(
    "ledger_plain.xlsx",
    {
        ("children_visited", "丰州镇", 3): 12,
        ("leaflets_distributed", "丰州镇", 3): 300,
        ("patrols_run", "洪水镇", 3): 4,
        ("children_visited", "丰州镇", 4): 8,
        ("lectures_held", "洪水镇", 4): 3,
    },
    [
        Sheet(
            "Sheet1",
            [
                ["日期", "乡镇", "类别", "数量", "单位", "地点", "备注"],
                [D(2023, 3, 5), "丰州镇", "走访慰问留守困境儿童", 12, "人次", "东关村", ""],
                [D(2023, 3, 18), "丰州镇", "发放宣传资料", 300, "份", "县城广场", "法治宣传日"],
                [D(2023, 3, 20), "洪水镇", "街面巡查", 4, "次", "洪水街", ""],
                [D(2023, 4, 2), "丰州镇", "走访慰问留守困境儿童", 8, "人次", "西关村", ""],
                [D(2023, 4, 10), "洪水镇", "法治讲座", 1, "场", "镇政府", ""],
                [D(2023, 4, 11), "洪水镇", "法治讲座", 2, "场", "中学", "两场"],
            ],
        )
    ],
)

# Same facts as ledger_plain.xlsx, laid out differently: a re-saved copy (must be 重复).
OTHER_FILES.add("ledger_plain_resaved.xlsx")
_BOOKS["ledger_plain_resaved.xlsx"] = [
    Sheet(
        "台账",
        [
            ["武乡县民政工作台账（另存）"],
            ["类别", "数量", "日期", "乡镇", "单位"],
            ["法治讲座", 2, D(2023, 4, 11), "洪水镇", "场"],
            ["法治讲座", 1, D(2023, 4, 10), "洪水镇", "场"],
            ["走访慰问留守困境儿童", 8, D(2023, 4, 2), "丰州镇", "人次"],
            ["街面巡查", 4, D(2023, 3, 20), "洪水镇", "次"],
            ["发放宣传资料", 300, D(2023, 3, 18), "丰州镇", "份"],
            ["走访慰问留守困境儿童", 12, D(2023, 3, 5), "丰州镇", "人次"],
        ],
    )
]

# Title, subtitle and 填报单位 lines; header on row 5.
_good(
    "ledger_title_rows.xlsx",
    {
        ("patrols_run", "蟠龙镇", 4): 5,
        ("leaflets_distributed", "蟠龙镇", 4): 150,
        ("trainings_held", "蟠龙镇", 4): 1,
    },
    [
        Sheet(
            "Sheet1",
            [
                ["武乡县蟠龙镇2023年4月民政工作台账"],
                ["（2023年4月1日—4月30日）"],
                ["填报单位：蟠龙镇民政办", None, None, "填报日期：2023年5月3日"],
                [],
                ["序号", "日期", "乡镇", "类别", "数量", "单位"],
                [1, D(2023, 4, 3), "蟠龙镇", "街面巡查", 5, "次"],
                [2, D(2023, 4, 12), "蟠龙镇", "发放宣传资料", 150, "份"],
                [3, D(2023, 4, 20), "蟠龙镇", "业务培训", 1, "场"],
            ],
        )
    ],
)

# Header synonyms, shuffled order, extra columns (负责人, 经费（元）).
_good(
    "ledger_synonyms.xlsx",
    {
        ("children_visited", "监漳镇", 5): 20,
        ("leaflets_distributed", "监漳镇", 5): 400,
        ("patrols_run", "监漳镇", 5): 6,
    },
    [
        Sheet(
            "Sheet1",
            [
                [
                    "负责人",
                    "数量（人次/份/次）",
                    "具体地点",
                    "工作类别",
                    "经费（元）",
                    "活动日期",
                    "乡镇",
                ],
                ["张三", 20, "东村", "走访慰问留守困境儿童", 500, D(2023, 5, 6), "监漳镇"],
                ["李四", 400, "集市", "发放宣传资料", 200, D(2023, 5, 7), "监漳镇"],
                ["王五", 6, "主街", "街面巡查", 0, D(2023, 5, 9), "监漳镇"],
            ],
        )
    ],
)

# Two-row header under a merged title: 完成情况 over 数量/单位, other headers merged down.
_good(
    "ledger_two_row_header.xlsx",
    {
        ("lectures_held", "故城镇", 6): 2,
        ("people_assisted", "故城镇", 6): 3,
    },
    [
        Sheet(
            "Sheet1",
            [
                ["故城镇民政工作台账"],
                ["序号", "日期", "乡镇", "类别", "完成情况", None, "备注"],
                [None, None, None, None, "数量", "单位", None],
                [1, D(2023, 6, 2), "故城镇", "法治讲座", 1, "场", ""],
                [2, D(2023, 6, 15), "故城镇", "法治讲座", 1, "场", ""],
                [3, D(2023, 6, 20), "故城镇", "救助流浪乞讨人员", 3, "人次", ""],
            ],
            merges=["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3"],
        )
    ],
)

# The same two-row header without a title row above it.
_good(
    "ledger_two_row_header_no_title.xlsx",
    {("lectures_held", "故城镇", 6): 2, ("people_assisted", "故城镇", 6): 3},
    [
        Sheet(
            "Sheet1",
            [
                ["序号", "日期", "乡镇", "类别", "完成情况", None, "备注"],
                [None, None, None, None, "数量", "单位", None],
                [1, D(2023, 6, 2), "故城镇", "法治讲座", 1, "场", ""],
                [2, D(2023, 6, 15), "故城镇", "法治讲座", 1, "场", ""],
                [3, D(2023, 6, 20), "故城镇", "救助流浪乞讨人员", 3, "人次", ""],
            ],
            merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1", "G1:G2"],
        )
    ],
)

# Township only in the title (a merged title row, as Excel users write it).
_good(
    "ledger_township_in_title.xlsx",
    {("children_visited", "贾豁乡", 7): 5, ("disputes_mediated", "贾豁乡", 7): 2},
    [
        Sheet(
            "Sheet1",
            [
                ["武乡县贾豁乡2023年7月民政工作台账", None, None, None],
                ["日期", "类别", "数量", "单位"],
                [D(2023, 7, 3), "走访慰问留守困境儿童", 5, "人次"],
                [D(2023, 7, 10), "纠纷调解", 2, "件"],
            ],
            merges=["A1:D1"],
        )
    ],
)

# Township only in the title, written in one unmerged cell.
_good(
    "ledger_township_in_title_unmerged.xlsx",
    {("children_visited", "贾豁乡", 7): 5, ("disputes_mediated", "贾豁乡", 7): 2},
    [
        Sheet(
            "Sheet1",
            [
                ["武乡县贾豁乡2023年7月民政工作台账"],
                ["日期", "类别", "数量", "单位"],
                [D(2023, 7, 3), "走访慰问留守困境儿童", 5, "人次"],
                [D(2023, 7, 10), "纠纷调解", 2, "件"],
            ],
        )
    ],
)

# 填报单位 line directly above the header: the township is named only there.
_good(
    "ledger_unit_line_above_header.xlsx",
    {("patrols_run", "蟠龙镇", 4): 5, ("leaflets_distributed", "蟠龙镇", 4): 80},
    [
        Sheet(
            "Sheet1",
            [
                ["2023年4月民政工作台账"],
                ["填报单位：蟠龙镇民政办", None, None, "填报日期：2023年5月3日"],
                ["日期", "类别", "数量", "单位"],
                [D(2023, 4, 3), "街面巡查", 5, "次"],
                [D(2023, 4, 9), "发放宣传资料", 80, "份"],
            ],
        )
    ],
)

# Township only in the sheet name.
_good(
    "ledger_township_in_sheet.xlsx",
    {("petitions_handled", "上司乡", 7): 4},
    [
        Sheet(
            "上司乡",
            [
                ["日期", "类别", "数量"],
                [D(2023, 7, 5), "信访投诉办理", 3],
                [D(2023, 7, 25), "信访投诉办理", 1],
            ],
        )
    ],
)

# Township only in the file name.
_good(
    "石北乡2023年8月台账.xlsx",
    {("children_screened", "石北乡", 8): 30, ("publicity_events", "石北乡", 8): 2},
    [
        Sheet(
            "Sheet1",
            [
                ["日期", "类别", "数量", "单位"],
                [D(2023, 8, 1), "摸底排查", 30, "人"],
                [D(2023, 8, 9), "宣传活动", 2, "场"],
            ],
        )
    ],
)

# Vertically merged township, category and unit cells.
_good(
    "ledger_merged_cells.xlsx",
    {("patrols_run", "涌泉乡", 9): 9, ("lectures_held", "涌泉乡", 9): 4},
    [
        Sheet(
            "Sheet1",
            [
                ["乡镇", "类别", "日期", "数量", "单位"],
                ["涌泉乡", "街面巡查", D(2023, 9, 1), 3, "次"],
                [None, None, D(2023, 9, 8), 2, None],
                [None, None, D(2023, 9, 15), 4, None],
                [None, "法治讲座", D(2023, 9, 20), 1, "场"],
                [None, None, D(2023, 9, 21), 1, None],
                [None, None, D(2023, 9, 28), 2, None],
            ],
            merges=["A2:A7", "B2:B4", "E2:E4", "B5:B7", "E5:E7"],
        )
    ],
)

# Blank rows, correct 小计/合计/总计 rows, signature rows and footnotes.
_good(
    "ledger_totals_and_notes.xlsx",
    {("leaflets_distributed", "分水岭乡", 10): 150, ("patrols_run", "分水岭乡", 10): 3},
    [
        Sheet(
            "Sheet1",
            [
                ["分水岭乡2023年10月民政工作台账"],
                ["序号", "日期", "类别", "数量", "单位"],
                [1, D(2023, 10, 8), "发放宣传资料", 100, "份"],
                [2, D(2023, 10, 9), "发放宣传资料", 50, "份"],
                ["小计", None, None, 150, None],
                [],
                [3, D(2023, 10, 12), "街面巡查", 3, "次"],
                ["小计", None, None, 3, None],
                ["合计", None, None, 153, None],
                ["总计", None, None, 153, None],
                [],
                ["填表人：王丽　　审核人：张强"],
                ["单位负责人（签名）："],
                ["注：1. 数量按实际发放份数填写；2. 巡查按次统计。"],
            ],
        )
    ],
)

# An incorrect 合计 row: a warning, the detail rows still load.
_good(
    "ledger_wrong_total.xlsx",
    {("patrols_run", "大有乡", 11): 11},
    [
        Sheet(
            "Sheet1",
            [
                ["日期", "乡镇", "类别", "数量", "单位"],
                [D(2023, 11, 2), "大有乡", "街面巡查", 5, "次"],
                [D(2023, 11, 9), "大有乡", "街面巡查", 6, "次"],
                ["合计", None, None, 12, None],
            ],
        )
    ],
    [Expect(("合计行与上方明细不一致", "11"), "Sheet1", "D4")],
)

# A template with 序号 pre-filled on every row: rows holding only a 序号 are blank rows.
_good(
    "ledger_numbered_blank_rows.xlsx",
    {("patrols_run", "丰州镇", 4): 7},
    [
        Sheet(
            "Sheet1",
            [
                ["序号", "日期", "乡镇", "类别", "数量", "单位"],
                [1, D(2023, 4, 3), "丰州镇", "街面巡查", 5, "次"],
                [2, D(2023, 4, 4), "丰州镇", "街面巡查", 2, "次"],
                [3],
                [4],
                [5],
            ],
        )
    ],
)

# A 月份 column instead of dates; the year comes from the title.
_good(
    "ledger_month_column.xlsx",
    {
        ("patrols_run", "洪水镇", 1): 1,
        ("patrols_run", "洪水镇", 2): 2,
        ("patrols_run", "洪水镇", 3): 3,
    },
    [
        Sheet(
            "Sheet1",
            [
                ["洪水镇2023年工作台账"],
                ["月份", "类别", "数量"],
                ["1月", "街面巡查", 1],
                ["2", "街面巡查", 2],
                [3, "街面巡查", 3],
            ],
        )
    ],
)

# One sheet per month (no date column: month from the sheet name, year from the title),
# plus an instruction sheet that would fail if it were read.
_good(
    "ledger_month_sheets.xlsx",
    {
        ("children_visited", "丰州镇", 1): 10,
        ("leaflets_distributed", "丰州镇", 1): 200,
        ("children_visited", "丰州镇", 2): 6,
        ("patrols_run", "丰州镇", 3): 5,
    },
    [
        Sheet(
            "填表说明",
            [
                ["填表说明"],
                ["1. 每行填写一项活动；2. 数量填阿拉伯数字。"],
                ["日期", "类别", "数量"],
                ["示例：3月5日", "某某活动", "若干"],
            ],
        ),
        Sheet(
            "1月",
            [
                ["武乡县丰州镇2023年民政工作台账"],
                ["类别", "数量", "单位", "备注"],
                ["走访慰问", 10, "人次", ""],
                ["发放宣传单", 200, "份", ""],
            ],
        ),
        Sheet(
            "2月",
            [
                ["武乡县丰州镇2023年民政工作台账"],
                ["类别", "数量", "单位", "备注"],
                ["走访慰问", 6, "人次", ""],
            ],
        ),
        Sheet(
            "3月",
            [
                ["武乡县丰州镇2023年民政工作台账"],
                ["类别", "数量", "单位", "备注"],
                ["巡查", 2, "次", ""],
                ["巡查", 3, "次", ""],
            ],
        ),
    ],
)

# One sheet per category, no category column.
_good(
    "ledger_category_sheets.xlsx",
    {
        ("patrols_run", "洪水镇", 5): 5,
        ("leaflets_distributed", "洪水镇", 5): 500,
        ("leaflets_distributed", "洪水镇", 6): 250,
        ("lectures_held", "洪水镇", 5): 1,
    },
    [
        Sheet(
            "街面巡查",
            [
                ["日期", "乡镇", "数量", "地点"],
                [D(2023, 5, 3), "洪水镇", 2, "主街"],
                [D(2023, 5, 17), "洪水镇", 3, "集市"],
            ],
        ),
        Sheet(
            "发放宣传资料",
            [
                ["日期", "乡镇", "数量", "地点"],
                [D(2023, 5, 4), "洪水镇", 500, "集市"],
                [D(2023, 6, 1), "洪水镇", 250, "学校"],
            ],
        ),
        Sheet(
            "法治讲座",
            [
                ["日期", "乡镇", "数量", "地点"],
                [D(2023, 5, 20), "洪水镇", 1, "镇政府"],
            ],
        ),
    ],
)

# Dates in every accepted form; quantity = month number so each parse is checked.
_good(
    "ledger_date_forms.xlsx",
    {("patrols_run", "韩北镇", m): m for m in range(1, 8)},
    [
        Sheet(
            "Sheet1",
            [
                ["日期", "乡镇", "类别", "数量"],
                [D(2023, 1, 15), "韩北镇", "街面巡查", 1],  # real date
                [44972, "韩北镇", "街面巡查", 2],  # Excel serial number of 2023-02-15
                ["2023-03-05", "韩北镇", "街面巡查", 3],
                ["2023/4/5", "韩北镇", "街面巡查", 4],
                ["2023.5.5", "韩北镇", "街面巡查", 5],
                ["2023年6月5日", "韩北镇", "街面巡查", 6],
                ["2023 年 7 月 5 日", "韩北镇", "街面巡查", 7],
            ],
        )
    ],
)

# Quantities written as text: thousands separator, full-width digits, with units, approximate.
_good(
    "ledger_quantity_forms.xlsx",
    {("leaflets_distributed", "监漳镇", 9): 1600, ("children_visited", "监漳镇", 9): 150},
    [
        Sheet(
            "Sheet1",
            [
                ["日期", "乡镇", "类别", "数量"],
                [D(2023, 9, 1), "监漳镇", "发放宣传资料", "1,200"],
                [D(2023, 9, 2), "监漳镇", "走访慰问留守困境儿童", "１２０"],
                [D(2023, 9, 3), "监漳镇", "走访慰问留守困境儿童", "30人次"],
                [D(2023, 9, 4), "监漳镇", "发放宣传资料", "200份"],
                [D(2023, 9, 5), "监漳镇", "发放宣传资料", "200余份"],
            ],
        )
    ],
    [Expect(("约数", "200"), "Sheet1", "D6")],
)

# Township aliases, category synonyms, full-width and ordinary spaces.
_good(
    "ledger_aliases.xlsx",
    {
        ("children_visited", "丰州镇", 10): 4,
        ("leaflets_distributed", "韩北镇", 10): 60,
        ("patrols_run", "丰州镇", 10): 2,
        ("lectures_held", "丰州镇", 10): 1,
        ("lectures_held", "洪水镇", 10): 1,
    },
    [
        Sheet(
            "Sheet1",
            [
                ["日期", "乡镇", "类别", "数量"],
                [D(2023, 10, 1), "丰州", "走访　慰问", 4],
                [D(2023, 10, 2), " 韩北乡 ", "发放 宣传单", 60],
                [D(2023, 10, 3), "丰州镇", "街面巡逻", 2],
                [D(2023, 10, 4), "丰 州", "普法讲座", 1],
                [D(2023, 10, 6), "洪水", "婚姻大讲堂", 1],
            ],
        )
    ],
)

# =============================================================================================
# Good files: per-person ledgers
# =============================================================================================

# (name, sex, ID, village, guardian, phone, address, date); 王小明 is visited twice.
PERSON_ROWS = [
    (
        "王小明",
        "男",
        "140429201503150012",
        "东关村",
        "王建国",
        "13812345678",
        "丰州镇东关村12号",
        D(2023, 3, 10),
    ),
    (
        "李小红",
        "女",
        "14042920160720002X",
        "西关村",
        "李军",
        "13987654321",
        "丰州镇西关村5号",
        D(2023, 3, 12),
    ),
    (
        "张丽",
        "女",
        "140429201409100021",
        "南关村",
        "张伟",
        "0355-6123456",
        "丰州镇南关村8号",
        D(2023, 4, 2),
    ),
    (
        "王小明",
        "男",
        "140429201503150012",
        "东关村",
        "王建国",
        13812345678,
        "丰州镇东关村12号",
        D(2023, 4, 15),
    ),
    (
        "欧阳小强",
        "男",
        "140429201211110033",
        "北关村",
        "欧阳明",
        "13700001111",
        "丰州镇北关村1号",
        D(2023, 4, 20),
    ),
]
PERSON_MASKED = {"王小明": "王*明", "李小红": "李*红", "张丽": "张*", "欧阳小强": "欧**强"}

_good(
    "person_visits.xlsx",
    {("children_visited", "丰州镇", 3): 2, ("children_visited", "丰州镇", 4): 3},
    [
        Sheet(
            "留守儿童走访台账",
            [
                ["武乡县丰州镇2023年留守儿童走访台账"],
                [
                    "序号",
                    "姓名",
                    "性别",
                    "身份证号码",
                    "所在村",
                    "监护人",
                    "联系电话",
                    "家庭住址",
                    "走访日期",
                ],
                *[[i, *row] for i, row in enumerate(PERSON_ROWS, start=1)],
                ["合计", "5人"],
            ],
        )
    ],
)


def _person_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["武乡县丰州镇2023年留守儿童走访台账"])
    writer.writerow(
        [
            "序号",
            "姓名",
            "性别",
            "身份证号码",
            "所在村",
            "监护人",
            "联系电话",
            "家庭住址",
            "走访日期",
        ]
    )
    for i, row in enumerate(PERSON_ROWS, start=1):
        writer.writerow([i, *row[:-1], row[-1].isoformat()])
    return out.getvalue().encode("utf-8-sig")


_good(
    "person_visits.csv",
    {("children_visited", "丰州镇", 3): 2, ("children_visited", "丰州镇", 4): 3},
)
_RAW["person_visits.csv"] = _person_csv

# Pre-numbered template rows with nothing else must not count as children visited.
_good(
    "person_numbered_blank_rows.xlsx",
    {("children_visited", "丰州镇", 3): 2},
    [
        Sheet(
            "留守儿童走访台账",
            [
                ["武乡县丰州镇2023年3月留守儿童走访台账"],
                ["序号", "姓名", "身份证号码", "所在村", "走访日期"],
                [1, "王小明", "140429201503150012", "东关村", D(2023, 3, 10)],
                [2, "李小红", "14042920160720002X", "西关村", D(2023, 3, 12)],
                [3],
                [4],
                [5],
            ],
        )
    ],
)

# Category only in the title; the sheet is called Sheet1.
_good(
    "person_category_in_title.xlsx",
    {("children_visited", "蟠龙镇", 5): 2},
    [
        Sheet(
            "Sheet1",
            [
                ["蟠龙镇2023年5月入户走访登记表"],
                ["序号", "儿童姓名", "身份证号", "村（社区）", "监护人", "电话", "住址", "日期"],
                [
                    1,
                    "赵小虎",
                    "140429201601010016",
                    "岭头村",
                    "赵大山",
                    "13611112222",
                    "蟠龙镇岭头村3号",
                    D(2023, 5, 8),
                ],
                [
                    2,
                    "钱小芳",
                    "140429201702020028",
                    "岭头村",
                    "钱进",
                    "13633334444",
                    "蟠龙镇岭头村9号",
                    D(2023, 5, 9),
                ],
            ],
        )
    ],
)

# =============================================================================================
# Good files: monthly summaries
# =============================================================================================

_MONTHS = [f"{m}月" for m in range(1, 13)]

# Units in brackets after the indicator, a correct 合计 column, township and year in the title.
SUMMARY_BRACKETS_TOTALS: Totals = {
    ("leaflets_distributed", "石北乡", 1): 100,
    ("leaflets_distributed", "石北乡", 2): 200,
    ("leaflets_distributed", "石北乡", 5): 50,
    ("patrols_run", "石北乡", 1): 2,
    ("patrols_run", "石北乡", 2): 3,
    ("patrols_run", "石北乡", 3): 4,
    ("lectures_held", "石北乡", 1): 1,
    ("lectures_held", "石北乡", 3): 1,
}


def _summary_brackets(merged_title: bool) -> list[Sheet]:
    return [
        Sheet(
            "汇总",
            [
                ["武乡县石北乡2023年民政工作月度汇总表"] + [None] * 14,
                ["序号", "工作内容", *_MONTHS, "合计"],
                [
                    1,
                    "发放宣传资料（份）",
                    100,
                    200,
                    None,
                    None,
                    50,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    350,
                ],
                [
                    2,
                    "街面巡查（次）",
                    2,
                    3,
                    4,
                    "-",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    9,
                ],
                [
                    3,
                    "法治讲座（场）",
                    1,
                    0,
                    1,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    2,
                ],
            ],
            merges=["A1:O1"] if merged_title else [],
        )
    ]


_good("summary_brackets.xlsx", SUMMARY_BRACKETS_TOTALS, _summary_brackets(merged_title=False))
# The same with the title merged across the table, as Excel users write it.
_good("summary_merged_title.xlsx", SUMMARY_BRACKETS_TOTALS, _summary_brackets(merged_title=True))

# A 单位 column, six months, and a wrong 合计 (warning at I4).
_good(
    "summary_unit_column.xlsx",
    {
        ("children_visited", "韩北镇", 1): 10,
        ("children_visited", "韩北镇", 2): 12,
        ("children_visited", "韩北镇", 3): 8,
        ("disputes_mediated", "韩北镇", 1): 1,
        ("disputes_mediated", "韩北镇", 3): 2,
        ("disputes_mediated", "韩北镇", 4): 1,
    },
    [
        Sheet(
            "Sheet1",
            [
                ["韩北镇2023年民政工作月度统计表"],
                ["指标", "单位", *_MONTHS[:6], "合计"],
                ["走访慰问留守困境儿童", "人次", 10, 12, 8, None, None, None, 30],
                ["矛盾纠纷调解", "件", 1, 0, 2, 1, None, None, 5],
            ],
        )
    ],
    [Expect(("合计列与各月相加", "4"), "Sheet1", "I4")],
)

# The year written in the month headers (2023年1月 …) rather than in the title.
_good(
    "summary_year_in_headers.xlsx",
    {
        ("patrols_run", "丰州镇", 1): 1,
        ("patrols_run", "丰州镇", 2): 2,
        ("patrols_run", "丰州镇", 3): 3,
    },
    [
        Sheet(
            "Sheet1",
            [
                ["丰州镇民政工作月度汇总表"],
                ["指标", *[f"2023年{m}月" for m in range(1, 13)]],
                ["街面巡查", 1, 2, 3] + [None] * 9,
            ],
        )
    ],
)

# =============================================================================================
# Good files: one small ledger in every format
# =============================================================================================

FORMAT_HEADER = ["日期", "乡镇", "类别", "数量", "单位", "地点"]
FORMAT_ROWS = [
    [D(2023, 2, 3), "洪水镇", "走访慰问留守困境儿童", 7, "人次", "东庄村"],
    [D(2023, 2, 10), "洪水镇", "发放宣传资料", "1,200", "份", "集市"],
    [D(2023, 2, 21), "洪水镇", "街面巡查", 3, "次", "主街"],
    [D(2023, 3, 1), "蟠龙镇", "法治讲座", 1, "场", "礼堂"],
]
FORMAT_TOTALS: Totals = {
    ("children_visited", "洪水镇", 2): 7,
    ("leaflets_distributed", "洪水镇", 2): 1200,
    ("patrols_run", "洪水镇", 2): 3,
    ("lectures_held", "蟠龙镇", 3): 1,
}


def _format_sheet() -> Sheet:
    rows = [FORMAT_HEADER] + [list(r) for r in FORMAT_ROWS]
    for r in (2, 3):  # township written once, merged over rows 2-4
        rows[r][1] = None
    return Sheet("台账", rows, merges=["B2:B4"])


for _suffix in ("xlsx", "xlsm", "xls"):
    _good(f"format_ledger.{_suffix}", FORMAT_TOTALS, [_format_sheet()])


def _format_csv(encoding: str) -> Callable[[], bytes]:
    def make() -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(FORMAT_HEADER)
        for row in FORMAT_ROWS:
            writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
        return out.getvalue().encode(encoding)

    return make


for _name, _encoding in (
    ("format_ledger_utf8_bom.csv", "utf-8-sig"),
    ("format_ledger_utf8.csv", "utf-8"),
    ("format_ledger_gbk.csv", "gbk"),
):
    _good(_name, FORMAT_TOTALS)
    _RAW[_name] = _format_csv(_encoding)

# =============================================================================================
# Files for the duplicate / overlap / replace tests
# =============================================================================================

OTHER_FILES.update({"overlap_old.xlsx", "overlap_new.xlsx"})
OVERLAP_OLD_TOTALS: Totals = {
    ("patrols_run", "丰州镇", 3): 5,
    ("leaflets_distributed", "丰州镇", 3): 100,
}
OVERLAP_NEW_TOTALS: Totals = {("patrols_run", "丰州镇", 3): 8}
_BOOKS["overlap_old.xlsx"] = [
    Sheet(
        "Sheet1",
        [
            ["日期", "乡镇", "类别", "数量"],
            [D(2023, 3, 2), "丰州镇", "街面巡查", 2],
            [D(2023, 3, 9), "丰州镇", "街面巡查", 3],
            [D(2023, 3, 9), "丰州镇", "发放宣传资料", 100],
        ],
    )
]
_BOOKS["overlap_new.xlsx"] = [
    Sheet(
        "Sheet1",
        [
            ["日期", "乡镇", "类别", "数量"],
            [D(2023, 3, 2), "丰州镇", "街面巡查", 4],
            [D(2023, 3, 9), "丰州镇", "街面巡查", 4],
        ],
    )
]

# =============================================================================================
# Bad files
# =============================================================================================

_STD_HEADER = ["日期", "乡镇", "类别", "数量", "单位"]


def _std_rows() -> list[list]:
    """Header on row 1, data on rows 2-4, all valid."""
    return [
        list(_STD_HEADER),
        [D(2023, 3, 5), "丰州镇", "街面巡查", 2, "次"],
        [D(2023, 3, 12), "丰州镇", "发放宣传资料", 100, "份"],
        [D(2023, 3, 20), "丰州镇", "法治讲座", 1, "场"],
    ]


def _rc(ref: str) -> tuple[int, int]:
    """'D3' -> (2, 3): 0-based row and column."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def _patched(
    changes: dict[str, object], rows: list[list] | None = None, sheet: str = "Sheet1"
) -> list[Sheet]:
    rows = rows if rows is not None else _std_rows()
    for ref, value in changes.items():
        r, c = _rc(ref)
        rows[r][c] = value
    return [Sheet(sheet, rows)]


def _std_bad(name: str, changes: dict[str, object], fragment, cell: str) -> None:
    _bad(name, [Expect(fragment, "Sheet1", cell)], _patched(changes))


def _valid_xlsx_bytes() -> bytes:
    return _xlsx_bytes([Sheet("Sheet1", _std_rows())])


def _truncated_xlsx() -> bytes:
    data = _valid_xlsx_bytes()
    return data[: len(data) // 2]


def _broken_sheet_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(info, content)
    return out.getvalue()


_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)

# --- unreadable files ------------------------------------------------------------------------
_bad(
    "text_renamed.xlsx",
    [Expect("已损坏")],
    raw=lambda: "日期,乡镇,类别,数量\n2023-03-05,丰州镇,街面巡查,2\n".encode(),
)
_bad("picture_renamed.xls", [Expect("已损坏")], raw=lambda: _PNG)
_bad("truncated.xlsx", [Expect("已损坏")], raw=_truncated_xlsx)
_bad("broken_sheet_xml.xlsx", [Expect("损坏")], raw=_broken_sheet_xml)
_bad("empty.xlsx", [Expect("文件是空的")], raw=lambda: b"")
_bad("empty.csv", [Expect("文件是空的")], raw=lambda: b"")
_bad("report.pdf", [Expect(("不支持的文件类型", ".pdf"))], raw=lambda: b"%PDF-1.4\n%\xe2\xe3\n")
_bad("report.docx", [Expect(("不支持的文件类型", ".docx"))], raw=_valid_xlsx_bytes)
_bad("no_extension", [Expect("不支持的文件类型")], raw=_valid_xlsx_bytes)
# Windows-1252 text: é (0xE9) followed by a comma is neither UTF-8 nor GB18030.
_bad("latin1.csv", [Expect("无法识别文件编码")], raw=lambda: "Café,Noël\n1,2\n".encode("cp1252"))
_bad("binary.csv", [Expect("二进制")], raw=lambda: "日期,数量\n2023-03-05,\x00\x01\x02\n".encode())

# --- no table ----------------------------------------------------------------------------
_bad("header_only.xlsx", [Expect("中没有数据行")], [Sheet("Sheet1", [list(_STD_HEADER)])])
_bad(
    "no_header.xlsx",
    [Expect("所有工作表都未找到表头"), Expect("未找到表头", "Sheet1")],
    [Sheet("Sheet1", [row[:4] for row in _std_rows()[1:]])],
)
_bad(
    "header_only.csv",
    [Expect("中没有数据行")],
    raw=lambda: ",".join(_STD_HEADER).encode("utf-8") + b"\r\n",
)

# --- missing columns --------------------------------------------------------------------------
_bad(
    "missing_quantity.xlsx",
    [Expect("缺少“数量”列", "Sheet1", "第1行")],
    [
        Sheet(
            "Sheet1",
            [["日期", "乡镇", "类别", "地点"], [D(2023, 3, 5), "丰州镇", "街面巡查", "主街"]],
        )
    ],
)
_bad(
    "missing_category.xlsx",
    [Expect("缺少“类别”列", "Sheet1", "第1行")],
    [Sheet("Sheet1", [["日期", "乡镇", "数量", "单位"], [D(2023, 3, 5), "丰州镇", 2, "次"]])],
)
_bad(
    "missing_date.xlsx",
    [Expect("缺少“日期”列", "Sheet1", "第1行")],
    [Sheet("Sheet1", [["乡镇", "类别", "数量"], ["丰州镇", "街面巡查", 2]])],
)
_bad(
    "person_no_category.xlsx",
    [Expect("缺少走访对象台账的类别", "Sheet1", "第1行")],
    [
        Sheet(
            "Sheet1",
            [
                ["序号", "姓名", "身份证号码", "走访日期", "乡镇"],
                [1, "王小明", "140429201503150012", D(2023, 3, 10), "丰州镇"],
            ],
        )
    ],
)
_bad(
    "no_township.xlsx",
    [Expect("无法确定乡镇", "Sheet1", "第2行")],
    [
        Sheet(
            "Sheet1",
            [["2023年3月民政工作台账"], ["日期", "类别", "数量"], [D(2023, 3, 5), "街面巡查", 2]],
        )
    ],
)

# --- bad cells in a ledger ------------------------------------------------------------------
_std_bad("unknown_township.xlsx", {"B3": "丰洲镇"}, ("不是本县的乡镇", "丰州镇"), "B3")
_std_bad(
    "unknown_category.xlsx",
    {"C3": "发放宣传册"},
    ("不是指标目录中的类别", "发放宣传资料", "同义词"),
    "C3",
)
_std_bad("text_quantity.xlsx", {"D3": "若干"}, "应为数字", "D3")
_std_bad("negative_quantity.xlsx", {"D2": -3}, "不能为负数", "D2")
_std_bad("huge_quantity.xlsx", {"D2": 5000}, ("数量过大", "街面巡查"), "D2")
_std_bad("fractional_quantity.xlsx", {"D4": 1.5}, "应为整数", "D4")
_std_bad("empty_quantity.xlsx", {"D3": "—"}, "数量为空", "D3")
# Unit written in the quantity cell itself: the quantity cell is the one to fix.
_std_bad("wrong_unit_inline.xlsx", {"D2": "2份", "E2": None}, ("计量单位“份”", "街面巡查"), "D2")
# Unit given in the 单位 column: the 单位 cell (E2) holds the wrong value and is the one to name.
_std_bad("wrong_unit_column.xlsx", {"E2": "份"}, ("计量单位“份”", "街面巡查"), "E2")
_std_bad("impossible_date.xlsx", {"A3": "2023-02-30"}, "日期不存在", "A3")
_std_bad("future_date.xlsx", {"A3": D(2026, 12, 1)}, "晚于今天", "A3")
_std_bad("date_before_2000.xlsx", {"A3": D(1999, 12, 31)}, "早于2000年", "A3")
_std_bad("empty_date.xlsx", {"A3": None}, "日期为空", "A3")
_std_bad("text_date.xlsx", {"A3": "上周三"}, "应为日期", "A3")
_std_bad("empty_township.xlsx", {"B3": None}, "乡镇为空", "B3")
_std_bad("empty_category.xlsx", {"C4": None}, "类别为空", "C4")
_std_bad("future_month_only.xlsx", {"A2": "2026-12"}, "晚于", "A2")
# A future month in a 月份 column: the 月份 cell (A3) is the one to name.
_bad(
    "future_month_column.xlsx",
    [Expect("尚未到来", "Sheet1", "A3")],
    [
        Sheet(
            "Sheet1", [["洪水镇2026年工作台账"], ["月份", "类别", "数量"], ["12月", "街面巡查", 1]]
        )
    ],
)

# Several errors in one file: every one is reported at once.
_bad(
    "many_errors.xlsx",
    [
        Expect("不是本县的乡镇", "Sheet1", "B3"),
        Expect("应为数字", "Sheet1", "D4"),
        Expect("日期不存在", "Sheet1", "A5"),
        Expect("不是指标目录中的类别", "Sheet1", "C6"),
    ],
    _patched(
        {"B3": "丰洲镇", "D4": "若干", "A5": "2023-02-30", "C6": "发放宣传册"},
        _std_rows()
        + [
            [D(2023, 3, 25), "丰州镇", "街面巡查", 1, "次"],
            [D(2023, 3, 26), "丰州镇", "街面巡查", 1, "次"],
        ],
    ),
)

# --- bad monthly summaries ---------------------------------------------------------------


def _summary_rows(title: str) -> list[list]:
    """Title row 1, header row 2 (A 指标, B..M 1月..12月), data rows 3-4."""
    return [
        [title],
        ["指标", *_MONTHS],
        ["街面巡查", 2, 3, 4] + [None] * 9,
        ["法治讲座", 1, None, 1] + [None] * 9,
    ]


_bad(
    "summary_no_year.xlsx",
    [Expect("无法确定年份", "汇总", "第2行")],
    _patched({}, _summary_rows("丰州镇民政工作月度汇总表"), sheet="汇总"),
)
_bad(
    "summary_text_cell.xlsx",
    [Expect("应为数字", "汇总", "C3")],
    _patched({"C3": "较多"}, _summary_rows("丰州镇2023年民政工作月度汇总表"), sheet="汇总"),
)
_bad(
    "summary_unknown_indicator.xlsx",
    [Expect("不是指标目录中的类别", "汇总", "A4")],
    _patched({"A4": "法治宣讲"}, _summary_rows("丰州镇2023年民政工作月度汇总表"), sheet="汇总"),
)
_bad(
    "summary_future_month.xlsx",
    [Expect("尚未到来", "汇总", "M3")],
    _patched({"M3": 5}, _summary_rows("丰州镇2026年民政工作月度汇总表"), sheet="汇总"),
)
_bad(
    "summary_no_township.xlsx",
    [Expect("无法确定乡镇", "汇总", "第2行")],
    _patched({}, _summary_rows("2023年民政工作月度汇总表"), sheet="汇总"),
)

# =============================================================================================
# Writing
# =============================================================================================


def _clean(value):
    return None if value == "" else value


def _xlsx_bytes(sheets: list[Sheet]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec.name)
        for row in spec.rows:
            ws.append([_clean(v) for v in row])
        for rng in spec.merges:
            ws.merge_cells(rng)
        if spec.hidden:
            ws.sheet_state = "hidden"
    book.properties.creator = "tests/data/build.py"
    book.properties.created = dt.datetime(2023, 12, 31)
    book.properties.modified = dt.datetime(2023, 12, 31)
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_TIMESTAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def _stable_zip(data: bytes, macro_enabled: bool = False) -> bytes:
    """Rewrite a zip with fixed timestamps (and the .xlsm content type) so builds are identical."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _TIMESTAMP.sub(rb"\g<1>2023-12-31T00:00:00Z\g<2>", content)
            if info.filename == "[Content_Types].xml" and macro_enabled:
                content = content.replace(_XLSX_MAIN, _XLSM_MAIN)
            fixed = zipfile.ZipInfo(info.filename, _FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def _xls_bytes(sheets: list[Sheet]) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for spec in sheets:
        ws = book.add_sheet(spec.name)
        merged: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in spec.merges:
            first, last = rng.split(":")
            (r0, c0), (r1, c1) = _rc(first), _rc(last)
            merged[(r0, c0)] = (r0, r1, c0, c1)
        covered = {
            (r, c)
            for (r0, r1, c0, c1) in merged.values()
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
        }
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                value = _clean(value)
                style = date_style if isinstance(value, dt.date) else xlwt.Style.default_style
                if (r, c) in merged:
                    r0, r1, c0, c1 = merged[(r, c)]
                    ws.write_merge(r0, r1, c0, c1, value, style)
                elif (r, c) in covered or value is None:
                    continue
                else:
                    ws.write(r, c, value, style)
        if spec.hidden:
            ws.visibility = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def book_bytes(name: str, sheets: list[Sheet]) -> bytes:
    """The bytes of a workbook written from sheet specs, in the format its name's suffix asks for."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        return _xls_bytes(sheets)
    data = _xlsx_bytes(sheets)
    return _stable_zip(data, macro_enabled=True) if suffix == ".xlsm" else data


def all_names() -> list[str]:
    """Every file this module builds."""
    return sorted(set(_BOOKS) | set(_RAW))


def build(out_dir: Path) -> dict[str, Path]:
    """Write every test file into out_dir; returns file name -> path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name in all_names():
        data = _RAW[name]() if name in _RAW else book_bytes(name, _BOOKS[name])
        path = out_dir / name
        path.write_bytes(data)
        written[name] = path
    missing = (set(GOOD_FILES) | set(BAD_FILES) | OTHER_FILES) - set(written)
    if missing:
        raise RuntimeError(f"no builder for {sorted(missing)}")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "out"
    files = build(target)
    print(f"{len(files)} files written to {target}")
