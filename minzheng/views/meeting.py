"""HTML of the meeting-room screen (会议投屏): its CSS, the dark header with the view's title and
the play / pause state, the footer dots, the big-number panel beside a cumulative chart, the
behind list in large type and the screen-filling messages. Every text from data is escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from minzheng import formatting
from minzheng.views.cards import status_badge
from minzheng.views.shaping import freshness_text
from minzheng.views.style import esc
from minzheng.views.tables import behind_html

# Hides Streamlit's chrome and sizes the type to the screen (clamp: readable from the back row).
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stMainMenu"], footer,
.st-key-present_keys { display: none !important; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff; }
[data-testid="stMainBlockContainer"] { padding: 0 28px 8px 28px !important; max-width: 100% !important; }
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
.mz-head { display: flex; align-items: center; gap: 20px; background: #0d1117; color: #ffffff;
  padding: 10px 28px; margin: 0 -28px; line-height: 1.3; white-space: nowrap; }
.mz-head .mz-title { font-size: clamp(20px, 1.6vw, 32px); font-weight: 700; }
.mz-head .mz-slide { font-size: clamp(18px, 1.4vw, 28px); font-weight: 700; color: #ffd33d;
  overflow: hidden; text-overflow: ellipsis; }
.mz-head .mz-state { margin-left: auto; font-size: clamp(16px, 1.1vw, 22px); border: 2px solid #ffffff;
  border-radius: 8px; padding: 2px 12px; }
.mz-head .mz-state.paused { background: #ffd33d; color: #0d1117; border-color: #ffd33d; font-weight: 700; }
.mz-pause { display: inline-block; width: 0.55em; height: 0.8em; margin-right: 0.35em;
  border-left: 0.18em solid currentColor; border-right: 0.18em solid currentColor; }
.mz-head a.mz-exit { color: #ffffff; font-size: clamp(15px, 1vw, 20px); text-decoration: underline; }
.mz-sub { display: flex; gap: 28px; align-items: baseline; background: #eaeef2; color: #0d1117;
  margin: 0 -28px 6px; padding: 6px 28px; font-size: clamp(16px, 1.15vw, 22px); white-space: nowrap; }
.mz-sub b { font-size: clamp(20px, 1.5vw, 28px); }
.mz-dots { display: flex; gap: 8px; justify-content: center; margin: 8px 0 4px; }
.mz-dots span { width: 14px; height: 14px; border-radius: 7px; background: #d0d7de; }
.mz-dots span.on { background: #0d1117; }
.mz-foot { text-align: center; font-size: 16px; color: #57606a; margin-top: 4px; }
.mz-big { font-size: 30px; line-height: 1.45; color: #0d1117; }
.mz-big .mz-num { font-size: 64px; font-weight: 800; line-height: 1.1; }
.mz-big .mz-label { font-size: 24px; color: #57606a; }
.mz-empty { font-size: 40px; text-align: center; padding: 120px 40px; color: #0d1117; }
</style>
"""


def header_html(
    year: int,
    as_of: dt.date,
    fresh: pd.DataFrame,
    title: str,
    index: int,
    count: int,
    paused: bool,
    interval: int,
) -> str:
    """The header: bureau and year, view `index + 1` of `count` and its title, playing or paused,
    the exit link (back to the normal pages, same year and date), then the as-of date and data
    freshness (`queries/data_freshness`)."""
    state = (
        '<span class="mz-state paused"><i class="mz-pause"></i>已暂停</span>'
        if paused
        else f'<span class="mz-state">▶ 播放中 · 每 {interval} 秒</span>'
    )
    exit_href = esc(f"./?year={year}&as_of={as_of.isoformat()}")
    return (
        '<div class="mz-head">'
        f'<span class="mz-title">武乡县民政局 · {year}年民政工作进度</span>'
        f'<span class="mz-slide">{index + 1}/{count}　{esc(title)}</span>'
        f"{state}"
        f'<a class="mz-exit" href="{exit_href}" target="_self">退出投屏 ✕</a>'
        "</div>"
        f'<div class="mz-sub"><span>截至 <b>{as_of.isoformat()}</b></span>'
        f"<span>{esc(freshness_text(fresh))}</span></div>"
    )


def footer_html(index: int, count: int) -> str:
    """A dot per view (the current one dark) and how to pause, turn and leave."""
    dots = "".join(f'<span class="{"on" if i == index else ""}"></span>' for i in range(count))
    return (
        f'<div class="mz-dots">{dots}</div>'
        '<div class="mz-foot">点击屏幕或按任意键暂停 / 继续 · ← → 翻页 · Esc 退出</div>'
    )


def big_number_html(card: Mapping) -> str:
    """One indicator's figures in large type (an `overview.cards()` row): actual with unit,
    target, completion, time progress and the status badge, enlarged for the screen."""
    unit = card["unit_label"]
    return (
        '<div class="mz-big">'
        f'<div class="mz-label">{esc(card["name"])}</div>'
        f'<div class="mz-num">{esc(formatting.number(card["actual"]))}</div>'
        f'<div class="mz-label">{esc(unit)} · 累计完成</div><br>'
        f"目标 <b>{esc(formatting.number(card['target'], unit))}</b><br>"
        f"完成率 <b>{formatting.percent(card['completion'])}</b><br>"
        f"序时进度 <b>{formatting.percent(card['time_progress'])}</b><br>"
        f"{status_badge(str(card['status']))}"
        "</div>"
        "<style>.mz-big .mz-badge{font-size:30px;padding:4px 18px;margin-top:12px}</style>"
    )


def behind_panel_html(behind: pd.DataFrame) -> str:
    """The behind list (`overview.behind()`) under its title, in the screen's large type."""
    return (
        '<div style="font-size:clamp(22px,1.6vw,32px);font-weight:700;margin:6px 0">'
        "滞后事项（差距最大的在前）</div>" + behind_html(behind, large=True)
    )


def message_html(*lines: str) -> str:
    """A message filling the screen (e.g. nothing to show yet), one escaped line each."""
    return '<div class="mz-empty">' + "<br>".join(esc(line) for line in lines) + "</div>"
