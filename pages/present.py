"""会议投屏: the meeting-room screen. Opened with ?mode=present (app.py then hides the
navigation): no sidebar or controls, large high-contrast type, the as-of date and data
freshness always on screen, and an automatic tour through the key views every N seconds
(?interval=, default 15) that a click or a key press pauses. From the menu, this page explains
the mode and opens it.
"""

import datetime as dt
import time

import streamlit as st

from minzheng.measures import actuals, overview, progress, trends
from minzheng.store import queries
from minzheng.views import cards as card_views
from minzheng.views import figures, meeting, plotting, shaping, style
from pages import access
from pages.shared import as_of_filter, presenting, query, year_filter

access.page_guard()  # first: a run that bypassed app.py's login gate stops here

DEFAULT_INTERVAL = 15
CHART_HEIGHT = 540  # until the browser reports its window height


def _chart_height() -> int:
    """Chart height for this screen: the window height less the header and footer."""
    viewport = st.session_state.get("present_viewport") or 0
    return min(max(int(viewport) - 235, 420), 1600) if viewport else CHART_HEIGHT


# Keys: any key or a click toggles pause; ← → turn pages; Esc leaves the presentation.
KEYS_JS = """
export default function (component) {
  const { setTriggerValue, setStateValue } = component;
  const ignored = ["Shift", "Control", "Alt", "Meta", "Tab", "CapsLock", "F5", "F11", "F12"];
  const onKey = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || ignored.includes(event.key)) return;
    if (event.key === "Escape") {
      const exit = document.querySelector("a.mz-exit");
      if (exit) window.location.href = exit.href;
      return;
    }
    let action = "toggle";
    if (event.key === "ArrowRight" || event.key === "PageDown") action = "next";
    if (event.key === "ArrowLeft" || event.key === "PageUp") action = "prev";
    event.preventDefault();
    setTriggerValue("action", action);
  };
  // pointerdown, not click: plotly swallows the click on its charts (it covers them while a
  // drag may start), and a click on a chart must pause too.
  const onClick = (event) => {
    if (!event.isTrusted || event.button !== 0) return;
    const target = event.target;
    if (target && target.closest && target.closest("a, button, input, select, textarea")) return;
    setTriggerValue("action", "toggle");
  };
  // The window height, so the charts fill the screen (reported again after a resize).
  let timer = null;
  // Only on a real change: a state update on every re-render would swallow the next click.
  const report = () => {
    if (window.__mzViewport === window.innerHeight) return;
    window.__mzViewport = window.innerHeight;
    setStateValue("viewport", window.innerHeight);
  };
  const onResize = () => {
    clearTimeout(timer);
    timer = setTimeout(report, 400);
  };
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("pointerdown", onClick, true);
  window.addEventListener("resize", onResize);
  report();
  return () => {
    clearTimeout(timer);
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("pointerdown", onClick, true);
    window.removeEventListener("resize", onResize);
  };
}
"""


def _param_year() -> int:
    """The year from ?year= when it has data or a plan, else the latest such year."""
    years = query(actuals.years) or [dt.date.today().year]
    wanted = st.query_params.get("year", "")
    return int(wanted) if wanted.isdigit() and int(wanted) in years else years[0]


def _param_as_of(year: int) -> dt.date:
    """The as-of date from ?as_of= when it lies in the year, else the last date with data."""
    try:
        chosen = dt.date.fromisoformat(st.query_params.get("as_of", ""))
    except ValueError:
        chosen = None
    return chosen if chosen and chosen.year == year else query(progress.default_as_of, year)


def _param_interval() -> int:
    """Seconds per view from ?interval= (5 to 3600), default 15."""
    wanted = st.query_params.get("interval", "")
    return min(max(int(wanted), 5), 3600) if wanted.isdigit() else DEFAULT_INTERVAL


def _menu_page() -> None:
    """The page as reached from the menu: what the mode does, and a button that opens it."""
    st.title("会议投屏")
    st.markdown(
        "投屏模式用于会议室大屏：隐藏菜单和筛选，放大字号，自动轮播 **核心指标 → 红黄绿矩阵 → "
        "各核心指标累计完成 → 滞后事项**。\n\n"
        "- 点击屏幕或按任意键：暂停 / 继续\n"
        "- 键盘 ← →：上一页 / 下一页\n"
        "- Esc 或右上角“退出投屏”：回到普通页面"
    )
    year = year_filter()
    as_of = as_of_filter(year)
    interval = st.number_input(
        "每页停留（秒）",
        min_value=5,
        max_value=3600,
        value=_param_interval(),
        step=5,
        width=240,
    )
    link = f"?mode=present&interval={interval}&year={year}&as_of={as_of.isoformat()}"
    if st.button("进入投屏模式", type="primary", icon=":material/present_to_all:"):
        st.query_params.update({"mode": "present", "interval": str(interval), "year": str(year)})
        st.query_params["as_of"] = as_of.isoformat()
        st.rerun()
    st.caption("也可以把下面的地址加在看板网址后面，直接打开投屏：")
    st.code(link, language=None)


