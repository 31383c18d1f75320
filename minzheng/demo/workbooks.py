"""Deterministic generator of realistic demo workbooks from the townships of 武乡县.

The demo imitates what the 12 township civil-affairs offices (乡镇民政办) and the bureau itself
(县民政局机关) send to 武乡县民政局 in 2023 and January–November 2024: detailed ledgers
(明细台账), per-person ledgers of children visited and monthly summaries (月度汇总表), in .xlsx,
.xlsm, .xls and .csv, with the usual mess around the data (titles, two-row headers, merged cells,
totals, signatures, text quantities, many date spellings).  Two year-plan workbooks (年度计划) are
written next to them.

Everything is derived from fixed seeds: the same files, byte for byte, on every run.
``demo_truth()`` and ``demo_plan_truth()`` give the numbers an importer must find.

This module is standalone on purpose (stdlib, openpyxl and xlwt only).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import xlwt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

__all__ = ["demo_plan_truth", "demo_truth", "write_demo"]

_SEED = "wuxiang-minzheng-demo-v1"
_MONTHS = {2023: 12, 2024: 11}  # months with data per year (nothing after 2024-11-30)
_LAST_DAY = date(2024, 11, 30)
_DOC_TIME = datetime(2024, 12, 1, 9, 0, 0)
_ZIP_TIME = (2024, 12, 1, 9, 0, 0)
_EXCEL_EPOCH = date(1899, 12, 30)
_BUREAU = "县民政局机关"

# ---------------------------------------------------------------------------------------------
# Domain: indicator catalog and reporting units
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Indicator:
    key: str
    name: str
    measure: str


_CATALOG = (
    _Indicator("children_visited", "走访慰问留守困境儿童", "人次"),
    _Indicator("children_screened", "留守困境儿童摸排", "人"),
    _Indicator("trainings_held", "业务培训", "场"),
    _Indicator("leaflets_distributed", "发放宣传资料", "份"),
    _Indicator("publicity_events", "宣传活动", "场"),
    _Indicator("patrols_run", "街面巡查", "次"),
    _Indicator("people_assisted", "救助流浪乞讨人员", "人次"),
    _Indicator("lectures_held", "法治讲座", "场"),
    _Indicator("disputes_mediated", "矛盾纠纷调解", "件"),
    _Indicator("petitions_handled", "信访投诉办理", "件"),
)
_KEYS = tuple(i.key for i in _CATALOG)
_CANON = {i.key: i.name for i in _CATALOG}
_MEASURE = {i.key: i.measure for i in _CATALOG}
# Column order of the 2023 wide plan: the four indicators leadership asks about first.
_PLAN_ORDER = (
    "children_visited",
    "leaflets_distributed",
    "patrols_run",
    "lectures_held",
    "children_screened",
    "trainings_held",
    "publicity_events",
    "people_assisted",
    "disputes_mediated",
    "petitions_handled",
)

# Category vocabularies (every label is a canonical name or a catalog synonym, sometimes with
# half- or full-width spaces inside, as clerks type them).
_VOCAB_CANON = dict(_CANON)
_VOCAB_SYN = {
    "children_visited": "入户走访",
    "children_screened": "摸底排查",
    "trainings_held": "安全培训",
    "leaflets_distributed": "发放宣传单",
    "publicity_events": "集中宣传",
    "patrols_run": "巡查",
    "people_assisted": "流浪乞讨救助",
    "lectures_held": "普法讲座",
    "disputes_mediated": "纠纷调解",
    "petitions_handled": "信访办理",
}
_VOCAB_MIXED = {
    "children_visited": "走访慰问",
    "children_screened": "留守困境儿童摸排",
    "trainings_held": "业务培训",
    "leaflets_distributed": "宣传资料发放",
    "publicity_events": "宣传活动",
    "patrols_run": "街面巡逻",
    "people_assisted": "救助流浪乞讨人员",
    "lectures_held": "法治讲座",
    "disputes_mediated": "矛盾纠纷调解",
    "petitions_handled": "信访办理",
}
_VOCAB_SHIBEI = {
    "children_visited": "留守儿童走访",
    "children_screened": "摸底排查",
    "trainings_held": "儿童主任培训",
    "leaflets_distributed": "发放宣传单",
    "publicity_events": "宣传活动",
    "patrols_run": "街面巡逻",
    "people_assisted": "流浪乞讨救助",
    "lectures_held": "普法讲座",
    "disputes_mediated": "矛盾纠纷调解",
    "petitions_handled": "信访投诉办理",
}
_VOCAB_SPACED = {
    **_VOCAB_CANON,
    "children_visited": "走访留守儿童",
    "leaflets_distributed": "发放 宣传资料",
    "patrols_run": "街面\u3000巡查",
    "disputes_mediated": " 纠纷调解",
    "petitions_handled": "信访投诉办理 ",
}


@dataclass(frozen=True)
class _Unit:
    """A reporting unit and its habits."""

    name: str
    alias: str
    scale: float  # activity level: 0.8 quiet … 1.2 busy
    plan_factor: float  # target / expected actual: < 1 ahead of plan, > 1 behind
    villages: tuple[str, ...]
    staff: tuple[str, str]  # 填表人, 审核人
    vocab: Mapping[str, str] = field(default_factory=lambda: _VOCAB_CANON)
    measures: Mapping[str, str] = field(default_factory=dict)
    per_person: bool = False

    def label(self, key: str) -> str:
        return self.vocab[key]

    def measure(self, key: str) -> str:
        return self.measures.get(key, _MEASURE[key])


# fmt: off
_UNITS = (
    _Unit("丰州镇", "丰州", 1.15, 0.90, ("东关村", "南关村", "西关村", "北关村", "寨坪村", "李峪村", "石瓮村", "东良村"), ("王丽娟", "李建军")),
    _Unit("洪水镇", "洪水", 1.05, 1.06, ("洪水村", "下北漳村", "寨上村", "东河村", "长乐村", "岭头村", "杨桃湾村"), ("郝晓燕", "魏志刚"), _VOCAB_SYN, {"lectures_held": "期"}, per_person=True),
    _Unit("蟠龙镇", "蟠龙", 0.95, 1.20, ("蟠龙村", "砖壁村", "石门村", "西良村", "红崖头村", "胡峪村"), ("程海霞", "段永平"), _VOCAB_MIXED, per_person=True),
    _Unit("监漳镇", "监漳", 1.00, 1.22, ("监漳村", "东寨底村", "西寨底村", "马牧村", "韩庄村", "长蔚村"), ("赵文静", "武建平")),
    _Unit("故城镇", "故城", 0.90, 0.88, ("故城村", "大寨村", "监漳沟村", "东庄村", "土河村", "窑儿头村"), ("申美玲", "史国庆"), _VOCAB_SPACED, {"trainings_held": "期"}),
    _Unit("韩北镇", "韩北", 0.85, 1.02, ("王家峪村", "韩北村", "大坪村", "义门村", "郭村", "小西沟村"), ("韩丽萍", "冯建华"), _VOCAB_MIXED),
    _Unit("大有乡", "大有", 0.80, 1.12, ("大有村", "李峪沟村", "型村", "马堡村", "郭家垴村", "东堡村"), ("杨春梅", "侯振国")),
    _Unit("贾豁乡", "贾豁", 0.85, 0.86, ("贾豁村", "高家庄村", "石板村", "温庄村", "西黄岩村", "张家庄村"), ("任晓红", "田志勇"), _VOCAB_SYN, per_person=True),
    _Unit("上司乡", "上司", 0.90, 1.10, ("上司村", "岭底村", "墨镫村", "泉沟村", "上寨村", "东沟村"), ("牛彩霞", "郭宏伟"), _VOCAB_CANON, {"lectures_held": "期", "trainings_held": "期"}, per_person=True),
    _Unit("石北乡", "石北", 0.80, 0.95, ("石北村", "南关村", "长乐沟村", "西石壁村", "南峪村", "梁家庄村"), ("张慧芳", "李保平"), _VOCAB_SHIBEI),
    _Unit("涌泉乡", "涌泉", 0.85, 1.16, ("涌泉村", "南庄村", "北良村", "上北漳村", "大寨村", "东坡村"), ("刘艳红", "赵永胜"), _VOCAB_SYN),
    _Unit("分水岭乡", "分水岭", 0.95, 0.92, ("分水岭村", "胡家庄村", "下型塘村", "窑上沟村", "南沟村", "柳沟村"), ("王彩云", "程志军"), _VOCAB_CANON),
)
# fmt: on

_BUREAU_UNIT = _Unit(_BUREAU, "县民政局", 1.0, 1.05, ("县城",), ("郝建英", "李志红"), _VOCAB_CANON)
_UNIT_BY_NAME = {u.name: u for u in (*_UNITS, _BUREAU_UNIT)}

# ---------------------------------------------------------------------------------------------
# Generated facts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Activity:
    """One ledger row: something a unit did on a day, counted in one indicator."""

    unit: str
    day: date
    key: str
    qty: int
    place: str = ""
    participants: int | None = None
    note: str = ""
    label: str = ""  # category as written, when not the unit's usual label
    measure: str = ""  # unit of measure as written, when not the unit's usual one


@dataclass(frozen=True)
class _Child:
    name: str
    sex: str
    id_number: str
    village: str
    guardian: str
    phone: str
    address: str


@dataclass(frozen=True)
class _Visit:
    """One home visit to a left-behind child: one 人次 of children_visited."""

    unit: str
    day: date
    child: _Child
    note: str


@dataclass(frozen=True)
class _YearData:
    unit: _Unit
    year: int
    acts: tuple[_Activity, ...]
    visits: tuple[_Visit, ...]

    @property
    def months(self) -> range:
        return range(1, _MONTHS[self.year] + 1)

    def acts_in(self, months: Iterable[int]) -> list[_Activity]:
        wanted = set(months)
        return [a for a in self.acts if a.day.month in wanted]

    def visits_in(self, month: int) -> list[_Visit]:
        return [v for v in self.visits if v.day.month == month]

    def monthly(self) -> dict[str, dict[int, int]]:
        """Totals per indicator and month (children visits included)."""
        out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for a in self.acts:
            out[a.key][a.day.month] += a.qty
        for v in self.visits:
            out["children_visited"][v.day.month] += 1
        return out


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join([_SEED, *map(str, parts)]))


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _level(rng: random.Random, lo: int, hi: int, scale: float, step: int = 1) -> int:
    """A monthly amount in [lo, hi] whose centre depends on the unit's scale."""
    centre = lo + (hi - lo) * (scale - 0.75) / 0.5
    value = rng.gauss(centre, (hi - lo) * 0.18)
    value = min(hi, max(lo, value))
    return int(round(value / step) * step)


