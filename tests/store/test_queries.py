"""Tests of minzheng.store.queries and the SQL files in queries/: one query per file, documented, bound."""

import re

import pytest

from minzheng import config, store
from minzheng.errors import ConfigError
from minzheng.store import queries

SQL_FILES = sorted(config.QUERIES_DIR.glob("*.sql"))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.stem)
def test_each_file_has_header_comment_and_one_statement(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"-- {path.stem}:")
    header = "\n".join(line for line in text.splitlines() if line.startswith("--"))
    assert "Parameters" in header and "Output" in header
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    assert body.strip().rstrip(";").count(";") == 0, "one query per file"
    assert not re.search(r"\{\w*\}|%s|%\(", body), "parameters are bound, never formatted in"


def test_run_binds_named_parameters():
    con = store.connect(":memory:")
    assert queries.run(con, "monthly_actuals", year=2023).empty
    assert list(queries.run(con, "monthly_actuals", year=2023).columns) == [
        "indicator",
        "indicator_name",
        "unit_label",
        "township",
        "month",
        "actual",
        "rows",
    ]


def test_missing_query_is_a_clear_error():
    with pytest.raises(ConfigError, match="不存在"):
        queries.sql("no_such_query")
