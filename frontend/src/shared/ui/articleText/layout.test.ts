import { describe, expect, it } from "vitest";

import { OffsetMap } from "../../../lib/text/offsets";
import { lanes, segments, spanAt } from "./layout";

describe("segments", () => {
  it("cuts the text at every boundary and lists the covering spans innermost first", () => {
    // text of 20 units; 1 = [2, 12), 2 = [5, 8) nested in 1, 3 = [10, 15) crossing 1's end
    const segs = segments(20, [
      { id: 1, start: 2, end: 12 },
      { id: 2, start: 5, end: 8 },
      { id: 3, start: 10, end: 15 },
    ]);
    expect(segs.map((s) => [s.start, s.end, s.covering])).toEqual([
      [0, 2, []],
      [2, 5, [1]],
      [5, 8, [2, 1]],
      [8, 10, [1]],
      [10, 12, [3, 1]],
      [12, 15, [3]],
      [15, 20, []],
    ]);
  });

  it("covers the whole text with no spans, and clamps spans past its end", () => {
    expect(segments(5, [])).toEqual([{ start: 0, end: 5, covering: [] }]);
    expect(segments(5, [{ id: 7, start: 3, end: 9 }]).map((s) => [s.start, s.end])).toEqual([
      [0, 3],
      [3, 5],
    ]);
  });

  it("keeps two spans on the same range apart", () => {
    const segs = segments(6, [
      { id: 4, start: 1, end: 3 },
      { id: 5, start: 1, end: 3 },
    ]);
    expect(segs[1]).toEqual({ start: 1, end: 3, covering: [4, 5] });
  });

  it("lays out 500 spans over 50,000 units quickly", () => {
    const spans = Array.from({ length: 500 }, (_, i) => ({ id: i, start: i * 100, end: i * 100 + 40 + (i % 7) * 20 }));
    const started = performance.now();
    const segs = segments(50_000, spans);
    expect(performance.now() - started).toBeLessThan(200);
    expect(segs.at(-1)!.end).toBe(50_000);
  });
});

describe("lanes", () => {
  it("puts overlapping spans on different lanes and reuses a free one", () => {
    const got = lanes([
      { id: 1, start: 0, end: 10 },
      { id: 2, start: 2, end: 4 },
      { id: 3, start: 5, end: 12 },
      { id: 4, start: 12, end: 14 },
    ]);
    expect(got.get(1)).toBe(0);
    expect(got.get(2)).toBe(1);
    expect(got.get(3)).toBe(1); // 2 ended before 3 starts
    expect(got.get(4)).toBe(0);
  });
});

describe("spanAt", () => {
  const segs = segments(20, [
    { id: 1, start: 2, end: 12 },
    { id: 2, start: 5, end: 8 },
  ]);
  it("takes the innermost span, then the next one out on a second click", () => {
    expect(spanAt(segs, 6)).toBe(2);
    expect(spanAt(segs, 6, 2)).toBe(1);
    expect(spanAt(segs, 6, 1)).toBe(2);
    expect(spanAt(segs, 3)).toBe(1);
    expect(spanAt(segs, 15)).toBeNull();
  });
});

describe("paragraphs", () => {
  // where they start: OffsetMap.paragraphStarts (lib/text/offsets.test.ts)
  it("cut segments where a span crosses a paragraph", () => {
    const segs = segments(10, [{ id: 1, start: 2, end: 8 }], [0, 5]);
    expect(segs.map((s) => [s.start, s.end, s.covering])).toEqual([
      [0, 2, []],
      [2, 5, [1]],
      [5, 8, [1]],
      [8, 10, []],
    ]);
  });
});

describe("segments of a text in code points", () => {
  it("cut at span boundaries, astral characters included", () => {
    const text = "a👩b said 4.75%";
    const map = new OffsetMap(text);
    // code points: a=0 👩=1 b=2 ' '=3 ... "4.75%" starts at 9
    const segs = segments(map.length, [
      { start: 1, end: 2, id: 1 },
      { start: 9, end: 14, id: 2 },
    ]);
    expect(segs.map((s) => map.slice(s.start, s.end))).toEqual(["a", "👩", "b said ", "4.75%"]);
    expect(segs.map((s) => s.covering)).toEqual([[], [1], [], [2]]);
    expect(segs.map((s) => map.slice(s.start, s.end)).join("")).toBe(text);
  });

  it("give nested spans innermost first, and leave empty spans out", () => {
    const segs = segments(6, [
      { start: 2, end: 4, id: 2 },
      { start: 0, end: 6, id: 1 },
      { start: 5, end: 5, id: 3 },
    ]);
    expect(segs.map((s) => [s.start, s.end, s.covering])).toEqual([
      [0, 2, [1]],
      [2, 4, [2, 1]],
      [4, 5, [1]],
      [5, 6, [1]],
    ]);
    expect(segments(0, [])).toEqual([]);
  });
});
