"""The annual report's words, written from the data: blocks of text in the structure of the
bureau's own report (工作开展情况 by area, 存在问题和不足, next year's 工作打算).

Every figure comes from `progress` (the same numbers as the `progress` command): the county's
actual, target and completion, last year's same period for 同比, the townships behind 序时进度,
and next year's plan targets. Indicators without data are left out; an area with nothing to say
is dropped and the numbering closes up. Rendering (fonts, page, charts) is `report_docx`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from minzheng import formatting
from minzheng.measures import overview, progress, quality_review, submissions

CN_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Area:
    """A work area of the report and the indicators it speaks about."""

    title: str
    opening: str
    keys: tuple[str, ...]
    next_year: str  # the 工作打算 clause, before the targets


AREAS = (
    Area(
        "加强未成年人关爱保护工作",
        "我局把关爱保护留守困境儿童作为民政工作的重点，组织各乡镇民政办和儿童督导员、"
        "儿童主任逐村摸排、入户走访，推动关爱保护工作日常化、细微化、温暖化。",
        ("children_visited", "children_screened", "trainings_held"),
        "继续做好留守困境儿童关爱保护",
    ),
    Area(
        "强化法治宣传教育",
        "围绕“12.4宪法宣传周”、养老机构食品安全宣传周等时间节点，结合婚姻登记、社会救助、"
        "未成年人保护等领域政策法规，采取多种形式开展宣传。",
        ("leaflets_distributed", "publicity_events", "lectures_held"),
        "创新法治宣传方式",
    ),
    Area(
        "坚持开展街面巡查和流浪乞讨人员救助",
        "在重要时间节点加强对重点街道、社区、乡镇、路口的巡查，与公安等部门共享信息，"
        "发现流浪乞讨人员及时救助、帮助返乡。",
        ("patrols_run", "people_assisted"),
        "坚持街面巡查制度，做好流浪乞讨人员救助",
    ),
    Area(
        "依法有效化解矛盾纠纷",
        "结合综治、信访工作，开展矛盾问题排查化解，及时、有效办理信访和投诉案件，"
        "维护人民群众合法权益。",
        ("disputes_mediated", "petitions_handled"),
        "加强矛盾纠纷排查化解",
    ),
)
OTHER_AREA = Area("其他工作", "", (), "做好其他各项工作")

# How a count is said in a sentence; {n} is the figure, the unit follows it directly.
PHRASES = {
    "children_visited": "走访慰问留守困境儿童{n}人次",
    "children_screened": "摸排留守困境儿童{n}人",
    "trainings_held": "举办业务培训{n}场",
    "leaflets_distributed": "发放宣传资料{n}份",
    "publicity_events": "开展集中宣传活动{n}场",
    "patrols_run": "开展街面巡查{n}次",
    "people_assisted": "救助流浪乞讨人员{n}人次",
    "lectures_held": "举办法治讲座及婚姻大讲堂{n}场",
    "disputes_mediated": "调解矛盾纠纷{n}件",
    "petitions_handled": "办理信访投诉{n}件",
}
# Short names for the problems section and the plan (what a writer calls the indicator).
SHORT = {
    "children_visited": "留守困境儿童走访慰问",
    "children_screened": "留守困境儿童摸排",
    "trainings_held": "业务培训",
    "leaflets_distributed": "宣传资料发放",
    "publicity_events": "集中宣传活动",
    "patrols_run": "街面巡查",
    "people_assisted": "流浪乞讨人员救助",
    "lectures_held": "法治讲座及婚姻大讲堂",
    "disputes_mediated": "矛盾纠纷调解",
    "petitions_handled": "信访投诉办理",
}
FLAT = 0.01  # a change smaller than 1% is "基本持平"


@dataclass
class Block:
    """One piece of the report: kind is title, subtitle, heading (一级), para, lead_para (a
    二级 heading run followed by body text), blank (an empty line) or signature (落款: the
    bureau and the date)."""

    kind: str
    text: str = ""
    lead: str = ""


@dataclass
class Report:
    """The report's blocks and the facts it was written from."""

    year: int
    as_of: dt.date
    blocks: list[Block] = field(default_factory=list)
    full_year: bool = True


def figure(value) -> str:
    """A count as written in the report: 4621, 12.5 (no thousands separator, as documents do)."""
    value = float(value)
    return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"


def pct(value) -> str:
    """A fraction as a percentage with one decimal: 0.9528 → 95.3%."""
    return f"{float(value) * 100:.1f}%"


