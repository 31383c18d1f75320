"""Loading township files: check a file whole, then write it all or nothing.

`check_file` reads and validates without writing (the upload page previews it); `commit` writes a
checked file as one batch; `ingest_file` does both, and `ingest_paths` walks files and folders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from minzheng import config
from minzheng.errors import HasProblems, MinzhengError, Problem
from minzheng.intake import (
    arrowcalls,
    content_hash,
    extract,
    filecheck,
    gcpause,
    outliers,
    readahead,
    redact,
    values_xlsx,
    workbook,
)
from minzheng.intake.readahead import expand_paths
from minzheng.store import batches, db, layout_profiles, permissions, reference

if TYPE_CHECKING:  # pandas is loaded only when a DataFrame is asked for (not by the command line)
    import pandas as pd

LOADED, DUPLICATE, REFUSED = "已导入", "重复", "拒绝"
# Log lines name files by their SHA-256 prefix only: file names, sheet names and cell values can
# carry children's names, ID and phone numbers.
log = logging.getLogger(__name__)
SHAPE_NAMES = {
    "ledger": "明细台账",
    "person": "走访对象台账",
    "summary": "月度汇总表",
    "wide": "横表",
}


@dataclass
class FileCheck(HasProblems):
    """A file read and validated, not yet written: what it holds and what is wrong with it."""

    file_name: str
    sha256: str
    problems: list[Problem]
    # the facts: an Arrow table, or a DataFrame once `facts` was asked for; None: no facts
    fact_rows: pa.Table | pd.DataFrame | None = None
    shapes: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    content_hash: str = ""
    kept_name: str = ""
    # the kept copy's bytes, or their compression still running (values_xlsx.Book)
    kept: bytes | values_xlsx.Book = b""
    redacted: bool = False
    duplicate_of: tuple | None = None  # (batch_id, file_name)
    # live data already loaded for the file's keys: rows of batches.OVERLAP_COLUMNS
    overlap_rows: list[tuple] | None = None
    units: list[str] = field(default_factory=list)  # unit names, in the reference order
    keys: list[batches.Key] = field(default_factory=list)  # (year, month, unit_id, indicator)
    table: pa.Table | None = None  # the facts as Arrow, for a fast insert
    # the data version the duplicate/overlap lookups saw: unchanged at commit, no second lookup
    checked_version: int | None = None
    explanations: dict[str, str] = field(default_factory=dict)  # sheet -> how it was read
    flags: list[outliers.Flag] = field(default_factory=list)  # likely typos, repeated visits
    profiles_used: list[str] = field(default_factory=list)  # layout profiles that read it

    @property
    def facts(self) -> pd.DataFrame:
        """The facts as a DataFrame (made on first use: the command line never needs one)."""
        rows = self.fact_rows
        if rows is None:
            rows = self.table if self.table is not None else extract.FACT_SCHEMA.empty_table()
        if isinstance(rows, pa.Table):
            self.fact_rows = rows = rows.to_pandas()
        return rows

    @property
    def row_count(self) -> int:
        """Number of fact rows."""
        rows = self.fact_rows if self.fact_rows is not None else self.table
        return 0 if rows is None else len(rows)

    @property
    def overlaps(self) -> pd.DataFrame | None:
        """`overlap_rows` as a DataFrame (None when not looked up)."""
        if self.overlap_rows is None:
            return None
        import pandas as pd

        return pd.DataFrame(self.overlap_rows, columns=list(batches.OVERLAP_COLUMNS))

    @property
    def kept_bytes(self) -> bytes:
        """The kept copy (.xlsx bytes; waits for its compression to end)."""
        if isinstance(self.kept, values_xlsx.Book):
            self.kept = self.kept.result()
        return self.kept

    @property
    def months(self) -> list[str]:
        """'YYYY-MM' months the file covers."""
        return sorted({f"{y}-{m:02d}" for y, m, _u, _i in self.keys})

    @property
    def indicators(self) -> list[str]:
        """Indicator keys the file reports."""
        return sorted({i for _y, _m, _u, i in self.keys})


@dataclass
class IngestResult:
    """Outcome of one file: 已导入, 重复 or 拒绝, with the batch, rows and problems."""

    status: str
    file_name: str
    check: FileCheck
    batch_id: int | None = None

    @property
    def rows(self) -> int:
        """Fact rows written (0 unless loaded)."""
        return self.check.row_count if self.status == LOADED else 0

    def line(self) -> str:
        """The CLI's one line for this file (docs/cli.md contract)."""
        c = self.check
        if self.status == LOADED:
            shapes = "、".join(SHAPE_NAMES.get(s, s) for s in c.shapes)
            months = c.months
            span = months[0] if len(months) == 1 else f"{months[0]}至{months[-1]}"
            if c.profiles_used:
                shapes += "；" + "、".join(f"按「{n}」结构读取" for n in c.profiles_used)
            text = (
                f"{LOADED} {self.file_name}：{c.row_count} 行（{shapes}；{'、'.join(c.units)}；"
                f"{span}；批次 {self.batch_id}）"
            )
            if c.warnings:
                text += "；提示：" + _sentences(c.warnings)
            return text
        if self.status == DUPLICATE:
            batch_id, earlier = c.duplicate_of
            return f"{DUPLICATE} {self.file_name}：内容与已导入的“{earlier}”（批次 {batch_id}）相同，未重复导入"
        return f"{REFUSED} {self.file_name}：" + _sentences(c.errors)


