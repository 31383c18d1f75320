"""Tests of minzheng.intake.content_hash: the same hashes as pandas gives (stored hashes match)."""

import datetime as dt
import hashlib
import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from minzheng.intake import content_hash
from minzheng.intake.extract.result import FACT_SCHEMA


def _pandas_hash(table: pa.Table) -> str:
    """The content hash as batches stored it before: pandas' row hashes of the DataFrame."""
    facts = table.to_pandas()
    rows = pd.util.hash_pandas_object(facts[list(content_hash.COLUMNS)], index=False)
    return hashlib.sha256(np.sort(rows.to_numpy()).tobytes()).hexdigest()


def _text(rng: random.Random) -> str:
    return "".join(rng.choice("ab中文字😀 -_x0") for _ in range(rng.randint(0, 40)))


def _table(seed: int, n: int = 400, unit_nulls: bool = False) -> pa.Table:
    rng = random.Random(seed)
    day = dt.date(2023, 1, 1)
    columns = {
        "unit_id": [None if unit_nulls and i % 7 == 0 else rng.choice([1, 2, -5, 2**31 - 1])
                    for i in range(n)],
        "indicator_key": [_text(rng) if rng.random() > 0.1 else None for _ in range(n)],
        "year": [rng.choice([2023, 2024, -1]) for _ in range(n)],
        "month": [rng.randint(-3, 12) for _ in range(n)],
        "activity_date": [day + dt.timedelta(days=rng.randint(-40000, 400))
                          if rng.random() > 0.2 else None for _ in range(n)],
        "quantity": [rng.choice([0.0, -0.0, 1.5, float("nan"), None, 1e300, -3.0, 7.0])
                     for _ in range(n)],
        "person_hash": [rng.getrandbits(128).to_bytes(16).hex() if rng.random() > 0.3 else
                        (None if rng.random() > 0.5 else _text(rng)) for _ in range(n)],
    }  # fmt: skip
    rest = {name: [None] * n for name in FACT_SCHEMA.names if name not in columns}
    return pa.table({**columns, **rest}, schema=FACT_SCHEMA)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_hash_as_pandas(seed):
    table = _table(seed, unit_nulls=seed == 3)
    assert content_hash.content_hash(table) == _pandas_hash(table)


def test_each_column_as_pandas_hashes_it():
    table = _table(4)
    frame = table.to_pandas()
    for name in content_hash.COLUMNS:
        expected = pd.util.hash_pandas_object(frame[name], index=False).to_numpy()
        assert np.array_equal(content_hash.column_hash(table.column(name)), expected), name


def test_empty_and_all_null_columns():
    empty = FACT_SCHEMA.empty_table()
    assert content_hash.content_hash(empty) == _pandas_hash(empty)
    nulls = _table(5).set_column(1, "indicator_key", pa.nulls(400, pa.string()))
    assert content_hash.content_hash(nulls) == _pandas_hash(nulls)


@pytest.mark.parametrize(
    "name", ["ledger_plain.xlsx", "person_visits.xlsx", "summary_brackets.xlsx"]
)
def test_a_checked_file_keeps_its_hash(name, test_files, empty_db):
    from minzheng.intake import ingest

    check = ingest.check_bytes(empty_db, test_files[name].read_bytes(), name)
    assert check.table.num_rows and not check.errors
    assert check.content_hash == _pandas_hash(check.table)
