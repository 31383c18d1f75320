"""Dashboard pages in a real browser: first render of each page and switching between pages.

Starts the app on a fresh database with the demo loaded, then with Playwright (Debian's
Chromium) measures, per page, the time from navigation to a finished render (Streamlit idle,
plotly drawn) on a fresh browser context — the first render — and the time of a switch to the
page through the navigation menu from another page. Medians of N repetitions; a fresh Streamlit
server is not started per repetition (the first render in a new session still runs every query
of the page unless the process cache already holds it, which is what a user sees). A one-off
run with an empty browser cache is reported beside it.

Targets (issue 16): each page's first render at most 1.25 × that of its bare-Streamlit baseline
(bench/baseline_app.py) measured in the same loop, and each menu switch at most 1.0 s or 1.25 ×
the baseline's own switch (bench/baseline_nav.py). Two context rows, not targets, come from
bench/baseline_frame.py: plain Streamlit with a menu like the dashboard's, once with a title only
and once with 总览's numbers in one HTML block. `python -m bench.pages` rewrites the section
`## Dashboard pages in the browser` of bench/RESULTS.md; `--only 总览 指标` measures a few pages
and prints only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import ROOT, machine, write_section

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (menu label, URL path)
PAGES = [
    ("总览", ""),
    ("指标", "indicator"),
    ("乡镇", "township"),
    ("上报情况", "reporting"),
    ("数据上传", "upload"),
    ("数据管理", "batches"),
    ("年度计划", "plan"),
    ("设置", "settings"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Counts DOM mutations since the page loaded: Streamlit hides its running indicator before
# lazily loaded parts (the HTML sanitizer, charts, data grids) have drawn, so "idle" alone ends
# the clock too early. The page's own heading is required too: before the first script message
# arrives the new tab is an empty frame that can sit unchanged for more than the quiet period
# (Streamlit shows its running indicator only after a delay), which once stopped the clock at
# 1.4 s on a page that finished drawing at 5.3 s.
_OBSERVE = """([previous, titled]) => {
  if (window.__mzMutations === undefined) {
    window.__mzMutations = 0;
    new MutationObserver(m => { window.__mzMutations += m.length; })
      .observe(document.body, {subtree: true, childList: true, attributes: true,
                               characterData: true});
  }
  const heading = document.querySelector('[data-testid="stMain"] h1');
  const title = heading ? heading.textContent : null;
  // Streamlit shows its running indicator only after a delay: the app's own script state says
  // at once whether a run is still going (or not yet started, "initial").
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app ? app.getAttribute('data-test-script-state') : 'initial';
  const connected = app && app.getAttribute('data-test-connection-state') === 'CONNECTED';
  const busy = !connected || state === 'initial' || state === 'running'
    || !!document.querySelector('[data-testid="stStatusWidget"]')
    || !!document.querySelector('[data-testid="stSkeleton"]')
    || (titled && (title === null || (previous !== null && title === previous)));
  return [busy, window.__mzMutations];
}"""


def heading(page) -> str | None:
    """The text of the page's title (its h1), or None before one is drawn."""
    return page.evaluate(
        """() => { const h = document.querySelector('[data-testid="stMain"] h1');
                   return h ? h.textContent : null; }"""
    )


def wait_ready(
    page,
    timeout: float = 60.0,
    quiet_for: float = 0.3,
    previous: str | None = None,
    titled: bool = True,
) -> float:
    """Until the page's title is drawn (and differs from `previous`, the title of the page a
    switch started from; `titled=False` for a view without one, such as a presentation slide),
    Streamlit is idle, and the page stops changing for `quiet_for` seconds; returns the
    perf_counter time of the last change (the end of the render), not of the quiet period."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout * 1000)
    deadline = time.perf_counter() + timeout
    last_change, seen = time.perf_counter(), None
    while time.perf_counter() < deadline:
        busy, mutations = page.evaluate(_OBSERVE, [previous, titled])
        now = time.perf_counter()
        if busy or mutations != seen:
            last_change, seen = now, mutations
        elif now - last_change >= quiet_for:
            return last_change
        time.sleep(0.02)
    raise TimeoutError("page did not finish rendering")


def _start_server(db_file: Path, script: str = "app.py") -> tuple[subprocess.Popen, str]:
    """A Streamlit server for `script` on the given database; (process, URL) once it listens."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "MINZHENG_DB": str(db_file)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.perf_counter() + 60  # a loaded CI machine can take a while
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("streamlit did not start")


