"""Where a page's first render goes in the browser: the profile behind bench/pages.py's figures.

For each page, one first render in a new tab (after a warm-up), traced by Chromium itself:

- phases on the wall clock: the frontend's boot (until Streamlit's websocket opens), the
  server's script run (until the `script_finished` message arrives), and the drawing after it
  (lazily loaded chart and grid code, plotly's drawing) until the page is ready;
- the renderer main thread's CPU time, by kind (self time of each trace event, so nested events
  are not counted twice): loading and initialising JavaScript modules, running JavaScript (React
  and Streamlit's components), style and layout, paint, garbage collection;
- the three scripts that cost most.

`python -m bench.browser_profile` prints the table; `python -m bench.pages --profile` adds it
to bench/RESULTS.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.pages import ARGS, BASELINE, CHROMIUM, PAGES, _start_server, wait_ready

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
]
KINDS = {
    "load": {
        "v8.compileModule",
        "v8.evaluateModule",
        "EvaluateScript",
        "v8.compile",
        "V8.CompileCode",
        "v8.produceModuleCache",
        "v8.produceCache",
        "CompileScript",
        "ParseHTML",
    },
    "js": {
        "FunctionCall",
        "RunMicrotasks",
        "TimerFire",
        "FireAnimationFrame",
        "EventDispatch",
        "v8.callFunction",
        "XHRReadyStateChange",
        "V8.Execute",
    },
    "layout": {
        "UpdateLayoutTree",
        "Layout",
        "ParseAuthorStyleSheet",
        "HitTest",
        "RecalculateStyles",
        "IntersectionObserverController::computeIntersections",
    },
    "paint": {"Paint", "PrePaint", "Layerize", "UpdateLayer", "Commit", "PaintImage"},
    "gc": {"MinorGC", "MajorGC", "V8.GC_SCAVENGER", "V8.GC_MARK_COMPACTOR", "BlinkGC.AtomicPhase"},
}
SCRIPT_EVENTS = {"FunctionCall", "EvaluateScript", "v8.evaluateModule", "v8.compileModule"}


def main_thread_cpu(trace: dict | list, origin: str) -> dict:
    """{'total', 'load', 'js', 'layout', 'paint', 'gc', 'other': ms, 'scripts': Counter} of the
    main thread of the renderer that shows `origin` (the browser's own pages run in renderers
    of their own): self times, so nesting is counted once."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    ours = {e["pid"] for e in events if origin in json.dumps(e.get("args", {}))}
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M"
        and e.get("name") == "thread_name"
        and e["args"].get("name") == "CrRendererMain"
        and e["pid"] in ours
    }
    by_thread: dict[tuple, list] = {}
    for e in events:
        if e.get("ph") == "X" and (e["pid"], e["tid"]) in mains and "dur" in e:
            by_thread.setdefault((e["pid"], e["tid"]), []).append(e)
    result = Counter()
    scripts = Counter()
    for thread_events in by_thread.values():
        thread_events.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack: list[list] = []  # [event, self time left]
        for event in thread_events:
            while stack and stack[-1][0]["ts"] + stack[-1][0]["dur"] <= event["ts"]:
                _close(stack.pop(), result, scripts)
            if stack:
                stack[-1][1] -= event["dur"]
            else:
                result["total"] += event["dur"] / 1000
            stack.append([event, event["dur"]])
        while stack:
            _close(stack.pop(), result, scripts)
    return {**{k: result[k] for k in ("total", *KINDS, "other")}, "scripts": scripts}


def _close(entry: list, result: Counter, scripts: Counter) -> None:
    event, own = entry
    own = max(own, 0) / 1000
    kind = next((k for k, names in KINDS.items() if event["name"] in names), "other")
    result[kind] += own
    if event["name"] in SCRIPT_EVENTS:
        data = event.get("args", {}).get("data", {})
        url = data.get("url") or data.get("scriptName") or ""
        if url:
            scripts[url.rsplit("/", 1)[-1].split("?")[0]] += own


