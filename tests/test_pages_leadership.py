"""AppTest of the leadership pages (总览, 指标, 乡镇, 上报情况, 会议投屏) on the demo data and on an
empty database: each renders without exception, its main interaction works, and the numbers it
shows are the ones minzheng computes."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from minzheng import formatting, store
from minzheng.demo import loader
from minzheng.measures import overview, progress, submissions
from minzheng.store import queries, settings
from tests.helpers import ROOT, html_tables, use_database_copy

APP = str(ROOT / "app.py")
PAGES = [
    "pages/home.py",
    "pages/indicator.py",
    "pages/township.py",
    "pages/reporting.py",
    "pages/present.py",
]


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """The demo database and an empty one (demo autoload off), each built once per module."""
    folder = tmp_path_factory.mktemp("leadership")
    demo_file = folder / "demo.duckdb"
    con = store.connect(demo_file)
    loader.load_demo(con)
    con.close()
    empty_file = folder / "empty.duckdb"
    con = store.connect(empty_file)
    settings.put(con, "demo.autoload", False)
    con.close()
    return {"demo": demo_file, "empty": empty_file}


@pytest.fixture
def demo_db(databases, tmp_path, monkeypatch):
    path = use_database_copy(databases["demo"], tmp_path, monkeypatch)
    yield path
    st.cache_resource.clear()


@pytest.fixture
def empty_db(databases, tmp_path, monkeypatch):
    path = use_database_copy(databases["empty"], tmp_path, monkeypatch)
    yield path
    st.cache_resource.clear()


def _expected(path, fn, *args, **kwargs):
    """What minzheng computes on the test's database (read before the app opens it)."""
    con = store.connect(path)
    try:
        return fn(con, *args, **kwargs)
    finally:
        con.close()


def _app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_overview_cards_matrix_and_behind_on_demo(demo_db):
    as_of = _expected(demo_db, progress.default_as_of, 2024)
    cards = _expected(demo_db, overview.cards, 2024, as_of)
    behind = _expected(demo_db, overview.behind, 2024, as_of, 10)
    at = _app()
    _ok(at)
    assert at.title[0].value == "民政工作进度看板"
    assert f"截至 {as_of.isoformat()}" in at.caption[0].value
    assert "最新数据日期 2024-11-30" in at.caption[0].value
    page = _html(at)
    for row in cards.itertuples():
        assert row.name in page and formatting.number(row.actual) in page
    core = [t.value for t in at.subheader]
    assert core[:2] == ["核心指标", "其他指标"]
    assert page.index("走访慰问留守困境儿童") < page.index("留守困境儿童摸排")  # core first
    assert not at.dataframe  # the matrix and the behind list are plain HTML (fast to draw)
    matrix = _expected(demo_db, overview.matrix, 2024, as_of)
    assert page.count('<td style="background:') == len(matrix)  # one coloured cell per pair
    listed = page[page.index('class="mz-behind"') :]
    positions = [listed.index(f"<b>{t}</b>") for t in behind["township"].unique()]
    assert positions == sorted(positions)  # worst first, as minzheng orders them
    assert formatting.percent(behind["completion"].iloc[0]) in listed


def test_overview_year_switch_follows_the_selectbox(demo_db):
    cards_2023 = _expected(demo_db, overview.cards, 2023, dt.date(2023, 12, 31))
    at = _app()
    at.selectbox(key="filter_year").set_value(2023).run()
    _ok(at)
    assert at.query_params["year"] == "2023"
    assert "2023年 · 截至 2023-12-31" in at.caption[0].value
    patrols = cards_2023.set_index("indicator").loc["patrols_run"]
    assert formatting.number(patrols.actual) in _html(at)


def test_indicator_switch_shows_what_minzheng_computes(demo_db):
    as_of = _expected(demo_db, progress.default_as_of, 2024)
    cards = _expected(demo_db, overview.cards, 2024, as_of).set_index("indicator")
    at = _app()
    at.switch_page("pages/indicator.py").run()
    _ok(at)
    assert at.title[0].value == "走访慰问留守困境儿童（人次）"
    at.selectbox(key="filter_indicator").set_value("patrols_run").run()
    _ok(at)
    assert at.title[0].value == "街面巡查（次）"
    assert at.query_params["indicator"] == "patrols_run"
    patrols = cards.loc["patrols_run"]
    tiles = _html(at)
    assert f'累计完成</div><div class="mz-card-value">{formatting.number(patrols.actual)}<' in tiles
    assert (
        f'完成率</div><div class="mz-card-value">{formatting.percent(patrols.completion)}<' in tiles
    )
    assert (
        f'序时进度</div><div class="mz-card-value">{formatting.percent(patrols.time_progress)}<'
        in tiles
    )
    assert [b.label for b in at.download_button] == ["下载 Excel（按月）", "下载 Excel（按乡镇）"]
    assert not at.dataframe  # small tables are plain HTML: no data grid to load in the browser
    months, ranking = html_tables(_html(at))[-2:]
    assert months[0][:3] == ["月份", "当月完成（次）", "累计完成（次）"]
    assert months[as_of.month][2] == formatting.number(patrols.actual)
    assert ranking[0][:2] == ["名次", "乡镇"] and ranking[1][1] in {"丰州镇", "贾豁乡", "故城镇"}
    rates = [float(row[4].rstrip("%")) for row in ranking[1:]]
    assert rates == sorted(rates, reverse=True)