def phrase(key: str, name: str, unit: str, value) -> str:
    """The indicator's count as a sentence fragment: 开展街面巡查1797次."""
    template = PHRASES.get(key)
    if template is None:
        return f"{name}{figure(value)}{unit}"
    return template.format(n=figure(value))


def short(key: str, name: str) -> str:
    """What a writer calls the indicator in running text."""
    return SHORT.get(key, name)


def change_text(actual: float, last: float | None, variant: int = 0) -> str:
    """同比 as a writer says it; '' when last year has no figure to compare with."""
    if not last:
        return ""
    change = (actual - last) / last
    if abs(change) < FLAT:
        return "与上年同期基本持平"
    word = ("增长", "增加", "提高")[variant % 3] if change > 0 else ("下降", "减少")[variant % 2]
    return f"同比{word}{abs(change) * 100:.1f}%"


def plan_text(actual: float, target, completion, unit: str, full_year: bool, variant: int) -> str:
    """The completion against the plan as a clause; '' without a target."""
    if formatting.missing(target) or formatting.missing(completion) or float(target) <= 0:
        return ""
    if completion >= 1:
        if not full_year:
            return f"已完成年度目标的{pct(completion)}"
        if completion == 1:
            return "全面完成年度目标任务"
        return ("超额完成年度目标任务", "完成年度目标的{p}")[variant % 2].format(p=pct(completion))
    return ("完成年度目标（{t}{u}）的{p}", "为年度目标的{p}")[variant % 2].format(
        t=figure(target), u=unit, p=pct(completion)
    )


