"""Tests of minzheng.intake.privacy: keyed hashes, name masking, scrubbing free text."""

import pytest

from minzheng.intake import privacy

KEY = b"k" * 32


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王*明"),
        ("王明", "王*"),
        ("欧阳小明", "欧**明"),
        ("李", "李"),
        ("", ""),
        (" 王 小 明 ", "王*明"),
    ],
)
def test_mask_name(name, masked):
    assert privacy.mask_name(name) == masked


def test_person_hash_is_keyed_and_stable():
    a = privacy.person_hash(KEY, "14042920150101123X")
    assert a == privacy.person_hash(KEY, "14042920150101123x")
    assert a != privacy.person_hash(b"x" * 32, "14042920150101123X")
    assert "140429" not in a
    assert privacy.person_hash(KEY, "", "王小明", "东村") == privacy.person_hash(
        KEY, "", "王小明", "东村"
    )
    assert privacy.person_hash(KEY, "", "", "") is None


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("监护人电话13812345678", "13812345678"),
        ("身份证140429201501011234", "140429201501011234"),
        ("座机0355-6221234", "0355-6221234"),
    ],
)
def test_scrub_removes_numbers(text, leaks):
    assert leaks not in privacy.scrub(text)
    assert privacy.REDACTED in privacy.scrub(text)
    assert privacy.has_sensitive(text)


def test_scrub_keeps_ordinary_text():
    assert privacy.scrub("发放宣传资料200份") == "发放宣传资料200份"
    assert not privacy.has_sensitive("2023年3月5日 共30人")