# The baseline each page is judged against (issue 16): title-only for pages of HTML and text,
# one-dataframe for pages whose content is a data grid, one-plotly for chart pages.
BASELINE_OF = {
    "总览": "title",
    "指标": "plotly",
    "乡镇": "plotly",
    "上报情况": "title",
    "数据上传": "title",
    "数据管理": "dataframe",
    "年度计划": "dataframe",
    "设置": "dataframe",
}
BASELINE = {  # kind: (label, query string of bench/baseline_app.py, menu label in baseline_nav)
    "title": ("Streamlit page with a title only", "", "标题"),
    "plotly": ("… plus one plotly chart of 3 points", "plotly", "图表"),
    "dataframe": ("… plus one st.dataframe of 10 rows", "dataframe", "表格"),
}
MENU_LABEL = "… the title-only page inside a menu of 3 pages (bench/baseline_nav.py; context)"
# Context rows from bench/baseline_frame.py (plain Streamlit, not targets): kind -> (label, path)
FRAME = {
    "frame": (
        "… a title only, in a wide page with a menu and sidebar notice like the dashboard's"
        " (bench/baseline_frame.py; context)",
        "",
    ),
    "overview_floor": (
        "… the same frame with 总览's cards, matrix and behind list in one st.html, no controls"
        " or links (bench/baseline_frame.py; context)",
        "overview",
    ),
}
RATIO_TARGET = 1.25
SWITCH_RATIO_TARGET = 1.25


def _first_render(context, url: str) -> float:
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    elapsed = wait_ready(page) - start
    page.close()
    return elapsed


def _switches(context, url: str, labels: list[str]) -> dict[str, float]:
    """Seconds of a click on each label of the sidebar menu in turn, from the page before."""
    page = context.new_page()
    page.goto(url)
    wait_ready(page)
    result = {}
    for label in labels:
        link = page.locator('[data-testid="stSidebarNav"] a', has_text=label).first
        previous = heading(page)
        start = time.perf_counter()
        link.click()
        result[label] = wait_ready(page, previous=previous) - start
    page.close()
    return result


def measure(reps: int, only: list[str] | None = None) -> dict[str, dict[str, list[float]]]:
    """{'cold' | 'first' | 'switch' | 'base_first' | 'base_switch': {page or kind: [seconds…]}}.

    The dashboard and the bare baselines (bench/baseline_app.py, bench/baseline_nav.py) run side
    by side and are measured in turn within each repetition, so that a ratio compares figures
    taken under the same load. `only`: a subset of page labels (for quick comparisons)."""
    from playwright.sync_api import sync_playwright

    from minzheng import store
    from minzheng.demo import loader

    pages = [(label, path) for label, path in PAGES if not only or label in only]
    kinds = sorted({BASELINE_OF[label] for label, _ in pages}, key=list(BASELINE).index)
    keys = ("cold", "first", "switch", "base_first", "base_switch")
    times: dict[str, dict[str, list[float]]] = {key: {} for key in keys}
    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / "bench.duckdb"
        con = store.connect(db_file)
        loader.load_demo(con)
        con.close()
        frame_db = Path(tmp) / "frame.duckdb"  # DuckDB lets one process open a file at a time
        for suffix in ("", ".key"):
            shutil.copyfile(f"{db_file}{suffix}", f"{frame_db}{suffix}")
        servers = [
            _start_server(db_file, "serve.py"),  # as README starts it: behind the guard
            _start_server(Path(tmp) / "unused.duckdb", "bench/baseline_app.py"),
            _start_server(Path(tmp) / "unused2.duckdb", "bench/baseline_nav.py"),
            _start_server(frame_db, "bench/baseline_frame.py"),
        ]
        (_, url), (_, base_url), (_, nav_url), (_, frame_url) = servers
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                viewport = {"width": 1920, "height": 1080}
                for label, path in pages:  # empty browser cache: a first-ever visit
                    context = browser.new_context(viewport=viewport)
                    times["cold"].setdefault(label, []).append(
                        _first_render(context, f"{url}/{path}")
                    )
                    context.close()
                context = browser.new_context(viewport=viewport)
                for kind in BASELINE:  # warm the baselines' servers and the browser cache
                    _first_render(context, f"{base_url}/?parts={BASELINE[kind][1]}")
                _switches(context, nav_url, [BASELINE[k][2] for k in ("plotly", "dataframe")])
                for _kind, (_label, path) in FRAME.items():
                    _first_render(context, f"{frame_url}/{path}")
                for _ in range(reps):
                    for label, path in pages:  # a new tab of a browser that has the app's files
                        times["first"].setdefault(label, []).append(
                            _first_render(context, f"{url}/{path}")
                        )
                    for kind in kinds:
                        times["base_first"].setdefault(kind, []).append(
                            _first_render(context, f"{base_url}/?parts={BASELINE[kind][1]}")
                        )
                    # context, not a target: the title-only page inside Streamlit's own menu
                    # (opened at the app's root: at /title, plain Streamlit first probes
                    # /title/_stcore/health, which the dashboard's guard spares its pages)
                    times["base_first"].setdefault("menu", []).append(
                        _first_render(context, f"{nav_url}/")
                    )
                    for kind, (_label, path) in FRAME.items():  # context, not targets
                        times["base_first"].setdefault(kind, []).append(
                            _first_render(context, f"{frame_url}/{path}")
                        )
                    order = [label for label, _ in PAGES[1:] + PAGES[:1] if label in dict(pages)]
                    for label, seconds in _switches(context, url, order).items():
                        times["switch"].setdefault(label, []).append(seconds)
                    nav_order = [BASELINE[k][2] for k in ("plotly", "dataframe", "title")]
                    for menu, seconds in _switches(context, nav_url, nav_order).items():
                        kind = next(k for k, v in BASELINE.items() if v[2] == menu)
                        times["base_switch"].setdefault(kind, []).append(seconds)
                context.close()
                browser.close()
        finally:
            for process, _ in servers:
                process.terminate()
                process.wait(timeout=20)
    return times


