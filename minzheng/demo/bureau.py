"""The bureau's own county-level work (县民政局机关): hand-entered rows plus seeded routine."""

from __future__ import annotations

from datetime import date
from typing import Any

from minzheng.demo.activities import _ASSIST_NOTES, _PETITION_NOTES
from minzheng.demo.records import _Activity, _days_in_month, _months_of, _rng
from minzheng.demo.units import _BUREAU
from minzheng.demo.vocabulary import _KEYS

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