def test_township_switch_shows_its_progress_and_files(demo_db):
    as_of = _expected(demo_db, progress.default_as_of, 2024)
    matrix = _expected(demo_db, overview.matrix, 2024, as_of)
    files = _expected(demo_db, queries.run, "unit_batches", township="监漳镇", year=2024)
    at = _app()
    at.switch_page("pages/township.py").run()
    _ok(at)
    assert at.title[0].value == "丰州镇"
    at.selectbox(key="filter_township").set_value("监漳镇").run()
    _ok(at)
    assert at.title[0].value == "监漳镇" and at.query_params["township"] == "监漳镇"
    behind = int((matrix[matrix["township"] == "监漳镇"]["status"] == "滞后").sum())
    assert f"滞后</span> {behind} 项" in _html(at)
    assert not at.dataframe
    sent = html_tables(_html(at))[-1]
    assert sent[0][:2] == ["批次号", "文件名"] and len(sent) == len(files) + 1
    assert [row[1] for row in sent[1:]] == list(files["file_name"])
    assert [row[0] for row in sent[1:]] == [str(b) for b in files["batch_id"]]
    assert [s.value for s in at.subheader] == ["各指标进度", "每月完成情况", "报送的文件"]


def test_reporting_grid_missing_list_and_reminder(demo_db):
    today = dt.date.today()
    grid = _expected(demo_db, submissions.grid, 2024, today)
    month = submissions.latest_due_month(grid, today)
    missing = submissions.missing(grid, month)
    at = _app()
    at.switch_page("pages/reporting.py").run()
    _ok(at)
    assert at.title[0].value == "上报情况"
    expected = submissions.reminder(2024, month, missing, submissions.due_date(grid, month))
    assert at.code[0].value == expected
    assert at.subheader[0].value.startswith(f"2024年{month}月")
    page = _html(at)
    for status, n in submissions.report_counts(grid).items():
        assert page.count(f">{status}</td>") == n
    at.selectbox(key="filter_year").set_value(2023).run()
    _ok(at)
    assert at.code[0].value == "2023年12月工作台账：各乡镇均已报送，感谢支持！"


def test_presentation_mode_big_numbers_as_of_and_tour(demo_db):
    as_of = _expected(demo_db, progress.default_as_of, 2024)
    cards = _expected(demo_db, overview.cards, 2024, as_of)
    at = _app(mode="present", interval="20")
    _ok(at)
    assert len(at.sidebar) == 0  # no sidebar controls…
    assert not at.selectbox and not at.button and not at.date_input  # …and none on the page
    page = _html(at)
    assert f"截至 <b>{as_of.isoformat()}</b>" in page
    assert "最新数据日期 2024-11-30" in page
    assert "1/7　核心指标" in page and "每 20 秒" in page
    assert page.count('class="mz-card mz-large"') == 4
    for row in cards[cards["core"]].itertuples():
        assert f'mz-card-value">{formatting.number(row.actual)}<' in page
    assert "font-size:clamp(52px" in page  # headline numbers at least 48 px
    assert 'href="./?year=2024&amp;as_of=2024-11-30"' in page  # the way out

    at.session_state["present_last"] = 0.0  # the interval has passed: the tour moves on
    at.run()
    assert "2/7　红黄绿矩阵" in _html(at)
    at.session_state["present_paused"] = True
    at.session_state["present_last"] = 0.0
    at.run()
    page = _html(at)
    assert "2/7　红黄绿矩阵" in page and "已暂停" in page


def test_presentation_page_from_the_menu_opens_the_mode(demo_db):
    at = _app()
    at.switch_page("pages/present.py").run()
    _ok(at)
    assert at.title[0].value == "会议投屏"
    assert at.code[0].value.startswith("?mode=present&interval=15")
    at.number_input[0].set_value(30).run()
    at.button[0].click().run()
    _ok(at)
    assert at.query_params["mode"] == "present" and at.query_params["interval"] == "30"
    assert "每 30 秒" in _html(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(empty_db, page):
    at = _app()
    _ok(at)
    if page != "pages/home.py":
        at.switch_page(page).run()
        _ok(at)
    text = " ".join(i.value for i in at.info)
    if page == "pages/home.py":
        assert "数据上传" in text and "年度计划" in text
    elif page in ("pages/indicator.py", "pages/township.py"):
        assert "数据上传" in text


def test_presentation_mode_on_an_empty_database(empty_db):
    at = _app(mode="present")
    _ok(at)
    assert "还没有导入任何数据" in _html(at)


def _period_label(at) -> str:
    (box,) = [b for b in at.sidebar.children.values() if b.type == "popover"]
    return box.proto.popover.label


def test_year_and_as_of_sit_in_one_sidebar_button_labelled_with_the_choice(demo_db):
    """The pickers open from a button in the sidebar (drawn only when opened); its label always
    says the period the page shows, also after a change."""
    as_of = _expected(demo_db, progress.default_as_of, 2024)
    at = _app()
    _ok(at)
    assert _period_label(at) == f"2024年 · 截至 {as_of.isoformat()}"
    at.selectbox(key="filter_year").set_value(2023).run()
    _ok(at)
    as_of_2023 = _expected(demo_db, progress.default_dates)[2023]
    assert _period_label(at) == f"2023年 · 截至 {as_of_2023.isoformat()}"
    assert f"截至 {as_of_2023.isoformat()}" in at.caption[0].value
    at.date_input(key="filter_as_of_2023").set_value(dt.date(2023, 6, 30)).run()
    _ok(at)
    assert _period_label(at) == "2023年 · 截至 2023-06-30"
    at.switch_page("pages/reporting.py").run()
    _ok(at)
    assert _period_label(at) == "2023年", "上报情况 shows the year only"
