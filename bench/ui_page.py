"""The scripts bench/ui.py runs in the annotate page (its own clock, its own observers): the
first render, one label action (armed before its key press, read back after) and a scroll."""

from __future__ import annotations

import json
from typing import Any

# The annotate page's test hooks.
TEXT = '[data-testid="article-text"]'
# The page draws the text as segments, each naming the spans that cover it (data-spans="3 17");
# an element per span (data-span-id="3") counts too.
SPAN = "[data-span-id], [data-spans]"
SAVE_STATUS = '[data-testid="save-status"]'

# The ids of the spans drawn inside ``root`` (the page's scripts below start with it).
SPAN_IDS_JS = """
  const spanIds = (root) => {
    const ids = new Set();
    for (const el of root.querySelectorAll(%(span)s)) {
      for (const id of (el.getAttribute("data-span-id") ?? el.getAttribute("data-spans")).split(/\\s+/)) {
        if (id) ids.add(id);
      }
    }
    return ids;
  };
"""

# Installed before the page's own scripts on every navigation: notes when the text container
# first holds `expected` distinct spans, then when the frame after that has been drawn.
FIRST_RENDER_JS = """
(() => {
  const expected = %(expected)d;
%(span_ids)s  const state = {textAt: null, spansAt: null, paintAt: null, arcsAt: null};
  const arcs = new MutationObserver(() => {
    if (document.querySelector("svg.arcs .arc")) { state.arcsAt = performance.now(); arcs.disconnect(); }
  });
  arcs.observe(document, {childList: true, subtree: true});
  window.__uiBench = state;
  const check = () => {
    const box = document.querySelector(%(text)s);
    if (!box) return false;
    if (state.textAt === null) state.textAt = performance.now();
    if (spanIds(box).size < expected) return false;
    state.spansAt = performance.now();
    requestAnimationFrame(() => {
      state.frameAt = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { state.paintAt = performance.now(); };
      channel.port2.postMessage(0);
    });
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, {childList: true, subtree: true});
})();
"""

# Select the n-th stretch of unlabelled text (one word in it) as a mouse would leave it, and
# arm the observers for the key press that follows: the new span element, the frame after
# it, and the save status going back to "Saved". Resolves eight frames later.
ARM_ACTION_JS = """
(n) => {
%(span_ids)s  const box = document.querySelector(%(text)s);
  const free = [];
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest(%(span)s) && /[A-Za-z]{4,}/.test(node.data)) free.push(node);
  }
  if (!free.length) throw new Error("no unlabelled text left");
  const node = free[(n * 7919) %% free.length];
  const words = [...node.data.matchAll(/[A-Za-z]{4,}/g)];
  const word = words[Math.floor(words.length / 2)];
  const range = document.createRange();
  range.setStart(node, word.index);
  range.setEnd(node, word.index + word[0].length);
  node.parentElement.scrollIntoView({block: "center"});
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const rect = range.getBoundingClientRect();
  const at = {bubbles: true, cancelable: true, clientX: rect.right, clientY: rect.bottom, button: 0};
  node.parentElement.dispatchEvent(new PointerEvent("pointerup", at));
  node.parentElement.dispatchEvent(new MouseEvent("mouseup", at));

  const before = spanIds(box);
  const status = () => (document.querySelector(%(status)s)?.textContent ?? "").trim();
  const act = {word: word[0], keyAt: null, elementAt: null, paintAt: null, savedAt: null,
               leftSaved: status() !== "Saved"};
  performance.clearResourceTimings();
  window.__uiAct = act;
  // The frame that draws the span: from the keydown on, each frame's first animation frame
  // callback (this one is asked for before any of the page's: its keydown listener comes first,
  // in the capture phase) looks whether the span is in the DOM yet; the first that finds it
  // notes the frame and posts a message, whose task runs once that frame is painted, before
  // any task the page itself posted in that frame (the page's work after the paint is not the
  // action's frame).
  const onFrame = () => {
    if (act.elementAt === null) return requestAnimationFrame(onFrame);
    act.frameAt = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { act.paintAt = performance.now(); };
    channel.port2.postMessage(0);
  };
  window.addEventListener("keydown", (e) => {
    if (act.keyAt !== null) return;
    act.keyAt = e.timeStamp;
    requestAnimationFrame(onFrame);
  }, {capture: true, once: true});
  // Only the nodes a mutation names are looked at (reading every segment of a long text after
  // each mutation would add the bench's own milliseconds to the action's).
  const isNew = (el) => {
    if (!(el instanceof Element) || !el.closest(%(text)s)) return false;
    const hits = el.matches(%(span)s) ? [el, ...el.querySelectorAll(%(span)s)] : [...el.querySelectorAll(%(span)s)];
    return hits.some((hit) => (hit.getAttribute("data-span-id") ?? hit.getAttribute("data-spans"))
      .split(/\\s+/).some((id) => id && !before.has(id)));
  };
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    if (act.keyAt === null) return;
    const added = records.some((r) => r.type === "childList" ? [...r.addedNodes].some(isNew) : r.type === "attributes" && isNew(r.target));
    if (act.elementAt === null && added) {
      act.elementAt = now;
    }
    const text = status();
    if (text !== "Saved") act.leftSaved = true;
    else if (act.leftSaved && act.savedAt === null) act.savedAt = now;
    if (act.savedAt !== null && act.elementAt !== null) observer.disconnect();
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
  // The key is pressed once the scroll and the selection are drawn and settled (eight frames,
  // 133 ms at 60 Hz: less than a person takes from the mouse to the key). The action's time is
  // then its own, not the scroll's: text scrolled to from far away is laid out in the frames
  // after the scroll (content-visibility), and the arcs measured again once it is.
  // Their frame times (requestAnimationFrame's argument: the vsync the frame began at) give
  // the vsync grid the keydown and the paint are placed on. Then a random wait within one frame
  // interval, so that the key lands anywhere in a frame, as a person's does.
  return new Promise((resolve) => {
    const times = [];
    const next = (t) => {
      times.push(t);
      if (times.length < 8) return requestAnimationFrame(next);
      const gaps = times.slice(1).map((x, i) => x - times[i]).sort((a, b) => a - b);
      act.vsyncAt = times[times.length - 1];
      act.vsyncMs = gaps[gaps.length >> 1];
      setTimeout(() => resolve(word[0]), Math.random() * act.vsyncMs);
    };
    requestAnimationFrame(next);
  });
}
"""