def _sentences(problems: list[Problem]) -> str:
    """Problems joined for a line that already names the file: each distinct sentence once."""
    return "；".join(dict.fromkeys(p.describe(with_file=False) for p in problems))


def _overlap_problem(file_name: str, overlaps: list[tuple]) -> Problem:
    by_batch: dict[tuple, set[str]] = {}
    for batch_id, earlier, unit, year, month, indicator in overlaps:
        by_batch.setdefault((batch_id, earlier), set()).add(
            f"{unit}{year}年{month}月「{indicator}」"
        )
    parts = []
    for (batch_id, earlier), cells in sorted(by_batch.items()):
        covered = sorted(cells)
        shown = "、".join(covered[:6]) + (f" 等 {len(covered)} 项" if len(covered) > 6 else "")
        parts.append(f"与已导入的“{earlier}”（批次 {batch_id}）重叠：{shown}")
    return Problem(
        file_name,
        "",
        "",
        "",
        "；".join(parts)
        + "。如本文件是更正后的数据，请选择“替换”（命令行加 --replace），旧数据将被取代但保留可恢复",
    )


def check_bytes(
    cur: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    ref: reference.Reference | None = None,
    key: bytes | None = None,
    today: dt.date | None = None,
    profiles: list[layout_profiles.LayoutProfile] | None = None,
    reading: readahead.Reading | None = None,
) -> FileCheck:
    """Read and validate a file's bytes against the database without writing anything.

    `profiles`: the layout profiles to match sheets against (default: those kept in the
    database; the upload page passes a draft to preview it). `reading`: what reading these
    bytes already gave (the command line's read-ahead), instead of reading them again.
    """
    with gcpause.paused():  # a million acyclic objects: see minzheng/gcpause.py
        return _check_bytes(cur, data, file_name, ref, key, today, profiles, reading)


def _read(data: bytes, file_name: str, reading: readahead.Reading | None) -> list[workbook.Grid]:
    """`workbook.read`, or what it gave when the read-ahead ran it (raising what it raised)."""
    if reading is None:
        return workbook.read(data, file_name)
    if reading.failure is not None:
        raise reading.failure
    return reading.grids


def _check_bytes(cur, data, file_name, ref, key, today, profiles=None, reading=None) -> FileCheck:
    arrowcalls.settle()  # pyarrow must not load pandas only to probe its input (arrowcalls.py)
    ref = ref or reference.load(cur)
    key = key or hash_key(cur)
    sha = hashlib.sha256(data).hexdigest()
    limit = config.defaults()["ingest.max_file_bytes"]
    if len(data) > limit:
        return FileCheck(file_name, sha, [filecheck.too_large(file_name, len(data), limit)])
    try:
        grids = _read(data, file_name, reading)
    except workbook.ReadError as exc:
        return FileCheck(file_name, sha, exc.problems)
    except Exception as exc:  # whatever a file holds, it is refused, never a traceback
        return FileCheck(file_name, sha, [_internal_problem(file_name, sha, exc)])
    max_rows = config.defaults()["ingest.max_rows"]
    total_rows = sum(len(g.rows) for g in grids)
    if total_rows > max_rows:
        problem = Problem(
            file_name, "", "", "", f"行数过多（{total_rows:,} 行），上限为 {max_rows:,} 行"
        )
        return FileCheck(file_name, sha, [problem])
    history = extract.DatabaseHistory(cur)
    if profiles is None:
        profiles = layout_profiles.load(cur)
    try:
        found = extract.extract(grids, file_name, ref, key, today, history, profiles)
    except Exception as exc:
        return FileCheck(file_name, sha, [_internal_problem(file_name, sha, exc)])
    log.debug(
        "file %s read: %d sheets, %d fact rows, %d problems",
        sha[:12],
        len(grids),
        found.row_count,
        len(found.problems),
    )
    table = found.table()
    check = FileCheck(file_name, sha, found.problems, table, sorted(found.shapes), found.sheets)
    check.explanations = found.explanations
    check.profiles_used = list(dict.fromkeys(found.profiles_used))
    check.table = table
    if check.errors:
        return check
    key_columns = ["year", "month", "unit_id", "indicator_key"]
    distinct = table.select(key_columns).group_by(key_columns).aggregate([]).to_pydict()
    check.keys = sorted(zip(*(distinct[c] for c in key_columns), strict=True))
    order = list(ref.units)
    check.units = [ref.units[u].name for u in sorted({k[2] for k in check.keys}, key=order.index)]
    check.content_hash = content_hash.content_hash(table)
    check.checked_version = db.data_version(cur)
    check.duplicate_of = batches.find_duplicate(cur, sha, check.content_hash)
    if check.duplicate_of:
        return check
    check.overlap_rows = batches.overlap_rows(cur, check.keys)
    # The copy's compression runs on in a thread while the checks and the insert go on.
    check.kept_name, check.kept, check.redacted = redact.redacted_copy_book(
        file_name, grids, found.personal_cols, found.header_rows
    )
    check.flags = outliers.detect(cur, table, ref)
    return check


