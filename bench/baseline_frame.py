"""Context for `bench/pages.py`: the least Streamlit itself costs for the dashboard's frame and
for what 总览 shows, apart from anything else the dashboard does.

Plain Streamlit, no dashboard code in the page frame: a wide page with a sidebar menu shaped like
app.py's (the same four groups, twelve entries and icons) and the notice the sidebar shows in
single-user mode (which the benchmark runs in). Two pages:

- the default page: a title only, i.e. the frame with nothing in it;
- /overview: a title and, in one `st.html`, everything 总览 shows as numbers — its indicator
  cards, the township × indicator matrix and the list of what is behind — built by the dashboard's
  own functions from the database in MINZHENG_DB (the benchmark's demo), for the newest year.
  No period control, no links, no downloads: 总览 drawn with the fewest Streamlit elements.

Neither page is a target; `bench/pages.py` reports both beside the baselines, as ratios to the
title-only page, to show how much of each page's ratio the frame and the content take by
themselves.
"""

import streamlit as st

st.set_page_config(page_title="基准框架", layout="wide")
st.set_option("client.showSidebarNavigation", True)  # see bench/baseline_nav.py

MENU = {  # app.py's menu, entry for entry (single-user mode shows every page)
    "局领导": [
        ("总览", ":material/dashboard:"),
        ("指标", ":material/trending_up:"),
        ("乡镇", ":material/holiday_village:"),
        ("上报情况", ":material/mark_email_unread:"),
    ],
    "业务股室": [
        ("数据上传", ":material/upload_file:"),
        ("数据管理", ":material/folder_managed:"),
        ("年度计划", ":material/flag:"),
        ("数据质量", ":material/fact_check:"),
        ("设置", ":material/settings:"),
    ],
    "会议": [("会议投屏", ":material/present_to_all:")],
    "管理": [("审计日志", ":material/policy:"), ("账号", ":material/group:")],
}
NOTICE = (
    "**单用户模式**：尚未设置登录账号，本看板只接受服务器本机（127.0.0.1）的访问，"
    "本机上的使用者拥有全部权限。正式使用前请在服务器上运行命令"
    "“python -m minzheng user add 姓名 --role admin”设置管理员，"
    "或在“账号”页面用服务器控制台显示的初始设置码创建管理员，之后须登录使用。"
)


def title_only() -> None:
    """The frame with a title only."""
    st.title("民政工作进度看板")


@st.cache_data(show_spinner=False)
def overview_html() -> str:
    """总览's cards, matrix and behind list as one HTML string, for the newest year."""
    from minzheng import store
    from minzheng.measures import overview, progress
    from minzheng.views import cards, shaping, tables

    con = store.connect()
    try:
        cur = con.cursor()
        year, as_of = next(iter(progress.default_dates(cur).items()))
        found = overview.cards(cur, year, as_of)
        grid = "".join(
            "<div style='border:1px solid #d0d7de;border-radius:8px;padding:12px'>"
            f"{cards.overview_card_html(card)}</div>"
            for card in found.to_dict("records")
        )
        return (
            cards.CARD_CSS + "<div style='display:grid;gap:16px;"
            "grid-template-columns:repeat(auto-fill,minmax(280px,1fr))'>"
            + grid
            + "</div>"
            + tables.status_matrix_html(
                overview.matrix(cur, year, as_of), shaping.indicator_columns(found)
            )
            + tables.behind_html(overview.behind(cur, year, as_of, 10))
        )
    finally:
        con.close()


def overview_in_one_block() -> None:
    """A title and 总览's numbers in one st.html."""
    st.title("民政工作进度看板")
    st.html(overview_html())


pages = {}
for number, (group, entries) in enumerate(MENU.items()):
    pages[group] = []
    for title, icon in entries:
        if title == "总览":
            page = st.Page(title_only, title=title, icon=icon, default=True)
        elif title == "指标":  # any entry but the default one will do for the second page
            page = st.Page(overview_in_one_block, title=title, icon=icon, url_path="overview")
        else:
            page = st.Page(
                title_only, title=title, icon=icon, url_path=f"g{number}p{len(pages[group])}"
            )
        pages[group].append(page)
navigation = st.navigation(pages)
st.sidebar.warning(NOTICE, icon=":material/lock_open:")
navigation.run()
