"""Reporting units and the indicator catalog: seeded from data/, editable, matched by name.

Matching is exact after normalisation (spaces, full-width forms); near misses are reported with
the closest known names so the user can fix the cell or add an alias/synonym.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field

import duckdb

from minzheng import config, normalize
from minzheng.errors import MinzhengError, NotFoundError
from minzheng.store import memo


@dataclass(frozen=True)
class Unit:
    """A reporting unit (township or the bureau itself)."""

    unit_id: int
    code: str
    name: str
    kind: str
    active: bool


@dataclass(frozen=True)
class Indicator:
    """A catalog indicator: stable key, canonical Chinese name, unit of count."""

    key: str
    name: str
    unit_label: str
    accepted_units: tuple[str, ...]
    max_per_row: float
    core: bool


@dataclass
class Reference:
    """Units and catalog as loaded from the database, with normalised lookup tables."""

    units: dict[int, Unit]
    indicators: dict[str, Indicator]
    unit_names: dict[str, int] = field(default_factory=dict)  # normalised name/alias -> unit_id
    category_names: dict[str, str] = field(default_factory=dict)  # normalised name/synonym -> key

    def unit(self, text: object) -> Unit | None:
        """The active unit whose name or alias equals the text (normalised), else None."""
        unit_id = self.unit_names.get(normalize.text(text))
        unit = self.units.get(unit_id) if unit_id is not None else None
        return unit if unit and unit.active else None

    def unit_in(self, text: object) -> Unit | None:
        """The unit named inside free text (a title, sheet or file name); townships win over the bureau."""
        raw = normalize.text(text)
        found = [
            (len(name), self.units[uid])
            for name, uid in self.unit_names.items()
            if name and name in raw and self.units[uid].active
        ]
        if not found:
            return None
        townships = [f for f in found if f[1].kind == "township"]
        return max(townships or found, key=lambda f: f[0])[1]

    def closest_units(self, text: object, n: int = 3) -> list[str]:
        """Canonical names of the units whose names look most like the text."""
        return _closest(normalize.text(text), self.unit_names, lambda uid: self.units[uid].name, n)

    def category(self, text: object) -> Indicator | None:
        """The indicator whose canonical name or synonym equals the text (normalised)."""
        key = self.category_names.get(normalize.text(text))
        return self.indicators.get(key) if key else None

    def category_in(self, text: object) -> Indicator | None:
        """The indicator named inside free text (e.g. a sheet called 留守儿童走访台账): longest match."""
        raw = normalize.text(text)
        found = [(len(name), key) for name, key in self.category_names.items() if name in raw]
        return self.indicators[max(found)[1]] if found else None

    def closest_categories(self, text: object, n: int = 3) -> list[str]:
        """Canonical names (with the matched synonym) closest to the text."""
        return _closest(
            normalize.text(text), self.category_names, lambda k: self.indicators[k].name, n
        )


def _closest(raw: str, table: dict, canonical, n: int) -> list[str]:
    raw = raw[:60]  # a megabyte-long cell would make the comparison take seconds
    scored = sorted(
        ((difflib.SequenceMatcher(None, raw, name).ratio(), name) for name in table),
        reverse=True,
    )
    result: list[str] = []
    for score, name in scored:
        if score < 0.34:
            break
        label = canonical(table[name])
        if label not in result:
            result.append(label)
        if len(result) == n:
            break
    return result


def load(cur: duckdb.DuckDBPyConnection) -> Reference:
    """Read units, aliases, indicators and synonyms from the database.

    Two statements, not four: every page reads this, and each statement costs DuckDB about
    0.4 ms however small its tables. Units and active indicators come in one, aliases and
    synonyms in the other (each in table order, as before: the first of two aliases that
    normalise alike wins).
    """
    units: list[tuple] = []
    active: list[tuple] = []
    for unit_id, key, code_or_label, name, kind, flag, accepted, max_per_row, order in cur.execute(
        "SELECT unit_id, NULL, coalesce(code, ''), name, kind, active, NULL, NULL, sort_order "
        "FROM units UNION ALL "
        "SELECT NULL, key, unit_label, name, NULL, core, accepted_units, max_per_row, sort_order "
        "FROM indicators WHERE active"
    ).fetchall():
        if key is None:
            units.append((order, Unit(unit_id, code_or_label, name, kind, flag)))
        else:
            indicator = Indicator(key, name, code_or_label, tuple(accepted), max_per_row, flag)
            active.append((order, indicator))
    ref = Reference(
        {u.unit_id: u for _, u in sorted(units, key=lambda pair: pair[0])},
        {i.key: i for _, i in sorted(active, key=lambda pair: pair[0])},
    )
    for unit in ref.units.values():
        ref.unit_names[normalize.text(unit.name)] = unit.unit_id
    for ind in ref.indicators.values():
        ref.category_names[normalize.text(ind.name)] = ind.key
    for text, unit_id, key in cur.execute(
        "SELECT alias, unit_id, NULL FROM unit_aliases UNION ALL "
        "SELECT synonym, NULL, indicator_key FROM indicator_synonyms"
    ).fetchall():
        if key is None:
            ref.unit_names.setdefault(normalize.text(text), unit_id)
        elif key in ref.indicators:
            ref.category_names.setdefault(normalize.text(text), key)
    return ref


def current(cur: duckdb.DuckDBPyConnection) -> Reference:
    """What `load` gives, kept per data version (minzheng.store.memo) for the dashboard's reads: a page
    needs it for its filters and again inside its tables. Shared, so read-only; code that changes
    units or indicators and reads them back in one transaction uses `load`."""
    return memo.cached(cur, "reference", (), lambda: load(cur))


def seed(cur: duckdb.DuckDBPyConnection) -> None:
    """Fill units and catalog from data/units.csv and data/catalog.csv (first migration only)."""
    with open(config.DATA_DIR / "units.csv", encoding="utf-8", newline="") as fh:
        for order, row in enumerate(csv.DictReader(fh), start=1):
            insert_unit(cur, row["name"], row["kind"], code=row["code"], sort_order=order)
            for alias in filter(None, row["aliases"].split("|")):
                insert_unit_alias(cur, row["name"], alias)
    with open(config.DATA_DIR / "catalog.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            insert_indicator(
                cur,
                row["key"],
                row["name"],
                row["unit"],
                accepted_units=row["accepted_units"].split("|"),
                max_per_row=float(row["max_per_row"]),
                core=row["core"] == "1",
            )
            for synonym in filter(None, row["synonyms"].split("|")):
                insert_synonym(cur, row["key"], synonym)


def insert_unit(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    kind: str = "township",
    *,
    code: str = "",
    sort_order: int | None = None,
) -> int:
    """Add a reporting unit; returns its id."""
    if sort_order is None:
        sort_order = cur.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM units").fetchone()[0]
    return cur.execute(
        "INSERT INTO units (code, name, kind, sort_order) VALUES ($code, $name, $kind, $order) "
        "RETURNING unit_id",
        {"code": code or None, "name": name.strip(), "kind": kind, "order": sort_order},
    ).fetchone()[0]


def _unit_id(cur: duckdb.DuckDBPyConnection, name: str) -> int:
    row = cur.execute("SELECT unit_id FROM units WHERE name = $name", {"name": name}).fetchone()
    if not row:
        raise NotFoundError(f"没有名为“{name}”的单位")
    return row[0]


def insert_unit_alias(cur: duckdb.DuckDBPyConnection, unit_name: str, alias: str) -> None:
    """Let `alias` (e.g. 丰州) stand for the unit `unit_name` (e.g. 丰州镇) in workbooks."""
    unit_id = _unit_id(cur, unit_name)
    existing = cur.execute(
        "SELECT unit_id FROM unit_aliases WHERE alias = $alias", {"alias": alias.strip()}
    ).fetchone()
    if existing and existing[0] != unit_id:
        raise MinzhengError(f"别名“{alias}”已用于另一个单位")
    cur.execute(
        "INSERT OR REPLACE INTO unit_aliases VALUES ($alias, $unit_id)",
        {"alias": alias.strip(), "unit_id": unit_id},
    )


def update_unit_active(cur: duckdb.DuckDBPyConnection, unit_name: str, active: bool) -> None:
    """Retire (active=False) or reinstate a unit; its loaded data stays, new files naming it are refused."""
    cur.execute(
        "UPDATE units SET active = $active WHERE unit_id = $id",
        {"active": active, "id": _unit_id(cur, unit_name)},
    )


def insert_indicator(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    name: str,
    unit_label: str,
    *,
    accepted_units: list[str] | None = None,
    max_per_row: float = 100000,
    core: bool = False,
) -> None:
    """Add an indicator to the catalog; no code change is needed for it to be imported and shown."""
    order = cur.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM indicators").fetchone()[0]
    accepted = list(dict.fromkeys([unit_label, *(accepted_units or [])]))
    cur.execute(
        "INSERT INTO indicators (key, name, unit_label, accepted_units, max_per_row, core, sort_order) "
        "VALUES ($key, $name, $unit, $accepted, $max, $core, $order)",
        {
            "key": key,
            "name": name,
            "unit": unit_label,
            "accepted": accepted,
            "max": max_per_row,
            "core": core,
            "order": order,
        },
    )


def insert_synonym(cur: duckdb.DuckDBPyConnection, key: str, synonym: str) -> None:
    """Accept `synonym` in ledgers as the category of indicator `key`."""
    if not cur.execute("SELECT 1 FROM indicators WHERE key = $key", {"key": key}).fetchone():
        raise NotFoundError(f"没有键为“{key}”的指标")
    taken = cur.execute(
        "SELECT indicator_key FROM indicator_synonyms WHERE synonym = $s", {"s": synonym.strip()}
    ).fetchone()
    if taken and taken[0] != key:
        raise MinzhengError(f"同义词“{synonym}”已属于指标 {taken[0]}，不能再用于 {key}")
    cur.execute(
        "INSERT OR REPLACE INTO indicator_synonyms VALUES ($synonym, $key)",
        {"synonym": synonym.strip(), "key": key},
    )
