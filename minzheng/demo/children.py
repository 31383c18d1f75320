"""The left-behind children of each township and the home visits to them (per-person ledgers)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache

from minzheng.demo.records import _Child, _days_in_month, _rng, _Visit
from minzheng.demo.units import _UNIT_BY_NAME, _Unit

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
