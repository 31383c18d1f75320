"""Tests of minzheng.config: where the database lives and the shipped defaults."""

import ast
import re
import tomllib

import pytest

from minzheng import config
from minzheng.errors import ConfigError


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


def test_the_shipped_file_sets_only_declared_settings_with_their_types():
    raw = tomllib.loads((config.DATA_DIR / "config.toml").read_text(encoding="utf-8"))
    shipped = {f"{section}.{key}": v for section, items in raw.items() for key, v in items.items()}
    assert set(shipped) <= set(config.DECLARED), set(shipped) - set(config.DECLARED)
    for name, value in shipped.items():
        default = config.DECLARED[name].default
        assert isinstance(value, type(default)) or isinstance(default, float), name


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[ingest]\nfuture_days = 0\n", "ingest.future_days"),
        ("[reporting]\ndue_day = '5'\n", "int"),
    ],
)
def test_an_undeclared_or_mistyped_key_in_the_file_is_refused(
    monkeypatch, tmp_path, text, fragment
):
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    config.defaults.cache_clear()
    try:
        with pytest.raises(ConfigError, match=fragment):
            config.defaults()
    finally:
        config.defaults.cache_clear()


def _setting_names_read_in_code() -> list[tuple[str, str]]:
    """Every setting name the code reads, as (file, name or f-string pattern)."""
    found = []
    for path in [*config.ROOT.glob("minzheng/**/*.py"), *config.ROOT.glob("pages/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            args = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if (
                    isinstance(owner, ast.Name)
                    and owner.id == "settings"
                    and node.func.attr
                    in (
                        "get",
                        "get_many",
                        "put",
                    )
                ):
                    args = node.args[1:]
            elif isinstance(node, ast.Subscript) and "defaults()" in ast.unparse(node.value):
                args = [node.slice]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((path.name, re.escape(arg.value)))
                elif isinstance(arg, ast.JoinedStr):
                    found.append(
                        (
                            path.name,
                            "".join(
                                re.escape(p.value) if isinstance(p, ast.Constant) else r"[a-z_]+"
                                for p in arg.values
                            ),
                        )
                    )
    return found


def test_the_code_reads_only_declared_settings():
    read = _setting_names_read_in_code()
    assert len(read) >= 8  # the scan finds the reads (progress, submissions, auth, ingest, demo)
    undeclared = [
        (where, pattern)
        for where, pattern in read
        if not any(re.fullmatch(pattern, name) for name in config.DECLARED)
    ]
    assert undeclared == []


def test_every_declared_setting_is_documented():
    doc = (config.ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for setting in config.SETTINGS:
        assert f"`{setting.name}`" in doc, setting.name
        assert setting.meaning in doc, setting.name