def _internal_problem(file_name: str, sha: str, exc: Exception) -> Problem:
    """The refusal of a file whose content made the program itself fail (a bug to report)."""
    log.error("file %s: reading failed: %s: %s", sha[:12], type(exc).__name__, str(exc)[:200])
    return Problem(
        file_name,
        "",
        "",
        "",
        "文件内容无法识别，未导入；请在 Excel 或 WPS 中打开后另存为 .xlsx 再重新上传，"
        "如仍不能导入请把文件交给系统管理员",
    )


def hash_key(cur: duckdb.DuckDBPyConnection) -> bytes:
    """The keyed-hash secret of the database this cursor is connected to."""
    return db.hash_key(db.path_of(cur) or ":memory:")


def commit(
    cur: duckdb.DuckDBPyConnection,
    check: FileCheck,
    *,
    replace: bool = False,
    user: str | None = None,
    demo: bool = False,
    received_at: dt.datetime | None = None,
    actor: permissions.Actor | None = None,
) -> IngestResult:
    """Write a checked file as one batch, or say why not (errors, duplicate, overlap without replace).

    Duplicates and overlaps are looked up again here, under the write lock, when anything was
    written since the check (e.g. between an upload preview and its confirmation, or by another
    upload at the same moment); with the data version unchanged the check's lookups still hold.
    `actor` must be allowed to ingest (PermissionDenied otherwise); a logged-in account is
    recorded as who loaded the batch.
    """
    actor, _role = permissions.require(cur, actor, "ingest", target=check.file_name)
    if actor.is_account:
        user = actor.name  # ownership decides who may roll the batch back: not a free text
    if check.errors:
        log.info("file %s refused: %d errors", check.sha256[:12], len(check.errors))
        return IngestResult(REFUSED, check.file_name, check)
    # Checks and write under one lock: two uploads at once must not both pass the checks.
    with db.write_lock:
        return _commit_checked(cur, check, replace, user, demo, received_at, actor)


def _commit_checked(cur, check, replace, user, demo, received_at, actor) -> IngestResult:
    check = dataclasses.replace(check, problems=list(check.problems))  # the caller's stays as is
    stale = check.checked_version is None or check.checked_version != db.data_version(cur)
    if stale:
        check.duplicate_of = batches.find_duplicate(cur, check.sha256, check.content_hash)
    if check.duplicate_of:
        return IngestResult(DUPLICATE, check.file_name, check)
    if stale or check.overlap_rows is None:
        check.overlap_rows = batches.overlap_rows(cur, check.keys)
    if check.overlap_rows and not replace:
        check.problems.append(_overlap_problem(check.file_name, check.overlap_rows))
        return IngestResult(REFUSED, check.file_name, check)
    if replace and check.overlap_rows:
        batch_ids = [r[0] for r in check.overlap_rows]
        others = batches.loaded_by_others(cur, batch_ids, actor.name)
        if others:  # refused (and audited) unless an admin: they could not undo it
            try:
                permissions.require(
                    cur, actor, "replace_others", owner="、".join(others), target=check.file_name
                )
            except permissions.PermissionDenied as exc:
                check.problems.append(Problem(check.file_name, "", "", "", str(exc)))
                return IngestResult(REFUSED, check.file_name, check)
    meta = {
        "file_name": check.file_name,
        "sha256": check.sha256,
        "content_hash": check.content_hash,
        "shape": ",".join(check.shapes),
        "units": check.units,
        "months": check.months,
        "indicators": check.indicators,
        "row_count": check.row_count,
        "warning_count": len(check.warnings),
        "sheets": check.sheets,
        "loaded_by": user or batches.current_user(),
        "is_demo": demo,
        "received_at": received_at,
    }
    batch_id = batches.write_batch(
        cur,
        meta=meta,
        facts=check.table,
        keys=check.keys,
        warnings=check.warnings,
        kept_name=check.kept_name,
        kept_bytes=lambda: check.kept_bytes,  # asked for after the facts are inserted
        redacted=check.redacted,
        replace=bool(replace and check.overlap_rows),
        actor=actor,
        also=lambda cur, batch_id: outliers.store(cur, batch_id, check.flags, actor=actor),
    )
    if check.profiles_used:
        with db.transaction(cur):
            layout_profiles.mark_used(cur, check.profiles_used)
    log.info(
        "file %s loaded as batch %d: %d rows, %d warnings",
        check.sha256[:12],
        batch_id,
        check.row_count,
        len(check.warnings),
    )
    return IngestResult(LOADED, check.file_name, check, batch_id)


