"""Tests of minzheng.store.db: file creation, migrations, versioning, transactions, the hash key."""

import os

import pytest

from minzheng import config, store
from minzheng.store import db, reference


def test_creates_file_and_records_version(tmp_path):
    path = tmp_path / "sub" / "m.duckdb"
    con = store.connect(path)
    assert path.exists()
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()]
    assert versions == sorted(versions) and versions[0] == 1
    con.close()
    again = store.connect(path)  # re-opening applies nothing twice
    assert again.execute("SELECT count(*) FROM units").fetchone()[0] == 13
    assert db.migrate(again, reference.seed) == versions[-1]


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("MINZHENG_DB", raising=False)
    assert config.db_path() == config.DEFAULT_DB
    monkeypatch.setenv("MINZHENG_DB", str(tmp_path / "env.duckdb"))
    assert config.db_path() == tmp_path / "env.duckdb"
    assert config.db_path(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"


def test_transaction_rolls_back_on_error():
    con = store.connect(":memory:")
    with pytest.raises(RuntimeError), db.transaction(con):
        con.execute("DELETE FROM units")
        raise RuntimeError("boom")
    assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 13


def test_bump_version():
    con = store.connect(":memory:")
    before = db.data_version(con)
    db.bump_version(con)
    assert db.data_version(con) == before + 1


def test_hash_key_lives_beside_the_database(tmp_path):
    path = tmp_path / "m.duckdb"
    key = db.hash_key(path)
    key_file = tmp_path / "m.duckdb.key"
    assert key_file.exists() and len(key) == 32
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    assert db.hash_key(path) == key


def test_the_hash_key_is_made_once_when_many_threads_ask_at_once(tmp_path):
    """Uploads checked at once on a new database: one key, whole, for every thread."""
    import threading

    start = threading.Barrier(16)
    keys, errors = [], []

    def ask():
        start.wait()
        try:
            keys.append(db.hash_key(tmp_path / "new.duckdb"))
        except Exception as exc:  # a lost race shows as an exception or a short key
            errors.append(repr(exc))

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(keys)) == 1 and len(keys[0]) == 32
