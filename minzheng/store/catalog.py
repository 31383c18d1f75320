"""The one checked way to change units and the indicator catalog, for the pages and the CLI.

Each change is checked (role, names that clash, key and code formats), then written with its
audit entry and a new data version in one transaction. `reference.insert_*` are the unchecked
inserts underneath, for seeding only.
"""

from __future__ import annotations

import re

import duckdb

from minzheng import normalize
from minzheng.errors import MinzhengError
from minzheng.store import audit, db, permissions, reference

KIND_NAMES = {"township": "乡镇", "bureau": "局机关"}
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


def _clean(text: object, what: str) -> str:
    value = normalize.display(text).strip() if text is not None else ""
    if not value:
        raise MinzhengError(f"请填写{what}")
    if len(value) > 60:
        raise MinzhengError(f"{what}太长（最多 60 个字）")
    return value


def _write(
    cur: duckdb.DuckDBPyConnection,
    who: tuple[permissions.Actor, str],
    what: str,
    target: str,
    after,
    action,
    *args,
    **kwargs,
):
    """Run a reference-data change in one transaction that audits it and bumps the data version.

    `who` is the (actor, role) that `permissions.require` returned for "reference".
    """
    actor, role = who
    with db.transaction(cur):
        result = action(cur, *args, **kwargs)
        audit.record(cur, actor, what, role=role, target=target, after=after)
        db.bump_version(cur)
    return result


def add_alias(
    cur: duckdb.DuckDBPyConnection,
    unit_name: str,
    alias: str,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Let `alias` stand for the unit in workbooks (e.g. 丰州 → 丰州镇). Admins only."""
    who = permissions.require(cur, actor, "reference", target=unit_name)
    alias = _clean(alias, "别名")
    ref = reference.load(cur)
    owner = ref.unit_names.get(normalize.text(alias))
    target = ref.unit_names.get(normalize.text(unit_name))
    if target is None:
        raise MinzhengError(f"没有名为“{unit_name}”的单位")
    if owner is not None and owner != target:
        raise MinzhengError(f"“{alias}”已是“{ref.units[owner].name}”的名称或别名")
    if owner == target:
        raise MinzhengError(f"“{alias}”已经是“{unit_name}”的名称或别名")
    _write(
        cur,
        who,
        "unit_alias",
        unit_name,
        {"别名": alias},
        reference.insert_unit_alias,
        unit_name,
        alias,
    )


def add_unit(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    kind: str = "township",
    code: str = "",
    *,
    actor: permissions.Actor | None = None,
) -> int:
    """Add a reporting unit (kind 'township' or 'bureau'; code: the 9-digit division code, optional)."""
    who = permissions.require(cur, actor, "reference", target=name)
    name = _clean(name, "单位名称")
    code = (code or "").strip()
    if kind not in KIND_NAMES:
        raise MinzhengError("单位类型应为乡镇或局机关")
    if code and not re.fullmatch(r"\d{9}|\d{12}", code):
        raise MinzhengError("区划代码应为 9 位或 12 位数字（可不填）")
    ref = reference.load(cur)
    owner = ref.unit_names.get(normalize.text(name))
    if owner is not None:
        raise MinzhengError(f"“{name}”已是“{ref.units[owner].name}”的名称或别名")
    if code and any(u.code == code for u in ref.units.values()):
        raise MinzhengError(f"区划代码 {code} 已被其他单位使用")
    after = {"名称": name, "类型": KIND_NAMES[kind], "区划代码": code}
    return _write(cur, who, "unit_add", name, after, reference.insert_unit, name, kind, code=code)


def set_unit_active(
    cur: duckdb.DuckDBPyConnection,
    unit_name: str,
    active: bool,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Retire (False) or reinstate (True) a unit; its loaded data stays."""
    who = permissions.require(cur, actor, "reference", target=unit_name)
    after = {"状态": "在用" if active else "已停用"}
    _write(
        cur, who, "unit_active", unit_name, after, reference.update_unit_active, unit_name, active
    )


def add_synonym(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    synonym: str,
    *,
    actor: permissions.Actor | None = None,
) -> None:
    """Accept `synonym` as the category of indicator `key` in ledgers."""
    who = permissions.require(cur, actor, "reference", target=key)
    synonym = _clean(synonym, "同义词")
    ref = reference.load(cur)
    if key not in ref.indicators:
        raise MinzhengError(f"没有键为“{key}”的指标")
    owner = ref.category_names.get(normalize.text(synonym))
    if owner is not None:
        where = "该指标" if owner == key else f"“{ref.indicators[owner].name}”"
        raise MinzhengError(f"“{synonym}”已是{where}的名称或同义词")
    _write(
        cur,
        who,
        "catalog_synonym",
        key,
        {"同义词": synonym},
        reference.insert_synonym,
        key,
        synonym,
    )


def add_indicator(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    name: str,
    unit_label: str,
    *,
    accepted_units: list[str] | None = None,
    max_per_row: float = 100000,
    core: bool = False,
    actor: permissions.Actor | None = None,
) -> None:
    """Add a catalog indicator (key: lowercase letters, digits and _, e.g. meals_delivered)."""
    who = permissions.require(cur, actor, "reference", target=key)
    key = (key or "").strip()
    if not _KEY.match(key):
        raise MinzhengError(
            "指标键应以小写字母开头，只含小写字母、数字和下划线（如 meals_delivered）"
        )
    name = _clean(name, "指标名称")
    unit_label = _clean(unit_label, "计量单位")
    if max_per_row <= 0:
        raise MinzhengError("单行上限应大于 0")
    exists = cur.execute(
        "SELECT 1 FROM indicators WHERE key = $k OR name = $n", {"k": key, "n": name}
    ).fetchone()
    if exists:
        raise MinzhengError(f"指标键“{key}”或名称“{name}”已存在")
    ref = reference.load(cur)
    owner = ref.category_names.get(normalize.text(name))
    if owner is not None:
        raise MinzhengError(f"“{name}”已是“{ref.indicators[owner].name}”的同义词")
    accepted = [u.strip() for u in (accepted_units or []) if u and u.strip()]
    _write(
        cur,
        who,
        "catalog_indicator",
        key,
        {"名称": name, "计量单位": unit_label, "核心指标": "是" if core else "否"},
        reference.insert_indicator,
        key,
        name,
        unit_label,
        accepted_units=accepted,
        max_per_row=float(max_per_row),
        core=core,
    )
