"""The upload page's logic: check many files, explain what each holds, load the confirmed ones.

Nothing here draws: the page calls these functions and shows the tables they return. Checking
never writes; `load` writes each file as its own batch (all or nothing per file) and `undo`
withdraws the batches an upload created.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import duckdb
import pandas as pd

from minzheng import formatting
from minzheng.errors import MinzhengError
from minzheng.intake import ingest, outliers, workbook
from minzheng.intake.ingest import FileCheck, IngestResult
from minzheng.store import batches, permissions, reference

UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "csv")  # workbook.SUFFIXES, in the upload box's order
LEVEL_NAMES = {"error": "错误", "warning": "提示"}
PREVIEW_ROWS = 500

# What a checked file will do when the analyst confirms (short labels for tables and icons).
READY, REPLACES, INVALID, DUPLICATE = "可导入", "与已有数据重叠", "有错误", "重复"

Progress = Callable[[float, str], None]  # (fraction done, what is happening, in Chinese)


def file_sha(data: bytes) -> str:
    """SHA-256 of a file's bytes: the key under which its check is kept between re-runs."""
    return hashlib.sha256(data).hexdigest()


def base_name(name: str) -> str:
    """The file name without any folder part (folder uploads may send 'dir/sub/file.xlsx')."""
    return PureWindowsPath(PurePosixPath(name).name).name or name


def wanted(name: str) -> bool:
    """True for a spreadsheet worth checking (skips Office lock files and hidden files)."""
    return workbook.is_spreadsheet_name(base_name(name))


