"""bench/ui.py --profile: one label action under the CPU profiler and one under Chromium's
timeline trace, and a first render under the profiler (what the page spends its time on)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from bench.ui_page import ACTION_DONE_JS, ARM_ACTION_JS, js


def print_profile(page: Any, hotkey: str, n: int, trace: Path) -> list[str]:
    """One more label action under the CPU profiler (CDP): the functions with the most self
    time from the keydown to the painted span (names are readable with an unminified build:
    ``npx vite build --minify false``); then one reload of the page the same way."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 100})
    word: str = page.evaluate(js(ARM_ACTION_JS), n)
    cdp.send("Profiler.start")
    page.keyboard.press(hotkey)
    page.wait_for_function(ACTION_DONE_JS, timeout=10_000)
    print_self_time("one label action", cdp.send("Profiler.stop")["profile"])
    traced = print_trace(page, hotkey, n + 1, trace)
    cdp.send("Profiler.start")
    page.reload()
    page.wait_for_function("() => window.__uiBench && window.__uiBench.paintAt !== null")
    print_self_time(
        "a first render (reload until the spans are painted)", cdp.send("Profiler.stop")["profile"]
    )
    cdp.detach()
    return [word, traced]


def print_self_time(what: str, profile: dict[str, Any]) -> None:
    """The 20 functions with the most self time in a CPU profile, then the 20 with the most
    total time (their callees' included: which component or handler the time is spent under)."""

    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}

    def name(node_id: int) -> str:
        frame = nodes[node_id]["callFrame"]
        where = frame["url"].rsplit("/", 1)[-1]
        return f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber'] + 1}"

    gaps = profile["timeDeltas"]
    self_ms: Counter[str] = Counter()
    total_ms: Counter[str] = Counter()
    for sample, gap in zip(profile["samples"], [*gaps[1:], 0], strict=True):
        self_ms[name(sample)] += gap / 1000
        above = {name(sample)}
        node = parent.get(sample)
        while node is not None:
            above.add(name(node))
            node = parent.get(node)
        for each in above - {"(root) :0"}:
            total_ms[each] += gap / 1000
    total = sum(self_ms.values())
    for how, counted in (("self", self_ms), ("total", total_ms)):
        print(f"CPU profile of {what} ({total:.1f} ms sampled), by {how} time:")
        for each, ms in counted.most_common(20):
            print(f"  {ms:7.1f} ms  {each}")


# The renderer's own work, which the CPU profile shows only as "(program)".
RENDER_EVENTS = {
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "Layerize",
    "Commit",
    "HitTest",
    "IntersectionObserverController::computeIntersections",
}


def print_trace(page: Any, hotkey: str, n: int, trace: Path) -> str:
    """One more label action under Chromium's timeline trace: time in style, layout and paint."""
    browser = page.context.browser
    word: str = page.evaluate(js(ARM_ACTION_JS), n)
    browser.start_tracing(page=page, categories=["devtools.timeline", "blink"])
    page.keyboard.press(hotkey)
    page.wait_for_function(ACTION_DONE_JS, timeout=10_000)
    raw = browser.stop_tracing()
    trace.write_bytes(raw)  # for Perfetto / chrome://tracing
    events = json.loads(raw)
    events = events["traceEvents"] if isinstance(events, dict) else events
    spent: Counter[str] = Counter()
    ends: dict[str, float] = {}  # a Paint inside a Paint (the document's, then HTML's) counts once
    timed = [e for e in events if e.get("ph") == "X" and e.get("name") in RENDER_EVENTS]
    for event in sorted(timed, key=lambda e: (e["ts"], -e.get("dur", 0))):
        name, start, end = event["name"], event["ts"], event["ts"] + event.get("dur", 0)
        if start < ends.get(name, -1):
            continue
        ends[name] = end
        spent[name] += (end - start) / 1000
    print(f"the renderer's work in one more label action (trace, in {trace}):")
    for name, ms in spent.most_common():
        print(f"  {ms:7.1f} ms  {name}")
    return word
