"""Layout profiles: a sheet layout an analyst taught once, applied to every later matching sheet.

A profile is keyed by the signature of its header (the normalised text of every header cell with
its row and column), never by file name, so next month's file of the same office matches while
any change to the header does not. It says where the header and data rows are, what each column
means (日期, 类别, 数量, 单位, 乡镇, 月份, one catalog indicator's 本月 or 累计, or 忽略) and may fix
the unit, year or month the sheet does not give. Units are kept by name and indicators by catalog
key so that a profile exported as JSON means the same in another county's instance.
Reading a grid with a profile is `minzheng.intake.extract.profile`; this module only keeps them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import duckdb

from minzheng import normalize
from minzheng.errors import MinzhengError, NotFoundError
from minzheng.store import audit, db, permissions

# column meaning -> its name on the page (ledger roles share the names of layout.py's roles)
MEANINGS = {
    "date": "日期",
    "category": "类别",
    "quantity": "数量",
    "measure": "单位",
    "township": "乡镇",
    "month": "月份",
    "indicator": "一项指标",
    "ignore": "忽略",
}
MEASURES = ("本月", "累计")
LEDGER_ONLY = ("date", "category", "quantity", "measure")
EXPORT_FORMAT = "minzheng-layout-profiles"
MAX_NAME = 60


@dataclass(frozen=True)
class Column:
    """What one column means; `indicator` (a catalog key) and `measure` only for 一项指标."""

    meaning: str
    indicator: str | None = None
    measure: str = "本月"


@dataclass
class LayoutProfile:
    """How to read a sheet whose header is `header_cells` (0-based rows and columns)."""

    name: str
    header_first: int
    header_last: int
    header_cells: tuple[tuple[int, int, str], ...]
    columns: dict[int, Column]
    data_first: int | None = None  # None: the row after the header
    data_last: int | None = None  # None: to the end of the sheet
    unit: str | None = None  # fixed unit (by name) when the sheet gives none
    year: int | None = None
    month: int | None = None
    profile_id: int | None = None
    created_by: str = ""
    created_at: dt.datetime | None = None
    times_used: int = 0
    last_used: dt.datetime | None = None

    @property
    def signature(self) -> str:
        """sha256 of the header cells and their positions: what a sheet must match."""
        text = json.dumps([list(c) for c in self.header_cells], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def wide(self) -> bool:
        """True when columns are indicators (a wide table), False for a ledger."""
        return any(c.meaning == "indicator" for c in self.columns.values())

    @property
    def header_preview(self) -> str:
        """The header text as one line, for lists."""
        return " | ".join(text for _, _, text in self.header_cells)

    @property
    def indicator_keys(self) -> list[str]:
        """Catalog keys the profile's columns name, in column order."""
        return [c.indicator for _, c in sorted(self.columns.items()) if c.meaning == "indicator"]

    def matches(self, rows: list[list]) -> bool:
        """True when the sheet has exactly this header, cell for cell, at the same places."""
        return header_cells(rows, self.header_first, self.header_last) == self.header_cells

    def mapping(self) -> dict:
        """The profile as plain JSON data (what the database and the export keep)."""
        return {
            "name": self.name,
            "header_rows": [self.header_first, self.header_last],
            "header_cells": [list(c) for c in self.header_cells],
            "data_rows": [self.data_first, self.data_last],
            "columns": {
                str(c): {"meaning": col.meaning, "indicator": col.indicator, "measure": col.measure}
                for c, col in sorted(self.columns.items())
            },
            "unit": self.unit,
            "year": self.year,
            "month": self.month,
        }

    @classmethod
    def from_mapping(cls, data: dict, **meta) -> LayoutProfile:
        """A profile from `mapping()` data; MinzhengError (in Chinese) when it is malformed."""
        try:
            first, last = (int(v) for v in data["header_rows"])
            data_first, data_last = data.get("data_rows") or (None, None)
            columns = {
                int(c): Column(
                    str(v["meaning"]),
                    v.get("indicator") or None,
                    v.get("measure") or "本月",
                )
                for c, v in data["columns"].items()
            }
            profile = cls(
                name=str(data["name"]),
                header_first=first,
                header_last=last,
                header_cells=tuple((int(r), int(c), str(t)) for r, c, t in data["header_cells"]),
                columns=columns,
                data_first=None if data_first is None else int(data_first),
                data_last=None if data_last is None else int(data_last),
                unit=data.get("unit") or None,
                year=None if data.get("year") is None else int(data["year"]),
                month=None if data.get("month") is None else int(data["month"]),
                **meta,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise MinzhengError(f"表格结构数据不完整或格式不对（{exc}）") from exc
        profile.check()
        return profile

    def check(self) -> None:
        """Raise MinzhengError (in Chinese) when the mapping cannot describe a readable table."""
        name = normalize.text(self.name)
        if not name or len(name) > MAX_NAME:
            raise MinzhengError(f"表格结构名称不能为空，也不能超过 {MAX_NAME} 个字")
        if not 0 <= self.header_first <= self.header_last:
            raise MinzhengError("表头行应为 1 行或连续的几行")
        if not self.header_cells:
            raise MinzhengError("所选表头行是空的：请选择写有列名的行")
        if self.data_first is not None and self.data_first <= self.header_last:
            raise MinzhengError("第一行数据应在表头下方")
        low = self.data_first if self.data_first is not None else self.header_last + 1
        if self.data_last is not None and self.data_last < low:
            raise MinzhengError("最后一行数据不能在第一行数据之前")
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise MinzhengError("固定年份应在 2000–2100 之间")
        if self.month is not None and not 1 <= self.month <= 12:
            raise MinzhengError("固定月份应为 1–12")
        used = {c: col for c, col in self.columns.items() if col.meaning != "ignore"}
        for col in used.values():
            if col.meaning not in MEANINGS:
                raise MinzhengError(f"未知的列含义“{col.meaning}”")
            if col.meaning == "indicator" and (not col.indicator or col.measure not in MEASURES):
                raise MinzhengError("标为“一项指标”的列须选定指标，并选择“本月”或“累计”")
        seen: dict[tuple, int] = {}
        for c, col in sorted(used.items()):
            key = (col.meaning, col.indicator, col.measure if col.indicator else None)
            if key in seen:
                what = MEANINGS[col.meaning] if col.meaning != "indicator" else col.indicator
                raise MinzhengError(f"有两列都标为“{what}”，每种含义只能选一列")
            seen[key] = c
        meanings = {col.meaning for col in used.values()}
        if "indicator" in meanings:
            if meanings & set(LEDGER_ONLY):
                raise MinzhengError(
                    "“一项指标”列（横表）不能与 日期、类别、数量、单位 列（台账）同时使用"
                )
        elif "quantity" not in meanings:
            raise MinzhengError("请至少标出一列“数量”，或把指标列标为“一项指标”")


def header_cells(rows: list[list], first: int, last: int) -> tuple[tuple[int, int, str], ...]:
    """(row, column, normalised text) of every non-empty cell of rows first..last."""
    cells = []
    for r in range(first, min(last + 1, len(rows))):
        for c, value in enumerate(rows[r]):
            text = normalize.text(value) if value not in (None, "") else ""
            if text:
                cells.append((r, c, text))
    return tuple(cells)


def default_name(unit: str | None, cells: tuple[tuple[int, int, str], ...]) -> str:
    """The name offered on confirm: the unit and the header's text, shortened."""
    head = "".join(dict.fromkeys(t for _, _, t in cells))  # 本期 over three columns: once
    return f"{unit or ''}{head}"[:MAX_NAME] or "表格结构"


_COLUMNS = "profile_id, name, mapping, created_by, created_at, times_used, last_used"


def _from_row(row) -> LayoutProfile:
    profile_id, _name, mapping, created_by, created_at, times_used, last_used = row
    return LayoutProfile.from_mapping(
        json.loads(mapping),
        profile_id=profile_id,
        created_by=created_by,
        created_at=created_at,
        times_used=times_used,
        last_used=last_used,
    )


def load(cur: duckdb.DuckDBPyConnection) -> list[LayoutProfile]:
    """Every profile, by name."""
    rows = cur.execute(f"SELECT {_COLUMNS} FROM layout_profiles ORDER BY name").fetchall()
    return [_from_row(r) for r in rows]


def get(cur: duckdb.DuckDBPyConnection, name: str) -> LayoutProfile:
    """The profile called `name` (NotFoundError when there is none)."""
    row = cur.execute(
        f"SELECT {_COLUMNS} FROM layout_profiles WHERE name = $name", {"name": name}
    ).fetchone()
    if row is None:
        raise NotFoundError(f"没有名为「{name}」的表格结构")
    return _from_row(row)


def _exists(cur, name: str) -> bool:
    found = cur.execute("SELECT 1 FROM layout_profiles WHERE name = $n", {"n": name}).fetchone()
    return found is not None


def _insert(
    cur, profile: LayoutProfile, who: permissions.Actor, role: str | None, detail=None
) -> int:
    """Write one profile and its audit entry (the caller holds the transaction)."""
    at = dt.datetime.now()
    profile_id = cur.execute(
        """
        INSERT INTO layout_profiles (name, signature, mapping, created_by, created_at)
        VALUES ($name, $sig, $mapping, $by, $at) RETURNING profile_id
        """,
        {
            "name": profile.name,
            "sig": profile.signature,
            "mapping": json.dumps(profile.mapping(), ensure_ascii=False),
            "by": who.name,
            "at": at,
        },
    ).fetchone()[0]
    audit.record(
        cur,
        who,
        "layout_save",
        role=role,
        target=profile.name,
        after=profile.mapping(),
        detail=detail,
        at=at,
    )
    return profile_id


def save(
    cur: duckdb.DuckDBPyConnection,
    profile: LayoutProfile,
    *,
    actor: permissions.Actor | None = None,
) -> int:
    """Keep a new profile (audited, with who and when); its id. The name must be new."""
    who, role = permissions.require(cur, actor, "layouts", target=profile.name)
    profile.name = normalize.text(profile.name)
    profile.check()
    with db.transaction(cur):
        if _exists(cur, profile.name):
            raise MinzhengError(f"已有名为「{profile.name}」的表格结构，请换一个名称")
        profile_id = _insert(cur, profile, who, role)
    return profile_id


def rename(
    cur: duckdb.DuckDBPyConnection,
    old: str,
    new: str,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Give a profile a new name (audited)."""
    who, role = permissions.require(cur, actor, "layouts", target=old)
    new = normalize.text(new)
    profile = get(cur, old)
    profile.name = new
    profile.check()
    with db.transaction(cur):
        if new != old and _exists(cur, new):
            raise MinzhengError(f"已有名为「{new}」的表格结构，请换一个名称")
        cur.execute(
            "UPDATE layout_profiles SET name = $new, mapping = $mapping WHERE name = $old",
            {
                "new": new,
                "old": old,
                "mapping": json.dumps(profile.mapping(), ensure_ascii=False),
            },
        )
        audit.record(
            cur,
            who,
            "layout_rename",
            role=role,
            target=new,
            before={"名称": old},
            after={"名称": new},
        )


def remove(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Delete a profile (audited, with its mapping); files loaded with it stay loaded."""
    who, role = permissions.require(cur, actor, "layouts", target=name)
    profile = get(cur, name)
    with db.transaction(cur):
        cur.execute("DELETE FROM layout_profiles WHERE name = $name", {"name": name})
        audit.record(cur, who, "layout_remove", role=role, target=name, before=profile.mapping())


def mark_used(
    cur: duckdb.DuckDBPyConnection, names: list[str], at: dt.datetime | None = None
) -> None:
    """Count one more file loaded with each named profile (inside the load's transaction)."""
    for name in names:
        cur.execute(
            "UPDATE layout_profiles SET times_used = times_used + 1, last_used = $at "
            "WHERE name = $name",
            {"name": name, "at": at or dt.datetime.now()},
        )


def export_json(profiles: list[LayoutProfile]) -> str:
    """A small JSON document of the profiles, for another instance to import."""
    return json.dumps(
        {"format": EXPORT_FORMAT, "version": 1, "profiles": [p.mapping() for p in profiles]},
        ensure_ascii=False,
        indent=2,
    )


def parse_export(text: str | bytes) -> list[LayoutProfile]:
    """The profiles of an export document; MinzhengError (in Chinese) when it is not one."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MinzhengError("不是有效的 JSON 文件") from exc
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise MinzhengError("不是本系统导出的表格结构文件")
    return [LayoutProfile.from_mapping(p) for p in data.get("profiles") or []]


def import_json(
    cur: duckdb.DuckDBPyConnection,
    text: str | bytes,
    *,
    actor: permissions.Actor | None = None,
) -> list[str]:
    """Keep every profile of an export document (all or none); the names imported."""
    who, role = permissions.require(cur, actor, "layouts", target="导入表格结构")
    profiles = parse_export(text)
    names = [p.name for p in profiles]
    if len(set(names)) != len(names):
        raise MinzhengError("文件中有重名的表格结构")
    with db.transaction(cur):
        for profile in profiles:
            if _exists(cur, profile.name):
                raise MinzhengError(
                    f"已有名为「{profile.name}」的表格结构，未导入任何结构；请先重命名或删除它"
                )
            _insert(cur, profile, who, role, detail="导入")
    return names
