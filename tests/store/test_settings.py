"""Tests of minzheng.store.settings and minzheng.config defaults."""

import pytest

from minzheng import config, store
from minzheng.errors import MinzhengError
from minzheng.store import db, settings


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


def test_thresholds_roundtrip(empty_db):
    assert settings.thresholds(empty_db) == {"ahead": 10.0, "behind": 10.0, "due_day": 5}
    before = db.data_version(empty_db)
    settings.save_thresholds(empty_db, 5, 12.5, 10)
    assert db.data_version(empty_db) > before
    assert settings.get(empty_db, "status.ahead_margin") == pytest.approx(0.05)
    assert settings.get(empty_db, "status.behind_margin") == pytest.approx(0.125)
    assert settings.get(empty_db, "reporting.due_day") == 10
    assert settings.thresholds(empty_db) == {"ahead": 5.0, "behind": 12.5, "due_day": 10}
    unchanged = db.data_version(empty_db)
    settings.save_thresholds(empty_db, 5, 12.5, 10)
    assert db.data_version(empty_db) == unchanged, "no write when nothing changed"


@pytest.mark.parametrize(
    ("ahead", "behind", "due", "fragment"),
    [(-1, 10, 5, "超前"), (10, 101, 5, "滞后"), (10, 10, 0, "截止日"), (10, 10, 29, "截止日")],
)
def test_save_thresholds_refuses(empty_db, ahead, behind, due, fragment):
    with pytest.raises(MinzhengError, match=fragment):
        settings.save_thresholds(empty_db, ahead, behind, due)
    assert settings.thresholds(empty_db) == {"ahead": 10.0, "behind": 10.0, "due_day": 5}