class _Writer:
    def __init__(self, cur, year: int, as_of: dt.date, today: dt.date):
        self.year, self.as_of = year, as_of
        # Actuals run to the end of the as-of month, so an as-of date in December covers the year.
        self.full_year = as_of.month == 12
        table = progress.progress(cur, year, as_of)
        self.units = table[~table["is_county"]]
        self.county = table[table["is_county"]].set_index("indicator")
        before = progress.progress(cur, year - 1, overview.same_day_last_year(as_of))
        self.last = before[before["is_county"]].set_index("indicator")["actual"].to_dict()
        nxt = progress.progress(cur, year + 1, dt.date(year + 1, 12, 31))
        nxt = nxt[nxt["is_county"] & nxt["target"].notna()]
        self.next_targets = nxt.set_index("indicator")
        self.grid = submissions.grid(cur, year, today)
        self.catalog = cur.execute(
            "SELECT key, name, unit_label FROM indicators WHERE active ORDER BY sort_order"
        ).df()
        self.variant = 0
        self.bureau = set(
            r[0] for r in cur.execute("SELECT name FROM units WHERE kind = 'bureau'").fetchall()
        )
        # unresolved data-quality items, only those an analyst chose to mention
        self.unverified = quality_review.report_items(cur, year)

    # -- helpers --------------------------------------------------------------------------------

    def period(self) -> str:
        if self.full_year:
            return "全年"
        return f"截至{self.as_of.month}月{self.as_of.day}日"

    def has_data(self, key: str) -> bool:
        return key in self.county.index and float(self.county.loc[key, "actual"]) > 0

    def areas(self) -> list[Area]:
        known = {k for a in AREAS for k in a.keys}
        others = tuple(k for k in self.catalog["key"] if k not in known)
        return [*AREAS, Area(OTHER_AREA.title, "", others, OTHER_AREA.next_year)]

    def row(self, key: str) -> pd.Series:
        return self.county.loc[key]

    def detail(self, key: str) -> str:
        """Plan and 同比 clauses for one indicator, joined as a writer would."""
        row = self.row(key)
        v = self.variant
        self.variant += 1
        parts = [
            plan_text(row.actual, row.target, row.completion, row.unit_label, self.full_year, v),
            change_text(float(row.actual), self.last.get(key), v),
        ]
        return "，".join(p for p in parts if p)

    def leader(self, key: str) -> str:
        """The township with the most, as a closing remark ('' when there is no contest)."""
        rows = self.units[
            (self.units["indicator"] == key) & ~self.units["township"].isin(self.bureau)
        ]
        rows = rows[rows["actual"] > 0]
        if len(rows) < 3:
            return ""
        top = rows.sort_values("actual", ascending=False).iloc[0]
        unit = top["unit_label"]
        return f"以{top['township']}最多（{figure(top['actual'])}{unit}）"

    def bureau_part(self, key: str) -> str:
        rows = self.units[
            (self.units["indicator"] == key) & self.units["township"].isin(self.bureau)
        ]
        rows = rows[rows["actual"] > 0]
        if rows.empty:
            return ""
        r = rows.iloc[0]
        return f"局机关直接{phrase(key, r['indicator_name'], r['unit_label'], r['actual'])}"

    # -- sections -------------------------------------------------------------------------------

    def work(self) -> list[Block]:
        blocks = []
        n = 0
        starts = ("{p}，全县共", "{p}，全县累计", "{p}，全县民政系统共")
        for area in self.areas():
            keys = [k for k in area.keys if self.has_data(k)]
            if not keys:
                continue
            start = starts[n % len(starts)].format(p=self.period())
            main, *rest = keys
            r = self.row(main)
            sentence = start + phrase(main, r.indicator_name, r.unit_label, r.actual)
            detail = self.detail(main)
            sentence += (f"，{detail}" if detail else "") + "。"
            if rest:
                items = []
                for k in rest:
                    rk = self.row(k)
                    text = phrase(k, rk.indicator_name, rk.unit_label, rk.actual)
                    d = self.detail(k)
                    items.append(f"{text}，{d}" if d else text)
                joiner = ("同时", "此外", "另外")[n % 3]
                sentence += f"{joiner}，" + "；".join(items) + "。"
            remarks = [x for x in (self.leader(main), self.bureau_part(main)) if x]
            if remarks:
                sentence += ("分乡镇看，", "从各乡镇看，")[n % 2] + "；".join(remarks) + "。"
            lead = f"（{CN_NUMBERS[n]}）{area.title}。"
            blocks.append(Block("lead_para", area.opening + sentence, lead=lead))
            n += 1
        if not blocks:
            blocks.append(
                Block(
                    "para",
                    f"{self.year}年截至{self.as_of.month}月{self.as_of.day}日，"
                    "各乡镇尚未报送工作台账，暂无可汇总的数据。",
                )
            )
        return blocks

    def problems(self) -> list[Block]:
        items: list[str] = []
        county = self.county.reset_index()
        if self.full_year:
            lag = county[county["completion"].notna() & (county["completion"] < 1)]
        else:
            lag = county[county["status"] == "滞后"]
        if not lag.empty:
            lag = lag.sort_values("completion")
            names = "、".join(
                f"{short(r.indicator, r.indicator_name)}（{pct(r.completion)}）"
                for r in lag.itertuples(index=False)
            )
            worst = lag.iloc[0]
            name = short(worst.indicator, worst.indicator_name)
            if self.full_year:
                low, high = pct(lag["completion"].min()), pct(lag["completion"].max())
                if len(lag) == len(county):
                    text = f"年度目标没有全面完成。{len(lag)}项指标均未完成年度目标，"
                else:
                    text = f"部分指标未完成年度目标。{len(county)}项指标中有{len(lag)}项未完成，"
                if len(lag) > 3:
                    first = "、".join(names.split("、")[:3])
                    rest = "、".join(names.split("、")[3:])
                    text += f"完成率在{low}至{high}之间，较低的是{first}，其余依次为{rest}"
                else:
                    text += f"分别为{names}"
                text += (
                    f"。其中{name}完成{figure(worst.actual)}{worst.unit_label}，"
                    f"距年度目标还差{figure(worst.target - worst.actual)}{worst.unit_label}。"
                )
            else:
                text = (
                    f"部分指标落后于序时进度。{names}的完成率低于序时进度"
                    f"（{pct(worst.time_progress)}），其中{name}差距最大，"
                    f"低于序时进度{abs(worst.gap) * 100:.1f}个百分点。"
                )
            items.append(text)
        units_behind = self.units[
            (self.units["status"] == "滞后") & ~self.units["township"].isin(self.bureau)
        ]
        if not units_behind.empty:
            counts = units_behind.groupby("township").size().sort_values(ascending=False)
            names = list(counts.index[:4])
            by_ind = units_behind.groupby("indicator").size().sort_values(ascending=False)
            worst = by_ind.index[0]
            rows = units_behind[units_behind.indicator == worst].sort_values("gap")
            worst_name = short(worst, rows.indicator_name.iloc[0])
            text = "乡镇之间进展不平衡。" + "、".join(names)
            text += "等乡镇" if len(counts) > len(names) else ""
            if int(counts.iloc[0]) > 1:
                text += f"有多项指标落后于序时进度，{names[0]}最多，有{int(counts.iloc[0])}项"
            else:
                text += "各有1项指标落后于序时进度"
            text += (
                f"；分指标看，{worst_name}落后的乡镇最多，"
                f"有{'、'.join(rows['township'])}{len(rows)}个。"
            )
            items.append(text)
        grid = self.grid[self.grid["month"] <= self.as_of.month]
        due = grid[grid["status"].isin(["已报", "迟报", "未报"])]
        late = int((due["status"] == "迟报").sum())
        missing = int((due["status"] == "未报").sum())
        if late or missing:
            towns = due[due["status"] != "已报"].groupby("township").size()
            towns = towns.sort_values(ascending=False)
            parts = ([f"迟报{late}次"] if late else []) + (
                [f"到期未报{missing}次"] if missing else []
            )
            text = f"台账报送还不够及时。月度台账共{'、'.join(parts)}，涉及{len(towns)}个乡镇"
            if len(towns) == 1:
                text += f"（{towns.index[0]}）"
            elif int(towns.iloc[0]) > int(towns.iloc[1]):
                text += f"，其中{towns.index[0]}{int(towns.iloc[0])}次"
            items.append(text + "。")
        if self.unverified:
            shown = "；".join(t.rstrip("。") for t in self.unverified[:3])
            more = f"等{len(self.unverified)}项" if len(self.unverified) > 3 else ""
            items.append(f"部分台账数据尚待核实。{shown}{more}，目前尚未核实清楚。")
        if not items:
            return [
                Block(
                    "para",
                    "从各乡镇报送的台账看，各项指标均达到序时进度要求，台账按期报送。"
                    "但台账数据只反映工作数量，工作质量和群众满意度还需结合实地督导进一步掌握。",
                )
            ]
        ordinal = ("一是", "二是", "三是", "四是", "五是")
        blocks = [Block("para", f"对照年度计划和序时进度，{self.year}年工作还存在以下不足：")]
        blocks += [Block("para", ordinal[i] + t) for i, t in enumerate(items)]
        return blocks

    def plans(self) -> list[Block]:
        nxt = self.year + 1
        blocks = [
            Block(
                "para",
                f"{nxt}年，我局将继续深入学习贯彻习近平法治思想，对照年度计划，"
                "按序时进度督促各乡镇抓好落实，逐月通报进展。",
            )
        ]
        ordinal = ("一是", "二是", "三是", "四是", "五是", "六是")
        if self.next_targets.empty:
            lag = [k for k in self.county.index if self.county.loc[k, "status"] == "滞后"]
            text = f"{nxt}年度计划尚未下达，计划下达后按各乡镇目标分解落实。"
            if lag:
                names = "、".join(short(k, self.county.loc[k, "indicator_name"]) for k in lag)
                text += f"对{self.year}年进度滞后的{names}等工作，加强督导，确保按序时进度完成。"
            blocks.append(Block("para", text))
            return blocks
        i = 0
        for area in self.areas():
            keys = [k for k in area.keys if k in self.next_targets.index]
            if not keys:
                continue
            goals = []
            for k in keys:
                r = self.next_targets.loc[k]
                goals.append(phrase(k, r.indicator_name, r.unit_label, r.target))
            text = (
                f"{ordinal[i % len(ordinal)]}{area.next_year}，全年计划" + "、".join(goals) + "。"
            )
            blocks.append(Block("para", text))
            i += 1
        return blocks


