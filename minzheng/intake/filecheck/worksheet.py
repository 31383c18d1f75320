"""The scan of one XML part of a zip container; for a worksheet, its extent and formulas
without a saved result, by the quick bound, the bound from references, or the exact measure."""

from __future__ import annotations

import dataclasses
import itertools
import re

from minzheng.errors import Problem
from minzheng.intake.filecheck.exact import Exact
from minzheng.intake.filecheck.extent import (
    Tags,
    bounded_extent,
    cell_name,
    plain_cells,
    without_empty,
)
from minzheng.intake.filecheck.limits import check_extent, over_limits
from minzheng.intake.filecheck.parts import CHUNK, no_doctype, read_ahead, read_capped
from minzheng.intake.filecheck.quick import NeedExact, Quick
from minzheng.intake.filecheck.refusal import Refuse, problem_at

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v[\s>/]")


def scan_part(archive, info, file_name, sheet, limits, budget) -> list[Problem]:
    """Stream one XML part: no DOCTYPE anywhere; for a worksheet, its extent and formulas.

    A worksheet is first bounded by the quick pass, then from its references; if neither can
    bound it, or the bound is over the limits, the part is read again and parsed (refusals are
    judged on the parser's exact figures).
    """
    if sheet is None:
        carry = b""
        for chunk in read_capped(archive, info, file_name, budget):
            text = carry + chunk
            no_doctype(text, file_name, info.filename)
            carry = text[-16:]  # enough to see a DOCTYPE split across chunks
        return []
    before = budget[0]
    quick = Quick(limits)
    for mode in ([quick] if quick.usable else []) + [_BOUNDED]:
        try:
            return _scan_sheet(archive, info, file_name, sheet, limits, budget, mode)
        except NeedExact:
            budget[0] = before  # the same bytes again: not more content
    return _scan_sheet(archive, info, file_name, sheet, limits, budget, _STRICT)


def _scan_sheet(archive, info, file_name, sheet, limits, budget, quick) -> list[Problem]:
    chunks = read_ahead(read_capped(archive, info, file_name, budget))
    try:
        return _scan_chunks(chunks, info.filename, file_name, sheet, limits, quick)
    finally:
        chunks.close()  # waits for a chunk still being read, so the budget is settled after this


# The measures after the quick pass: bounded from the references of plainly written rows and
# cells, or exact, with the XML parser.
_BOUNDED, _STRICT = "bounded", "strict"


def _scan_chunks(chunks, part, file_name, sheet, limits, mode) -> list[Problem]:
    quick = mode if isinstance(mode, Quick) else None
    strict = mode == _STRICT
    carry = b""
    tags: Tags | None = None
    region = _Region()
    max_row = max_col = 0
    unsaved: list[bytes] = []  # the first formula cell without a value, if any
    n_unsaved = 0
    name, visible = sheet
    exact = Exact() if strict else None
    for chunk in itertools.chain(chunks, [None]):
        text = carry + (chunk or b"")
        no_doctype(text, file_name, part)
        if exact is not None:  # fed after the DOCTYPE check: the parser never meets an entity
            exact.feed(chunk, file_name)
        if tags is None:
            tags = Tags(text[:4096])
            if quick and tags.prefix:
                raise NeedExact
        # Look at complete rows only (all that is left after the last chunk); keep the rest.
        end = text.rfind(tags.row_end)
        cut = end + len(tags.row_end) if chunk is not None else len(text)
        if chunk is not None and end < 0:
            if len(text) < 64 * CHUNK:
                carry = text
                continue
            cut = text.rfind(b">") + 1
        done, carry = text[:cut], text[cut:]
        data = region.cells(done, tags, chunk is None)
        if region.whole and exact is None:
            raise NeedExact  # a comment could hide or fake cells and formulas: parse the part
        formulas = exact is None
        if quick:
            formulas = quick.matches(done, quick.either)
            if formulas and quick.matches(done, quick.extent):
                raise NeedExact
            max_row, max_col = quick.rows, quick.cols
        elif exact is not None:
            max_row, max_col = exact.max_row, exact.max_col
        else:
            n_cells = plain_cells(data, tags)
            if n_cells is None:
                raise NeedExact  # odd attributes, prefixes, cells without references: parse it
            rows, cols = bounded_extent(data, tags, n_cells)
            if over_limits(max(max_row, rows), max(max_col, cols), limits):
                # LibreOffice and WPS write styled empty cells and rows out to the grid's edge
                kept = without_empty(data)
                rows, cols = bounded_extent(kept, tags, kept.count(tags.cell_any))
            max_row, max_col = max(max_row, rows), max(max_col, cols)
        if formulas and visible and (tags.formula in data or b":f" in data):
            first, count = _formulas_without_value(data)
            if count and not unsaved:
                unsaved.append(first)
            n_unsaved += count
        if not quick:
            try:
                check_extent(file_name, name, max_row, max_col, limits)
            except Refuse:
                if not strict:  # refuse on the exact measure (filled cells only) alone
                    raise NeedExact from None
                raise
    if exact is not None and visible:
        n_unsaved = exact.unsaved
        unsaved = [cell_name(*exact.first_unsaved).encode()] if n_unsaved else []
    if not n_unsaved:
        return []
    problem = problem_at(
        file_name,
        "是公式，但文件中没有保存计算结果；请在 Excel 或 WPS 中打开、确认数字正确后保存，"
        "再重新上传（或把公式改为数值）",
        name,
        unsaved[0].decode("ascii", "replace"),
    )
    return [dataclasses.replace(problem, cells=n_unsaved)]


