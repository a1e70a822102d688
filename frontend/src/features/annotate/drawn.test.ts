import { describe, expect, it } from "vitest";

import { DrawnSpans } from "./drawn";
import type { LocalSpan } from "./model";

const span = (id: number, label: string, suggestion = false): LocalSpan => ({
  id,
  start: id * 10,
  end: id * 10 + 5,
  text: "words",
  label,
  version: 1,
  suggestion,
  score: suggestion ? 0.9 : null,
  recogniser: suggestion ? "figures" : "",
});

describe("DrawnSpans", () => {
  it("gives the same drawn object for the same span, a new one for a changed span", () => {
    const colours: Record<string, string> = { CLAIM: "#ff0000", FIGURE: "#00ff00" };
    const colour = (label: string) => colours[label] ?? "#888888";
    const drawer = new DrawnSpans();
    const a = span(1, "CLAIM");
    const b = span(2, "FIGURE", true);
    const first = drawer.of([a, b], colour);
    expect(first).toEqual([
      { id: 1, start: 10, end: 15, colour: "#ff0000", suggestion: false, title: "CLAIM" },
      { id: 2, start: 20, end: 25, colour: "#00ff00", suggestion: true, title: "FIGURE suggestion (figures, score 0.9)" },
    ]);
    const relabelled = { ...a, label: "FIGURE" };
    const second = drawer.of([relabelled, b], colour);
    expect(second[1]).toBe(first[1]);
    expect(second[0]).toMatchObject({ colour: "#00ff00", title: "FIGURE" });
    // other colours (the labels read again): everything is drawn anew
    const third = drawer.of([relabelled, b], (label) => (label === "FIGURE" ? "#0000ff" : "#888888"));
    expect(third[1]).not.toBe(second[1]);
    expect(third.map((d) => d.colour)).toEqual(["#0000ff", "#0000ff"]);
  });
});
