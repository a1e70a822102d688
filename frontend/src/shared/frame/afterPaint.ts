// Work that need not be in the frame a user's action draws (saving it, measuring around it)
// runs just after that frame is painted: the action's own frame then holds only its drawing
// (bench/ui: a label action drawn by the first frame after the key).

// A hidden page draws no frames (requestAnimationFrame waits until it is shown): the work then
// runs after this long anyway.
const NO_FRAME_MS = 100;

/** Runs ``work`` once, in a task after the next frame is painted (after NO_FRAME_MS when no
 * frame comes: a hidden page; in the next task where nothing is drawn: no DOM). */
export function afterPaint(work: () => void): void {
  const frames = typeof requestAnimationFrame === "function" && typeof MessageChannel === "function";
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    work();
  };
  const fallback = setTimeout(once, frames ? NO_FRAME_MS : 0);
  // (a task, not the animation frame's callback: that runs before the frame's style, layout and
  // paint; the message channel's task comes after them)
  if (frames) {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        once();
      };
      channel.port2.postMessage(null);
    });
  }
}
