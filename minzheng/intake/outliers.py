"""Flags found while a file is checked: likely typos and the same person served twice a day.

A typo (4000 for 400, 38 for 380, 830 for 380) shows as a month far from the unit's own earlier
months. Each (unit, indicator, month) of a file is compared with the same unit's last
`quality.history_months` months before it (at least `quality.min_history` with data) by the
modified z-score on the median absolute deviation (Iglewicz and Hoaglin). The county's
distribution that month tempers it: when most units moved together (a campaign month), the
expectation is the unit's median scaled by the county's median ratio, so a county-wide rise is
not a typo. Flags never block loading; they are stored with the batch and followed up on the
数据质量 page (minzheng/quality/review.py).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from minzheng import formatting
from minzheng.store import audit, permissions, queries, reference, settings

if TYPE_CHECKING:  # the command line's import loads neither pandas nor pyarrow here
    import duckdb
    import pandas as pd
    import pyarrow as pa

    Facts = pa.Table | pd.DataFrame

OUTLIER, REPEAT_VISIT = "outlier", "repeat_visit"
KIND_NAMES = {OUTLIER: "疑似录入错误", REPEAT_VISIT: "重复走访"}
SETTINGS = (
    "quality.outlier_z",
    "quality.min_history",
    "quality.history_months",
    "quality.min_ratio",
    "quality.swap_ratio",
    "quality.min_spread",
)
_MAD_SCALE = 0.6745  # makes the MAD comparable with a standard deviation for normal data
_MIN_COUNTY_UNITS = 3  # fewer other units with a history: no county adjustment
# A transposition back within about 15% of the usual figure lowers the bar; within about 40%
# it still names the likely slip.
_SWAP_CLOSE, _SWAP_HINT = 0.15, 0.35
_COUNT_NOISE = 0.5  # spread floor (in log units) is this / sqrt(median + 1) for small counts


class _Cell(NamedTuple):
    """One (unit, indicator, month) of a file with its summed quantity; ym = year * 12 + month - 1."""

    unit_id: int
    indicator_key: str
    year: int
    month: int
    ym: int
    quantity: float


@dataclass
class Flag:
    """One flag of a checked file. `confirmed`: the analyst confirmed the figure before loading."""

    kind: str
    unit_id: int
    indicator_key: str
    year: int
    month: int
    value: float
    reference: float | None
    message: str
    confirmed: bool = False

    @property
    def fingerprint(self) -> str:
        """Stable identity within a file (for the upload page's confirm buttons)."""
        return f"{self.kind}:{self.unit_id}:{self.indicator_key}:{self.year}-{self.month:02d}:{self.message}"


def _thresholds(cur: duckdb.DuckDBPyConnection) -> dict:
    values = settings.get_many(cur, *SETTINGS)
    names = ("z", "min_history", "months", "min_ratio", "swap_ratio", "min_spread")
    return dict(zip(names, values, strict=True))


def _transpositions(value: float) -> list[float]:
    """The figure with two neighbouring digits exchanged, each way that differs (no leading 0)."""
    if not float(value).is_integer() or value < 10:
        return []
    text = f"{value:.0f}"
    found = []
    for n in range(len(text) - 1):
        swapped = text[:n] + text[n + 1] + text[n] + text[n + 2 :]
        if swapped != text and swapped[0] != "0":
            found.append(float(swapped))
    return found


def _hint(value: float, expected: float, swapped: bool) -> str:
    """What kind of slip the figure suggests, from its size and number of digits."""
    extra = len(f"{value:.0f}") - len(f"{expected:.0f}")
    if swapped and extra == 0:
        return "疑似数字顺序颠倒"
    if value >= 5 * expected or (extra >= 1 and value >= 3 * expected):
        return "疑似多录一位"
    if value * 5 <= expected or (extra <= -1 and value * 3 <= expected):
        return "疑似少录一位"
    return "疑似数字顺序颠倒" if swapped else "请核实"


def _message(unit: str, ind, year: int, month: int, value, median, n, ratio, county) -> str:
    label = ind.unit_label if ind else ""
    name = ind.name if ind else ""
    times = f"约 {ratio:.1f} 倍" if ratio >= 1 else f"仅为其 {ratio:.0%}"
    text = (
        f"{unit}{year}年{month}月{name} {formatting.number(value, label)}，"
        f"近 {n} 个月中位数 {formatting.number(median, label)}，{times}"
    )
    if abs(county - 1) >= 0.2:
        text += f"（全县同月普遍为平时的 {county:.1f} 倍，已计入）"
    return text


def _columns(facts: Facts, names: list[str]) -> list[list]:
    """The named columns as Python lists (null: None) of an Arrow table or a DataFrame."""
    if hasattr(facts, "to_pydict"):
        return [facts.column(n).to_pylist() for n in names]
    return [[None if _isna(v) else v for v in facts[n]] for n in names]


def _isna(value) -> bool:
    """None, NaN, NaT or pd.NA (what pandas' groupby leaves out)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, float) and math.isnan(value)


def _group_sums(units, indicators, years, months, quantities) -> list[tuple]:
    """(unit_id, indicator_key, year, month, sum of quantity) per cell, sorted by the cell: the
    sum is pandas' groupby sum (Kahan-compensated, nulls skipped, 0 for none), row by row."""
    sums: dict[tuple, list] = {}
    for key in zip(units, indicators, years, months, strict=True):
        if None in key:
            continue
        sums.setdefault(key, [0, 0])  # [sum, compensation]
    for u, i, y, m, q in zip(units, indicators, years, months, quantities, strict=True):
        acc = sums.get((u, i, y, m))
        if acc is None or q is None:
            continue
        total, compensation = acc
        step = q - compensation
        moved = total + step
        compensation = moved - total - step
        acc[0], acc[1] = moved, 0 if compensation != compensation else compensation
    return [(*key, acc[0]) for key, acc in sorted(sums.items())]


_KEYS = ["unit_id", "indicator_key", "year", "month"]


def _cell_sums(facts: Facts) -> list[tuple]:
    """`_group_sums` of the facts; summed by Arrow when that is exactly the same: whole numbers
    whose total stays below 2**53 add up exactly in any order, Kahan's included."""
    if hasattr(facts, "group_by"):
        import pyarrow.compute as pc

        quantity = facts.column("quantity")
        whole = pc.all(pc.equal(pc.floor(quantity), quantity)).as_py() is not False
        total = pc.sum(pc.abs(quantity)).as_py() or 0
        if whole and total < 2**53 and not any(facts.column(k).null_count for k in _KEYS):
            summed = facts.group_by(_KEYS).aggregate(
                [("quantity", "sum", pc.ScalarAggregateOptions(min_count=0))]
            )
            columns = [summed.column(c).to_pylist() for c in [*_KEYS, "quantity_sum"]]
            return sorted(zip(*columns, strict=True))
    return _group_sums(*_columns(facts, [*_KEYS, "quantity"]))


def outlier_flags(
    cur: duckdb.DuckDBPyConnection, facts: Facts, ref: reference.Reference
) -> list[Flag]:
    """Outlier flags for a file's facts (unit_id, indicator_key, year, month, quantity)."""
    if not len(facts):
        return []
    limits = _thresholds(cur)
    window = int(limits["months"])
    cells = [_Cell(u, i, y, m, int(y) * 12 + int(m) - 1, q) for u, i, y, m, q in _cell_sums(facts)]
    history = cur.execute(
        queries.sql("outlier_history"),
        {
            "indicators": sorted({c.indicator_key for c in cells}),
            "first": min(c.ym for c in cells) - window,
            "last": max(c.ym for c in cells),
        },
    ).fetchall()
    # The file's own figures replace what is loaded for the same cells (an upload may replace).
    series: dict[tuple, dict[int, float]] = {}
    for u, i, ym, a in history:
        series.setdefault((u, i), {})[ym] = a
    for c in cells:
        series.setdefault((c.unit_id, c.indicator_key), {})[c.ym] = c.quantity
    # Per (unit, indicator, month): the unit's figure and the stats of its window before it.
    stats: dict[tuple, tuple] = {}

    def window_stats(u, i, ym):
        found = stats.get((u, i, ym))
        if found is None:
            months = series.get((u, i), {})
            # plain lists: a dozen values each, where numpy's per-call cost would dominate
            earlier = [months[m] for m in range(ym - window, ym) if m in months]
            if len(earlier) < limits["min_history"]:
                found = (None, None, None, earlier)
            else:
                logs = [math.log1p(v) for v in earlier]
                centre = statistics.median(logs)
                mad = statistics.median([abs(v - centre) for v in logs])
                found = (float(statistics.median(earlier)), centre, mad, earlier)
            stats[u, i, ym] = found
        return found

    by_month: dict[tuple, list[int]] = {}
    for (u, i), months in series.items():
        for ym in months:
            by_month.setdefault((i, ym), []).append(u)
    flags = []
    for r in cells:
        median, centre, mad, earlier = window_stats(r.unit_id, r.indicator_key, r.ym)
        if median is None:
            continue
        ratios = []
        for other in by_month.get((r.indicator_key, r.ym), []):
            if other == r.unit_id:
                continue
            o_median = window_stats(other, r.indicator_key, r.ym)[0]
            if o_median:
                ratios.append(series[other, r.indicator_key][r.ym] / o_median)
        county = statistics.median(ratios) if len(ratios) >= _MIN_COUNTY_UNITS else 1.0
        expected = median * county
        # Logarithms, because a slip of a digit multiplies: x10 and x0.1 are equally far from the
        # median. Floors on the spread keep a steady history (and small counts, whose natural
        # noise is relatively larger) from turning ordinary changes into flags.
        spread = max(mad, limits["min_spread"], _COUNT_NOISE / math.sqrt(median + 1))
        value = float(r.quantity)
        shift = math.log(max(county, 0.01))
        own = _MAD_SCALE * (math.log1p(value) - centre) / spread
        z = own - _MAD_SCALE * shift / spread
        ratio = value / expected if expected > 0 else float("inf")
        # A swapped digit changes a figure less than a lost or extra one: a lower bar applies
        # when exchanging two neighbouring digits back gives an ordinary figure.
        near = min(
            (
                min(abs(math.log1p(c) - centre), abs(math.log1p(c) - centre - shift))
                for c in _transpositions(value)
            ),
            default=math.inf,
        )
        swapped = near < _SWAP_CLOSE
        z_bar, ratio_bar = limits["z"], limits["min_ratio"]
        if swapped:  # the transposition back is ordinary: half the bar for the figure
            z_bar, ratio_bar = z_bar / 2, limits["swap_ratio"]
        # Far from the unit's own months and from what the county's month suggests, on the same
        # side: a county-wide swing explains a jump, and a noisy county ratio alone flags nothing.
        if min(abs(own), abs(z)) <= z_bar or own * z < 0 or 1 / ratio_bar < ratio < ratio_bar:
            continue
        unit = ref.units.get(r.unit_id)
        ind = ref.indicators.get(r.indicator_key)
        text = _message(
            unit.name if unit else str(r.unit_id),
            ind,
            int(r.year),
            int(r.month),
            value,
            median,
            len(earlier),
            value / median if median > 0 else float("inf"),
            county,
        )
        flags.append(
            Flag(
                OUTLIER,
                int(r.unit_id),
                r.indicator_key,
                int(r.year),
                int(r.month),
                value,
                median,
                text + "，" + _hint(value, expected, near < _SWAP_HINT),
            )
        )
    return flags


def repeat_visit_flags(facts: Facts, ref: reference.Reference) -> list[Flag]:
    """The same person (keyed ID hash) served twice or more on one day in one unit and category.

    The message names the sheet and rows, never the person.
    """
    if not len(facts):
        return []
    if hasattr(facts, "column") and facts.column("person_hash").null_count == len(facts):
        return []  # no person in the file (a ledger of activities)
    names = ["unit_id", "indicator_key", "activity_date", "person_hash", "sheet", "source_row"]
    groups: dict[tuple, list[tuple]] = {}
    for u, i, day, person, sheet, row in zip(*_columns(facts, names), strict=True):
        if person is None or day is None or u is None or i is None:
            continue
        groups.setdefault((u, i, day, person), []).append((sheet, row))
    flags = []
    for (u, i, day, _person), group in sorted(groups.items(), key=lambda item: item[0]):
        if len(group) < 2:
            continue
        unit = ref.units.get(u)
        ind = ref.indicators.get(i)
        day = day.date() if isinstance(day, dt.datetime) else day
        who = "同一儿童" if i == "children_visited" else "同一服务对象"
        by_sheet: dict[str, list[int]] = {}
        for sheet, row in group:
            by_sheet.setdefault(sheet, []).append(row)
        places = "；".join(
            f"工作表「{sheet}」第 {'、'.join(str(n) for n in sorted(rows))} 行"
            for sheet, rows in sorted(by_sheet.items())
        )
        text = (
            f"{unit.name if unit else u}{day.year}年{day.month}月{day.day}日{who}（同一身份证号）"
            f"被登记{ind.name if ind else i} {len(group)} 次：{places}，请核实是否重复登记"
        )
        flags.append(
            Flag(REPEAT_VISIT, int(u), i, day.year, day.month, float(len(group)), None, text)
        )
    return flags


def detect(cur: duckdb.DuckDBPyConnection, facts: Facts, ref: reference.Reference) -> list[Flag]:
    """Every flag of a checked file's facts: outliers first, then repeated visits."""
    return outlier_flags(cur, facts, ref) + repeat_visit_flags(facts, ref)


def lines(flags: list[Flag]) -> list[str]:
    """The flags as the command line prints them (one line each, after the file's line)."""
    return [f"{KIND_NAMES[f.kind]}：{f.message}" for f in flags]


def store(
    cur: duckdb.DuckDBPyConnection,
    batch_id: int,
    flags: list[Flag],
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Keep a loaded batch's flags; those the analyst confirmed at upload are marked 已核实无误
    (audited). Runs inside the transaction that writes the batch (`batches.write_batch(also=…)`),
    so a batch is never loaded without its flags."""
    if not flags:
        return
    actor = actor or permissions.operator()
    now = dt.datetime.now()
    for flag in flags:
        flag_id = cur.execute(
            """
            INSERT INTO quality_flags (kind, batch_id, unit_id, indicator_key, year, month, value,
                reference, message, created_at)
            VALUES ($kind, $batch, $unit, $ind, $year, $month, $value, $reference, $message, $now)
            RETURNING flag_id
            """,
            {
                "kind": flag.kind,
                "batch": batch_id,
                "unit": flag.unit_id,
                "ind": flag.indicator_key,
                "year": flag.year,
                "month": flag.month,
                "value": flag.value,
                "reference": flag.reference,
                "message": flag.message,
                "now": now,
            },
        ).fetchone()[0]
        if flag.confirmed:
            cur.execute(
                "INSERT INTO quality_followup VALUES ($key, '已核实无误', '上传时确认数值无误', "
                "FALSE, $by, $now)",
                {"key": f"flag:{flag_id}", "by": actor.name, "now": now},
            )
            audit.record(
                cur,
                actor,
                "quality_followup",
                role=permissions.role_of(cur, actor),
                batch_id=batch_id,
                target=f"flag:{flag_id}",
                after={"状态": "已核实无误", "备注": "上传时确认数值无误"},
            )
