"""What every page shares: the process's database connection, cached queries keyed on the data
version, filters kept in the URL, and the presentation-mode switch. No SQL and no arithmetic here.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref

import streamlit as st

from minzheng import store
from minzheng.demo import loader
from minzheng.errors import MinzhengError
from minzheng.intake import upgrades
from minzheng.measures import progress
from minzheng.store import control, db, permissions, reference


def _release(con) -> None:
    """When the cached connection is dropped: stop its control channel (sessions still holding
    a cursor finish their run; the file is released once the last reference goes)."""
    control.stop(con)


@st.cache_resource(show_spinner="正在打开数据库…", on_release=_release)
def connection():
    """The process's DuckDB connection; pages take a cursor() from it for each script run.

    Also starts the control channel, through which `python -m minzheng user …` and `backup`
    reach this process while it holds the database.
    """
    db.private_files()  # the database, its log and the control socket: owner only
    try:
        con = store.connect()
    except MinzhengError as exc:  # e.g. another dashboard process holds the database
        st.error(str(exc))
        st.stop()
    upgrades.run_pending(con)  # data rewrites a migration left to the reader's code, once
    control.serve(con, db.path_of(con))
    return con


_demo_lock = threading.Lock()
# The connection whose database was checked (a new one is checked again), held weakly so that
# clearing the connection releases the file.
_demo_checked = weakref.WeakSet()


def autoload_demo() -> None:
    """Load the demo into a new, empty database, with a progress bar (files done / total).

    app.py calls this after its navigation, not inside `connection()`: the first visit after a
    server start then shows the real menu and title while the demo loads. Checked once per
    process, as the connection is opened once; a second visitor meanwhile waits for the first.
    """
    con = connection()
    if con in _demo_checked:
        return
    if _demo_lock.locked():
        st.info("正在载入演示数据，请稍候…", icon=":material/hourglass_top:")
    with _demo_lock:
        if con in _demo_checked:
            return
        cur = cursor()
        if loader.should_autoload(cur):
            bar = st.progress(0.0, text="正在载入演示数据…")

            def advance(done: int, total: int) -> None:
                bar.progress(done / total, text=f"正在载入演示数据：{done} / {total} 个文件")

            loader.load_demo(cur, actor=permissions.SYSTEM, progress=advance)
            bar.empty()
        _demo_checked.add(con)


_local = threading.local()


def cursor():
    """This thread's cursor (a DuckDB connection must not be shared across threads)."""
    con = connection()
    if getattr(_local, "con", None) is not con:
        _local.con, _local.cursor = con, con.cursor()
    return _local.cursor


def version() -> int:
    """The data version: any write bumps it, so caches keyed on it never serve stale numbers."""
    return db.data_version(cursor())


@st.cache_data(show_spinner=False, max_entries=2000)
def _cached(_fn, name: str, data_version: int, args: tuple, kwargs: tuple):
    return _fn(cursor(), *args, **dict(kwargs))


def query(fn, *args, **kwargs):
    """fn(cursor, *args, **kwargs), cached until the data changes (arguments must be hashable)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    return _cached(fn, name, version(), args, tuple(sorted(kwargs.items())))


# --- filters kept in the URL ----------------------------------------------------------------


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def _years() -> list[int]:
    return list(query(progress.default_dates)) or [dt.date.today().year]


def _default_year(years: list[int]) -> int:
    wanted = _param("year")
    return int(wanted) if wanted and wanted.isdigit() and int(wanted) in years else years[0]


def year_filter(where=st.sidebar, years: list[int] | None = None) -> int:
    """The year (URL ?year=), defaulting to the latest year with data. `years`: the choices, when
    the caller has them already."""
    years = years or _years()
    default = _default_year(years)
    year = where.selectbox(
        "年度", years, index=years.index(default), key="filter_year", format_func=lambda y: f"{y}年"
    )
    st.query_params["year"] = str(year)
    return year


def _default_as_of(year: int) -> dt.date:
    default = query(progress.default_dates).get(year) or query(progress.default_as_of, year)
    wanted = _param("as_of")
    try:
        chosen = dt.date.fromisoformat(wanted) if wanted else default
    except ValueError:
        chosen = default
    return chosen if chosen.year == year else default


def as_of_filter(year: int, where=st.sidebar, default: dt.date | None = None) -> dt.date:
    """The as-of date (URL ?as_of=), defaulting to the last date with data in the year.
    `default`: that default for `year`, when the caller has it already."""
    as_of = where.date_input(
        "截至日期",
        value=default or _default_as_of(year),
        min_value=dt.date(year, 1, 1),
        max_value=dt.date(year, 12, 31),
        key=f"filter_as_of_{year}",
        format="YYYY-MM-DD",
    )
    st.query_params["as_of"] = as_of.isoformat()
    return as_of


def period_filters(with_as_of: bool = True) -> tuple[int, dt.date | None]:
    """The year and the as-of date, chosen in one sidebar button labelled with the current choice
    ("2024年 · 截至 2024-11-30"). The pickers open from it: drawn only when opened, they no longer
    weigh on every page's first render (a year list and a calendar are two of the costliest
    elements a page can draw)."""
    years = _years()
    year = st.session_state.get("filter_year")
    if year not in years:
        year = _default_year(years)
    label = f"{year}年"
    default = None
    if with_as_of:
        default = _default_as_of(year)
        as_of = st.session_state.get(f"filter_as_of_{year}") or default
        label += f" · 截至 {as_of.isoformat()}"
    box = st.sidebar.popover(label, icon=":material/calendar_month:", width="stretch")
    # the pickers reuse what the label needed (each query() also reads the data version)
    chosen = year_filter(where=box, years=years)
    if not with_as_of:
        return chosen, None
    return chosen, as_of_filter(chosen, where=box, default=default if chosen == year else None)


def catalog() -> reference.Reference:
    """Units and indicators (cached per data version)."""
    return query(reference.current)


def indicator_filter(where=st.sidebar) -> str:
    """An indicator key (URL ?indicator=), the first core indicator by default."""
    ref = catalog()
    keys = list(ref.indicators)
    wanted = _param("indicator")
    default = wanted if wanted in keys else keys[0]
    key = where.selectbox(
        "指标",
        keys,
        index=keys.index(default),
        key="filter_indicator",
        format_func=lambda k: f"{ref.indicators[k].name}（{ref.indicators[k].unit_label}）",
    )
    st.query_params["indicator"] = key
    return key


def township_filter(where=st.sidebar) -> str:
    """A unit name (URL ?township=), the first township by default."""
    names = [u.name for u in catalog().units.values() if u.active]
    wanted = _param("township")
    default = wanted if wanted in names else names[0]
    name = where.selectbox("乡镇", names, index=names.index(default), key="filter_township")
    st.query_params["township"] = name
    return name


# --- presentation mode ------------------------------------------------------------------------


def presenting() -> bool:
    """True in presentation mode (URL ?mode=present)."""
    return st.query_params.get("mode") == "present"


def empty_state(message: str, hint: str = "") -> None:
    """A friendly empty state that says what to do next."""
    st.info(message + (f"\n\n{hint}" if hint else ""), icon=":material/info:")