def write(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> Report:
    """The report for the year as blocks; as_of defaults as `progress` does (the last date with
    data), `today` (for overdue reports) to the real today."""
    as_of = as_of or progress.default_as_of(cur, year)
    w = _Writer(cur, year, as_of, today or dt.date.today())
    report = Report(year, as_of, full_year=w.full_year)
    b = report.blocks
    b.append(Block("title", f"武乡县民政局{year}年法治政府建设年度报告"))
    stamp = f"（初稿，数据截至{as_of.year}年{as_of.month}月{as_of.day}日）"
    b.append(Block("subtitle", stamp))
    b.append(
        Block(
            "para",
            f"{year}年，在县委、县政府的坚强领导下，在县委依法治县办的具体指导下，"
            "我局坚持以习近平新时代中国特色社会主义思想为指导，认真学习贯彻习近平法治思想，"
            "全面落实依法行政各项目标任务，法治民政建设取得了一定成效。现将工作开展情况总结如下：",
        )
    )
    b.append(Block("heading", f"一、{year}年工作开展情况"))
    b.extend(w.work())
    b.append(Block("heading", "二、存在问题和不足"))
    b.extend(w.problems())
    b.append(Block("heading", f"三、{year + 1}年工作打算"))
    b.extend(w.plans())
    day = today or dt.date.today()
    b.extend([Block("blank"), Block("blank"), Block("signature", "武乡县民政局")])
    b.append(Block("signature", f"{day.year}年{day.month}月{day.day}日"))
    return report