def _split(total: int, parts: int, rng: random.Random, step: int = 1, floor: int = 0) -> list[int]:
    """Split total (a multiple of step) into up to `parts` positive multiples of step.

    Each part is at least `floor` (a multiple of step) when the total allows it.
    """
    units = total // step
    low = floor // step
    parts = max(1, min(parts, units // max(1, low), units))
    spare = units - parts * low
    cuts = sorted(rng.choices(range(spare + 1), k=parts - 1))
    bounds = [0, *cuts, spare]
    return [(low + b - a) * step for a, b in zip(bounds, bounds[1:], strict=False) if low + b - a]


_LEAFLET_THEMES = (
    "《未成年人保护法》宣传",
    "社会救助政策宣传",
    "民法典宣传",
    "移风易俗宣传",
    "防范养老诈骗宣传",
    "婚姻登记政策宣传",
)
_PUBLICITY_THEMES = (
    "未成年人保护集中宣传",
    "社会救助政策进村入户",
    "移风易俗集中宣传",
    "民法典宣传月活动",
    "防范电信诈骗宣传",
)
_LECTURE_THEMES = (
    "民法典进村讲座",
    "未成年人保护法讲座",
    "婚姻家庭法律知识讲座",
    "社会救助法规讲座",
)
_DISPUTE_NOTES = ("邻里纠纷", "婚姻家庭纠纷", "赡养纠纷", "土地边界纠纷", "宅基地纠纷")
_PETITION_NOTES = ("低保待遇咨询", "临时救助申请", "养老服务投诉", "残疾人补贴咨询", "殡葬服务投诉")
_ASSIST_NOTES = ("提供临时食宿后护送返乡", "联系家属接回", "送县救助管理站", "发放御寒衣物")


def _monthly_amounts(rng: random.Random, unit: _Unit, month: int) -> dict[str, int]:
    winter = month in (11, 12, 1, 2)
    s = unit.scale
    return {
        "children_visited": _level(rng, 15, 60, s),
        "children_screened": _level(rng, 80, 300, s) if month in (3, 9) else 0,
        "trainings_held": rng.choices((0, 1), (6, 4))[0],
        "leaflets_distributed": _level(rng, 100, 900, s, step=50),
        "publicity_events": rng.choices((0, 1, 2, 3), (2, 4, 3, 1))[0],
        "patrols_run": _level(rng, 15, 30, s) if winter else _level(rng, 4, 14, s),
        "people_assisted": rng.choices(range(5), (2, 3, 3, 2, 1) if winter else (6, 3, 2, 1, 0))[0],
        "lectures_held": rng.choices((0, 1, 2), (4, 5, 1))[0],
        "disputes_mediated": rng.choices(range(7), (2, 3, 3, 2, 2, 1, 1))[0],
        "petitions_handled": rng.choices(range(5), (3, 3, 2, 1, 1))[0],
    }


def _township_month(unit: _Unit, year: int, month: int) -> tuple[list[_Activity], list[_Visit]]:
    """All activity rows (and per-person visits) of one township in one month."""
    rng = _rng("acts", unit.name, year, month)
    amounts = _monthly_amounts(rng, unit, month)
    ndays = _days_in_month(year, month)
    acts: list[_Activity] = []
    visits: list[_Visit] = []

    def day() -> date:
        return date(year, month, rng.randint(1, ndays))

    def add(
        key: str,
        parts: Sequence[int],
        place: Callable[[], str],
        note: Callable[[], str],
        crowd: tuple[int, int] | None = None,
    ) -> None:
        for qty in parts:
            people = rng.randint(*crowd) if crowd else None
            acts.append(_Activity(unit.name, day(), key, qty, place(), people, note()))

    def village() -> str:
        return rng.choice(unit.villages)

    town = unit.name
    if unit.per_person:
        visits.extend(_visits(unit, year, month, amounts["children_visited"], rng))
    else:
        parts = _split(amounts["children_visited"], rng.randint(2, 5), rng)
        add(
            "children_visited",
            parts,
            village,
            lambda: rng.choice(
                ("入户走访留守儿童", "走访困境儿童，送去学习用品", "了解儿童学习生活情况")
            ),
        )
    if amounts["children_screened"]:
        parts = _split(amounts["children_screened"], rng.randint(1, 3), rng, floor=20)
        add("children_screened", parts, lambda: f"{town}各村", lambda: "留守困境儿童摸底排查")
    add(
        "trainings_held",
        [1] * amounts["trainings_held"],
        lambda: rng.choice((f"{town}中心校", f"{town}政府会议室")),
        lambda: rng.choice(("未成年人安全培训", "村级儿童主任业务培训")),
        (20, 80),
    )
    parts = _split(amounts["leaflets_distributed"], rng.randint(1, 4), rng, step=50)
    add(
        "leaflets_distributed",
        parts,
        lambda: rng.choice((f"{town}集贸市场", f"{town}中心校", village())),
        lambda: rng.choice(_LEAFLET_THEMES),
    )
    add(
        "publicity_events",
        [1] * amounts["publicity_events"],
        lambda: rng.choice((f"{town}集贸市场", village())),
        lambda: rng.choice(_PUBLICITY_THEMES),
        (30, 200),
    )
    patrols = amounts["patrols_run"]
    winter = month in (11, 12, 1, 2)
    parts = _split(patrols, min(10, max(2, patrols // rng.choice((2, 3, 4)))), rng)
    add(
        "patrols_run",
        parts,
        lambda: rng.choice(("镇区主要街道", "汽车站周边", "集贸市场周边", "桥洞及废弃房屋")),
        lambda: "冬季街面巡查" if winter else rng.choice(("日常巡查", "重要节点巡查")),
    )
    if amounts["people_assisted"]:
        parts = _split(amounts["people_assisted"], rng.randint(1, amounts["people_assisted"]), rng)
        add(
            "people_assisted",
            parts,
            lambda: rng.choice(("镇区主要街道", "汽车站周边")),
            lambda: rng.choice(_ASSIST_NOTES),
        )
    add(
        "lectures_held",
        [1] * amounts["lectures_held"],
        lambda: f"{village()}委会",
        lambda: rng.choice(_LECTURE_THEMES),
        (20, 90),
    )
    if amounts["disputes_mediated"]:
        parts = _split(
            amounts["disputes_mediated"], rng.randint(1, amounts["disputes_mediated"]), rng
        )
        add("disputes_mediated", parts, village, lambda: rng.choice(_DISPUTE_NOTES))
    add(
        "petitions_handled",
        [1] * amounts["petitions_handled"],
        lambda: f"{town}民政办",
        lambda: rng.choice(_PETITION_NOTES),
    )
    acts = _plant_typos(unit.name, year, month, acts)
    acts.sort(key=lambda a: (a.day, _KEYS.index(a.key)))
    return acts, visits


# -- planted typos (so the 数据质量 page has something to show) --------------------------------
# (unit, year, month, indicator) -> the slip: "extra_digit" types the month's largest row with one
# digit too many; "lost_digit" types every row of the month without its last digit. The 丰州镇
# patrols also break the seeded rule "街面巡查每月不超过 62 次".
_TYPOS = {
    ("丰州镇", 2024, 11, "patrols_run"): "extra_digit",
    ("监漳镇", 2024, 6, "leaflets_distributed"): "extra_digit",
    ("石北乡", 2024, 9, "leaflets_distributed"): "lost_digit",
}


def _plant_typos(unit: str, year: int, month: int, acts: list[_Activity]) -> list[_Activity]:
    for (name, y, m, key), slip in _TYPOS.items():
        if (name, y, m) != (unit, year, month):
            continue
        rows = [n for n, a in enumerate(acts) if a.key == key]
        if slip == "extra_digit":
            rows = [max(rows, key=lambda n: acts[n].qty)]
        for n in rows:
            qty = acts[n].qty * 10 if slip == "extra_digit" else acts[n].qty // 10
            acts[n] = dataclasses.replace(acts[n], qty=qty)
    return acts


# -- children and visits (per-person ledgers) --------------------------------------------------

_SURNAMES = "王李张刘赵郝武魏韩杨郭程段申史冯侯任田牛"
_CHILD_CHARS = "子浩宇轩涵欣怡梓萱佳琪雨泽俊杰晨阳思彤嘉豪紫一诺语桐博文若曦沐辰雅婷乐安"
_ELDER_GIVEN = (
    "建国",
    "玉梅",
    "海林",
    "秀英",
    "志刚",
    "桂兰",
    "保平",
    "爱莲",
    "二虎",
    "金花",
    "福生",
    "翠萍",
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_VISIT_NOTES = (
    "父母外出务工，祖父母监护",
    "送去学习用品",
    "了解学习和生活情况",
    "宣传未成年人保护政策",
    "",
    "",
    "",
)


def _id_number(birth: date, seq: int, male: bool) -> str:
    """A well-formed 18-digit 身份证号码 (region 140429) with a valid check digit."""
    seq = seq - seq % 2 + (1 if male else 0)
    body = f"140429{birth:%Y%m%d}{seq:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('358')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


@cache
def _children(unit_name: str) -> tuple[_Child, ...]:
    unit = _UNIT_BY_NAME[unit_name]
    rng = _rng("children", unit_name)
    kids = []
    for i in range(70):
        surname = rng.choice(_SURNAMES)
        given = "".join(rng.choice(_CHILD_CHARS) for _ in range(rng.choice((1, 2, 2))))
        male = rng.random() < 0.52
        birth = date(2008, 1, 1) + timedelta(days=rng.randint(0, 11 * 365))
        village = rng.choice(unit.villages)
        kids.append(
            _Child(
                name=surname + given,
                sex="男" if male else "女",
                id_number=_id_number(birth, 100 + 2 * i, male),
                village=village,
                guardian=surname + rng.choice(_ELDER_GIVEN),
                phone=_phone(rng),
                address=f"武乡县{unit_name}{village}{rng.randint(1, 120)}号",
            )
        )
    return tuple(kids)


def _visits(unit: _Unit, year: int, month: int, count: int, rng: random.Random) -> list[_Visit]:
    ndays = _days_in_month(year, month)
    kids = rng.sample(_children(unit.name), count)
    visits = [
        _Visit(unit.name, date(year, month, rng.randint(1, ndays)), k, rng.choice(_VISIT_NOTES))
        for k in kids
    ]
    visits.sort(key=lambda v: (v.day, v.child.id_number))
    return visits


# -- the bureau's own county-level work ----------------------------------------------------------


# The bureau's hand-entered rows: (date, key, qty, place, participants, note, label, measure).
# 2023 agrees with the bureau's 2023 report: 3 婚姻大讲堂, the 儿童督导员、儿童主任 training class,
# 1,050 leaflets in the 养老机构食品安全宣传周, the 12.4 宪法宣传周 in December.
# fmt: off
_BUREAU_ROWS: dict[int, tuple[tuple[Any, ...], ...]] = {
    2023: (
        ("2023-03-16", "lectures_held", 1, "县婚姻登记处", 46, "婚姻集中大讲堂第一期", "婚姻大讲堂", "期"),
        ("2023-06-20", "lectures_held", 1, "县婚姻登记处", 52, "婚姻集中大讲堂第二期", "婚姻大讲堂", "期"),
        ("2023-10-19", "lectures_held", 1, "县婚姻登记处", 48, "婚姻集中大讲堂第三期", "婚姻大讲堂", "期"),
        ("2023-05-25", "trainings_held", 1, "县民政局会议室", 136, "全县儿童督导员、儿童主任业务培训班", "儿童主任培训", ""),
        ("2023-05-16", "publicity_events", 1, "县城人民广场", 110, "民法典宣传月集中宣传", "", ""),
        ("2023-05-16", "leaflets_distributed", 1500, "县城人民广场", None, "民法典宣传月：民法典宣传手册", "", ""),
        ("2023-06-12", "publicity_events", 1, "县社会福利中心（养老机构）", 85, "养老机构食品安全宣传周：展示板、宣传横幅", "集中宣传", ""),
        ("2023-06-12", "leaflets_distributed", 600, "县社会福利中心（养老机构）", None, "养老机构食品安全宣传周：食品安全常识宣传单", "", ""),
        ("2023-06-14", "leaflets_distributed", 450, "全县各养老机构", None, "养老机构食品安全宣传周：《食品安全法》及实施条例宣传手册", "", ""),
        ("2023-04-18", "publicity_events", 1, "丰州镇东关村", 60, "社会救助政策法规进村宣传", "", ""),
        ("2023-08-22", "publicity_events", 1, "蟠龙镇砖壁村", 55, "儿童保护法规政策宣传", "", ""),
        ("2023-10-01", "patrols_run", 3, "县城主要街道", None, "国庆节重要节点街面巡查", "", ""),
        ("2023-12-04", "publicity_events", 1, "县城人民广场", 150, "“12.4宪法宣传周”集中宣传", "", ""),
        ("2023-12-04", "leaflets_distributed", 1200, "县城人民广场", None, "“12.4宪法宣传周”宪法及民政法规宣传资料", "", ""),
    ),
    2024: (
        ("2024-04-11", "lectures_held", 1, "县婚姻登记处", 50, "婚姻集中大讲堂第一期", "婚姻大讲堂", "期"),
        ("2024-07-18", "lectures_held", 1, "县婚姻登记处", 44, "婚姻集中大讲堂第二期", "婚姻大讲堂", "期"),
        ("2024-10-17", "lectures_held", 1, "县婚姻登记处", 57, "婚姻集中大讲堂第三期", "婚姻大讲堂", "期"),
        ("2024-04-23", "trainings_held", 1, "县民政局会议室", 128, "全县儿童督导员、儿童主任业务培训班", "儿童主任培训", ""),
        ("2024-05-15", "publicity_events", 1, "县城人民广场", 120, "民法典宣传月集中宣传", "", ""),
        ("2024-05-15", "leaflets_distributed", 1000, "县城人民广场", None, "民法典宣传月：民法典婚姻家庭编宣传手册", "", ""),
        ("2024-06-17", "publicity_events", 1, "县社会福利中心（养老机构）", 90, "养老机构食品安全宣传周", "集中宣传", ""),
        ("2024-06-17", "leaflets_distributed", 700, "县社会福利中心（养老机构）", None, "养老机构食品安全宣传周：食品安全常识宣传单", "", ""),
        ("2024-06-19", "leaflets_distributed", 400, "全县各养老机构", None, "养老机构食品安全宣传周：宣传手册", "", ""),
        ("2024-10-01", "patrols_run", 3, "县城主要街道", None, "国庆节重要节点街面巡查", "", ""),
        ("2024-10-12", "leaflets_distributed", 1300, "县城各社区", None, "敬老月：防范养老诈骗宣传资料", "", ""),
    ),
}
_BUREAU_WINTER = {2023: (1, 2, 11, 12), 2024: (1, 2, 11)}  # 冬季街面巡查制度: daily patrols
# fmt: on


def _bureau_year(year: int) -> list[_Activity]:
    """County-level rows of 县民政局机关: the hand-entered rows plus routine work."""
    rng = _rng("bureau", year)

    def act(d: date, key: str, qty: int, place: str, note: str) -> _Activity:
        return _Activity(_BUREAU, d, key, qty, place, None, note)

    rows = [
        _Activity(_BUREAU, date.fromisoformat(d), key, qty, place, people, note, label, measure)
        for d, key, qty, place, people, note, label, measure in _BUREAU_ROWS[year]
    ]
    winter = _BUREAU_WINTER[year]
    for month in winter:  # someone patrols every day; one row per week
        ndays = _days_in_month(year, month)
        for week, start in enumerate(range(1, ndays + 1, 7), 1):
            days = min(7, ndays - start + 1)
            note = f"冬季街面巡查（每日专人巡视）第{week}周"
            rows.append(
                act(date(year, month, start), "patrols_run", days, "县城重要街道路口", note)
            )
    for month in _months_of(year):
        if month in winter or rng.random() < 0.3:
            for _ in range(rng.randint(1, 3) if month in winter else 1):
                day = date(year, month, rng.randint(1, 28))
                rows.append(act(day, "people_assisted", 1, "县城", rng.choice(_ASSIST_NOTES)))
        if rng.random() < 0.5:
            day = date(year, month, rng.randint(1, 28))
            rows.append(
                act(
                    day,
                    "disputes_mediated",
                    rng.randint(1, 2),
                    "婚姻家庭纠纷调解室",
                    "婚姻家庭纠纷调解",
                )
            )
        if rng.random() < 0.4:
            day = date(year, month, rng.randint(1, 28))
            rows.append(act(day, "petitions_handled", 1, "县民政局", rng.choice(_PETITION_NOTES)))
    rows.sort(key=lambda a: (a.day, _KEYS.index(a.key), a.note))
    return rows


def _months_of(year: int) -> range:
    return range(1, _MONTHS[year] + 1)


@lru_cache(maxsize=1)
def _dataset() -> dict[tuple[str, int], _YearData]:
    data = {}
    for year in _MONTHS:
        for unit in _UNITS:
            acts: list[_Activity] = []
            visits: list[_Visit] = []
            for month in _months_of(year):
                a, v = _township_month(unit, year, month)
                acts += a
                visits += v
            data[unit.name, year] = _YearData(unit, year, tuple(acts), tuple(visits))
        data[_BUREAU, year] = _YearData(_BUREAU_UNIT, year, tuple(_bureau_year(year)), ())
    return data


# ---------------------------------------------------------------------------------------------
# Sheets: a neutral grid (values + merges) that the writers turn into xlsx/xls/csv
# ---------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """One worksheet as a grid of values (None = empty) plus merged ranges and bold rows."""

    name: str
    date_format: str = "yyyy-mm-dd"
    rows: list[list[Any]] = field(default_factory=list)
    # merged ranges as (first row, first column, last row, last column), 0-based, inclusive
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    bold: set[int] = field(default_factory=set)
    widths: tuple[int, ...] = ()

    def add(self, values: Sequence[Any] = (), bold: bool = False) -> int:
        self.rows.append(list(values))
        if bold:
            self.bold.add(len(self.rows) - 1)
        return len(self.rows) - 1

    def title(self, text: str, width: int, merged: bool = True) -> None:
        r = self.add([text], bold=True)
        if merged and width > 1:
            self.merges.append((r, 0, r, width - 1))

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))
        for r in range(r1, r2 + 1):
            row = self.rows[r]
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and c < len(row):
                    row[c] = None


@dataclass
class _Book:
    """One file to write: path relative to the output folder, its sheets, CSV encoding."""

    relpath: str
    sheets: list[_Sheet]
    encoding: str = "utf-8-sig"  # .csv only


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CN_MONTH = (
    "",
    "一月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "十一月",
    "十二月",
)
_CN_QUARTER = ("", "第一季度", "第二季度", "第三季度", "第四季度")


def _date_value(d: date, style: str) -> Any:
    """A date as a clerk wrote it: a real date cell, an Excel serial number or a string."""
    match style:
        case "date":
            return d
        case "serial":
            return (d - _EXCEL_EPOCH).days
        case "iso":
            return d.isoformat()
        case "slash":
            return f"{d.year}/{d.month}/{d.day}"
        case "dot":
            return f"{d.year}.{d.month}.{d.day}"
        case "cn":
            return f"{d.year}年{d.month}月{d.day}日"
    raise ValueError(style)


def _qty_value(
    qty: int, key: str, measure: str, forms: Sequence[str], rate: float, rng: random.Random
) -> Any:
    """A quantity as a number or, at `rate`, as text in one of `forms` (value unchanged).

    Round leaflet counts are written as approximations ("200余份") more often, when allowed.
    """
    usable = {
        "comma": qty >= 1000,
        "fullwidth": True,
        "suffix": True,
        "approx": key == "leaflets_distributed" and qty >= 100 and qty % 100 == 0,
        "text": True,
    }
    if "approx" in forms and usable["approx"] and rng.random() < 0.25:
        return f"{qty}余{measure}"
    if not forms or rng.random() >= rate:
        return qty
    choices = [f for f in forms if usable[f]]
    if not choices:
        return qty
    form = rng.choice(choices)
    return {
        "comma": f"{qty:,}",
        "fullwidth": str(qty).translate(_FULLWIDTH),
        "suffix": f"{qty}{measure}",
        "approx": f"{qty}余{measure}",
        "text": str(qty),
    }[form]


def _subtitle(unit: _Unit, reported: date) -> str:
    office = "县民政局政策法规股" if unit.name == _BUREAU else f"{unit.name}民政办"
    return f"填报单位：{office}  填报日期：{reported.year}年{reported.month}月{reported.day}日"


def _report_day(year: int, last_month: int) -> date:
    """The day a period ending with `last_month` was reported (never after the demo's last day)."""
    end = date(year, last_month, _days_in_month(year, last_month))
    return min(end + timedelta(days=3 + (year + last_month) % 3), _LAST_DAY)


def _signature(unit: _Unit) -> str:
    return f"填表人：{unit.staff[0]}  审核人：{unit.staff[1]}  单位负责人（签名）："


_FOOTNOTE = "注：1. 本表每月5日前报县民政局。2. 数量栏请填写阿拉伯数字。"


def _instructions_sheet() -> _Sheet:
    sheet = _Sheet("填表说明", widths=(90,))
    lines = (
        "填表说明",
        "1. 每开展一项工作填写一行，日期填写工作开展的具体日期。",
        "2. 工作类别按县民政局下发的类别填写，如：走访慰问留守困境儿童、发放宣传资料、街面巡查、法治讲座。",
        "3. 数量填写阿拉伯数字，计量单位分别为人次、人、场、份、次、件。",
        "4. 本表每月5日前报县民政局，电子版和纸质盖章版各一份。",
    )
    for i, line in enumerate(lines):
        sheet.add([line], bold=i == 0)
    return sheet


# -- ledger (明细台账) ---------------------------------------------------------------------------


def _cols(spec: str) -> tuple[tuple[str, str], ...]:
    """Column spec "field=header field=header …" as (field, header) pairs."""
    pairs = (item.split("=", 1) for item in spec.split())
    return tuple((f, header) for f, header in pairs)


@dataclass(frozen=True)
class _LedgerStyle:
    """A township's ledger habits; `columns` are (field, header) pairs in sheet order.

    Fields: seq, date, category, qty, unit, township, place, participants, note, leader, cost.
    """

    columns: tuple[tuple[str, str], ...]
    two_row: bool = False  # 完成情况 merged over the qty and unit sub-columns
    pad_rows: int = 0  # blank rows between the titles and the header
    by_category: bool = False  # rows grouped by category (else by date)
    subtotals: bool = False  # 小计 after each category block
    merge: tuple[str, ...] = ()  # fields merged vertically over runs of equal values
    total: str = ""  # 合计 / 总计 row at the bottom
    signature: bool = False
    footnote: bool = False
    date_styles: tuple[str, ...] = ("date",)
    date_format: str = "yyyy-mm-dd"
    qty_forms: tuple[str, ...] = ()
    qty_rate: float = 0.0
    township: str = "name"  # name | alias | mixed
    blank_rows: int = 0  # blank rows scattered among the data rows
    widths: tuple[int, ...] = ()


def _ledger_sheet(
    name: str,
    acts: Sequence[_Activity],
    unit: _Unit,
    style: _LedgerStyle,
    titles: Sequence[str],
    rng: random.Random,
) -> _Sheet:
    """A detailed ledger sheet: a row per activity."""
    fields = [f for f, _ in style.columns]
    width = len(fields)
    sheet = _Sheet(name, style.date_format, widths=style.widths)
    for i, text in enumerate(titles):
        sheet.title(text, width, merged=i == 0)
    for _ in range(style.pad_rows):
        sheet.add()
    _header(sheet, style.columns, style.two_row)

    ordered = (
        sorted(acts, key=lambda a: (_KEYS.index(a.key), a.day)) if style.by_category else list(acts)
    )
    blanks = set(
        rng.sample(range(1, len(ordered)), min(style.blank_rows, max(0, len(ordered) - 1)))
    )
    data_rows: list[tuple[int, _Activity]] = []
    block: list[_Activity] = []
    for i, act in enumerate(ordered):
        if i in blanks:
            sheet.add()
        values = [_ledger_cell(f, act, i + 1, unit, style, rng) for f in fields]
        data_rows.append((sheet.add(values), act))
        block.append(act)
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        if style.subtotals and (nxt is None or nxt.key != act.key):
            sheet.add(_summary_row(fields, "小计", sum(a.qty for a in block)))
            block = []
    for f in style.merge:
        _merge_runs(sheet, data_rows, fields.index(f), same_key=f in ("category", "unit"))
    if style.total:
        sheet.add(_summary_row(fields, style.total, sum(a.qty for a in acts)), bold=True)
    if style.signature:
        sheet.add([_signature(unit)])
    if style.footnote:
        sheet.add([_FOOTNOTE])
    return sheet


def _header(sheet: _Sheet, columns: Sequence[tuple[str, str]], two_row: bool) -> None:
    if not two_row:
        sheet.add([h for _, h in columns], bold=True)
        return
    fields = [f for f, _ in columns]
    qi = fields.index("qty")
    assert fields[qi + 1] == "unit", "two-row headers group 数量 and 单位"
    top = [None if f == "unit" else "完成情况" if f == "qty" else h for f, h in columns]
    bottom = [h if f in ("qty", "unit") else None for f, h in columns]
    r = sheet.add(top, bold=True)
    sheet.add(bottom, bold=True)
    sheet.merges.append((r, qi, r, qi + 1))
    for c, f in enumerate(fields):
        if f not in ("qty", "unit"):
            sheet.merges.append((r, c, r + 1, c))


def _summary_row(fields: Sequence[str], label: str, total: int) -> list[Any]:
    row: list[Any] = [None] * len(fields)
    row[0] = label
    row[fields.index("qty")] = total
    return row


def _ledger_cell(
    f: str, act: _Activity, seq: int, unit: _Unit, style: _LedgerStyle, rng: random.Random
) -> Any:
    measure = act.measure or unit.measure(act.key)
    match f:
        case "seq":
            return seq
        case "date":
            return _date_value(act.day, rng.choice(style.date_styles))
        case "category":
            return act.label or unit.label(act.key)
        case "qty":
            return _qty_value(act.qty, act.key, measure, style.qty_forms, style.qty_rate, rng)
        case "unit":
            return measure
        case "township":
            if style.township == "alias" or (style.township == "mixed" and rng.random() < 0.4):
                return unit.alias
            return unit.name
        case "place":
            return act.place
        case "participants":
            return act.participants
        case "note":
            return act.note
        case "leader":
            return unit.staff[0]
        case "cost":
            if act.key in ("publicity_events", "trainings_held", "leaflets_distributed"):
                return rng.choice((0, 200, 350, 500, 800, 1200))
            return None
    raise ValueError(f)


def _merge_runs(
    sheet: _Sheet, data_rows: Sequence[tuple[int, _Activity]], col: int, same_key: bool
) -> None:
    """Merge a column vertically over runs of adjacent data rows with equal values."""
    runs: list[list[int]] = []
    prev: tuple[int, Any] | None = None
    for r, act in data_rows:
        ident = (act.key if same_key else None, sheet.rows[r][col])
        if prev is not None and r == prev[0] + 1 and ident == prev[1] and runs:
            runs[-1].append(r)
        else:
            runs.append([r])
        prev = (r, ident)
    for run in runs:
        if len(run) > 1:
            sheet.merge(run[0], col, run[-1], col)


# -- per-person ledger (一人一行) ---------------------------------------------------------------


@dataclass(frozen=True)
class _PersonStyle:
    """Headers of a per-person ledger; fields: seq, name, sex, id, village, guardian, phone, address, date, note."""

    columns: tuple[tuple[str, str], ...]
    date_styles: tuple[str, ...] = ("date",)
    date_format: str = "yyyy-mm-dd"
    total: bool = False
    signature: bool = False
    phone_number: bool = False  # phone typed as a number, not text
    widths: tuple[int, ...] = (6, 10, 6, 22, 12, 10, 14, 28, 12, 26)


def _person_sheet(
    name: str,
    visits: Sequence[_Visit],
    unit: _Unit,
    style: _PersonStyle,
    titles: Sequence[str],
    rng: random.Random,
) -> _Sheet:
    """A per-person ledger: a row per child visited, no quantity and no category column."""
    fields = [f for f, _ in style.columns]
    sheet = _Sheet(name, style.date_format, widths=style.widths)
    for i, text in enumerate(titles):
        sheet.title(text, len(fields), merged=i == 0)
    sheet.add([h for _, h in style.columns], bold=True)
    for seq, v in enumerate(visits, 1):
        c = v.child
        values = {
            "seq": seq,
            "name": c.name,
            "sex": c.sex,
            "id": c.id_number,
            "village": c.village,
            "guardian": c.guardian,
            "phone": int(c.phone) if style.phone_number else c.phone,
            "address": c.address,
            "date": _date_value(v.day, rng.choice(style.date_styles)),
            "note": v.note,
        }
        sheet.add([values[f] for f in fields])
    if style.total:
        sheet.add(["合计", f"共{len(visits)}人次"], bold=True)
    if style.signature:
        sheet.add([_signature(unit)])
    return sheet


# -- monthly summary (月度汇总表) ----------------------------------------------------------------


@dataclass(frozen=True)
class _SummaryStyle:
    """A township's monthly-summary habits."""

    label_header: str = "工作内容"
    seq: bool = False
    unit_header: str = ""  # a separate unit column; else the unit goes into the label
    brackets: tuple[str, str] = ("（", "）")
    months: int = 12  # month columns (may exceed the months with data)
    total: bool = True
    note: bool = False
    zero: Any = 0  # how an empty month is written (0 or blank)
    pad_rows: int = 0
    signature: bool = True
    footnote: bool = False
    text_rate: float = 0.0  # share of numbers stored as text


_SUMMARY_NOTES = {"children_screened": "3月、9月集中摸排", "patrols_run": "冬季实行每日巡查"}


def _summary_sheet(
    name: str, data: _YearData, style: _SummaryStyle, titles: Sequence[str], rng: random.Random
) -> _Sheet:
    """Indicators down, 1月… across, optional 合计 column."""
    unit = data.unit
    header = ["序号"] if style.seq else []
    header.append(style.label_header)
    if style.unit_header:
        header.append(style.unit_header)
    header += [f"{m}月" for m in range(1, style.months + 1)]
    if style.total:
        header.append("合计")
    if style.note:
        header.append("备注")
    sheet = _Sheet(name, widths=(6, 30) + (8,) * (len(header) - 2))
    for i, text in enumerate(titles):
        sheet.title(text, len(header), merged=i == 0)
    for _ in range(style.pad_rows):
        sheet.add()
    sheet.add(header, bold=True)
    monthly = data.monthly()
    for i, key in enumerate(_KEYS, 1):
        label = unit.label(key)
        if not style.unit_header:
            label = f"{label.strip()}{style.brackets[0]}{unit.measure(key)}{style.brackets[1]}"
        row: list[Any] = [i] if style.seq else []
        row.append(label)
        if style.unit_header:
            row.append(unit.measure(key))
        for m in range(1, style.months + 1):
            if m > _MONTHS[data.year]:
                row.append(None)
                continue
            v = monthly[key].get(m, 0)
            cell: Any = v if v else style.zero
            if cell and rng.random() < style.text_rate:
                cell = str(cell)
            row.append(cell)
        if style.total:
            row.append(sum(monthly[key].values()))
        if style.note:
            row.append(_SUMMARY_NOTES.get(key))
        sheet.add(row)
    if style.signature:
        sheet.add([_signature(unit)])
    if style.footnote:
        sheet.add([_FOOTNOTE])
    return sheet


# ---------------------------------------------------------------------------------------------
# Each unit's habits
# ---------------------------------------------------------------------------------------------

_LEDGER_STD = _cols(
    "seq=序号 date=日期 category=类别 qty=数量 unit=单位 township=乡镇 place=具体地点 participants=参与人数 note=备注"
)
_LEDGER_STD_WIDTHS = (6, 14, 20, 10, 8, 10, 20, 10, 30)
_PERSON_STD = _cols(
    "seq=序号 name=姓名 sex=性别 id=身份证号码 village=所在村 guardian=监护人 phone=联系电话 address=家庭住址 date=走访日期 note=备注"
)


def _quarters(year: int) -> list[tuple[int, list[int]]]:
    """(quarter, months with data) pairs; 2024's fourth quarter is October and November."""
    months = list(_months_of(year))
    return [(q, months[3 * q - 3 : 3 * q]) for q in range(1, 5) if months[3 * q - 3 : 3 * q]]


def _file_rng(relpath: str, sheet: str = "") -> random.Random:
    return _rng("render", relpath, sheet)


def _monthly_ledger_files(
    data: _YearData,
    style: _LedgerStyle,
    filename: str,
    title: str,
    ext: str,
    sheet_name: str = "Sheet1",
    subtitle: bool = True,
) -> list[_Book]:
    """One ledger file per month; `filename` and `title` are formats over unit, year, month."""
    unit, year = data.unit, data.year
    books = []
    for m in data.months:
        fmt = {"u": unit.name, "y": year, "m": m}
        rel = f"{year}/{unit.name}/{filename.format(**fmt)}{ext}"
        titles = [title.format(**fmt)] + (
            [_subtitle(unit, _report_day(year, m))] if subtitle else []
        )
        sheet = _ledger_sheet(
            sheet_name.format(**fmt), data.acts_in([m]), unit, style, titles, _file_rng(rel)
        )
        books.append(_Book(rel, [sheet]))
    return books


def _month_sheets(
    data: _YearData,
    months: Iterable[int],
    style: _LedgerStyle,
    sheet_name: Callable[[int], str],
    title: str | None,
    rel: str,
) -> list[_Sheet]:
    """A ledger sheet per month (for quarterly and yearly workbooks)."""
    unit, year = data.unit, data.year
    sheets = []
    for m in months:
        titles = (
            []
            if title is None
            else [title.format(u=unit.name, y=year, m=m), _subtitle(unit, _report_day(year, m))]
        )
        sheets.append(
            _ledger_sheet(sheet_name(m), data.acts_in([m]), unit, style, titles, _file_rng(rel, m))
        )
    return sheets


def _category_sheets(data: _YearData, style: _LedgerStyle, title: str, rel: str) -> list[_Sheet]:
    """A ledger sheet per category for the whole year, named after the category."""
    unit = data.unit
    sheets = []
    for key in _KEYS:
        acts = [a for a in data.acts if a.key == key]
        if not acts:
            continue
        label = unit.label(key).strip()
        titles = [title.format(u=unit.name, y=data.year, c=label)]
        sheets.append(_ledger_sheet(label, acts, unit, style, titles, _file_rng(rel, key)))
    return sheets


def _render_fengzhou(data: _YearData) -> list[_Book]:
    """丰州镇: one file per month; 2023 .xlsx with real dates, 2024 .xls with serials and a merged township column."""
    if data.year == 2023:
        style = _LedgerStyle(
            _LEDGER_STD,
            total="合计",
            signature=True,
            date_styles=("date", "date", "date", "cn"),
            qty_forms=("suffix", "text"),
            qty_rate=0.08,
            township="mixed",
            widths=_LEDGER_STD_WIDTHS,
        )
        return _monthly_ledger_files(
            data, style, "{u}{y}年{m}月工作台账", "武乡县{u}{y}年{m}月工作台账", ".xlsx"
        )
    style = _LedgerStyle(
        _LEDGER_STD,
        pad_rows=1,
        merge=("township",),
        total="合计",
        signature=True,
        footnote=True,
        date_styles=("serial", "date"),
        date_format="yyyy/m/d",
        qty_forms=("suffix",),
        qty_rate=0.15,
        widths=_LEDGER_STD_WIDTHS,
    )
    return _monthly_ledger_files(
        data,
        style,
        "{u}{y}年{m}月工作台账",
        "武乡县{u}{y}年{m}月工作台账",
        ".xls",
        sheet_name="{y}.{m}",
    )


def _render_hongshui(data: _YearData) -> list[_Book]:
    """洪水镇: per-person visit ledger per month, plus a yearly ledger with a sheet per month."""
    unit, year = data.unit, data.year
    person = _PersonStyle(_PERSON_STD, total=True, signature=True)
    books = []
    for m in data.months:
        rel = f"{year}/{unit.name}/{unit.name}{year}年{m}月走访留守儿童台账.xlsx"
        title = f"{unit.name}{year}年{m}月走访留守儿童台账"
        sheet = _person_sheet(
            "留守儿童走访台账", data.visits_in(m), unit, person, [title], _file_rng(rel)
        )
        books.append(_Book(rel, [sheet]))
    cols = _cols(
        "date=活动日期 township=所属乡镇 category=工作类别 qty=完成数量 unit=计量单位 place=活动地点 note=备注"
    )
    style = _LedgerStyle(
        cols, date_styles=("iso", "slash"), blank_rows=1, widths=(14, 10, 18, 10, 10, 20, 30)
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作台账.xlsx"
    sheets = _month_sheets(data, data.months, style, lambda m: f"{m}月", None, rel)
    if year == 2024:  # the December sheet is prepared but still empty
        sheets.append(_ledger_sheet("12月", [], unit, style, [], _file_rng(rel, 12)))
    books.append(_Book(rel, sheets))
    return books


def _render_panlong(data: _YearData) -> list[_Book]:
    """蟠龙镇: quarterly per-person workbooks (sheet per month), yearly ledger with a two-row header."""
    unit, year = data.unit, data.year
    person = _PersonStyle(
        _cols(
            "seq=序号 name=儿童姓名 sex=性别 id=身份证号 village=村（社区） guardian=监护人姓名 phone=手机号码 address=住址 date=走访时间 note=备注"
        ),
        date_styles=("dot",),
    )
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年{_CN_QUARTER[q]}入户走访台账.xlsx"
        sheets = [
            _person_sheet(
                f"{m}月",
                data.visits_in(m),
                unit,
                person,
                [f"{unit.name}{year}年{m}月入户走访台账", _subtitle(unit, _report_day(year, m))],
                _file_rng(rel, m),
            )
            for m in months
        ]
        books.append(_Book(rel, sheets))
    cols = _cols(
        "seq=序号 date=日期 category=项目 qty=数量 unit=单位 place=地点 participants=参与人数 note=备注"
    )
    style = _LedgerStyle(
        cols,
        two_row=True,
        total="合计",
        signature=True,
        qty_forms=("fullwidth", "approx"),
        qty_rate=0.1,
        widths=(6, 14, 20, 10, 8, 20, 10, 30),
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账.xlsx"
    sheets = [
        _instructions_sheet(),
        *_month_sheets(
            data, data.months, style, lambda m: f"{year}年{m}月", "武乡县{u}{y}年{m}月工作台账", rel
        ),
    ]
    books.append(_Book(rel, sheets))
    return books


def _render_jianzhang(data: _YearData) -> list[_Book]:
    """监漳镇: 2023 a monthly summary, units inside the labels, 序号 and 合计 columns; 2024 the
    same figures as a wide table, a row per month under 本月/累计 column pairs."""
    unit, year = data.unit, data.year
    titles = [
        f"{unit.name}{year}年民政重点工作月度汇总表",
        _subtitle(unit, _report_day(year, _MONTHS[year])),
    ]
    if year == 2024:
        rel = f"{year}/{unit.name}/{unit.name}{year}年民政重点工作进度表.xlsx"
        titles[0] = f"{unit.name}{year}年民政重点工作进度表"
        return [_Book(rel, [_wide_month_rows_sheet("进度表", data, titles)])]
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作月度汇总表.xlsx"
    style = _SummaryStyle(seq=True, months=_MONTHS[year], pad_rows=2, footnote=True)
    return [_Book(rel, [_summary_sheet("汇总表", data, style, titles, _file_rng(rel))])]


def _render_gucheng(data: _YearData) -> list[_Book]:
    """故城镇: quarterly workbooks, sheet per month (一月…), blocks per category with merged cells and 小计."""
    unit, year = data.unit, data.year
    ext = ".xls" if year == 2023 else ".xlsx"
    cols = _cols(
        "seq=序号 category=类别 date=日期 qty=数量 unit=单位 township=乡镇 place=地点 leader=负责人 cost=经费（元） note=备注"
    )
    style = _LedgerStyle(
        cols,
        two_row=year == 2023,
        pad_rows=1,
        by_category=True,
        subtotals=True,
        merge=("category", "unit"),
        total="合计",
        signature=True,
        date_styles=("dot", "serial") if year == 2023 else ("dot", "date"),
        date_format='yyyy"年"m"月"d"日"',
        township="alias",
        widths=(6, 20, 14, 10, 8, 8, 20, 10, 10, 30),
    )
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年{_CN_QUARTER[q]}民政工作台账{ext}"
        sheets = _month_sheets(
            data, months, style, lambda m: _CN_MONTH[m], "武乡县{u}{y}年{m}月工作台账", rel
        )
        books.append(_Book(rel, [*sheets, _instructions_sheet()]))
    return books


def _render_hanbei(data: _YearData) -> list[_Book]:
    """韩北镇: one yearly workbook, a sheet per category; township, category and unit merged down."""
    unit, year = data.unit, data.year
    cols = _cols(
        "seq=序号 township=乡镇 category=类别 date=时间 qty=数量 unit=单位 place=地点 note=备注"
    )
    style = _LedgerStyle(
        cols,
        merge=("township", "category", "unit"),
        signature=True,
        date_styles=("cn",),
        qty_forms=("suffix",),
        qty_rate=0.05,
        widths=(6, 10, 18, 16, 10, 8, 20, 30),
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作台账（分类）.xlsx"
    return [_Book(rel, _category_sheets(data, style, "{u}{y}年{c}工作台账", rel))]


def _render_dayou(data: _YearData) -> list[_Book]:
    """大有乡: quarterly CSV; 2023 UTF-8 with BOM and a title line, 2024 GBK as Excel saves it."""
    unit, year = data.unit, data.year
    if year == 2023:
        cols = _cols(
            "date=日期 township=乡镇 category=类别 qty=数量 unit=单位 place=地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            total="合计",
            date_styles=("slash",),
            qty_forms=("suffix", "approx"),
            qty_rate=0.1,
            blank_rows=1,
        )
        encoding, title = "utf-8-sig", "{u}{y}年" + "{q}工作台账"
    else:
        cols = _cols(
            "date=时间 township=所属乡镇 category=工作内容 qty=数量（人次/份/次） unit=计量单位 place=具体地点 note=备注"
        )
        style = _LedgerStyle(
            cols, date_styles=("slash", "iso"), qty_forms=("suffix", "text"), qty_rate=0.1
        )
        encoding, title = "gbk", ""
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年{_CN_QUARTER[q]}工作台账.csv"
        titles = [title.format(u=unit.name, y=year, q=_CN_QUARTER[q])] if title else []
        sheet = _ledger_sheet(
            Path(rel).stem, data.acts_in(months), unit, style, titles, _file_rng(rel)
        )
        books.append(_Book(rel, [sheet], encoding))
    return books


def _render_jiahuo(data: _YearData) -> list[_Book]:
    """贾豁乡: yearly per-person .xls (sheet per month); ledgers monthly .xlsx in 2023, one .xlsm in 2024."""
    unit, year = data.unit, data.year
    person = _PersonStyle(
        _cols(
            "seq=序号 name=姓名 sex=性别 id=公民身份号码 village=行政村 guardian=监护人 phone=联系方式 address=家庭地址 date=走访日期 note=备注"
        ),
        date_format="yyyy/m/d",
        phone_number=True,
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年留守儿童走访慰问台账.xls"
    books = [
        _Book(
            rel,
            [
                _person_sheet(
                    f"{m}月走访慰问", data.visits_in(m), unit, person, [], _file_rng(rel, m)
                )
                for m in data.months
            ],
        )
    ]
    if year == 2023:
        cols = _cols(
            "date=日期 category=工作内容 qty=数量 unit=单位 place=活动地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            footnote=True,
            date_styles=("serial", "date"),
            qty_forms=("text",),
            qty_rate=0.1,
            widths=(14, 18, 10, 8, 20, 10, 30),
        )
        books += _monthly_ledger_files(
            data,
            style,
            "{u}{y}年{m}月工作台账",
            "{u}{y}年{m}月民政工作开展情况台账",
            ".xlsx",
            subtitle=False,
        )
    else:
        cols = _cols(
            "seq=序号 township=乡镇 date=日期 category=工作内容 qty=数量 unit=单位 place=活动地点 note=备注"
        )
        style = _LedgerStyle(
            cols,
            total="合计",
            signature=True,
            date_styles=("date", "iso"),
            qty_forms=("fullwidth", "suffix"),
            qty_rate=0.1,
            widths=(6, 10, 14, 18, 10, 8, 20, 30),
        )
        rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账.xlsm"
        books.append(
            _Book(
                rel,
                _month_sheets(
                    data,
                    data.months,
                    style,
                    lambda m: f"{year}年{m}月",
                    "{u}{y}年{m}月工作台账",
                    rel,
                ),
            )
        )
    return books


def _render_shangsi(data: _YearData) -> list[_Book]:
    """上司乡: per-person file per month (category only in the title); yearly ledger with extra columns."""
    unit, year = data.unit, data.year
    person = _PersonStyle(_PERSON_STD, date_styles=("iso",), signature=True)
    books = []
    for m in data.months:
        rel = f"{year}/{unit.name}/{unit.name}{year}年{m}月走访台账.xlsx"
        titles = [
            f"{unit.name}{year}年{m}月走访留守儿童台账",
            _subtitle(unit, _report_day(year, m)),
        ]
        books.append(
            _Book(
                rel,
                [_person_sheet("Sheet1", data.visits_in(m), unit, person, titles, _file_rng(rel))],
            )
        )
    cols = _cols(
        "township=所属乡镇 date=日期 category=项目 leader=负责人 qty=完成数量 unit=计量单位 cost=经费（元） place=活动地点 participants=参与人数 note=备注"
    )
    style = _LedgerStyle(
        cols,
        total="总计",
        date_styles=("slash", "date"),
        qty_forms=("fullwidth", "text"),
        qty_rate=0.08,
        widths=(10, 14, 20, 10, 10, 10, 10, 20, 10, 30),
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作台账.xlsx"
    books.append(
        _Book(
            rel,
            [
                _instructions_sheet(),
                *_month_sheets(data, data.months, style, lambda m: f"{m}月", None, rel),
            ],
        )
    )
    return books


def _render_shibei(data: _YearData) -> list[_Book]:
    """石北乡: 2023 a sheet per category without category or township column; 2024 a monthly summary."""
    unit, year = data.unit, data.year
    if year == 2023:
        cols = _cols(
            "seq=序号 date=日期 qty=数量 unit=单位 place=地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            footnote=True,
            qty_forms=("approx", "suffix"),
            qty_rate=0.15,
            widths=(6, 14, 10, 8, 20, 10, 30),
        )
        rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账.xlsx"
        return [_Book(rel, _category_sheets(data, style, "{u}{y}年{c}台账", rel))]
    rel = f"{year}/{unit.name}/{unit.name}{year}年1-11月工作汇总.xlsx"
    style = _SummaryStyle(
        label_header="工作项目",
        brackets=("(", ")"),
        months=11,
        total=False,
        zero=None,
        signature=False,
    )
    return [
        _Book(
            rel,
            [
                _summary_sheet(
                    "Sheet1",
                    data,
                    style,
                    [f"{unit.name}{year}年1-11月民政工作完成情况汇总"],
                    _file_rng(rel),
                )
            ],
        )
    ]


def _render_yongquan(data: _YearData) -> list[_Book]:
    """涌泉乡: 2023 a monthly summary (.xls), separate 单位 column; 2024 a workbook with a sheet
    per month, the township in a row under indicators across (a wide table)."""
    unit, year = data.unit, data.year
    if year == 2024:
        rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作月报.xlsx"
        sheets = [_wide_unit_row_sheet(data, m) for m in data.months]
        return [_Book(rel, sheets)]
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作月报汇总.xls"
    style = _SummaryStyle(
        label_header="指标", seq=True, unit_header="单位", months=12, note=True, zero=None
    )
    titles = [
        f"武乡县{unit.name}{year}年民政工作月报汇总表",
        _subtitle(unit, _report_day(year, _MONTHS[year])),
    ]
    return [_Book(rel, [_summary_sheet(f"{year}年", data, style, titles, _file_rng(rel))])]


# -- wide tables (横表: indicators across) ------------------------------------------------------


def _wide_month_rows_sheet(name: str, data: _YearData, titles: Sequence[str]) -> _Sheet:
    """A row per month; per indicator a 本月 and a 累计 column under its merged name; 合计 row."""
    unit, monthly = data.unit, data.monthly()
    width = 1 + 2 * len(_KEYS)
    sheet = _Sheet(name, widths=(8,) + (9,) * (width - 1))
    for i, text in enumerate(titles):
        sheet.title(text, width, merged=i == 0)
    top: list[Any] = ["月份"]
    for key in _KEYS:
        top += [f"{unit.label(key)}（{unit.measure(key)}）", None]
    r = sheet.add(top, bold=True)
    sheet.add([None] + ["本月", "累计"] * len(_KEYS), bold=True)
    sheet.merge(r, 0, r + 1, 0)
    for i in range(len(_KEYS)):
        sheet.merge(r, 1 + 2 * i, r, 2 + 2 * i)
    running = dict.fromkeys(_KEYS, 0)
    for m in data.months:
        row: list[Any] = [f"{m}月"]
        for key in _KEYS:
            v = monthly[key].get(m, 0)
            running[key] += v
            row += [v, running[key]]
        sheet.add(row)
    total: list[Any] = ["合计"]
    for key in _KEYS:
        total += [sum(monthly[key].values()), None]
    sheet.add(total, bold=True)
    sheet.add([_signature(unit)])
    return sheet


def _wide_unit_row_sheet(data: _YearData, month: int) -> _Sheet:
    """One month's sheet: the township's row under indicators across (none written as blank)."""
    unit, monthly = data.unit, data.monthly()
    header = ["单位"] + [f"{unit.label(key)}({unit.measure(key)})" for key in _KEYS] + ["备注"]
    sheet = _Sheet(f"{month}月", widths=(10,) + (10,) * (len(header) - 1))
    sheet.title(f"武乡县{unit.name}{data.year}年{month}月民政工作月报", len(header))
    sheet.add(header, bold=True)
    sheet.add([unit.name] + [monthly[key].get(month) or None for key in _KEYS] + [None])
    sheet.add([_signature(unit)])
    return sheet


def _render_fenshuiling(data: _YearData) -> list[_Book]:
    """分水岭乡: 2023 a file per month with a two-row header; 2024 quarterly CSV (UTF-8, no BOM)."""
    unit, year = data.unit, data.year
    if year == 2023:
        cols = _cols(
            "seq=序号 date=时间 township=乡镇 category=工作类别 qty=数量 unit=单位 place=具体地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            two_row=True,
            merge=("township",),
            signature=True,
            footnote=True,
            date_styles=("dot",),
            qty_forms=("fullwidth",),
            qty_rate=0.1,
            township="alias",
            blank_rows=2,
            widths=(6, 14, 10, 20, 10, 8, 20, 10, 30),
        )
        return _monthly_ledger_files(
            data, style, "{u}{y}年{m}月台账", "武乡县{u}{y}年{m}月工作台账", ".xlsx"
        )
    cols = _cols(
        "date=日期 township=所属乡镇 category=项目 qty=完成数量 unit=计量单位 place=活动地点 note=备注"
    )
    style = _LedgerStyle(cols, date_styles=("iso",), township="mixed")
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年第{q}季度台账.csv"
        books.append(
            _Book(
                rel,
                [
                    _ledger_sheet(
                        Path(rel).stem, data.acts_in(months), unit, style, [], _file_rng(rel)
                    )
                ],
                "utf-8",
            )
        )
    return books


def _render_bureau(data: _YearData) -> list[_Book]:
    """县民政局机关: a yearly ledger (2023 .xlsm, 2024 .xlsx); the unit is in the file name and title."""
    unit, year = data.unit, data.year
    cols = _cols(
        "seq=序号 date=日期 category=工作类别 qty=数量 unit=单位 place=具体地点 participants=参与人数 note=备注"
    )
    style = _LedgerStyle(
        cols,
        signature=True,
        footnote=year == 2024,
        date_styles=("date",),
        date_format='yyyy"年"m"月"d"日"',
        qty_forms=("comma",),
        qty_rate=1.0,
        widths=(6, 16, 18, 10, 8, 26, 10, 44),
    )
    ext = ".xlsm" if year == 2023 else ".xlsx"
    rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账{ext}"
    titles = [
        f"武乡县民政局{year}年法治宣传及民政业务工作台账",
        _subtitle(unit, _report_day(year, _MONTHS[year])),
    ]
    return [
        _Book(rel, [_ledger_sheet(f"{year}年", data.acts, unit, style, titles, _file_rng(rel))])
    ]


_RENDERERS: dict[str, Callable[[_YearData], list[_Book]]] = {
    "丰州镇": _render_fengzhou,
    "洪水镇": _render_hongshui,
    "蟠龙镇": _render_panlong,
    "监漳镇": _render_jianzhang,
    "故城镇": _render_gucheng,
    "韩北镇": _render_hanbei,
    "大有乡": _render_dayou,
    "贾豁乡": _render_jiahuo,
    "上司乡": _render_shangsi,
    "石北乡": _render_shibei,
    "涌泉乡": _render_yongquan,
    "分水岭乡": _render_fenshuiling,
    _BUREAU: _render_bureau,
}

# ---------------------------------------------------------------------------------------------
# Year plans
# ---------------------------------------------------------------------------------------------

_PHASING = {  # 分月计划, % of the year's target per month
    "patrols_run": (12, 11, 8, 6, 6, 6, 6, 6, 6, 8, 11, 14),
    "children_visited": (7, 7, 8, 9, 9, 8, 8, 8, 9, 9, 9, 9),
}


def _tidy(value: float) -> int:
    if value >= 100:
        return int(round(value / 10) * 10)
    return max(1, int(round(value)))


@lru_cache(maxsize=1)
def _plans() -> dict[tuple[int, str, str], int]:
    yearly: dict[tuple[str, str, int], float] = defaultdict(float)
    for (key, unit_name, year, _), qty in demo_truth().items():
        yearly[key, unit_name, year] += qty
    plans = {}
    for year, nmonths in _MONTHS.items():
        for unit in (*_UNITS, _BUREAU_UNIT):
            rng = _rng("plan", unit.name, year)
            for key in _PLAN_ORDER:
                actual = yearly.get((key, unit.name, year), 0)
                if not actual:
                    continue
                expected = actual if key == "children_screened" else actual * 12 / nmonths
                factor = min(1.25, max(0.85, unit.plan_factor + rng.uniform(-0.05, 0.05)))
                plans[year, unit.name, key] = _tidy(expected * factor)
    return plans


def _plan_books() -> list[_Book]:
    plans = _plans()
    units = [u.name for u in (*_UNITS, _BUREAU_UNIT)]
    wide = _Sheet("2023年计划", widths=(14,) + (16,) * len(_PLAN_ORDER))
    header = ["乡镇"] + [f"{_CANON[k]}（{_MEASURE[k]}）" for k in _PLAN_ORDER]
    wide.title("武乡县民政局2023年度重点工作目标任务分解表", len(header))
    wide.add(header, bold=True)
    for name in units:
        wide.add([name] + [plans.get((2023, name, k)) for k in _PLAN_ORDER])

    long = _Sheet("计划", widths=(14, 24, 10))
    long.add(["乡镇", "指标", "目标"], bold=True)
    for name in units:
        for k in _PLAN_ORDER:
            if (2024, name, k) in plans:
                long.add([name, _CANON[k], plans[2024, name, k]])
    phasing = _Sheet("分月计划", widths=(24,) + (7,) * 13)
    phasing.add(["指标"] + [f"{m}月" for m in range(1, 13)] + ["合计"], bold=True)
    for key, shares in _PHASING.items():
        phasing.add([_CANON[key], *shares, sum(shares)])
    return [
        _Book("plans/2023年度计划.xlsx", [wide]),
        _Book("plans/2024年度计划.xlsx", [long, phasing]),
    ]


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------

_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _write_xlsx(book: _Book, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sh in book.sheets:
        ws = wb.create_sheet(sh.name)
        for r, row in enumerate(sh.rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, date):
                    cell.number_format = sh.date_format
                elif isinstance(value, str) and value.isdigit() and len(value) >= 11:
                    cell.number_format = "@"  # ID and phone numbers typed as text
                if r - 1 in sh.bold:
                    cell.font = bold
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
            ws.cell(r1 + 1, c1 + 1).alignment = Alignment(horizontal="center", vertical="center")
        for c, w in enumerate(sh.widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = w
    props = wb.properties
    props.creator = props.lastModifiedBy = "Administrator"
    props.created = props.modified = _DOC_TIME
    _save_openpyxl(wb, path, macro=path.suffix == ".xlsm")


def _save_openpyxl(wb: Workbook, path: Path, macro: bool) -> None:
    """Save without the timestamps openpyxl and zipfile would embed (byte-identical output)."""
    buf = io.BytesIO()
    ExcelWriter(wb, ZipFile(buf, "w", ZIP_DEFLATED)).save()
    with ZipFile(io.BytesIO(buf.getvalue())) as src, ZipFile(path, "w", ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if macro and info.filename == "[Content_Types].xml":
                data = data.replace(
                    _XLSX_MAIN, _XLSM_MAIN
                )  # a macro-enabled workbook without macros
            entry = ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, data)


def _write_xls(book: _Book, path: Path) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    for sh in book.sheets:
        _write_xls_sheet(wb.add_sheet(sh.name), sh)
    wb.save(str(path))


def _write_xls_sheet(ws: xlwt.Worksheet, sh: _Sheet) -> None:
    plain = xlwt.easyxf("")
    bold = xlwt.easyxf("font: bold on; align: horiz center, vert center")
    dated = xlwt.easyxf("", num_format_str=sh.date_format)

    def style(r: int, value: Any) -> xlwt.XFStyle:
        return dated if isinstance(value, date) else bold if r in sh.bold else plain

    covered = {
        (r, c) for r1, c1, r2, c2 in sh.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    }
    for r1, c1, r2, c2 in sh.merges:
        value = sh.rows[r1][c1] if c1 < len(sh.rows[r1]) else None
        ws.write_merge(r1, r2, c1, c2, "" if value is None else value, style(r1, value))
    for r, row in enumerate(sh.rows):
        for c, value in enumerate(row):
            if value is not None and (r, c) not in covered:
                ws.write(r, c, value, style(r, value))
    for c, w in enumerate(sh.widths):
        ws.col(c).width = 256 * w


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}/{value.month}/{value.day}"  # as Excel on Chinese Windows saves a date
    return str(value)


def _write_csv(book: _Book, path: Path) -> None:
    (sheet,) = book.sheets
    # A merged title only keeps its text in the first cell; a vertical merge would leave blanks
    # meaning "same as above", which a CSV must not have.
    assert all(r1 == r2 for r1, _, r2, _ in sheet.merges), "CSV has no vertical merges"
    width = max(len(r) for r in sheet.rows)
    with path.open("w", encoding=book.encoding, newline="") as fh:
        writer = csv.writer(fh)  # Excel dialect: CRLF line ends
        for row in sheet.rows:
            writer.writerow([_csv_text(v) for v in row] + [""] * (width - len(row)))


_WRITERS = {".xlsx": _write_xlsx, ".xlsm": _write_xlsx, ".xls": _write_xls, ".csv": _write_csv}


def _books() -> list[_Book]:
    data = _dataset()
    books = []
    for year in _MONTHS:
        for name, render in _RENDERERS.items():
            books += render(data[name, year])
    return books + _plan_books()


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def write_demo(out_dir: Path) -> list[Path]:
    """Write all demo township workbooks and the two year-plan workbooks into out_dir; return the paths.

    Data files go to ``out_dir/<year>/<unit>/…`` and the plans to ``out_dir/plans/``.  The output
    is identical on every run.
    """
    out_dir = Path(out_dir)
    paths = []
    for book in _books():
        path = out_dir / book.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        _WRITERS[path.suffix](book, path)
        paths.append(path)
    return paths


def demo_truth() -> dict[tuple[str, str, int, int], float]:
    """Ground truth: {(indicator_key, unit_name, year, month): total quantity} of everything write_demo writes (units by canonical name, e.g. '丰州镇', '县民政局机关')."""
    totals: dict[tuple[str, str, int, int], float] = defaultdict(float)
    for data in _dataset().values():
        for a in data.acts:
            totals[a.key, a.unit, a.day.year, a.day.month] += a.qty
        for v in data.visits:
            totals["children_visited", v.unit, v.day.year, v.day.month] += 1
    return dict(sorted(totals.items()))


def demo_plan_truth() -> dict[tuple[int, str, str], float]:
    """{(year, unit_name, indicator_key): target} of the plans written."""
    return {k: float(v) for k, v in sorted(_plans().items())}