# Scroll from the top 120 px a frame for 180 frames; the intervals between the frames.
SCROLL_JS = """
() => new Promise((resolve) => {
  window.scrollTo(0, 0);
  const gaps = [];
  let last = null;
  const step = (now) => {
    if (last !== null) gaps.push(now - last);
    last = now;
    if (gaps.length >= 180) return resolve(gaps);
    window.scrollBy(0, 120);
    requestAnimationFrame(step);
  };
  requestAnimationFrame(() => requestAnimationFrame(step));
})
"""

ACTION_DONE_JS = "() => window.__uiAct && window.__uiAct.paintAt !== null && window.__uiAct.savedAt !== null"

ACTION_RESULT_JS = """
() => {
  const act = window.__uiAct;
  const posts = performance.getEntriesByType("resource").filter((e) => e.initiatorType === "fetch" && /\\/spans\\/$/.test(new URL(e.name).pathname));
  // Vsyncs passed from the keydown to the end of the frame that draws the span: 0 or 1 when it
  // is drawn by the first frame after the key, whatever the key's place in its frame.
  const tick = (t) => Math.floor((t - act.vsyncAt) / act.vsyncMs);
  return {word: act.word, element: act.elementAt - act.keyAt, frame: act.frameAt - act.keyAt,
          paint: act.paintAt - act.keyAt, vsyncs: tick(act.paintAt) - tick(act.keyAt),
          phase: act.keyAt - act.vsyncAt - tick(act.keyAt) * act.vsyncMs, vsyncMs: act.vsyncMs,
          saved: act.savedAt - act.keyAt, post: posts.length ? posts[0].duration : null, posts: posts.length};
}
"""


def js(template: str, **values: Any) -> str:
    """The script with the hooks' selectors (as JS strings) and ``values`` filled in."""
    hooks = {"text": json.dumps(TEXT), "span": json.dumps(SPAN), "status": json.dumps(SAVE_STATUS)}
    return template.replace("%(span_ids)s", SPAN_IDS_JS) % {**hooks, **values}
