"""bench/browser_profile.py: the renderer main thread's CPU, by kind, from a Chrome trace."""

from bench.browser_profile import main_thread_cpu


def _meta(pid, tid, name):
    return {"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": name}}


def _x(pid, name, ts, dur, url=None, tid=1):
    args = {"data": {"url": url}} if url else {}
    return {"ph": "X", "name": name, "pid": pid, "tid": tid, "ts": ts, "dur": dur, "args": args}


def test_self_times_by_kind_only_for_the_app_renderer():
    trace = {
        "traceEvents": [
            _meta(10, 1, "CrRendererMain"),
            _meta(20, 1, "CrRendererMain"),  # the browser's own page, another renderer
            _meta(10, 2, "Compositor"),
            _x(10, "ParseHTML", 0, 1_000, url="http://127.0.0.1:8501/indicator"),
            # a task of 10 ms: a module evaluation of 6 ms holding a 4 ms function call
            _x(10, "RunTask", 10_000, 10_000),
            _x(10, "v8.evaluateModule", 10_000, 6_000, url="http://127.0.0.1:8501/static/a.js"),
            _x(10, "FunctionCall", 11_000, 4_000, url="http://127.0.0.1:8501/static/b.js"),
            _x(10, "Layout", 17_000, 2_000),
            _x(10, "Paint", 30_000, 500),
            _x(10, "MinorGC", 40_000, 300),
            _x(10, "Layout", 50_000, 9_000, tid=2),  # not the main thread
            _x(20, "FunctionCall", 0, 50_000, url="chrome://omnibox/popup.js"),
        ]
    }
    cpu = main_thread_cpu(trace, "127.0.0.1:8501")
    assert cpu["total"] == 1 + 10 + 0.5 + 0.3  # top-level events only
    assert cpu["load"] == 1 + 2  # ParseHTML + the module's own 2 ms
    assert cpu["js"] == 4
    assert cpu["layout"] == 2 and cpu["paint"] == 0.5 and cpu["gc"] == 0.3
    assert cpu["other"] == 10 - 6 - 2  # the task's own time
    assert cpu["scripts"] == {"a.js": 2, "b.js": 4}


def test_nothing_when_the_origin_is_absent():
    trace = [_meta(10, 1, "CrRendererMain"), _x(10, "Layout", 0, 1_000)]
    assert main_thread_cpu(trace, "127.0.0.1:9999")["total"] == 0
