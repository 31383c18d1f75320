"""Pages stay thin: no file in pages/ builds HTML of its own. Every HTML string comes from a
function in `minzheng.views`, where it is escaped and unit-tested; a page only calls it."""

import ast
import re

from tests.helpers import ROOT

# An opening or closing tag of the kinds the pages used to build (and the usual others).
TAG = re.compile(
    r"</?(div|span|table|thead|tbody|tr|td|th|style|p|b|i|a|br|ul|li|svg|script)[\s>/]"
)


def html_in_strings(source: str) -> list[str]:
    """The string literals (f-string parts included) of a Python source that contain a tag."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and TAG.search(node.value)
        ):
            found.append(node.value)
    return found


def test_the_check_finds_html_in_plain_and_formatted_strings():
    source = (
        "x = '<div style=\"a\">'\n"
        "y = f\"<span class='b'>{name}\"\n"
        "z = '<p >' + 'a < b and c > d'\n"
        "w = '<table>'\n"
    )
    assert len(html_in_strings(source)) == 4
    assert html_in_strings("text = '1 < 2, 3 > 2: <b'\nlabel = 'a <br2>'") == []


def test_no_page_builds_html():
    pages = sorted((ROOT / "pages").glob("*.py"))
    assert len(pages) > 10
    offenders = {
        path.name: strings
        for path in pages
        if (strings := html_in_strings(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "pages/ build HTML; move it into minzheng.views"
