import { describe, expect, it } from "vitest";

import { ApiError, NetworkError } from "../../lib/api/client";
import { SaveQueue, type QueueState } from "./queue";

function recorder() {
  const states: QueueState[] = [];
  return { states, onChange: (s: QueueState) => states.push(s) };
}

describe("SaveQueue", () => {
  it("runs ops one at a time, in order", async () => {
    const order: string[] = [];
    const { onChange } = recorder();
    const queue = new SaveQueue(onChange);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.push({ describe: "a", run: async () => { await gate; order.push("a"); }, refused: () => {} });
    queue.push({ describe: "b", run: async () => { order.push("b"); }, refused: () => {} });
    expect(queue.waiting).toBe(2);
    release();
    await queue.settled();
    expect(order).toEqual(["a", "b"]);
  });

  it("starts a pushed op after the frame that draws the change, not in the task that pushes it", async () => {
    const { onChange } = recorder();
    const later: (() => void)[] = [];
    const queue = new SaveQueue(onChange, [5], (run) => later.push(run));
    let ran = false;
    queue.push({ describe: "a", run: async () => { ran = true; }, refused: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ran).toBe(false);
    expect(queue.waiting).toBe(1);
    later.forEach((run) => run());
    await queue.settled();
    expect(ran).toBe(true);
  });

  it("keeps an op that got no answer and retries it until it is saved", async () => {
    const { states, onChange } = recorder();
    const queue = new SaveQueue(onChange, [5, 5]);
    let attempts = 0;
    queue.push({
      describe: "create",
      run: async () => {
        attempts++;
        if (attempts < 3) throw new NetworkError("offline");
      },
      refused: () => { throw new Error("not refused"); },
    });
    await queue.settled();
    expect(attempts).toBe(3);
    expect(states.some((s) => s.offline && s.waiting === 1)).toBe(true);
    expect(states.at(-1)).toEqual({ waiting: 0, offline: false, retryIn: 0 });
  });

  it("hands a refused op back and goes on with the next", async () => {
    const { onChange } = recorder();
    const queue = new SaveQueue(onChange);
    const refused: unknown[] = [];
    let ran = false;
    queue.push({
      describe: "update",
      run: async () => { throw new ApiError(412, { detail: "changed", code: "stale_version" }); },
      refused: (e) => refused.push(e),
    });
    queue.push({ describe: "next", run: async () => { ran = true; }, refused: () => {} });
    await queue.settled();
    expect(refused).toHaveLength(1);
    expect((refused[0] as ApiError).status).toBe(412);
    expect(ran).toBe(true);
  });
});