class _Region:
    """Which bytes of a worksheet, read chunk by chunk, lie inside <sheetData> (the cells).

    What comes after it (<conditionalFormatting>, <dataValidations>, <extLst> with <xm:f>
    formulas of Excel 2010 dropdowns and sparklines) holds no cells; neither does the head
    (<cols>, <sheetViews>). A part without <sheetData> is taken whole, to be safe.
    """

    def __init__(self):
        self.phase = "head"
        self.whole = False  # a comment or processing instruction could hide <sheetData>: no cut

    def cells(self, text: bytes, tags: Tags, last: bool) -> bytes:
        """The part of this run of text inside <sheetData>.

        Runs end with a row, so </sheetData> comes in the `last` run, the only one searched for
        it (a search per 1 MB chunk for a tag starting with "<" costs more than the whole quick
        pass); content after an early </sheetData> is then looked at too, which only adds.
        """
        # "!" and "?" are rare in a sheet, "<" is everywhere: look for the rare byte first
        if (
            self.whole
            or (b"!" in text and b"<!" in text)
            or (text.find(b"?", 6) >= 0 and text.find(b"<?", 6) >= 0)
        ):
            self.whole = True
            return text
        if self.phase == "tail":
            return b""
        if self.phase == "head":
            start = text.find(tags.data_start)
            if start < 0:
                return text
            close = text.find(b">", start)
            if close > 0 and text[close - 1 : close] == b"/":  # <sheetData/>: no cells at all
                self.phase = "tail"
                return b""
            self.phase, text = "data", text[start:]
        end = text.find(tags.data_end) if last else -1
        if end >= 0:
            self.phase, text = "tail", text[:end]
        return text


def _formulas_without_value(xml: bytes) -> tuple[bytes, int]:
    """(Reference of the first, number of) formula cells that store no calculated value.

    A cached value may be empty: Excel writes an empty-text result as <v/>.
    """
    first, count = b"", 0
    for match in _FORMULA.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, match.start()), xml.rfind(b":c ", 0, match.start()))
        end = xml.find(b"</", match.end())
        close = xml.find(b"c>", end)
        cell_xml = xml[start : close if close > 0 else len(xml)]
        if _VALUE.search(cell_xml):
            continue
        if not count:
            ref = re.search(rb'\sr="([A-Za-z]+\d+)"', xml[start : xml.find(b">", start)])
            first = ref.group(1).upper() if ref else b""
        count += 1
    return first, count
