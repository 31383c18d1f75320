"""The annual report draft as a Word document in the look of an official document (GB/T 9704).

A4 with margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 方正小标宋简体 二号
(Word substitutes 宋体 where it is not installed: the font table names it as the alternative);
body 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line spacing with a two-character indent; 一级
headings 黑体, 二级 headings 楷体_GB2312 run into their paragraph as the bureau writes them; page
numbers “— 1 —” at the foot, right on odd pages and left on even ones. East Asian fonts are set through w:rFonts/@w:eastAsia, which is what
Word uses for Chinese characters. The words come from `report_text`; key charts are appended as
PNG when a browser for plotly's static export is present (`chart_images`), otherwise the document
says so in one sentence.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import duckdb
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from minzheng.measures import overview, trends
from minzheng.outputs import chart_images, report_text
from minzheng.views import figures, shaping

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
# Word's font substitution: when the first is missing, it uses the alternative named here.
ALTERNATIVES = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    SUBHEADING_FONT: "楷体",
}
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
LINE = 28  # pt, fixed
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
CHART_PX = 720  # rendered width: the charts' 13 px labels come out at about 8 pt on paper
CHART_MAX_MM = 95  # at most this tall, so that two charts share a page


@dataclass
class DocxResult:
    """The document's bytes, whether charts are in it, and the notes to show the user."""

    content: bytes
    charts: int = 0
    notes: list[str] = field(default_factory=list)
    report: report_text.Report | None = None


def set_font(run, name: str, size: float, bold: bool = False) -> None:
    """Set a run's font for Latin and East Asian text alike (w:rFonts ascii/hAnsi/eastAsia/cs)."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph_format(paragraph, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line=LINE):
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_SIZE * 2) if indent else None
    paragraph.alignment = align


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28)  # the page number sits about 7 mm below the text block
    # GB/T 9704: 4号 宋体 page numbers “— 1 —”, odd pages on the right, even pages on the left,
    # one character in from the edge of the text block.
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    paragraph.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, 14)
    run = paragraph.add_run()
    set_font(run, PAGE_NUMBER_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, 14)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)


def _font_table(document) -> None:
    """Name the fallback of each official font in word/fontTable.xml (w:altName)."""
    part = next(
        r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    root = etree.fromstring(part.blob)
    for name, alt in ALTERNATIVES.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt_el = etree.SubElement(font, qn("w:altName"))
        alt_el.set(qn("w:val"), alt)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name == BODY_FONT else "roman")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "fixed" if name == BODY_FONT else "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write_block(document, block: report_text.Block) -> None:
    if block.kind == "title":
        p = document.add_paragraph()
        _paragraph_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=36)
        set_font(p.add_run(block.text), TITLE_FONT, TITLE_SIZE)
    elif block.kind == "subtitle":
        p = document.add_paragraph()
        _paragraph_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        set_font(p.add_run(block.text), SUBHEADING_FONT, BODY_SIZE)
        document.add_paragraph()  # the blank line between title block and body
    elif block.kind == "blank":
        _paragraph_format(document.add_paragraph(), indent=False)
    elif block.kind == "heading":
        p = document.add_paragraph()
        _paragraph_format(p)
        set_font(p.add_run(block.text), HEADING_FONT, BODY_SIZE)
    elif block.kind == "signature":
        p = document.add_paragraph()
        _paragraph_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(BODY_SIZE * 4)
        set_font(p.add_run(block.text), BODY_FONT, BODY_SIZE)
    elif block.kind == "lead_para":
        p = document.add_paragraph()
        _paragraph_format(p)
        set_font(p.add_run(block.lead), SUBHEADING_FONT, BODY_SIZE)
        set_font(p.add_run(block.text), BODY_FONT, BODY_SIZE)
    else:
        p = document.add_paragraph()
        _paragraph_format(p)
        set_font(p.add_run(block.text), BODY_FONT, BODY_SIZE)


def report_figures(cur: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> list[tuple]:
    """The key charts of the report: (caption, figure). Completion of every indicator, the
    township × indicator matrix and each core indicator's cumulative line against the plan."""
    cards = overview.cards(cur, year, as_of)
    stamp = f"{year}年，截至{as_of.month}月{as_of.day}日"
    captioned = []
    planned = cards[cards["completion"].notna()]
    if not planned.empty:
        captioned.append(
            (
                f"各项指标全县完成率（{stamp}）",
                figures.completion_bars(planned, "name", "", None),
            )
        )
    matrix = overview.matrix(cur, year, as_of)
    if not matrix.empty and matrix["completion"].notna().any():
        captioned.append(
            (
                f"各乡镇各项指标完成情况（{stamp}）",
                figures.status_matrix(matrix, shaping.indicator_columns(cards)),
            )
        )
    for card in cards[cards["core"] & (cards["actual"] > 0)].itertuples(index=False):
        months = trends.months(cur, year, card.indicator, as_of)
        captioned.append(
            (
                f"{card.name}全县累计完成情况（{card.unit_label}）",
                figures.cumulative(months, card.name, card.unit_label, year, as_of),
            )
        )
    for _caption, fig in captioned:
        fig.update_layout(title_text="", margin={"t": 40})  # the caption names the chart
    return captioned


def build(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    *,
    with_charts: bool = True,
    today: dt.date | None = None,
) -> DocxResult:
    """The report as .docx bytes with notes for the user (e.g. why there are no charts)."""
    report = report_text.write(cur, year, as_of, today)
    document = Document()
    _page(document)
    _styles(document)
    _font_table(document)
    document.core_properties.title = report.blocks[0].text
    document.core_properties.author = "武乡县民政局"
    for block in report.blocks:
        _write_block(document, block)

    result = DocxResult(b"", report=report)
    captioned = report_figures(cur, year, report.as_of) if with_charts else []
    images: list[bytes] = []
    reason = "" if with_charts else "按要求未附图表"
    if captioned:
        try:
            images = chart_images.render([f for _c, f in captioned], width=CHART_PX)
        except chart_images.ChartImagesUnavailable as exc:
            reason = str(exc)
    elif with_charts:
        reason = "没有可绘制的数据"
    if images:
        heading = document.add_paragraph()
        _paragraph_format(heading)
        heading.paragraph_format.page_break_before = True
        set_font(heading.add_run("附图"), HEADING_FONT, BODY_SIZE)
        width = Mm(210 - MARGINS_MM["left"] - MARGINS_MM["right"])
        for i, ((caption, _fig), png) in enumerate(zip(captioned, images, strict=True), start=1):
            picture = document.add_paragraph()
            _paragraph_format(picture, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=LINE)
            picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            picture.paragraph_format.space_before = Pt(LINE / 2)
            picture.paragraph_format.keep_with_next = True
            w_px, h_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            size = min(width, int(Mm(CHART_MAX_MM) * w_px / h_px))
            picture.add_run().add_picture(io.BytesIO(png), width=size)
            cap = document.add_paragraph()
            _paragraph_format(cap, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            set_font(cap.add_run(f"图{i}　{caption}"), SUBHEADING_FONT, 14)
        result.charts = len(images)
    else:
        note = f"（说明：本稿未附图表，{reason}。图表可在看板中查看和下载。）"
        p = document.add_paragraph()
        _paragraph_format(p)
        set_font(p.add_run(note), BODY_FONT, BODY_SIZE)
        result.notes.append(f"未插入图表：{reason}")
    buffer = io.BytesIO()
    document.save(buffer)
    result.content = buffer.getvalue()
    return result


def file_name(year: int) -> str:
    """The suggested file name of the report draft."""
    return f"武乡县民政局{year}年法治政府建设年度报告（初稿）.docx"
