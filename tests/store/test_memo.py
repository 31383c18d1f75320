"""Tests of minzheng.store.memo: results kept per database file and data version."""

import pandas as pd

from minzheng import store
from minzheng.store import db, memo
from tests.helpers import fresh_db


def test_kept_until_the_data_version_changes(tmp_path):
    con = fresh_db(tmp_path)
    memo.clear()
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"n": [len(calls)]})

    first = memo.cached(con, "thing", (2023,), compute)
    first.loc[0, "n"] = -1  # a caller changing its copy must not change what is kept
    assert memo.cached(con, "thing", (2023,), compute)["n"].tolist() == [1]
    assert memo.cached(con, "thing", (2024,), compute)["n"].tolist() == [2]  # other arguments
    assert len(calls) == 2
    db.bump_version(con)
    assert memo.cached(con, "thing", (2023,), compute)["n"].tolist() == [3]
    memo.clear()
    assert memo.cached(con, "thing", (2023,), compute)["n"].tolist() == [4]


def test_in_memory_databases_are_never_cached():
    con = store.connect(":memory:")
    assert memo.stamp(con) is None
    calls = []
    for _ in range(2):
        memo.cached(con, "thing", (), lambda: calls.append(1))
    assert len(calls) == 2


def test_two_files_do_not_share_results(tmp_path):
    one, two = fresh_db(tmp_path / "a"), fresh_db(tmp_path / "b")
    memo.clear()
    assert memo.cached(one, "thing", (), lambda: "one") == "one"
    assert memo.cached(two, "thing", (), lambda: "two") == "two"


def test_pinned_reads_the_version_once_for_the_block(tmp_path):
    con = fresh_db(tmp_path)
    memo.clear()
    before = memo.stamp(con)
    with memo.pinned(con):
        db.bump_version(con)  # not done inside a real block: shows that the version is not re-read
        assert memo.stamp(con) == before
        assert memo.stamp(con.cursor()) != before  # another cursor reads its own
    assert memo.stamp(con) == (before[0], before[1] + 1)