def check_files(
    cur: duckdb.DuckDBPyConnection,
    files: Iterable[tuple[str, bytes]],
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> dict[str, FileCheck]:
    """Check every (name, bytes) without writing; returns {sha256: FileCheck} in upload order.

    The same bytes uploaded twice are checked once. `progress(fraction, text)` is called
    before each file, and once more at the end.
    """
    files = [(base_name(name), data) for name, data in files]
    ref = reference.load(cur)
    key = ingest.hash_key(cur)
    checks: dict[str, FileCheck] = {}
    for done, (name, data) in enumerate(files):
        if progress:
            progress(done / len(files), f"正在检查第 {done + 1}/{len(files)} 个文件：{name}")
        sha = file_sha(data)
        if sha not in checks:
            checks[sha] = ingest.check_bytes(cur, data, name, ref=ref, key=key, today=today)
    if progress:
        progress(1.0, f"已检查 {len(files)} 个文件")
    return checks


def state(check: FileCheck) -> str:
    """What confirming will do with the file: 可导入, 与已有数据重叠, 有错误 or 重复."""
    if check.errors:
        return INVALID
    if check.duplicate_of:
        return DUPLICATE
    if check.overlaps is not None and not check.overlaps.empty:
        return REPLACES
    return READY


def months_text(check: FileCheck) -> str:
    """The months a file covers in words: '2023年4月' or '2023年1月至2023年12月'."""
    return formatting.month_range(check.months)


def shape_text(check: FileCheck) -> str:
    """The detected layout(s) in Chinese, e.g. '明细台账' or '明细台账、月度汇总表'."""
    text = "、".join(ingest.SHAPE_NAMES.get(s, s) for s in check.shapes) or "—"
    if check.profiles_used:
        text += "（" + "、".join(f"按「{n}」结构读取" for n in check.profiles_used) + "）"
    return text


def explanation_lines(check: FileCheck) -> list[str]:
    """One line per sheet saying how it was read (shape, header row, columns used and skipped)."""
    return [f"「{sheet}」{sentence}" for sheet, sentence in check.explanations.items()]


def overview(checks: dict[str, FileCheck]) -> pd.DataFrame:
    """One row per checked file: 状态, 文件, 格式, 乡镇, 月份, 行数, 错误, 提示."""
    rows = [
        {
            "状态": state(c),
            "文件": c.file_name,
            "格式": shape_text(c),
            "乡镇": "、".join(c.units) or "—",
            "月份": formatting.month_range(c.months),
            "行数": len(c.facts),
            "错误": len(c.errors),
            "提示": len(c.warnings),
        }
        for c in checks.values()
    ]
    columns = ["状态", "文件", "格式", "乡镇", "月份", "行数", "错误", "提示"]
    return pd.DataFrame(rows, columns=columns)


def problems_table(check: FileCheck) -> pd.DataFrame:
    """The file's problems: 工作表, 单元格, 值, 问题, 级别 (errors first)."""
    ordered = check.errors + check.warnings
    return pd.DataFrame(
        [
            {
                "工作表": p.sheet,
                "单元格": _cells(p),
                "值": p.value,
                "问题": p.message,
                "级别": LEVEL_NAMES.get(p.level, p.level),
            }
            for p in ordered
        ],
        columns=["工作表", "单元格", "值", "问题", "级别"],
    )


def preview(
    check: FileCheck, ref: reference.Reference, limit: int | None = PREVIEW_ROWS
) -> pd.DataFrame:
    """The rows as they will be stored, with unit and indicator names (personal data masked).

    Columns: 工作表, 行号, 乡镇, 指标, 原类别, 日期, 月份, 数量, 单位, 地点, 备注, 服务对象.
    """
    facts = check.facts if limit is None else check.facts.head(limit)
    columns = ["工作表", "行号", "乡镇", "指标", "原类别", "日期", "月份", "数量", "单位"]
    columns += ["地点", "备注", "服务对象"]
    if facts.empty:
        return pd.DataFrame(columns=columns)
    indicator = facts["indicator_key"].map(
        lambda k: ref.indicators[k].name if k in ref.indicators else k
    )
    unit_label = facts["indicator_key"].map(
        lambda k: ref.indicators[k].unit_label if k in ref.indicators else ""
    )
    township = facts["unit_id"].map(lambda u: ref.units[u].name if u in ref.units else str(u))
    month = [f"{y}年{m}月" for y, m in zip(facts["year"], facts["month"], strict=True)]
    return pd.DataFrame(
        {
            "工作表": facts["sheet"],
            "行号": facts["source_row"],
            "乡镇": township,
            "指标": indicator,
            "原类别": facts["category_text"],
            "日期": pd.to_datetime(facts["activity_date"]).dt.date,
            "月份": month,
            "数量": facts["quantity"].astype(float),
            "单位": unit_label,
            "地点": facts["place"],
            "备注": facts["note"],
            "服务对象": facts["person_masked"],
        },
        columns=columns,
    )


def totals(check: FileCheck, ref: reference.Reference) -> pd.DataFrame:
    """What the file adds up to per township, month and indicator: 乡镇, 月份, 指标, 合计."""
    columns = ["乡镇", "月份", "指标", "合计"]
    if check.facts.empty:
        return pd.DataFrame(columns=columns)
    grouped = (
        check.facts.groupby(["unit_id", "year", "month", "indicator_key"], sort=True)["quantity"]
        .sum()
        .reset_index()
    )
    order = {key: n for n, key in enumerate(ref.indicators)}
    grouped = grouped.sort_values(
        ["unit_id", "year", "month", "indicator_key"],
        key=lambda s: s.map(order) if s.name == "indicator_key" else s,
    )
    rows = []
    for r in grouped.itertuples(index=False):
        ind = ref.indicators.get(r.indicator_key)
        unit = ref.units.get(r.unit_id)
        rows.append(
            {
                "乡镇": unit.name if unit else str(r.unit_id),
                "月份": f"{r.year}年{r.month}月",
                "指标": ind.name if ind else r.indicator_key,
                "合计": formatting.number(r.quantity, ind.unit_label if ind else ""),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def flag_lines(check: FileCheck) -> list[str]:
    """The file's data-quality flags in the words the command line prints after 已导入."""
    return outliers.lines(check.flags)


def duplicate_text(check: FileCheck) -> str:
    """Plain words for a duplicate: which earlier file (and batch) holds the same content."""
    if not check.duplicate_of:
        return ""
    batch_id, earlier = check.duplicate_of
    same = "完全相同" if earlier == check.file_name else "内容相同"
    return (
        f"这个文件与已导入的“{earlier}”（批次 {batch_id}）{same}，"
        "确认导入时会跳过它，不会重复计数。"
    )


def overlap_table(check: FileCheck) -> pd.DataFrame:
    """Data already loaded for the same township, month and indicator: 已导入文件, 批次, 乡镇, 月份, 指标."""
    columns = ["已导入文件", "批次", "乡镇", "月份", "指标"]
    overlaps = check.overlaps
    if overlaps is None or overlaps.empty:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(
        {
            "已导入文件": overlaps["file_name"],
            "批次": overlaps["batch_id"].astype(int),
            "乡镇": overlaps["unit"],
            "月份": [
                f"{y}年{m}月" for y, m in zip(overlaps["year"], overlaps["month"], strict=True)
            ],
            "指标": overlaps["indicator"],
        },
        columns=columns,
    )


def overlap_text(check: FileCheck) -> str:
    """Plain words for an overlap: which earlier files cover which townships and months."""
    table = overlap_table(check)
    if table.empty:
        return ""
    parts = []
    for (earlier, batch_id), group in table.groupby(["已导入文件", "批次"], sort=False):
        towns = "、".join(dict.fromkeys(group["乡镇"]))
        months = list(dict.fromkeys(group["月份"]))
        shown = "、".join(months[:4]) + (f" 等 {len(months)} 个月" if len(months) > 4 else "")
        kinds = len(set(group["指标"]))
        parts.append(f"“{earlier}”（批次 {batch_id}）已有{towns} {shown}的 {kinds} 项指标")
    return (
        "本文件中的部分数据已经导入过：" + "；".join(parts) + "。"
        "如果这是更正后的新版本，请勾选“替换”，旧数据会被本文件取代（旧数据保留，可在“数据管理”中恢复）；"
        "不勾选则本文件不导入。"
    )


@dataclass(frozen=True)
class InternalOverlap:
    """Two files of the same upload covering the same township, month and indicator."""

    earlier: str  # file name of the file loaded first
    keys: int  # how many (township, month, indicator) they share


def internal_overlaps(checks: dict[str, FileCheck]) -> dict[str, list[InternalOverlap]]:
    """{sha: overlaps with files earlier in this upload}: loading both needs 'replace' for the later one."""
    seen: list[tuple[str, set]] = []
    found: dict[str, list[InternalOverlap]] = {}
    for sha, check in checks.items():
        if check.errors or check.duplicate_of:
            continue
        keys = set(check.keys)
        hits = [InternalOverlap(name, len(keys & other)) for name, other in seen if keys & other]
        if hits:
            found[sha] = hits
        seen.append((check.file_name, keys))
    return found


def internal_overlap_text(hits: list[InternalOverlap]) -> str:
    """Plain words for overlaps between files of this upload."""
    names = "、".join(f"“{h.earlier}”" for h in hits)
    count = sum(h.keys for h in hits)
    return (
        f"本文件与本次一起上传的{names}有 {count} 项（乡镇、月份、指标）相同；"
        "两者都导入时，需勾选“替换”让本文件取代前者，否则本文件不导入。"
    )


def needs_replace(checks: dict[str, FileCheck]) -> list[str]:
    """Shas of the files that load only with an explicit 'replace' (overlap with loaded data or
    with an earlier file of this upload)."""
    inside = internal_overlaps(checks)
    return [sha for sha, c in checks.items() if state(c) == REPLACES or sha in inside]


def intentions(checks: dict[str, FileCheck], replace: Iterable[str] = ()) -> dict[str, int]:
    """What confirming will do: {'导入': new files, '替换': files replacing data, '重复': skipped
    duplicates, '错误': refused for errors, '未确认': overlapping files without 'replace'}."""
    replace = set(replace)
    overlapping = set(needs_replace(checks))
    found = {"导入": 0, "替换": 0, "重复": 0, "错误": 0, "未确认": 0}
    for sha, check in checks.items():
        current = state(check)
        if current == INVALID:
            found["错误"] += 1
        elif current == DUPLICATE:
            found["重复"] += 1
        elif sha in overlapping:
            found["替换" if sha in replace else "未确认"] += 1
        else:
            found["导入"] += 1
    return found


def intentions_text(found: dict[str, int]) -> str:
    """The plan in one sentence, e.g. '将导入 3 个文件（其中 1 个替换已有数据）；跳过 1 个重复文件'."""
    loading = found["导入"] + found["替换"]
    parts = [
        f"将导入 {loading} 个文件"
        + (f"（其中 {found['替换']} 个替换已有数据）" if found["替换"] else "")
    ]
    if found["重复"]:
        parts.append(f"跳过 {found['重复']} 个重复文件")
    if found["错误"]:
        parts.append(f"{found['错误']} 个文件有错误，不会导入")
    if found["未确认"]:
        parts.append(f"{found['未确认']} 个重叠文件未勾选“替换”，不会导入")
    return "；".join(parts)


def loadable(checks: dict[str, FileCheck], replace: Iterable[str] = ()) -> int:
    """How many files confirming will load."""
    found = intentions(checks, replace)
    return found["导入"] + found["替换"]


def load(
    cur: duckdb.DuckDBPyConnection,
    checks: dict[str, FileCheck],
    *,
    replace: Iterable[str] = (),
    user: str | None = None,
    progress: Progress | None = None,
    actor: permissions.Actor | None = None,
) -> list[IngestResult]:
    """Write the checked files in order, one batch each; `replace` holds the shas the analyst
    allowed to supersede data already loaded. Returns one IngestResult per file; the checks
    themselves are left unchanged. PermissionDenied before anything is written when `actor`
    may not ingest."""
    permissions.require(cur, actor, "ingest", target=f"{len(checks)} 个文件")
    replace = set(replace)
    results = []
    total = len(checks)
    for done, (sha, check) in enumerate(checks.items()):
        if progress:
            progress(done / total, f"正在导入第 {done + 1}/{total} 个文件：{check.file_name}")
        # commit() records refusals on the check it is given: keep the caller's checks as they were
        mine = dataclasses.replace(check, problems=list(check.problems))
        results.append(
            ingest.commit(cur, mine, replace=sha in replace, user=user or None, actor=actor)
        )
    if progress:
        progress(1.0, f"已处理 {total} 个文件")
    return results


def counts(results: list[IngestResult]) -> dict[str, int]:
    """{已导入, 重复, 拒绝: files} plus '行数': rows loaded."""
    found = {ingest.LOADED: 0, ingest.DUPLICATE: 0, ingest.REFUSED: 0}
    for r in results:
        found[r.status] += 1
    found["行数"] = sum(r.rows for r in results)
    return found


def summary_text(results: list[IngestResult]) -> str:
    """'已导入 3 个文件（共 120 行）；重复 1 个；拒绝 0 个'."""
    n = counts(results)
    return (
        f"已导入 {n[ingest.LOADED]} 个文件（共 {formatting.number(n['行数'], '行')}）；"
        f"重复 {n[ingest.DUPLICATE]} 个；拒绝 {n[ingest.REFUSED]} 个"
    )


def _cells(problem) -> str:
    """The cell, or the first cell and how many share the problem ("C12 起共 37 个")."""
    return f"{problem.cell} 起共 {problem.cells:,} 个" if problem.cells > 1 else problem.cell


def _where(problem) -> str:
    parts = [f"工作表「{problem.sheet}」" if problem.sheet else "", _cells(problem)]
    place = " ".join(p for p in parts if p)
    value = f"（{problem.value}）" if problem.value != "" else ""
    return f"{place}{value}：" if place or value else ""


def result_detail(result: IngestResult) -> str:
    """One short sentence on what happened to a file (the table's 说明 column)."""
    c = result.check
    if result.status == ingest.LOADED:
        parts = [shape_text(c), "、".join(c.units), formatting.month_range(c.months)]
        if c.warnings:
            parts.append(f"{len(c.warnings)} 条提示")
        if c.overlaps is not None and not c.overlaps.empty:
            parts.append("替换了已导入的数据")
        return "；".join(parts)
    if result.status == ingest.DUPLICATE:
        batch_id, earlier = c.duplicate_of
        return f"与已导入的“{earlier}”（批次 {batch_id}）内容相同，未重复导入"
    errors = c.errors
    if not errors:
        return "未导入"
    first = errors[-1] if not errors[-1].sheet and "重叠" in errors[-1].message else errors[0]
    text = _where(first) + first.message
    return text if len(errors) == 1 else f"共 {len(errors)} 处错误，如：{text}"


def results_table(results: list[IngestResult]) -> pd.DataFrame:
    """One row per file of the upload: 结果, 文件, 批次 (text, blank unless loaded), 行数, 说明."""
    rows = [
        {
            "结果": r.status,
            "文件": r.file_name,
            "批次": str(r.batch_id) if r.batch_id else "",
            "行数": r.rows,
            "说明": result_detail(r),
        }
        for r in results
    ]
    return pd.DataFrame(rows, columns=["结果", "文件", "批次", "行数", "说明"])


def loaded_batches(results: list[IngestResult]) -> list[int]:
    """Batch ids the upload created."""
    return [r.batch_id for r in results if r.status == ingest.LOADED and r.batch_id]


def undo(
    cur: duckdb.DuckDBPyConnection,
    batch_ids: Iterable[int],
    *,
    actor: permissions.Actor | None = None,
) -> int:
    """Roll back the batches of an upload, newest first (so replaced rows come back in order).

    Batches already rolled back are skipped; returns how many were rolled back. A refused
    permission is raised, not skipped.
    """
    done = 0
    active = set(
        batches.list_batches(cur).query("status == 'active'")["batch_id"].astype(int).tolist()
    )
    for batch_id in sorted(set(batch_ids), reverse=True):
        if batch_id not in active:
            continue
        try:
            batches.rollback(cur, batch_id, actor=actor)
        except permissions.PermissionDenied:
            raise
        except MinzhengError:
            continue
        done += 1
    return done
