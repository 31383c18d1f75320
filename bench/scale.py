"""Databases at county, city and province scale for the benchmarks, cached under bench/out/.

- county: the demo (12 townships and the bureau, 2023 and 2024, loaded through the normal import
  path) plus a third year, 2025, written by the demo generator as 144 township-month workbooks
  (12 townships × 12 months) and loaded end to end with `ingest.ingest_paths` — that load is
  itself one of the measures (`county_year`).
- city (12 counties) and province (120 counties, about 1,400 townships, 5 years, daily ledgers):
  no workbooks. Every table a dashboard page reads (units, batches, batch_coverage, facts,
  monthly_actuals, plan_targets, plan_phasing) is filled by DuckDB SQL over `range()`, with
  deterministic hashes instead of a random generator. Fact rows are drawn (bootstrap) from the
  county's own live fact rows, so indicators, quantities, undated rows, places, notes and
  masked persons follow the demo's distributions; `monthly_actuals` and `batch_coverage` are
  then computed from the facts exactly as `batches.write_batch` maintains them on load.

City: one batch per unit and month with as many rows as a random county unit-month (the demo's
monthly-ledger density). Province, "daily ledgers": one batch per unit and month holding about
`rows_per_day` rows per day of the month (each row on its own day), about ten times the demo's
density, which gives tens of millions of fact rows.

The kept (redacted) copy of each file is a 64-byte placeholder in generated databases: the
figures for database size say so.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from minzheng import store
from minzheng.demo import activities, layouts, ledgers, loader, people, writers
from minzheng.demo import sheets as grids
from minzheng.demo import units as demo_units
from minzheng.intake import ingest
from minzheng.store import db

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
GEN_VERSION = 1  # bump when generated data changes: cached databases are keyed on it
COUNTY_YEAR = 2025  # the year the county-year load adds to the demo's 2023 and 2024


@dataclass(frozen=True)
class Scale:
    """One generated scale: counties, townships per county (range), years, density."""

    name: str
    counties: int
    townships: tuple[int, int]  # min, max townships per county (inclusive)
    years: tuple[int, ...]
    rows_per_day: float = 0.0  # 0: the demo's monthly-ledger density (bootstrap of unit-months)

    @property
    def label(self) -> str:
        """Short description for the report."""
        towns = (
            f"{self.townships[0]}"
            if self.townships[0] == self.townships[1]
            else f"{self.townships[0]}–{self.townships[1]}"
        )
        density = (
            f"daily ledgers, ≈{self.rows_per_day:g} rows per unit-day"
            if self.rows_per_day
            else "monthly ledgers at the demo's density"
        )
        return (
            f"{self.counties} counties × {towns} townships + 1 bureau each, "
            f"{self.years[0]}–{self.years[-1]}, {density}"
        )


CITY = Scale("city", 12, (12, 12), (2023, 2024, 2025))
PROVINCE = Scale("province", 120, (9, 14), (2021, 2022, 2023, 2024, 2025), rows_per_day=7.0)
PROVINCE_REDUCED = Scale("province-reduced", 24, (9, 14), (2024, 2025), rows_per_day=7.0)
SCALES = {s.name: s for s in (CITY, PROVINCE, PROVINCE_REDUCED)}


def db_file(name: str) -> Path:
    """The cached database of a scale (the key file sits beside it)."""
    return OUT_DIR / f"scale-{name}-v{GEN_VERSION}.duckdb"


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".key")):
        p.unlink(missing_ok=True)


def copy_db(src: Path, dst: Path) -> None:
    """Copy a database file and its hash-key file."""
    _remove(dst)
    shutil.copyfile(src, dst)
    key = src.with_name(src.name + ".key")
    if key.exists():
        shutil.copyfile(key, dst.with_name(dst.name + ".key"))


def publish(src: Path, dst: Path) -> None:
    """Copy a finished database (and key) to its cache name; the database file is renamed last,
    so an interrupted copy never looks cached."""
    part = dst.with_name("part-" + dst.name)
    copy_db(src, part)
    key = part.with_name(part.name + ".key")
    if key.exists():
        os.replace(key, dst.with_name(dst.name + ".key"))
    os.replace(part, dst)


# -- county: the demo plus a year of township-month workbooks -------------------------------------


def county_year_files(out_dir: Path | None = None) -> tuple[Path, dict]:
    """Write (once) the 144 township-month workbooks of COUNTY_YEAR with the demo generator.

    Each file holds the township's ledger for the month (the demo's standard layout: title,
    填报单位 line, header, rows, 合计, signature) and, for townships that keep per-person visit
    ledgers, a second sheet with one row per child visited. Returns the folder and the truth
    {(indicator, township, month): quantity}.
    """
    out_dir = out_dir or OUT_DIR / f"county-{COUNTY_YEAR}-v{GEN_VERSION}"
    style = ledgers._LedgerStyle(
        layouts._LEDGER_STD, total="合计", signature=True, widths=layouts._LEDGER_STD_WIDTHS
    )
    person = people._PersonStyle(layouts._PERSON_STD, total=True, signature=True)
    truth: dict = {}
    books = []
    for unit in demo_units._UNITS:
        for month in range(1, 13):
            acts, visits = activities._township_month(unit, COUNTY_YEAR, month)
            for a in acts:
                k = (a.key, unit.name, month)
                truth[k] = truth.get(k, 0.0) + a.qty
            if visits:
                k = ("children_visited", unit.name, month)
                truth[k] = truth.get(k, 0.0) + len(visits)
            rel = f"{unit.name}/{unit.name}{COUNTY_YEAR}年{month}月工作台账.xlsx"
            reported = grids._report_day(COUNTY_YEAR, month)
            titles = [
                f"武乡县{unit.name}{COUNTY_YEAR}年{month}月工作台账",
                grids._subtitle(unit, reported),
            ]
            sheets = [
                ledgers._ledger_sheet("台账", acts, unit, style, titles, layouts._file_rng(rel))
            ]
            if visits:
                sheets.append(
                    people._person_sheet(
                        "留守儿童走访台账",
                        visits,
                        unit,
                        person,
                        [f"{unit.name}{COUNTY_YEAR}年{month}月留守儿童走访台账"],
                        layouts._file_rng(rel, "person"),
                    )
                )
            books.append(grids._Book(rel, sheets))
    done = out_dir / "done"
    if not done.exists():
        shutil.rmtree(out_dir, ignore_errors=True)
        for book in books:
            path = out_dir / book.relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            writers._write_xlsx(book, path)
        done.write_text(str(len(books)))
    return out_dir, truth


def demo_db(log=print) -> Path:
    """The demo (2023, 2024) loaded through the normal path into a cached database."""
    path = OUT_DIR / f"demo-v{GEN_VERSION}.duckdb"
    if path.exists():
        return path
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("building-" + path.name)
    _remove(tmp)
    start = time.perf_counter()
    con = store.connect(tmp)
    results = loader.load_demo(con)
    con.execute("CHECKPOINT")
    con.close()
    bad = [r.line() for r in results if r.status != ingest.LOADED]
    if bad:
        raise RuntimeError("demo did not load: " + "; ".join(bad[:3]))
    publish(tmp, path)
    _remove(tmp)
    log(f"demo database built in {time.perf_counter() - start:.1f} s")
    return path


def check_county_year(con, truth: dict) -> None:
    """Raise unless the loaded COUNTY_YEAR totals equal the generator's truth exactly."""
    rows = con.execute(
        "SELECT m.indicator_key, u.name, m.month, m.actual FROM monthly_actuals m "
        "JOIN units u USING (unit_id) WHERE m.year = $y AND m.actual <> 0",
        {"y": COUNTY_YEAR},
    ).fetchall()
    loaded = {(k, u, m): a for k, u, m, a in rows}
    wanted = {k: v for k, v in truth.items() if v}
    if loaded != wanted:
        diff = sorted(set(loaded.items()) ^ set(wanted.items()))[:5]
        raise RuntimeError(f"county year totals differ from the generator's truth: {diff}")