def baseline_lines(times: dict[str, dict[str, list[float]]]) -> list[str]:
    """The RESULTS.md table of the baselines' first render (and switch, where measured)."""
    lines = [
        "Baseline (`bench/baseline_app.py` for a first render, `bench/baseline_nav.py` for a"
        " switch in Streamlit's own menu; same browser, criterion and loop, medians): what any"
        " Streamlit page costs here before the dashboard does anything.",
        "",
        "| Baseline page | First render (s) | ÷ title-only | Switch (s) |",
        "|---|---:|---:|---:|",
    ]
    switch = times["base_switch"]
    title = times["base_first"].get("title")
    for kind, values in times["base_first"].items():
        label = {"menu": MENU_LABEL, **{k: v[0] for k, v in FRAME.items()}}.get(kind)
        label = label or BASELINE[kind][0]
        first = statistics.median(values)
        ratio = f"{first / statistics.median(title):.2f}" if title else "—"
        sw = f"{statistics.median(switch[kind]):.2f}" if kind in switch else "—"
        lines.append(f"| {label} | {first:.2f} | {ratio} | {sw} |")
    return lines + [""]


def ratios(times) -> list[tuple[str, float, str, float, float, float, bool]]:
    """Per page: (label, first render, baseline kind, ratio, switch, switch limit, both met)."""
    rows = []
    for label, _path in PAGES:
        if label not in times["first"]:
            continue
        kind = BASELINE_OF[label]
        first = statistics.median(times["first"][label])
        ratio = first / statistics.median(times["base_first"][kind])
        switch = statistics.median(times["switch"][label])
        base_switch = times["base_switch"].get(kind)
        limit = max(1.0, SWITCH_RATIO_TARGET * statistics.median(base_switch or [0.0]))
        rows.append(
            (label, first, kind, ratio, switch, limit, ratio <= RATIO_TARGET and switch <= limit)
        )
    return rows


def table_lines(times) -> list[str]:
    """The per-page table: first render, its baseline and ratio, cold, switch and its limit."""
    lines = [
        "| Page | First render (s) | Baseline | Ratio (≤ 1.25) | Cold, empty browser cache (s)"
        " | Switch (s) | Switch limit (s) | Met |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for label, first, kind, ratio, switch, limit, ok in ratios(times):
        cold = statistics.median(times["cold"][label])
        lines.append(
            f"| {label} | {first:.2f} | {kind} | {ratio:.2f} | {cold:.2f} | {switch:.2f}"
            f" | {limit:.2f} | {'PASS' if ok else '**MISS**'} |"
        )
    return lines


def section(times, reps: int, load: tuple[float, float, float]) -> str:
    """The RESULTS.md section for these measurements."""
    rows = ratios(times)
    lines = [
        "## Dashboard pages in the browser",
        "",
        f"Recorded {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `python -m bench.pages --reps {reps}`"
        f" (load average before: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}).",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine()),
        "",
        "Demo database (2023 and 2024, 12 townships + the bureau), 1920×1080, until the page's title"
        " is drawn, Streamlit is idle and the page has not changed for 300 ms (every chart drawn)."
        " First render: the page's URL opened in a new tab (a new Streamlit session) of a browser"
        " that already has the app's script files; median of the repetitions, divided by the"
        " median of its baseline measured in the same loop (title-only for pages of text and"
        " HTML tables, one-plotly for chart pages, one-dataframe for pages with a data grid)."
        " Cold: the same in a browser with an empty cache (one run). Switch: a click on the page"
        " in the menu from the previous page; its limit is 1.0 s or 1.25 × the baseline's own"
        " switch, whichever is higher.",
        "",
        *table_lines(times),
        "",
        *baseline_lines(times),
    ]
    met = sum(row[-1] for row in rows)
    worst = max(rows, key=lambda row: row[3])
    lines += [
        f"Pages meeting both targets: {met} of {len(rows)}; highest ratio {worst[3]:.2f}"
        f" ({worst[0]}).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line of `python -m bench.pages`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--only", nargs="*", help="page labels to measure (implies --no-write)")
    parser.add_argument(
        "--profile", action="store_true", help="add bench/browser_profile.py's traced breakdown"
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()
    times = measure(args.reps, args.only)
    text = section(times, args.reps, load)
    if args.profile:
        from bench import browser_profile

        text += "\n" + "\n".join(browser_profile.section_lines(browser_profile.profile())) + "\n"
    print(text)
    if not args.no_write and not args.only:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
