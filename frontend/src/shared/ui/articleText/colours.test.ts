import { describe, expect, it } from "vitest";

import { segments, textColourOn, tint } from "./colours";

describe("segments", () => {
  it("cuts at span boundaries in code points, astral characters included", () => {
    const text = "a👩b said 4.75%";
    // code points: a=0 👩=1 b=2 ' '=3 ... "4.75%" starts at 9
    const pieces = segments(text, [
      { start: 1, end: 2, id: 1 },
      { start: 9, end: 14, id: 2 },
    ]);
    expect(pieces.map((p) => p.text)).toEqual(["a", "👩", "b said ", "4.75%"]);
    expect(pieces.map((p) => p.spans.map((s) => s.id))).toEqual([[], [1], [], [2]]);
    expect(pieces.map((p) => p.text).join("")).toBe(text);
  });
  it("handles overlapping and nested spans, outermost first", () => {
    const pieces = segments("abcdef", [
      { start: 2, end: 4, id: 2 },
      { start: 0, end: 6, id: 1 },
    ]);
    expect(pieces.map((p) => [p.text, p.spans.map((s) => s.id)])).toEqual([
      ["ab", [1]],
      ["cd", [1, 2]],
      ["ef", [1]],
    ]);
  });
  it("ignores spans out of range", () => {
    expect(segments("abc", [{ start: 2, end: 9 }, { start: 2, end: 2 }]).map((p) => p.text)).toEqual(["abc"]);
    expect(segments("", [])).toEqual([]);
  });
});

it("colours", () => {
  expect(textColourOn("#ffffff")).toBe("#000");
  expect(textColourOn("#1f1f1f")).toBe("#fff");
  expect(tint("#000000", 0.5)).toBe("#808080");
  expect(tint("nonsense", 0.5)).toBe("#eeeeee");
});
