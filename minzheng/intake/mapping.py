"""手动指定表格结构: the upload page's mapping of a sheet the reader could not read (or read wrong).

The analyst sees the sheet's first rows, marks the header and data rows and gives each column a
meaning; `trial` reads the file with that draft profile (writing nothing) so the page can show
the facts, problems and the how-it-was-read sentence as they choose; `confirm` keeps the profile
and loads the file through the ordinary ingest path.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from minzheng import normalize
from minzheng.errors import MinzhengError
from minzheng.intake import ingest, layout, workbook
from minzheng.intake.extract import col_letter
from minzheng.intake.workbook import Grid
from minzheng.store import layout_profiles, permissions
from minzheng.store.layout_profiles import Column, LayoutProfile
from minzheng.store.reference import Reference

PREVIEW_ROWS = 30
IGNORE = "忽略"


def sheets(data: bytes, file_name: str) -> list[Grid]:
    """The file's sheets (empty when it cannot be opened at all: nothing to map)."""
    try:
        return workbook.read(data, file_name)
    except workbook.ReadError:
        return []


def grid_preview(grid: Grid, rows: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first rows as text, row numbers (1-based) as index and column letters as columns."""
    shown = grid.rows[:rows]
    width = max((len(r) for r in shown), default=0)
    body = [
        [
            normalize.display(r[c]) if c < len(r) and r[c] not in (None, "") else ""
            for c in range(width)
        ]
        for r in shown
    ]
    frame = pd.DataFrame(body, columns=[col_letter(c) for c in range(width)])
    frame.index = range(1, len(shown) + 1)
    return frame


def guess_header(grid: Grid) -> tuple[int, int]:
    """0-based (first, last) header rows to start from: the reader's guess, else the first row
    with two or more cells."""
    found = layout.find_header(grid.rows)
    if found is not None:
        return found.first_row, found.last_row
    for r, row in enumerate(grid.rows[:PREVIEW_ROWS]):
        if sum(v not in (None, "") for v in row) >= 2:
            return r, r
    return 0, 0


def meaning_options(ref: Reference) -> dict[str, Column]:
    """Every choice of a column's meaning, as the page lists them: label -> Column."""
    options = {IGNORE: Column("ignore")}
    for meaning, label in layout_profiles.MEANINGS.items():
        if meaning not in ("indicator", "ignore"):
            options[label] = Column(meaning)
    for key, ind in ref.indicators.items():
        for measure in layout_profiles.MEASURES:
            options[f"指标：{ind.name}（{measure}）"] = Column("indicator", key, measure)
    return options


def column_labels(grid: Grid, first: int, last: int) -> list[str]:
    """Per column: its letter and the text of the chosen header rows (for the selectors)."""
    width = max((len(r) for r in grid.rows[: last + 1 + PREVIEW_ROWS]), default=0)
    labels = []
    for c in range(width):
        words = [
            normalize.display(grid.rows[r][c])
            for r in range(first, min(last + 1, len(grid.rows)))
            if c < len(grid.rows[r]) and grid.rows[r][c] not in (None, "")
        ]
        text = " ".join(dict.fromkeys(words))
        labels.append(f"{col_letter(c)} 列" + (f"「{text}」" if text else ""))
    return labels


def default_name(
    grid: Grid, file_name: str, ref: Reference, unit: str | None, first: int, last: int
):
    """The name offered: the unit (fixed, else named above the header, in the sheet or file
    name) and the header's text."""
    if unit is None:
        above = " ".join(normalize.display(v) for row in grid.rows[:first] for v in row if v)
        found = next(
            (u for text in (above, grid.name, file_name) if (u := ref.unit_in(text))), None
        )
        unit = found.name if found else None
    return layout_profiles.default_name(unit, layout_profiles.header_cells(grid.rows, first, last))


def draft(
    grid: Grid,
    *,
    name: str,
    header: tuple[int, int],
    data: tuple[int | None, int | None] = (None, None),
    columns: dict[int, Column],
    unit: str | None = None,
    year: int | None = None,
    month: int | None = None,
) -> LayoutProfile:
    """A profile from the analyst's choices (0-based rows); MinzhengError when inconsistent."""
    first, last = header
    profile = LayoutProfile(
        name=name,
        header_first=first,
        header_last=last,
        header_cells=layout_profiles.header_cells(grid.rows, first, last),
        columns={c: col for c, col in columns.items() if col.meaning != "ignore"},
        data_first=data[0],
        data_last=data[1],
        unit=unit or None,
        year=year or None,
        month=month or None,
    )
    profile.check()
    return profile


def _with(cur, profile: LayoutProfile) -> list[LayoutProfile]:
    """The kept profiles, the draft taking the place of any with its header."""
    kept = layout_profiles.load(cur)
    return [profile, *(p for p in kept if p.signature != profile.signature)]


def trial(
    cur: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    profile: LayoutProfile,
    today: dt.date | None = None,
) -> ingest.FileCheck:
    """The file read with the draft profile: facts, problems and sentences; nothing written."""
    return ingest.check_bytes(cur, data, file_name, today=today, profiles=_with(cur, profile))


def confirm(
    cur: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    profile: LayoutProfile,
    *,
    actor: permissions.Actor | None = None,
    user: str | None = None,
    replace: bool = False,
    today: dt.date | None = None,
) -> ingest.IngestResult:
    """Keep the profile and load the file with it; nothing is kept while the file has errors.

    A kept profile with the same header would make every later sheet match two: refused,
    naming it.
    """
    permissions.require(cur, actor, "ingest", target=file_name)
    checked = trial(cur, data, file_name, profile, today)
    if checked.errors:
        raise MinzhengError(
            f"按此结构读取仍有 {len(checked.errors)} 处错误，结构未保存、数据未导入："
            + checked.errors[0].describe()
        )
    same = [p.name for p in layout_profiles.load(cur) if p.signature == profile.signature]
    if same:
        raise MinzhengError(
            f"已有表格结构「{same[0]}」的表头与此完全相同；请先在「设置」中删除它，再重新指定"
        )
    layout_profiles.save(cur, profile, actor=actor)
    check = ingest.check_bytes(cur, data, file_name, today=today)
    return ingest.commit(cur, check, replace=replace, user=user, actor=actor)
