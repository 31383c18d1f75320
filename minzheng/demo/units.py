"""The demo's calendar and its reporting units: the 12 townships and the bureau, each with its
villages, clerks, scale and the category vocabulary its clerks write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from minzheng.demo.vocabulary import (
    _MEASURE,
    _VOCAB_CANON,
    _VOCAB_MIXED,
    _VOCAB_SHIBEI,
    _VOCAB_SPACED,
    _VOCAB_SYN,
)

_SEED = "wuxiang-minzheng-demo-v1"
_MONTHS = {2023: 12, 2024: 11}  # months with data per year (nothing after 2024-11-30)
_LAST_DAY = date(2024, 11, 30)
_DOC_TIME = datetime(2024, 12, 1, 9, 0, 0)
_ZIP_TIME = (2024, 12, 1, 9, 0, 0)
_EXCEL_EPOCH = date(1899, 12, 30)
_BUREAU = "县民政局机关"


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
