"""Tests of minzheng.views.page_text: Markdown escaping and lists typed into one field."""

from __future__ import annotations

import pytest

from minzheng.views import page_text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain 文件.xlsx", "plain 文件\\.xlsx"),
        ("**粗体**", "\\*\\*粗体\\*\\*"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("王*明_[1](x)", "王\\*明\\_\\[1\\]\\(x\\)"),
        ("中文（全角）", "中文（全角）"),
    ],
)
def test_md_escape(text, escaped):
    assert page_text.md_escape(text) == escaped


def test_facts_markdown_escapes_values():
    line = page_text.facts_markdown({"文件": "a*b.xlsx", "行数": "3 行"})
    assert line == "**文件**：a\\*b\\.xlsx\u3000\u3000**行数**：3 行"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("人、次", ["人", "次"]),
        ("人, 户，次;场", ["人", "户", "次", "场"]),
        ("", []),
        (" 份 ", ["份"]),
    ],
)
def test_split_list(text, parts):
    assert page_text.split_list(text) == parts