def _header(year, as_of, fresh, title, index, count, paused, interval) -> None:
    st.html(meeting.header_html(year, as_of, fresh, title, index, count, paused, interval))


def _footer(index: int, count: int) -> None:
    st.html(meeting.footer_html(index, count))


def _cards_view(year: int, as_of: dt.date, cards) -> None:
    core = [c for c in cards.to_dict("records") if c["core"]]
    for column, card in zip(st.columns(len(core) or 1), core, strict=False):
        with column, st.container(border=True):
            st.html(card_views.card_html(card, large=True))
            if any(card["trend"]):
                spark = figures.sparkline(card["trend"], card["name"], card["unit_label"])
                spark.update_layout(height=max(150, _chart_height() - 545))
                st.plotly_chart(
                    spark,
                    config=style.plot_config(style.file_name(card["name"], "每月"), False),
                    theme=None,
                    key=f"present_spark_{card['indicator']}",
                )


def _matrix_view(year: int, as_of: dt.date, cards) -> None:
    matrix = query(overview.matrix, year, as_of)
    if matrix.empty:
        st.html(meeting.message_html("还没有乡镇数据或年度计划"))
        return
    fig = figures.status_matrix(
        matrix, shaping.indicator_columns(cards), f"红黄绿矩阵（截至 {as_of.isoformat()}）"
    )
    st.plotly_chart(
        plotting.projector(fig, 1.35, _chart_height()),
        config=style.plot_config(style.file_name("红黄绿矩阵", f"{year}年"), False),
        theme=None,
        key="present_matrix",
    )


def _cumulative_view(year: int, as_of: dt.date, cards, key: str) -> None:
    card = next(c for c in cards.to_dict("records") if c["indicator"] == key)
    unit = card["unit_label"]
    left, right = st.columns([1, 3])
    with left:
        st.html(meeting.big_number_html(card))
    with right:
        months = query(trends.months, year, key, as_of)
        fig = figures.cumulative(months, card["name"], unit, year, as_of)
        st.plotly_chart(
            plotting.projector(fig, 1.4, _chart_height()),
            config=style.plot_config(style.file_name(card["name"], f"{year}年"), False),
            theme=None,
            key=f"present_cumulative_{key}",
        )


def _behind_view(year: int, as_of: dt.date, cards) -> None:
    behind = query(overview.behind, year, as_of, 8)
    if behind.empty:
        st.html(meeting.message_html("目前没有滞后的乡镇指标"))
        return
    st.html(meeting.behind_panel_html(behind))


def _act(action: str | None, count: int, interval: int) -> None:
    """Apply a click or key press from the browser (pause, resume, next, previous)."""
    state = st.session_state
    if action == "toggle":
        state.present_paused = not state.present_paused
    elif action in ("next", "prev"):
        state.present_step = (state.present_step + (1 if action == "next" else -1)) % count
    if action:
        state.present_last = time.time()


def _presentation() -> None:
    st.html(meeting.PRESENT_CSS)
    st.html(card_views.CARD_CSS)
    year = _param_year()
    as_of = _param_as_of(year)
    interval = _param_interval()
    fresh = query(queries.run, "data_freshness")
    cards = query(overview.cards, year, as_of)
    core = [c for c in cards.to_dict("records") if c["core"]]
    views = [("核心指标", _cards_view), ("红黄绿矩阵", _matrix_view)]
    views += [
        (
            f"{c['name']} · 累计完成",
            lambda y, a, cs, k=c["indicator"]: _cumulative_view(y, a, cs, k),
        )
        for c in core
    ]
    views += [("滞后事项", _behind_view)]

    state = st.session_state
    state.setdefault("present_step", 0)
    state.setdefault("present_paused", False)
    state.setdefault("present_last", time.time())

    keys = st.components.v2.component("minzheng_present_keys", js=KEYS_JS)
    result = keys(
        key="present_keys", on_action_change=lambda: None, on_viewport_change=lambda: None, height=0
    )
    state.present_viewport = result.get("viewport") or state.get("present_viewport")
    _act(result.get("action"), len(views), interval)

    @st.fragment(run_every=interval)
    def tour() -> None:
        # A timed rerun runs only this fragment, not app.py's login gate: check the session
        # here, and on expiry rerun the whole app so the gate logs out and shows the form.
        if not access.session_alive():
            st.rerun(scope="app")
        now = time.time()
        if not state.present_paused and now - state.present_last >= interval * 0.8:
            state.present_step = (state.present_step + 1) % len(views)
            state.present_last = now
        index = state.present_step % len(views)
        title, draw = views[index]
        _header(year, as_of, fresh, title, index, len(views), state.present_paused, interval)
        if int(fresh["active_batches"].iloc[0]) == 0:
            st.html(
                meeting.message_html(
                    "还没有导入任何数据。", "请在“数据上传”页面导入乡镇台账后再投屏。"
                )
            )
            return
        draw(year, as_of, cards)
        _footer(index, len(views))

    tour()


if presenting():
    _presentation()
else:
    _menu_page()