def add_county_plan(con) -> None:
    """COUNTY_YEAR's plan: the demo's 2024 targets and phasing carried over (not demo data)."""
    with db.transaction(con):
        con.execute(
            "INSERT INTO plan_targets SELECT $y, unit_id, indicator_key, target, current_timestamp, "
            "'bench', FALSE FROM plan_targets WHERE year = $y - 1",
            {"y": COUNTY_YEAR},
        )
        con.execute(
            "INSERT INTO plan_phasing SELECT $y, indicator_key, month, share, FALSE "
            "FROM plan_phasing WHERE year = $y - 1",
            {"y": COUNTY_YEAR},
        )
        db.bump_version(con)


def county_db(log=print) -> Path:
    """The county database: the demo plus COUNTY_YEAR loaded from its 144 workbooks and its plan."""
    path = db_file("county")
    if path.exists():
        return path
    files, truth = county_year_files()
    base = demo_db(log)
    tmp = path.with_name("building-" + path.name)
    copy_db(base, tmp)
    con = store.connect(tmp)
    results = ingest.ingest_paths(con, [files])
    bad = [r.line() for r in results if r.status != ingest.LOADED]
    if bad:
        raise RuntimeError("county year did not load: " + "; ".join(bad[:3]))
    check_county_year(con, truth)
    add_county_plan(con)
    con.execute("CHECKPOINT")
    con.close()
    publish(tmp, path)
    _remove(tmp)
    return path


