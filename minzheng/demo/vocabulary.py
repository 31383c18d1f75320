"""The indicator catalog of the demo and the category vocabularies the units' clerks use."""

from __future__ import annotations

from dataclasses import dataclass


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
