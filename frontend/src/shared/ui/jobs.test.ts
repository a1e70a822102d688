import { describe, expect, it } from "vitest";

import { isFinished, pollDelay, progressPercent, statusText } from "./jobs";

const job = (status: string, done: number, total: number | null) => ({
  status: status as "running",
  progress: { done, total },
  message: "",
  cancel_requested: false,
});

describe("jobs", () => {
  it("knows which statuses are final", () => {
    expect(isFinished(job("succeeded", 0, 0))).toBe(true);
    expect(isFinished(job("failed", 0, 0))).toBe(true);
    expect(isFinished(job("cancelled", 0, 0))).toBe(true);
    expect(isFinished(job("running", 0, 0))).toBe(false);
    expect(isFinished(null)).toBe(false);
  });
  it("computes a percentage, or null while the total is unknown", () => {
    expect(progressPercent(job("running", 1, 4))).toBe(25);
    expect(progressPercent(job("running", 9, 4))).toBe(100);
    expect(progressPercent(job("running", 3, null))).toBeNull();
    expect(progressPercent(job("succeeded", 0, null))).toBe(100);
    expect(progressPercent(job("queued", 0, 0))).toBe(0);
  });
  it("polls quickly at first, slower later and after failures", () => {
    expect(pollDelay(0)).toBe(500);
    expect(pollDelay(10)).toBe(1000);
    expect(pollDelay(100)).toBe(3000);
    expect(pollDelay(100, 10)).toBe(30_000);
  });
  it("describes the state", () => {
    expect(statusText(job("running", 2, 5))).toBe("Running · 2 of 5");
    expect(statusText(job("queued", 0, null))).toContain("Waiting");
  });
});