def _script_finished_at(frames: list[tuple[float, bytes]]) -> tuple[float | None, float | None]:
    """(first message, last `script_finished` message) arrival times."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    first = frames[0][0] if frames else None
    finished = None
    for at, payload in frames:
        if not isinstance(payload, bytes):
            continue
        try:
            message = ForwardMsg.FromString(payload)
        except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg: not ours to time
            continue
        if message.WhichOneof("type") == "script_finished":
            finished = at
    return first, finished


def profile_url(browser, context, url: str) -> dict:
    """One traced first render of `url` in a new tab of `context`."""
    page = context.new_page()
    frames: list[tuple[float, bytes]] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda p: frames.append((time.perf_counter(), p))),
    )
    browser.start_tracing(page=page, categories=CATEGORIES)
    start = time.perf_counter()
    page.goto(url)
    end = wait_ready(page)
    trace = json.loads(browser.stop_tracing())
    page.close()
    first, finished = _script_finished_at(frames)
    cpu = main_thread_cpu(trace, url.split("/")[2])
    return {
        "ready": end - start,
        "connected": (first - start) if first else None,
        "finished": (finished - start) if finished else None,
        **cpu,
    }


def profile(warmups: int = 2) -> dict[str, dict]:
    """{page label: profile_url(...)} for the dashboard's pages on the demo database, and for the
    baseline pages (`bench/baseline_app.py`)."""
    from playwright.sync_api import sync_playwright

    from minzheng import store
    from minzheng.demo import loader

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        db_file = Path(tmp) / "bench.duckdb"
        con = store.connect(db_file)
        loader.load_demo(con)
        con.close()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for script, targets in (
            ("bench/baseline_app.py", [(v[0], f"?parts={v[1]}") for v in BASELINE.values()]),
            ("serve.py", PAGES),
        ):
            process, url = _start_server(db_file, script)
            try:
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                for _ in range(warmups):  # the server's caches and the browser's code cache
                    for _label, path in targets:
                        page = context.new_page()
                        page.goto(f"{url}/{path}")
                        wait_ready(page)
                        page.close()
                for label, path in targets:
                    results[label] = profile_url(browser, context, f"{url}/{path}")
                context.close()
            finally:
                process.terminate()
                process.wait(timeout=20)
        browser.close()
    return results


def lines(results: dict[str, dict]) -> list[str]:
    """The RESULTS.md table of `profile()`."""

    def seconds(value):
        return "—" if value is None else f"{value:.2f}"

    out = [
        "| Page | Ready s | Websocket open s | Script finished s | Main thread CPU ms |"
        " Loading JS ms | Running JS ms | Style + layout ms | Paint ms | GC ms | Costliest scripts (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, r in results.items():
        top = ", ".join(f"{name} {ms:.0f}" for name, ms in r["scripts"].most_common(3))
        out.append(
            f"| {label} | {r['ready']:.2f} | {seconds(r['connected'])} | {seconds(r['finished'])}"
            f" | {r['total']:.0f} | {r['load']:.0f} | {r['js']:.0f} | {r['layout']:.0f}"
            f" | {r['paint']:.0f} | {r['gc']:.0f} | {top} |"
        )
    return out


def section_lines(results: dict[str, dict]) -> list[str]:
    """The profile's paragraph and table for RESULTS.md."""
    return [
        "Where the first render goes (`bench/browser_profile.py`: one traced first render per"
        " page in a new tab after two warm-up rounds; the trace slows the page a little).",
        " Websocket open: the frontend has booted and connected; script finished: the server's"
        " run has been received; ready: everything drawn (the same criterion as above). CPU"
        " columns are the self time of the tab's renderer main thread, by kind.",
        "",
        *lines(results),
    ]


def main() -> int:
    """`python -m bench.browser_profile`: print the table."""
    print("\n".join(lines(profile())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
