"""Finding the table in a sheet: which row holds the header (one or two rows), what each column means.

Column meanings come from data/columns.csv (header synonyms), month columns from their headers
(1月 … 12月); nothing here knows any particular township's layout.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache, lru_cache

from minzheng import config, normalize

HEADER_SCAN_ROWS = 25
PERSONAL_ROLES = ("id_number", "phone", "address")
# Roles whose column decides a fact: a second column with the same role can be ambiguous.
DECISIVE_ROLES = ("date", "township", "category", "quantity")
TOTAL_COLUMN = ("合计", "总计", "全年", "累计", "全年合计", "总数", "小计", "年度合计")


@cache
def _role_table() -> tuple[list[tuple[str, frozenset[str]]], list[tuple[str, tuple[str, ...]]]]:
    exact, contains = [], []
    with open(config.DATA_DIR / "columns.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words = [normalize.header(w) for w in row["exact"].split("|") if w]
            exact.append((row["role"], frozenset(words)))
            contains.append(
                (row["role"], tuple(normalize.header(w) for w in row["contains"].split("|") if w))
            )
    return exact, contains


@lru_cache(maxsize=8192)
def role_of(header_text: str) -> str | None:
    """The role (date, category, quantity, …) of a header cell, or None if it means nothing to us."""
    raw = normalize.text(header_text)
    if not raw or len(raw) > 30:
        return None
    # "填报单位：丰州镇" is a label with its value, not a column header.
    if ":" in raw and not raw.endswith(":"):
        return None
    key = normalize.header(raw)
    exact, contains = _role_table()
    for role, words in exact:
        if key in words:
            return role
    if normalize.month_header(key):
        return None
    for role, words in contains:
        if any(w and w in key for w in words):
            return role
    return None


@dataclass
class Header:
    """The detected header of a sheet: where it is, what the columns are."""

    first_row: int  # 0-based index of the (upper) header row
    last_row: int  # 0-based index of the last header row (first_row + 1 for two-row headers)
    labels: list[str]  # combined header text per column
    roles: dict[str, int] = field(default_factory=dict)  # role -> column (first occurrence)
    personal: set[int] = field(default_factory=set)  # columns holding personal data
    months: dict[int, int] = field(default_factory=dict)  # column -> month number
    total_col: int | None = None  # 合计 column of a monthly summary
    year: int | None = None  # year written in the month headers (2023年1月 …), if one
    duplicates: dict[str, int] = field(default_factory=dict)  # decisive role -> its second column

    @property
    def score(self) -> int:
        """How header-like the row is: recognised roles plus month columns."""
        return len(self.roles) + len(self.months)


@lru_cache(maxsize=8192)
def _classify(label: str) -> tuple[str, object] | None:
    """What a header label is: ('month', n), ('total', None), ('role', name) or None."""
    month = normalize.month_header_year(label)
    if month:
        return "month", month
    if normalize.header(label) in TOTAL_COLUMN:
        return "total", None
    role = role_of(label)
    return ("role", role) if role else None


def _analyse(labels: list[str], first: int, last: int) -> Header:
    header = Header(first, last, labels)
    years: set[int | None] = set()
    for col, label in enumerate(labels):
        kind = _classify(label) if label else None
        if kind is None:
            continue
        what, value = kind
        if what == "month":
            header.months.setdefault(col, value[1])
            years.add(value[0])
        elif what == "total":
            if header.total_col is None:
                header.total_col = col
        else:
            if value in PERSONAL_ROLES or value in ("name", "guardian"):
                header.personal.add(col)
            if value in header.roles and value in DECISIVE_ROLES:
                # Two date or township columns with different labels (活动日期, 填报日期) are
                # common and the first is meant; two quantity or category columns never are.
                same = normalize.header(labels[header.roles[value]]) == normalize.header(label)
                if same or value in ("quantity", "category"):
                    header.duplicates.setdefault(value, col)
            header.roles.setdefault(value, col)
    if len(set(header.months.values())) < 3:
        header.months = {}
    elif len(years) == 1:
        header.year = years.pop()
    return header


def _cell(rows: list[list], r: int, c: int) -> str:
    row = rows[r]
    return normalize.display(row[c]) if c < len(row) and row[c] not in (None, "") else ""


def find_header(rows: list[list]) -> Header | None:
    """The best header among the first rows, trying two-row headers too; None if none is found.

    A header needs at least two recognised columns (or three month columns).
    """
    best: Header | None = None
    limit = min(len(rows), HEADER_SCAN_ROWS)
    for r in range(limit):
        width = len(rows[r])
        upper = [_cell(rows, r, c) for c in range(width)]
        if sum(1 for v in upper if v) < 2:
            continue
        candidates = [_analyse(upper, r, r)]
        if r + 1 < len(rows):
            lower = [_cell(rows, r + 1, c) for c in range(max(width, len(rows[r + 1])))]
            upper_padded = upper + [""] * (len(lower) - len(upper))
            combined = [
                lo if lo and lo != up else up for up, lo in zip(upper_padded, lower, strict=True)
            ]
            two = _analyse(combined, r, r + 1)
            # Two rows form one header only if the upper row is itself header-like and together
            # they say at least as much as the lower row alone: a merged title or a 填报单位 line
            # above a one-row header must stay a title.
            single = candidates[0].score
            if 1 <= single < two.score and two.score >= _analyse(lower, r + 1, r + 1).score:
                candidates.append(two)
        for cand in candidates:
            if cand.score >= 2 and (best is None or cand.score > best.score):
                best = cand
    return best


def title_text(rows: list[list], header: Header | None) -> str:
    """Everything written above the header (titles, 填报单位 lines), joined."""
    stop = header.first_row if header else min(len(rows), 5)
    return " ".join(normalize.display(v) for row in rows[:stop] for v in row if v not in (None, ""))