# -- city and province: generated in DuckDB --------------------------------------------------------

_UNITS_SQL = """
CREATE TEMP TABLE gen_units AS
WITH counties AS (
    SELECT c, ($tmin + hash(c, 'towns') % ($tmax - $tmin + 1))::BIGINT AS towns
    FROM range(1, $counties::BIGINT + 1) r(c)
),
members AS (
    SELECT c, unnest(range(0, towns + 1)) AS t FROM counties  -- t = 0: the county bureau
)
SELECT row_number() OVER (ORDER BY c, t)::INTEGER AS unit_id,
       '14' || lpad(c::VARCHAR, 3, '0') || lpad((100 + t)::VARCHAR, 4, '0') AS code,
       CASE WHEN t = 0 THEN '第' || c || '县民政局机关' ELSE '第' || c || '县第' || t || '乡镇' END AS name,
       CASE WHEN t = 0 THEN 'bureau' ELSE 'township' END AS kind,
       TRUE AS active,
       row_number() OVER (ORDER BY c, t)::INTEGER AS sort_order
FROM members
"""

# One batch per unit and month; n = its fact rows.
_UNIT_MONTHS_SQL = """
CREATE TEMP TABLE gen_um AS
WITH um AS (
    SELECT u.unit_id, u.name, y.year::SMALLINT AS year, m.month::TINYINT AS month,
           day(last_day(make_date(y.year, m.month, 1))) AS days
    FROM gen_units u, (SELECT unnest($years::INTEGER[]) AS year) y, range(1, 13) m(month)
)
SELECT row_number() OVER (ORDER BY um.year, um.month, um.unit_id)::INTEGER AS batch_id, um.*,
       CASE WHEN $rows_per_day > 0
            THEN greatest(1, round(um.days * $rows_per_day
                                   * (0.6 + (hash(um.unit_id, um.year, um.month) % 81) / 100.0)))
            ELSE p.n END::INTEGER AS n
FROM um
LEFT JOIN proto_n p ON p.i = hash(um.unit_id, um.year, um.month, 'n') % $proto_units
"""

_FACTS_SQL = """
INSERT INTO facts
WITH rows AS (
    SELECT batch_id, unit_id, year, month, days, unnest(range(n)) AS k FROM gen_um
)
SELECT r.batch_id, r.unit_id, p.indicator_key, r.year, r.month,
       CASE WHEN p.undated THEN NULL
            ELSE make_date(r.year, r.month, (1 + hash(r.batch_id, r.k, 'd') % r.days)::INTEGER) END,
       p.quantity, '台账', (r.k + 4)::INTEGER, p.category_text, p.place, p.note,
       p.person_hash, p.person_masked, NULL
FROM rows r
JOIN proto p ON p.i = hash(r.batch_id, r.k) % $proto_rows
ORDER BY r.batch_id, r.k
"""

_BATCHES_SQL = """
INSERT INTO batches
SELECT g.batch_id, g.name || g.year || '年' || g.month || '月工作台账.xlsx',
       sha256(g.batch_id::VARCHAR), sha256('content' || g.batch_id),
       'ledger', [g.name], [printf('%04d-%02d', g.year, g.month)], i.indicators,
       g.n, 0, ['台账'],
       rec + INTERVAL 1 HOUR, rec, '基准测试', 'active', FALSE, FALSE, NULL
FROM (
    SELECT *, (make_date(year, month, 1) + INTERVAL 1 MONTH
               + to_days((hash(batch_id, 'late') % 12)::INTEGER) + INTERVAL 9 HOUR) AS rec
    FROM gen_um
) g
JOIN (SELECT batch_id, list(DISTINCT indicator_key ORDER BY indicator_key) AS indicators
      FROM facts GROUP BY batch_id) i USING (batch_id)
ORDER BY g.batch_id
"""


