"""Tests of minzheng.store.settings and minzheng.config defaults."""

import pytest

from minzheng import config, store
from minzheng.errors import MinzhengError
from minzheng.store import settings


def test_defaults_come_from_config_toml():
    defaults = config.defaults()
    assert defaults["status.ahead_margin"] == 0.10
    assert defaults["reporting.due_day"] == 5


def test_override_and_type_check():
    con = store.connect(":memory:")
    assert settings.get(con, "reporting.due_day") == 5
    settings.put(con, "reporting.due_day", 10)
    assert settings.get(con, "reporting.due_day") == 10
    settings.put(con, "status.ahead_margin", 0)  # int accepted for a float setting
    assert settings.get(con, "status.ahead_margin") == 0.0
    with pytest.raises(MinzhengError):
        settings.put(con, "reporting.due_day", "ten")
    with pytest.raises(MinzhengError):
        settings.get(con, "no.such")


def test_get_many_gives_what_get_gives():
    con = store.connect(":memory:")
    settings.put(con, "reporting.due_day", 12)
    keys = ("status.behind_margin", "reporting.due_day", "status.ahead_margin")
    assert settings.get_many(con, *keys) == [settings.get(con, k) for k in keys]
    assert settings.get_many(con, *keys)[1] == 12
    with pytest.raises(MinzhengError, match="no.such"):
        settings.get_many(con, "reporting.due_day", "no.such")
