"""Each township's habits: which files it sends, in which format, with which layout."""

from __future__ import annotations

from pathlib import Path

from minzheng.demo.layouts import (
    _LEDGER_STD,
    _LEDGER_STD_WIDTHS,
    _PERSON_STD,
    _category_sheets,
    _file_rng,
    _month_sheets,
    _monthly_ledger_files,
    _quarters,
)
from minzheng.demo.ledgers import _cols, _ledger_sheet, _LedgerStyle
from minzheng.demo.people import _person_sheet, _PersonStyle
from minzheng.demo.records import _YearData
from minzheng.demo.sheets import (
    _CN_MONTH,
    _CN_QUARTER,
    _Book,
    _instructions_sheet,
    _report_day,
    _subtitle,
)
from minzheng.demo.summaries import _summary_sheet, _SummaryStyle
from minzheng.demo.units import _MONTHS
from minzheng.demo.wide import _wide_month_rows_sheet, _wide_unit_row_sheet


def _render_fengzhou(data: _YearData) -> list[_Book]:
    """丰州镇: one file per month; 2023 .xlsx with real dates, 2024 .xls with serials and a merged township column."""
    if data.year == 2023:
        style = _LedgerStyle(
            _LEDGER_STD,
            total="合计",
            signature=True,
            date_styles=("date", "date", "date", "cn"),
            qty_forms=("suffix", "text"),
            qty_rate=0.08,
            township="mixed",
            widths=_LEDGER_STD_WIDTHS,
        )
        return _monthly_ledger_files(
            data, style, "{u}{y}年{m}月工作台账", "武乡县{u}{y}年{m}月工作台账", ".xlsx"
        )
    style = _LedgerStyle(
        _LEDGER_STD,
        pad_rows=1,
        merge=("township",),
        total="合计",
        signature=True,
        footnote=True,
        date_styles=("serial", "date"),
        date_format="yyyy/m/d",
        qty_forms=("suffix",),
        qty_rate=0.15,
        widths=_LEDGER_STD_WIDTHS,
    )
    return _monthly_ledger_files(
        data,
        style,
        "{u}{y}年{m}月工作台账",
        "武乡县{u}{y}年{m}月工作台账",
        ".xls",
        sheet_name="{y}.{m}",
    )


