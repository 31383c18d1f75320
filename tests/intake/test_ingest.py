"""End-to-end tests of minzheng.intake.ingest on the workbooks of tests/data/build.py.

Every bad file is refused with the expected message at the expected cell and writes nothing;
every good file loads with exactly the hand-computed totals; duplicates, overlaps, replace,
rollback and restore behave as docs/cli.md and docs/data-model.md say; no personal data reaches the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import shutil
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minzheng import config, store
from minzheng.errors import Problem
from minzheng.intake import ingest
from minzheng.measures import actuals
from minzheng.store import batches
from tests.data import build as tb

TODAY = tb.TODAY
WRITE_TABLES = ("batches", "facts", "monthly_actuals", "batch_files", "batch_warnings")


def _totals(con, year: int = tb.YEAR) -> dict[tuple[str, str, int], float]:
    frame = actuals.monthly(con, year)
    return {
        (row.indicator, row.township, int(row.month)): float(row.actual)
        for row in frame.itertuples(index=False)
    }


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WRITE_TABLES}


def _matches(problem: Problem, expect: tb.Expect) -> bool:
    return (
        all(fragment in problem.message for fragment in expect.fragments)
        and (expect.sheet is None or problem.sheet == expect.sheet)
        and (expect.cell is None or problem.cell == expect.cell)
    )


def _show(problems: list[Problem]) -> str:
    return "\n".join(
        f"  [{p.level}] {p.sheet!r} {p.cell!r} {p.value!r}: {p.message}" for p in problems
    )


def _ingest(con, path: Path, **kwargs) -> ingest.IngestResult:
    return ingest.ingest_file(con, path, today=TODAY, **kwargs)


# --- bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(tb.BAD_FILES))
def test_bad_file_is_refused_with_message_and_writes_nothing(name, test_files, empty_db):
    result = _ingest(empty_db, test_files[name])
    problems = result.check.problems
    assert result.status == ingest.REFUSED, _show(problems)
    assert result.check.errors, "a refused file names at least one error"
    for expect in tb.BAD_FILES[name]:
        assert any(_matches(p, expect) for p in problems), (
            f"expected {expect} among:\n{_show(problems)}"
        )
    line = result.line()
    assert line.startswith(f"{ingest.REFUSED} {name}")
    for expect in tb.BAD_FILES[name]:
        if expect.cell:
            assert expect.cell in line
    assert result.rows == 0 and result.batch_id is None
    assert _counts(empty_db) == dict.fromkeys(WRITE_TABLES, 0)


def test_all_errors_of_a_file_are_reported_at_once(test_files, empty_db):
    result = _ingest(empty_db, test_files["many_errors.xlsx"])
    assert {p.cell for p in result.check.errors} == {"B3", "D4", "A5", "C6"}
    assert result.line().count("Sheet1") == 4


def test_a_line_names_the_file_once_and_each_problem_once(test_files, empty_db):
    result = _ingest(empty_db, test_files["many_errors.xlsx"])
    assert result.line().count("many_errors.xlsx") == 1
    same = Problem("a.xlsx", "台账", "D3", "x", "数量应为数字")
    check = ingest.FileCheck("a.xlsx", "", [same, same], result.check.facts.iloc[:0])
    line = ingest.IngestResult(ingest.REFUSED, "a.xlsx", check).line()
    assert line == "拒绝 a.xlsx：工作表「台账」 D3 单元格，值为“x”：数量应为数字"


def test_a_failure_while_reading_refuses_that_file_and_the_run_goes_on(
    test_files, empty_db, tmp_path, monkeypatch, caplog
):
    folder = tmp_path / "run"
    folder.mkdir()
    for name in ("ledger_plain.xlsx", "ledger_aliases.xlsx"):
        shutil.copyfile(test_files[name], folder / name)
    real = ingest.extract.extract

    def fails_on_one(grids, file_name, *args):
        if file_name == "ledger_aliases.xlsx":
            raise IndexError("list index out of range")
        return real(grids, file_name, *args)

    monkeypatch.setattr(ingest.extract, "extract", fails_on_one)
    with caplog.at_level("ERROR", logger="minzheng.intake.ingest"):
        results = ingest.ingest_paths(empty_db, [folder], today=TODAY)
    assert [r.status for r in results] == [ingest.REFUSED, ingest.LOADED]
    refused = results[0].line()
    assert refused.startswith("拒绝 ledger_aliases.xlsx：文件内容无法识别，未导入")
    assert "index" not in refused and "IndexError" in caplog.text
    assert ingest.summary(results) == "共 2 个文件：已导入 1 个，重复 0 个，拒绝 1 个"


def test_bad_file_count():
    assert len(tb.BAD_FILES) >= 24


def test_check_bytes_writes_nothing_and_matches_ingest(test_files, empty_db):
    data = test_files["many_errors.xlsx"].read_bytes()
    check = ingest.check_bytes(empty_db, data, "many_errors.xlsx", today=TODAY)
    assert {p.cell for p in check.errors} == {"B3", "D4", "A5", "C6"}
    good = ingest.check_bytes(
        empty_db, test_files["ledger_plain.xlsx"].read_bytes(), "ledger_plain.xlsx", today=TODAY
    )
    assert not good.errors and len(good.facts) == 6
    assert good.months == ["2023-03", "2023-04"]
    assert good.units == ["丰州镇", "洪水镇"]
    assert _counts(empty_db) == dict.fromkeys(WRITE_TABLES, 0)


def test_unreadable_path_is_refused(tmp_path, empty_db):
    result = _ingest(empty_db, tmp_path / "missing.xlsx")
    assert result.status == ingest.REFUSED
    assert "无法读取文件" in result.check.errors[0].message


# --- good files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(tb.GOOD_FILES))
def test_good_file_loads_with_exact_totals(name, test_files, empty_db):
    result = _ingest(empty_db, test_files[name])
    problems = result.check.problems
    assert result.status == ingest.LOADED, _show(problems)
    assert _totals(empty_db) == tb.GOOD_FILES[name]
    expected = tb.GOOD_WARNINGS.get(name, [])
    for expect in expected:
        assert any(p.level == "warning" and _matches(p, expect) for p in problems), (
            f"expected warning {expect} among:\n{_show(problems)}"
        )
    assert len(result.check.warnings) == len(expected), _show(problems)
    counts = _counts(empty_db)
    assert counts["batches"] == 1 and counts["batch_files"] == 1
    assert counts["facts"] == result.rows > 0
    assert counts["batch_warnings"] == len(expected)
    line = result.line()
    assert line.startswith(f"{ingest.LOADED} {name}：{result.rows} 行")
    if expected:
        assert "提示" in line


@pytest.mark.parametrize(
    "name",
    [
        "format_ledger.xlsx",
        "format_ledger.xlsm",
        "format_ledger.xls",
        "format_ledger_utf8_bom.csv",
        "format_ledger_utf8.csv",
        "format_ledger_gbk.csv",
    ],
)
def test_every_format_gives_the_same_facts(name, test_files, empty_db):
    result = _ingest(empty_db, test_files[name])
    assert result.status == ingest.LOADED, result.line()
    facts = empty_db.execute(
        "SELECT indicator_key, u.name, activity_date, quantity, place FROM facts "
        "JOIN units u USING (unit_id) ORDER BY source_row"
    ).fetchall()
    assert facts == [
        ("children_visited", "洪水镇", dt.date(2023, 2, 3), 7.0, "东庄村"),
        ("leaflets_distributed", "洪水镇", dt.date(2023, 2, 10), 1200.0, "集市"),
        ("patrols_run", "洪水镇", dt.date(2023, 2, 21), 3.0, "主街"),
        ("lectures_held", "蟠龙镇", dt.date(2023, 3, 1), 1.0, "礼堂"),
    ]


def test_skipped_rows_are_not_facts(test_files, empty_db):
    _ingest(empty_db, test_files["ledger_totals_and_notes.xlsx"])
    rows = [r[0] for r in empty_db.execute("SELECT source_row FROM facts ORDER BY 1").fetchall()]
    assert rows == [3, 4, 7]


def test_month_sheets_skip_instruction_sheet(test_files, empty_db):
    result = _ingest(empty_db, test_files["ledger_month_sheets.xlsx"])
    assert result.check.sheets == ["1月", "2月", "3月"]
    dates = empty_db.execute("SELECT DISTINCT activity_date FROM facts").fetchall()
    assert dates == [(None,)], "month-only rows have no activity date"


# --- duplicates -------------------------------------------------------------------------------


def test_same_file_under_another_name_is_duplicate(test_files, empty_db, tmp_path):
    first = _ingest(empty_db, test_files["ledger_plain.xlsx"])
    assert first.status == ingest.LOADED
    before = _counts(empty_db)
    copy = shutil.copy(
        test_files["ledger_plain.xlsx"], tmp_path / "丰州镇3-4月台账（再次报送）.xlsx"
    )
    again = _ingest(empty_db, copy)
    assert again.status == ingest.DUPLICATE
    assert again.rows == 0
    line = again.line()
    assert line.startswith(f"{ingest.DUPLICATE} 丰州镇3-4月台账（再次报送）.xlsx")
    assert "ledger_plain.xlsx" in line and f"批次 {first.batch_id}" in line
    assert _counts(empty_db) == before


def test_resaved_identical_content_is_duplicate(test_files, empty_db):
    _ingest(empty_db, test_files["ledger_plain.xlsx"])
    before = _counts(empty_db)
    resaved = test_files["ledger_plain_resaved.xlsx"]
    assert resaved.read_bytes() != test_files["ledger_plain.xlsx"].read_bytes()
    again = _ingest(empty_db, resaved)
    assert again.status == ingest.DUPLICATE, again.line()
    assert _counts(empty_db) == before


def test_duplicate_check_ignores_rolled_back_batch(test_files, empty_db):
    first = _ingest(empty_db, test_files["ledger_plain.xlsx"])
    batches.rollback(empty_db, first.batch_id)
    assert _totals(empty_db) == {}
    again = _ingest(empty_db, test_files["ledger_plain.xlsx"])
    assert again.status == ingest.LOADED, again.line()
    assert _totals(empty_db) == tb.GOOD_FILES["ledger_plain.xlsx"]


# --- overlap, replace, rollback, restore ------------------------------------------------------


def test_overlap_refused_then_replace_rollback_restore(test_files, empty_db):
    old = _ingest(empty_db, test_files["overlap_old.xlsx"])
    assert old.status == ingest.LOADED
    assert _totals(empty_db) == tb.OVERLAP_OLD_TOTALS
    before = _counts(empty_db)

    refused = _ingest(empty_db, test_files["overlap_new.xlsx"])
    assert refused.status == ingest.REFUSED
    message = " ".join(p.message for p in refused.check.errors)
    assert "重叠" in message and "overlap_old.xlsx" in message
    assert "丰州镇2023年3月「街面巡查」" in message
    assert "--replace" in message
    assert _counts(empty_db) == before
    assert _totals(empty_db) == tb.OVERLAP_OLD_TOTALS

    new = _ingest(empty_db, test_files["overlap_new.xlsx"], replace=True)
    assert new.status == ingest.LOADED, new.line()
    expected_new = {**tb.OVERLAP_OLD_TOTALS, **tb.OVERLAP_NEW_TOTALS}
    assert _totals(empty_db) == expected_new
    superseded = empty_db.execute(
        "SELECT batch_id, indicator_key, quantity FROM facts WHERE superseded_by = $b ORDER BY 3",
        {"b": new.batch_id},
    ).fetchall()
    assert superseded == [(old.batch_id, "patrols_run", 2.0), (old.batch_id, "patrols_run", 3.0)]
    assert empty_db.execute("SELECT count(*) FROM facts").fetchone()[0] == 5

    batches.rollback(empty_db, new.batch_id)
    assert _totals(empty_db) == tb.OVERLAP_OLD_TOTALS
    batches.restore(empty_db, new.batch_id)
    assert _totals(empty_db) == expected_new
    status = empty_db.execute("SELECT batch_id, status FROM batches ORDER BY 1").fetchall()
    assert status == [(old.batch_id, "active"), (new.batch_id, "active")]


def test_replace_without_overlap_just_loads(test_files, empty_db):
    result = _ingest(empty_db, test_files["ledger_plain.xlsx"], replace=True)
    assert result.status == ingest.LOADED
    assert _totals(empty_db) == tb.GOOD_FILES["ledger_plain.xlsx"]


def test_files_for_different_keys_add_up(test_files, empty_db):
    for name in ("ledger_plain.xlsx", "ledger_title_rows.xlsx", "summary_unit_column.xlsx"):
        assert _ingest(empty_db, test_files[name]).status == ingest.LOADED
    expected = {
        **tb.GOOD_FILES["ledger_plain.xlsx"],
        **tb.GOOD_FILES["ledger_title_rows.xlsx"],
        **tb.GOOD_FILES["summary_unit_column.xlsx"],
    }
    assert _totals(empty_db) == expected


# --- personal data ----------------------------------------------------------------------------


def _secrets() -> list[str]:
    found = set()
    for name, _sex, id_number, _village, guardian, phone, address, _day in tb.PERSON_ROWS:
        found.update({name, guardian, id_number, str(phone), address})
    found.update({"03556123456", "6123456"})
    return sorted(found)


def _all_stored_text(con) -> list[str]:
    """Every VARCHAR / VARCHAR[] value in the database, plus the text of every BLOB."""
    texts: list[str] = []
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND data_type IN ('VARCHAR', 'VARCHAR[]', 'BLOB')"
    ).fetchall()
    assert any(c[2] == "BLOB" for c in columns)
    for table, column, kind in columns:
        if kind == "BLOB":
            for (blob,) in con.execute(f'SELECT "{column}" FROM "{table}"').fetchall():
                texts.extend(_blob_texts(bytes(blob)))
        else:
            query = f'SELECT CAST("{column}" AS VARCHAR) FROM "{table}"'
            texts.extend(v for (v,) in con.execute(query).fetchall() if v is not None)
    return texts


def _blob_texts(blob: bytes) -> list[str]:
    texts = [blob.decode("utf-8", errors="ignore"), blob.decode("gb18030", errors="ignore")]
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(blob))
    except Exception:  # not a workbook: the raw decodings above are what there is to scan
        return texts
    for sheet in book.sheet_names:
        for row in book.get_sheet_by_name(sheet).to_python():
            for value in row:
                texts.append(f"{value:.0f}" if isinstance(value, float) else str(value))
    return texts


@pytest.mark.parametrize("name", ["person_visits.xlsx", "person_visits.csv"])
def test_no_personal_data_is_stored(name, test_files, empty_db):
    result = _ingest(empty_db, test_files[name])
    assert result.status == ingest.LOADED, result.line()
    assert result.check.redacted
    texts = _all_stored_text(empty_db)
    assert any("丰州镇" in t for t in texts), "the scan does see stored text"
    for secret in _secrets():
        leaks = [t[:80] for t in texts if secret in t]
        assert not leaks, f"{secret!r} stored in {leaks}"
    masked = {r[0] for r in empty_db.execute("SELECT person_masked FROM facts").fetchall()}
    assert masked == set(tb.PERSON_MASKED.values())
    kept = batches.kept_file(empty_db, result.batch_id)
    assert "已脱敏" in kept[0]
    cells = {c for c in _blob_texts(kept[1])[2:]}
    assert {"王*明", "欧**强", "[已脱敏]"} <= cells


def test_same_id_number_gives_same_person_hash(test_files, empty_db):
    _ingest(empty_db, test_files["person_visits.xlsx"])
    rows = dict(empty_db.execute("SELECT source_row, person_hash FROM facts ORDER BY 1").fetchall())
    # Rows 3 and 6 are 王小明 (same ID number); the others are three other children.
    assert rows[3] == rows[6]
    assert len(set(rows.values())) == 4
    assert all(h and len(h) >= 16 for h in rows.values())
    plain = hashlib.sha256(tb.PERSON_ROWS[0][2].encode()).hexdigest()
    assert rows[3] not in plain, "the hash is keyed, not a plain digest of the ID number"


def test_person_hash_is_stable_across_files_in_one_database(test_files, tmp_path):
    con = store.connect(tmp_path / "people.duckdb")
    try:
        _ingest(con, test_files["person_visits.xlsx"])
        first = con.execute("SELECT person_hash FROM facts WHERE source_row = 3").fetchone()[0]
        batch = con.execute("SELECT max(batch_id) FROM batches").fetchone()[0]
        batches.rollback(con, batch)
        _ingest(con, test_files["person_visits.csv"])
        again = con.execute(
            "SELECT person_hash FROM facts WHERE source_row = 3 AND batch_id > $b", {"b": batch}
        ).fetchone()[0]
        assert again == first
    finally:
        con.close()


def test_numbers_in_free_text_of_a_ledger_are_not_stored(tmp_path, empty_db):
    path = tmp_path / "备注含电话.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "乡镇", "类别", "数量", "地点", "备注"])
    sheet.append([dt.date(2023, 5, 6), "丰州镇", "街面巡查", 2, "东关村", "联系人电话13812345678"])
    sheet.append([dt.date(2023, 5, 7), "丰州镇", "街面巡查", 1, "身份证140429201503150012", ""])
    book.save(path)
    result = _ingest(empty_db, path)
    assert result.status == ingest.LOADED, result.line()
    texts = _all_stored_text(empty_db)
    for secret in ("13812345678", "140429201503150012"):
        assert not [t for t in texts if secret in t]
    notes = empty_db.execute("SELECT note FROM facts WHERE note IS NOT NULL").fetchall()
    assert notes == [("联系人电话[已脱敏]",)]


# --- template-free round trip -----------------------------------------------------------------


def _catalog() -> list[dict]:
    with open(config.DATA_DIR / "catalog.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _township_names() -> list[tuple[str, list[str]]]:
    with open(config.DATA_DIR / "units.csv", encoding="utf-8", newline="") as fh:
        return [(r["name"], r["aliases"].split("|")) for r in csv.DictReader(fh)]


CATALOG = _catalog()
UNITS = _township_names()


def _random_records(seed: int, n: int) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for _ in range(n):
        entry = rng.choice(CATALOG)
        unit, aliases = rng.choice(UNITS)
        records.append(
            {
                "date": dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                "unit": unit,
                "written_unit": rng.choice([unit, *aliases]),
                "key": entry["key"],
                "category": rng.choice([entry["name"], *entry["synonyms"].split("|")]),
                "quantity": rng.randint(1, min(50, int(float(entry["max_per_row"])))),
                "measure": rng.choice(entry["accepted_units"].split("|")),
            }
        )
    return records


def _write_records(path: Path, records: list[dict]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "乡镇", "类别", "数量", "单位"])
    for r in records:
        sheet.append([r["date"], r["written_unit"], r["category"], r["quantity"], r["measure"]])
    book.save(path)
    return path


def _expected(records: list[dict]) -> dict[tuple[str, str, int], float]:
    totals: dict[tuple[str, str, int], float] = defaultdict(float)
    for r in records:
        totals[(r["key"], r["unit"], r["date"].month)] += r["quantity"]
    return dict(totals)


def test_round_trip_from_python_records(tmp_path, empty_db):
    records = _random_records(seed=20231231, n=60)
    result = _ingest(empty_db, _write_records(tmp_path / "records.xlsx", records))
    assert result.status == ingest.LOADED, result.line()
    assert result.rows == len(records)
    assert _totals(empty_db) == _expected(records)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 25))
def test_round_trip_property(seed, n, tmp_path, template_db_file):
    records = _random_records(seed, n)
    db_file = tmp_path / f"r{seed}_{n}.duckdb"
    shutil.copyfile(template_db_file, db_file)
    con = store.connect(db_file)
    try:
        path = _write_records(tmp_path / f"r{seed}_{n}.xlsx", records)
        result = _ingest(con, path)
        assert result.status == ingest.LOADED, result.line()
        assert _totals(con) == _expected(records)
    finally:
        con.close()
