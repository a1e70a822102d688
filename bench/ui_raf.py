"""Does a Chromium flag unlock the frame rate in headless Debian chromium? (bench/ui.py's choice)

    .venv/bin/python -m bench.ui_raf

For each set of flags, on an empty page: the interval between requestAnimationFrame callbacks
(120 frames); 60 times a 3 ms change of the page at a random moment, then the time from the
change to its rAF and from that rAF to the task after it (the end of the frame's paint as
bench/ui.py takes it); and the CPU the browser's processes (those it started) use over 3 s
with the page idle.
"""

from __future__ import annotations

import statistics
import time

from bench.ui_measure import CHROMIUM, CHROMIUM_ARGS

FLAG_SETS: list[list[str]] = [
    [],
    ["--disable-gpu-vsync", "--disable-frame-rate-limit"],
    ["--disable-gpu-vsync", "--disable-frame-rate-limit", "--run-all-compositor-stages-before-draw"],
]

INTERVALS_JS = """() => new Promise((resolve) => {
  const gaps = []; let last = null;
  const step = (now) => { if (last !== null) gaps.push(now - last); last = now;
    if (gaps.length >= 120) return resolve(gaps); requestAnimationFrame(step); };
  requestAnimationFrame(step);
})"""

CHANGES_JS = """() => new Promise((resolve) => {
  const out = [];
  const one = () => {
    const t0 = performance.now();
    document.getElementById("x").textContent = `change ${out.length}`;
    while (performance.now() - t0 < 3) {}
    const t1 = performance.now();
    requestAnimationFrame(() => {
      const t2 = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        out.push([t2 - t1, performance.now() - t2]);
        if (out.length >= 60) resolve(out); else setTimeout(one, Math.random() * 20);
      };
      channel.port2.postMessage(0);
    });
  };
  one();
})"""


def chromium_cpu() -> dict[int, float]:
    """CPU seconds of each chromium process now (from /proc), by pid."""
    import os

    seconds: dict[int, float] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if "chrom" not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[int(pid)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def main() -> None:
    from playwright.sync_api import sync_playwright

    def q(values: list[float], n: int) -> float:
        return statistics.quantiles(values, n=100, method="inclusive")[n - 1]

    for flags in FLAG_SETS:
        others = set(chromium_cpu())  # (other people's browsers on the machine are not counted)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *flags], headless=True
            )
            page = browser.new_page()
            page.set_content('<div id="x">hello</div>')
            gaps = page.evaluate(INTERVALS_JS)
            changes = page.evaluate(CHANGES_JS)
            before = {pid: cpu for pid, cpu in chromium_cpu().items() if pid not in others}
            time.sleep(3)
            after = chromium_cpu()
            idle = sum(after.get(pid, cpu) - cpu for pid, cpu in before.items()) / 3
            browser.close()
        to_raf = [c[0] for c in changes]
        to_task = [c[1] for c in changes]
        print(" ".join(flags) or "(no flags)")
        print(f"  rAF interval p50 {q(gaps, 50):.1f}  p95 {q(gaps, 95):.1f} ms")
        print(f"  change -> its rAF p50 {q(to_raf, 50):.1f}  p95 {q(to_raf, 95):.1f} ms")
        print(f"  rAF -> the task after it p50 {q(to_task, 50):.1f}  p90 {q(to_task, 90):.1f} ms")
        print(f"  browser CPU with the page idle: {idle:.0%} of a core")


if __name__ == "__main__":
    main()