def ingest_file(
    cur: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    replace: bool = False,
    user: str | None = None,
    demo: bool = False,
    ref: reference.Reference | None = None,
    today: dt.date | None = None,
    key: bytes | None = None,
    actor: permissions.Actor | None = None,
    reading: readahead.Reading | None = None,
) -> IngestResult:
    """Check a file and, if it is clean, load it as one batch.

    `reading`: the file as the command line's read-ahead read it (readahead.py), else read here.
    """
    path = Path(path)
    limit = config.defaults()["ingest.max_file_bytes"]
    parsed = reading is not None
    if not parsed:
        reading = readahead.load(path, limit)
    problem = None
    if reading.os_error is not None:
        exc = reading.os_error
        problem = Problem(path.name, "", "", "", f"无法读取文件：{exc.strerror or exc}")
    elif reading.size > limit:
        problem = filecheck.too_large(path.name, reading.size, limit)
    if problem is not None:
        return IngestResult(REFUSED, path.name, FileCheck(path.name, "", [problem]))
    check = check_bytes(
        cur,
        reading.data,
        path.name,
        ref=ref,
        key=key,
        today=today,
        reading=reading if parsed else None,
    )
    return commit(cur, check, replace=replace, user=user, demo=demo, actor=actor)


def ingest_paths(
    cur: duckdb.DuckDBPyConnection,
    paths: list[str | Path],
    *,
    replace: bool = False,
    user: str | None = None,
    demo: bool = False,
    today: dt.date | None = None,
    actor: permissions.Actor | None = None,
) -> list[IngestResult]:
    """Ingest every file named or found under the named folders; one result per file."""
    return list(
        iter_ingest_paths(
            cur, paths, replace=replace, user=user, demo=demo, today=today, actor=actor
        )
    )


def iter_ingest_paths(
    cur: duckdb.DuckDBPyConnection,
    paths: list[str | Path],
    *,
    replace: bool = False,
    user: str | None = None,
    demo: bool = False,
    today: dt.date | None = None,
    actor: permissions.Actor | None = None,
    first_file: readahead.FirstFile | None = None,
) -> Iterator[IngestResult]:
    """`ingest_paths` one file at a time, each result as soon as its file is done.

    A file that makes the program fail is reported refused and the run goes on: one broken file
    never stops the files after it, nor hides the lines of those before it. `first_file`: the
    command line's read-ahead of the same `paths` (readahead.py).
    """
    ref = reference.load(cur)
    key = hash_key(cur)
    for path in first_file.paths if first_file else expand_paths(paths):
        try:
            yield ingest_file(
                cur,
                path,
                replace=replace,
                user=user,
                demo=demo,
                ref=ref,
                today=today,
                key=key,
                actor=actor,
                reading=first_file.take(path) if first_file else None,
            )
        except MinzhengError:
            raise  # refused on purpose for every file alike (e.g. no permission)
        except Exception as exc:
            problem = _internal_problem(Path(path).name, "", exc)
            check = FileCheck(Path(path).name, "", [problem])
            yield IngestResult(REFUSED, Path(path).name, check)


def summary(results: list[IngestResult]) -> str:
    """One Chinese line counting a run's files by outcome."""
    counts = {
        status: sum(r.status == status for r in results) for status in (LOADED, DUPLICATE, REFUSED)
    }
    return (
        f"共 {len(results)} 个文件：{LOADED} {counts[LOADED]} 个，{DUPLICATE} {counts[DUPLICATE]} 个，"
        f"{REFUSED} {counts[REFUSED]} 个"
    )