def _render_hongshui(data: _YearData) -> list[_Book]:
    """洪水镇: per-person visit ledger per month, plus a yearly ledger with a sheet per month."""
    unit, year = data.unit, data.year
    person = _PersonStyle(_PERSON_STD, total=True, signature=True)
    books = []
    for m in data.months:
        rel = f"{year}/{unit.name}/{unit.name}{year}年{m}月走访留守儿童台账.xlsx"
        title = f"{unit.name}{year}年{m}月走访留守儿童台账"
        sheet = _person_sheet(
            "留守儿童走访台账", data.visits_in(m), unit, person, [title], _file_rng(rel)
        )
        books.append(_Book(rel, [sheet]))
    cols = _cols(
        "date=活动日期 township=所属乡镇 category=工作类别 qty=完成数量 unit=计量单位 place=活动地点 note=备注"
    )
    style = _LedgerStyle(
        cols, date_styles=("iso", "slash"), blank_rows=1, widths=(14, 10, 18, 10, 10, 20, 30)
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作台账.xlsx"
    sheets = _month_sheets(data, data.months, style, lambda m: f"{m}月", None, rel)
    if year == 2024:  # the December sheet is prepared but still empty
        sheets.append(_ledger_sheet("12月", [], unit, style, [], _file_rng(rel, 12)))
    books.append(_Book(rel, sheets))
    return books


def _render_panlong(data: _YearData) -> list[_Book]:
    """蟠龙镇: quarterly per-person workbooks (sheet per month), yearly ledger with a two-row header."""
    unit, year = data.unit, data.year
    person = _PersonStyle(
        _cols(
            "seq=序号 name=儿童姓名 sex=性别 id=身份证号 village=村（社区） guardian=监护人姓名 phone=手机号码 address=住址 date=走访时间 note=备注"
        ),
        date_styles=("dot",),
    )
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年{_CN_QUARTER[q]}入户走访台账.xlsx"
        sheets = [
            _person_sheet(
                f"{m}月",
                data.visits_in(m),
                unit,
                person,
                [f"{unit.name}{year}年{m}月入户走访台账", _subtitle(unit, _report_day(year, m))],
                _file_rng(rel, m),
            )
            for m in months
        ]
        books.append(_Book(rel, sheets))
    cols = _cols(
        "seq=序号 date=日期 category=项目 qty=数量 unit=单位 place=地点 participants=参与人数 note=备注"
    )
    style = _LedgerStyle(
        cols,
        two_row=True,
        total="合计",
        signature=True,
        qty_forms=("fullwidth", "approx"),
        qty_rate=0.1,
        widths=(6, 14, 20, 10, 8, 20, 10, 30),
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账.xlsx"
    sheets = [
        _instructions_sheet(),
        *_month_sheets(
            data, data.months, style, lambda m: f"{year}年{m}月", "武乡县{u}{y}年{m}月工作台账", rel
        ),
    ]
    books.append(_Book(rel, sheets))
    return books


def _render_jianzhang(data: _YearData) -> list[_Book]:
    """监漳镇: 2023 a monthly summary, units inside the labels, 序号 and 合计 columns; 2024 the
    same figures as a wide table, a row per month under 本月/累计 column pairs."""
    unit, year = data.unit, data.year
    titles = [
        f"{unit.name}{year}年民政重点工作月度汇总表",
        _subtitle(unit, _report_day(year, _MONTHS[year])),
    ]
    if year == 2024:
        rel = f"{year}/{unit.name}/{unit.name}{year}年民政重点工作进度表.xlsx"
        titles[0] = f"{unit.name}{year}年民政重点工作进度表"
        return [_Book(rel, [_wide_month_rows_sheet("进度表", data, titles)])]
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作月度汇总表.xlsx"
    style = _SummaryStyle(seq=True, months=_MONTHS[year], pad_rows=2, footnote=True)
    return [_Book(rel, [_summary_sheet("汇总表", data, style, titles, _file_rng(rel))])]


def _render_gucheng(data: _YearData) -> list[_Book]:
    """故城镇: quarterly workbooks, sheet per month (一月…), blocks per category with merged cells and 小计."""
    unit, year = data.unit, data.year
    ext = ".xls" if year == 2023 else ".xlsx"
    cols = _cols(
        "seq=序号 category=类别 date=日期 qty=数量 unit=单位 township=乡镇 place=地点 leader=负责人 cost=经费（元） note=备注"
    )
    style = _LedgerStyle(
        cols,
        two_row=year == 2023,
        pad_rows=1,
        by_category=True,
        subtotals=True,
        merge=("category", "unit"),
        total="合计",
        signature=True,
        date_styles=("dot", "serial") if year == 2023 else ("dot", "date"),
        date_format='yyyy"年"m"月"d"日"',
        township="alias",
        widths=(6, 20, 14, 10, 8, 8, 20, 10, 10, 30),
    )
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年{_CN_QUARTER[q]}民政工作台账{ext}"
        sheets = _month_sheets(
            data, months, style, lambda m: _CN_MONTH[m], "武乡县{u}{y}年{m}月工作台账", rel
        )
        books.append(_Book(rel, [*sheets, _instructions_sheet()]))
    return books


def _render_hanbei(data: _YearData) -> list[_Book]:
    """韩北镇: one yearly workbook, a sheet per category; township, category and unit merged down."""
    unit, year = data.unit, data.year
    cols = _cols(
        "seq=序号 township=乡镇 category=类别 date=时间 qty=数量 unit=单位 place=地点 note=备注"
    )
    style = _LedgerStyle(
        cols,
        merge=("township", "category", "unit"),
        signature=True,
        date_styles=("cn",),
        qty_forms=("suffix",),
        qty_rate=0.05,
        widths=(6, 10, 18, 16, 10, 8, 20, 30),
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作台账（分类）.xlsx"
    return [_Book(rel, _category_sheets(data, style, "{u}{y}年{c}工作台账", rel))]


def _render_dayou(data: _YearData) -> list[_Book]:
    """大有乡: quarterly CSV; 2023 UTF-8 with BOM and a title line, 2024 GBK as Excel saves it."""
    unit, year = data.unit, data.year
    if year == 2023:
        cols = _cols(
            "date=日期 township=乡镇 category=类别 qty=数量 unit=单位 place=地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            total="合计",
            date_styles=("slash",),
            qty_forms=("suffix", "approx"),
            qty_rate=0.1,
            blank_rows=1,
        )
        encoding, title = "utf-8-sig", "{u}{y}年" + "{q}工作台账"
    else:
        cols = _cols(
            "date=时间 township=所属乡镇 category=工作内容 qty=数量（人次/份/次） unit=计量单位 place=具体地点 note=备注"
        )
        style = _LedgerStyle(
            cols, date_styles=("slash", "iso"), qty_forms=("suffix", "text"), qty_rate=0.1
        )
        encoding, title = "gbk", ""
    books = []
    for q, months in _quarters(year):
        rel = f"{year}/{unit.name}/{unit.name}{year}年{_CN_QUARTER[q]}工作台账.csv"
        titles = [title.format(u=unit.name, y=year, q=_CN_QUARTER[q])] if title else []
        sheet = _ledger_sheet(
            Path(rel).stem, data.acts_in(months), unit, style, titles, _file_rng(rel)
        )
        books.append(_Book(rel, [sheet], encoding))
    return books


def _render_jiahuo(data: _YearData) -> list[_Book]:
    """贾豁乡: yearly per-person .xls (sheet per month); ledgers monthly .xlsx in 2023, one .xlsm in 2024."""
    unit, year = data.unit, data.year
    person = _PersonStyle(
        _cols(
            "seq=序号 name=姓名 sex=性别 id=公民身份号码 village=行政村 guardian=监护人 phone=联系方式 address=家庭地址 date=走访日期 note=备注"
        ),
        date_format="yyyy/m/d",
        phone_number=True,
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年留守儿童走访慰问台账.xls"
    books = [
        _Book(
            rel,
            [
                _person_sheet(
                    f"{m}月走访慰问", data.visits_in(m), unit, person, [], _file_rng(rel, m)
                )
                for m in data.months
            ],
        )
    ]
    if year == 2023:
        cols = _cols(
            "date=日期 category=工作内容 qty=数量 unit=单位 place=活动地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            footnote=True,
            date_styles=("serial", "date"),
            qty_forms=("text",),
            qty_rate=0.1,
            widths=(14, 18, 10, 8, 20, 10, 30),
        )
        books += _monthly_ledger_files(
            data,
            style,
            "{u}{y}年{m}月工作台账",
            "{u}{y}年{m}月民政工作开展情况台账",
            ".xlsx",
            subtitle=False,
        )
    else:
        cols = _cols(
            "seq=序号 township=乡镇 date=日期 category=工作内容 qty=数量 unit=单位 place=活动地点 note=备注"
        )
        style = _LedgerStyle(
            cols,
            total="合计",
            signature=True,
            date_styles=("date", "iso"),
            qty_forms=("fullwidth", "suffix"),
            qty_rate=0.1,
            widths=(6, 10, 14, 18, 10, 8, 20, 30),
        )
        rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账.xlsm"
        books.append(
            _Book(
                rel,
                _month_sheets(
                    data,
                    data.months,
                    style,
                    lambda m: f"{year}年{m}月",
                    "{u}{y}年{m}月工作台账",
                    rel,
                ),
            )
        )
    return books


def _render_shangsi(data: _YearData) -> list[_Book]:
    """上司乡: per-person file per month (category only in the title); yearly ledger with extra columns."""
    unit, year = data.unit, data.year
    person = _PersonStyle(_PERSON_STD, date_styles=("iso",), signature=True)
    books = []
    for m in data.months:
        rel = f"{year}/{unit.name}/{unit.name}{year}年{m}月走访台账.xlsx"
        titles = [
            f"{unit.name}{year}年{m}月走访留守儿童台账",
            _subtitle(unit, _report_day(year, m)),
        ]
        books.append(
            _Book(
                rel,
                [_person_sheet("Sheet1", data.visits_in(m), unit, person, titles, _file_rng(rel))],
            )
        )
    cols = _cols(
        "township=所属乡镇 date=日期 category=项目 leader=负责人 qty=完成数量 unit=计量单位 cost=经费（元） place=活动地点 participants=参与人数 note=备注"
    )
    style = _LedgerStyle(
        cols,
        total="总计",
        date_styles=("slash", "date"),
        qty_forms=("fullwidth", "text"),
        qty_rate=0.08,
        widths=(10, 14, 20, 10, 10, 10, 10, 20, 10, 30),
    )
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作台账.xlsx"
    books.append(
        _Book(
            rel,
            [
                _instructions_sheet(),
                *_month_sheets(data, data.months, style, lambda m: f"{m}月", None, rel),
            ],
        )
    )
    return books


def _render_shibei(data: _YearData) -> list[_Book]:
    """石北乡: 2023 a sheet per category without category or township column; 2024 a monthly summary."""
    unit, year = data.unit, data.year
    if year == 2023:
        cols = _cols(
            "seq=序号 date=日期 qty=数量 unit=单位 place=地点 participants=参与人数 note=备注"
        )
        style = _LedgerStyle(
            cols,
            footnote=True,
            qty_forms=("approx", "suffix"),
            qty_rate=0.15,
            widths=(6, 14, 10, 8, 20, 10, 30),
        )
        rel = f"{year}/{unit.name}/{unit.name}{year}年工作台账.xlsx"
        return [_Book(rel, _category_sheets(data, style, "{u}{y}年{c}台账", rel))]
    rel = f"{year}/{unit.name}/{unit.name}{year}年1-11月工作汇总.xlsx"
    style = _SummaryStyle(
        label_header="工作项目",
        brackets=("(", ")"),
        months=11,
        total=False,
        zero=None,
        signature=False,
    )
    return [
        _Book(
            rel,
            [
                _summary_sheet(
                    "Sheet1",
                    data,
                    style,
                    [f"{unit.name}{year}年1-11月民政工作完成情况汇总"],
                    _file_rng(rel),
                )
            ],
        )
    ]


def _render_yongquan(data: _YearData) -> list[_Book]:
    """涌泉乡: 2023 a monthly summary (.xls), separate 单位 column; 2024 a workbook with a sheet
    per month, the township in a row under indicators across (a wide table)."""
    unit, year = data.unit, data.year
    if year == 2024:
        rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作月报.xlsx"
        sheets = [_wide_unit_row_sheet(data, m) for m in data.months]
        return [_Book(rel, sheets)]
    rel = f"{year}/{unit.name}/{unit.name}{year}年民政工作月报汇总.xls"
    style = _SummaryStyle(
        label_header="指标", seq=True, unit_header="单位", months=12, note=True, zero=None
    )
    titles = [
        f"武乡县{unit.name}{year}年民政工作月报汇总表",
        _subtitle(unit, _report_day(year, _MONTHS[year])),
    ]
    return [_Book(rel, [_summary_sheet(f"{year}年", data, style, titles, _file_rng(rel))])]
