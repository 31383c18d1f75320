"""Text on the pages: Markdown-escaped values and fact lines, lists typed into one field."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")


def md_escape(text: object) -> str:
    """User text (file names, cell values) safe inside Streamlit markdown: no formatting, no HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def facts_markdown(facts: dict[str, object]) -> str:
    """'**格式**：明细台账　**乡镇**：丰州镇' — labelled values on one line, values escaped."""
    return "　　".join(f"**{label}**：{md_escape(value)}" for label, value in facts.items())


def split_list(text: str) -> list[str]:
    """'人次、人, 户' → ['人次', '人', '户'] (separated by 、 , ， ; ； or spaces)."""
    return [p for p in re.split(r"[、,，;；\s]+", text or "") if p]
