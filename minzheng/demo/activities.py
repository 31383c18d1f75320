"""A township's month of work: ledger rows per indicator, with the typos planted for 数据质量."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from datetime import date

from minzheng.demo.children import _visits
from minzheng.demo.records import _Activity, _days_in_month, _level, _rng, _split, _Visit
from minzheng.demo.units import _Unit
from minzheng.demo.vocabulary import _KEYS

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
