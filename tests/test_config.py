"""Tests of minzheng.config: where the database lives and the shipped defaults."""

from minzheng import config


def test_paths_point_into_the_repository():
    assert (config.DATA_DIR / "units.csv").exists()
    assert (config.DATA_DIR / "catalog.csv").exists()
    assert config.QUERIES_DIR.is_dir() and any(config.QUERIES_DIR.glob("*.sql"))
    assert config.DEFAULT_DB.parent == config.DATA_DIR


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("MINZHENG_DB", raising=False)
    assert config.db_path() == config.DEFAULT_DB
    monkeypatch.setenv("MINZHENG_DB", str(tmp_path / "env.duckdb"))
    assert config.db_path() == tmp_path / "env.duckdb"
    assert config.db_path(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"


def test_defaults_are_flattened_sections():
    defaults = config.defaults()
    assert {
        "status.ahead_margin",
        "status.behind_margin",
        "reporting.due_day",
        "demo.autoload",
    } <= set(defaults)
    assert 0 < defaults["status.ahead_margin"] < 1