def _generate(scale: Scale, path: Path, county: Path, log=print) -> None:
    con = store.connect(path)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH '{county}' AS src (READ_ONLY)")
    # The county's live township and bureau rows are the distribution every generated row is drawn from.
    con.execute(
        """
        CREATE TEMP TABLE proto AS
        SELECT (row_number() OVER (ORDER BY batch_id, sheet, source_row) - 1)::UBIGINT AS i,
               indicator_key, quantity, activity_date IS NULL AS undated, category_text, place,
               note, person_hash, person_masked
        FROM src.facts
        WHERE superseded_by IS NULL
          AND batch_id IN (SELECT batch_id FROM src.batches WHERE status = 'active')
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE proto_n AS
        SELECT (row_number() OVER (ORDER BY unit_id, year, month) - 1)::UBIGINT AS i, count(*) AS n
        FROM src.facts WHERE superseded_by IS NULL GROUP BY unit_id, year, month
        """
    )
    proto_rows = con.execute("SELECT count(*) FROM proto").fetchone()[0]
    proto_units = con.execute("SELECT count(*) FROM proto_n").fetchone()[0]
    params = {
        "counties": scale.counties,
        "tmin": scale.townships[0],
        "tmax": scale.townships[1],
    }
    with db.transaction(con):
        con.execute("DELETE FROM unit_aliases")
        con.execute("DELETE FROM units")
        con.execute(_UNITS_SQL, params)
        con.execute("INSERT INTO units SELECT * FROM gen_units")
        con.execute(
            _UNIT_MONTHS_SQL,
            {
                "years": list(scale.years),
                "rows_per_day": scale.rows_per_day,
                "proto_units": proto_units,
            },
        )
    step = time.perf_counter()
    with db.transaction(con):
        con.execute(_FACTS_SQL, {"proto_rows": proto_rows})
    log(f"  facts: {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    with db.transaction(con):
        con.execute(_BATCHES_SQL)
        con.execute(
            "INSERT INTO batch_files SELECT batch_id, replace(file_name, '.xlsx', '（脱敏）.xlsx'), "
            "TRUE, repeat('x', 64)::BLOB FROM batches"
        )
        # The aggregates exactly as batches.write_batch maintains them on each load.
        con.execute(
            "INSERT INTO batch_coverage SELECT batch_id, unit_id, year, month, count(*) "
            "FROM facts GROUP BY ALL ORDER BY ALL"
        )
        con.execute(
            """
            INSERT INTO monthly_actuals
            SELECT year, month, unit_id, indicator_key, sum(quantity), count(*),
                   max(coalesce(activity_date, last_day(make_date(year, month, 1))))
            FROM facts GROUP BY ALL ORDER BY year, month, unit_id, indicator_key
            """
        )
        # Targets: the year's actual per township and indicator, 0.85–1.25 × (some ahead, some behind).
        con.execute(
            """
            INSERT INTO plan_targets
            SELECT year, unit_id, indicator_key,
                   greatest(1, round(sum(actual) * (0.85 + (hash(unit_id, indicator_key) % 41) / 100.0))),
                   current_timestamp, 'bench', FALSE
            FROM monthly_actuals GROUP BY year, unit_id, indicator_key
            """
        )
        con.execute(
            "INSERT INTO plan_phasing SELECT y.year, p.indicator_key, p.month, p.share, FALSE "
            "FROM src.plan_phasing p, (SELECT unnest($years::INTEGER[]) AS year) y "
            "WHERE p.year = 2024",
            {"years": list(scale.years)},
        )
        con.execute("SELECT setval('batch_id_seq', (SELECT max(batch_id) FROM batches))")
        db.bump_version(con)
    con.execute("DETACH src")
    con.execute("CHECKPOINT")
    con.close()
    log(f"  batches, aggregates, plans: {time.perf_counter() - step:.1f} s")


def generated_db(scale: Scale, log=print) -> tuple[Path, float | None]:
    """The cached database of a generated scale: (path, seconds it took to build, None if cached)."""
    path = db_file(scale.name)
    if path.exists():
        return path, None
    county = county_db(log)
    tmp = path.with_name("building-" + path.name)
    _remove(tmp)
    log(f"generating {scale.name}: {scale.label} …")
    start = time.perf_counter()
    _generate(scale, tmp, county, log)
    seconds = time.perf_counter() - start
    publish(tmp, path)
    _remove(tmp)
    log(f"{scale.name} generated in {seconds:.1f} s")
    return path, seconds


def describe(path: Path) -> dict:
    """Size figures of a database: units, townships, batches, fact rows, aggregate rows, bytes."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        one = con.execute(
            """
            SELECT (SELECT count(*) FROM units),
                   (SELECT count(*) FROM units WHERE kind = 'township'),
                   (SELECT count(*) FROM batches),
                   (SELECT count(*) FROM facts),
                   (SELECT count(*) FROM monthly_actuals),
                   (SELECT min(year) FROM monthly_actuals),
                   (SELECT max(year) FROM monthly_actuals)
            """
        ).fetchone()
    finally:
        con.close()
    keys = ("units", "townships", "batches", "facts", "monthly_rows", "first_year", "last_year")
    return {**dict(zip(keys, one, strict=True)), "bytes": path.stat().st_size}


def today() -> dt.date:
    """The date the reporting grid is judged at."""
    return dt.date.today()
