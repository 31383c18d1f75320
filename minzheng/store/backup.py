"""Backup and restore: the whole database, the kept originals and the hash key, with a manifest.

A backup is a folder:

- `database/`: DuckDB's EXPORT DATABASE (schema.sql, load.sql, one Parquet file per table),
  taken in one transaction, so it is a consistent snapshot even while the dashboard serves;
- `originals/`: the redacted copy kept for every batch, as files (they are also inside the
  database; the copies let a person open them without the dashboard);
- `hash.key`: the secret behind the keyed hashes of ID numbers (without it, people counted after a
  restore would not match those counted before). Keep the backup as safe as the database;
- `manifest.json`, written last: format, schema version, row count of every table, SHA-256 and
  size of every file. A folder without it is an unfinished backup.

Restore checks the manifest and every checksum first, imports into a new file beside the
database, compares every table's row count with the manifest, and only then swaps the files.
The database it replaces is kept as `<name>.before-restore-<time>` (with its key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import duckdb

from minzheng.errors import MinzhengError
from minzheng.store import db, reference

FORMAT = 1
MANIFEST = "manifest.json"
KEY_FILE = "hash.key"


class BackupError(MinzhengError):
    """A backup cannot be written, or a folder is not a complete, intact backup."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def table_counts(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every table of the main schema."""
    names = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' ORDER BY 1"
        ).fetchall()
    ]
    return {n: cur.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name)[:120] or "file"


def create(cur: duckdb.DuckDBPyConnection, out_dir: str | Path) -> dict:
    """Write a backup of the database this cursor is connected to into out_dir; the manifest.

    out_dir must not exist or be empty: a backup never overwrites anything.
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"备份目录 {out} 已存在且不是空目录，请指定一个新目录")
    path = db.path_of(cur)
    if not path:
        raise BackupError("内存数据库无法备份")
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)  # the backup holds what the database holds: owner only, like the database
    with db.transaction(cur):  # one snapshot for the export, the counts and the originals
        counts = table_counts(cur)
        version = cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
        cur.execute(f"EXPORT DATABASE '{_sql_path(out / 'database')}' (FORMAT parquet)")
        originals = out / "originals"
        originals.mkdir()
        kept = cur.execute(
            "SELECT batch_id, file_name, content FROM batch_files ORDER BY batch_id"
        ).fetchall()
        for batch_id, name, content in kept:
            (originals / f"{batch_id:06d}_{_safe_name(name)}").write_bytes(bytes(content))
    key = out / KEY_FILE
    key.write_text(db.hash_key(path).hex())
    for p in out.rglob("*"):  # DuckDB's export follows the umask: make every file private
        p.chmod(0o700 if p.is_dir() else db.PRIVATE)
    files = {
        p.relative_to(out).as_posix(): {"sha256": _sha256(p), "bytes": p.stat().st_size}
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now().isoformat(timespec="seconds"),
        "source": str(path),
        "schema_version": version,
        "tables": counts,
        "originals": len(kept),
        "files": files,
    }
    tmp = out / (MANIFEST + ".part")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.chmod(db.PRIVATE)
    os.replace(tmp, out / MANIFEST)  # last: a folder with a manifest is a finished backup
    return manifest


def summary(out_dir: str | Path, manifest: dict) -> str:
    """What a finished backup reports (Chinese, two lines)."""
    tables = manifest["tables"]
    return (
        f"已备份到 {out_dir}：{tables.get('batches', 0)} 个批次，{tables.get('facts', 0)} 行明细，"
        f"{manifest['originals']} 个保留原件，数据结构版本 {manifest['schema_version']}\n"
        "备份中含身份证号哈希密钥（hash.key），请与数据库同等保管"
    )


def _sql_path(path: Path) -> str:
    text = str(path.resolve())
    if "'" in text:
        raise BackupError(f"目录名中不能含有单引号：{text}")
    return text


def verify(backup_dir: str | Path) -> dict:
    """The manifest of a complete, intact backup; BackupError naming what is wrong otherwise."""
    src = Path(backup_dir)
    if not src.is_dir():
        raise BackupError(f"找不到备份目录 {src}")
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{src} 中没有 {MANIFEST}：备份不完整（可能在备份过程中中断），不能用于恢复"
        ) from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src / MANIFEST} 已损坏，无法读取：{exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{src / MANIFEST} 不是本系统的备份清单（格式不符）")
    newest = max(int(p.name.split("_", 1)[0]) for p in db.MIGRATIONS_DIR.glob("*.sql"))
    if int(manifest.get("schema_version", 0)) > newest:
        raise BackupError(
            f"备份来自更新版本的系统（数据结构版本 {manifest['schema_version']}，"
            f"本系统为 {newest}），请先升级本系统再恢复"
        )
    files = manifest.get("files") or {}
    for needed in ("database/schema.sql", "database/load.sql", KEY_FILE):
        if needed not in files:
            raise BackupError(f"备份不完整：清单中没有 {needed}")
    for name, info in files.items():
        path = src / name
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少文件 {name}")
        if path.stat().st_size != info["bytes"] or _sha256(path) != info["sha256"]:
            raise BackupError(f"备份已损坏：文件 {name} 与清单中的校验值不符")
    return manifest


def restore(backup_dir: str | Path, db_file: str | Path) -> dict:
    """Replace the database file (and its key) with a verified backup; returns the manifest.

    The database must not be open anywhere (the dashboard stopped): it is opened here first so
    that DuckDB's lock refuses the restore while another process holds it. Nothing is replaced
    until the imported copy matches the manifest table by table.
    """
    src = Path(backup_dir)
    manifest = verify(src)
    target = Path(db_file)
    key_target = target.with_name(target.name + ".key")
    if target.exists():
        db.connect(
            target, seed=reference.seed
        ).close()  # a clear message if another process holds the database
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    staging = target.with_name(f".{target.name}.restoring-{os.getpid()}")
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(staging))
        try:
            con.execute(f"IMPORT DATABASE '{_sql_path(src / 'database')}'")
            counts = table_counts(con)
            expected = manifest["tables"]
            for table, rows in expected.items():
                if counts.get(table) != rows:
                    raise BackupError(
                        f"备份已损坏：表 {table} 应有 {rows} 行，导入后为 {counts.get(table)} 行"
                    )
            db.migrate(con, reference.seed)  # a backup from an older version gains the newer tables
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except duckdb.Error as exc:
        staging.unlink(missing_ok=True)
        raise BackupError(f"备份无法导入：{str(exc).splitlines()[0][:200]}") from None
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    key_staging = key_target.with_name(key_target.name + ".restoring")
    shutil.copyfile(src / KEY_FILE, key_staging)
    key_staging.chmod(0o600)
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        os.replace(target, kept)
        if key_target.exists():
            os.replace(key_target, kept.with_name(kept.name + ".key"))
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    os.replace(key_staging, key_target)
    os.replace(staging, target)
    return manifest
