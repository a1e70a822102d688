import { afterEach, describe, expect, it, vi } from "vitest";

import { afterPaint } from "./afterPaint";

describe("afterPaint", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("runs the work once, in a task after the next animation frame", async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => frames.push(cb));
    const ran: string[] = [];
    afterPaint(() => ran.push("work"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toEqual([]); // no frame yet
    frames[0]!(0);
    ran.push("frame done");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toEqual(["frame done", "work"]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(ran).toEqual(["frame done", "work"]); // not again when the fallback's time comes
  });

  it("runs the work anyway when no frame comes (a hidden page)", () => {
    vi.useFakeTimers();
    vi.stubGlobal("requestAnimationFrame", () => 0);
    const work = vi.fn();
    afterPaint(work);
    vi.advanceTimersByTime(99);
    expect(work).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("runs the work in the next task where nothing is drawn (no DOM)", async () => {
    vi.stubGlobal("requestAnimationFrame", undefined);
    const ran: string[] = [];
    afterPaint(() => ran.push("work"));
    ran.push("now");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ran).toEqual(["now", "work"]);
  });
});
