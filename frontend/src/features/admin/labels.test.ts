import { describe, expect, it } from "vitest";

import type { Label } from "../../lib/api/client";
import { changesOf, draftOf, hotkeyProblem } from "./labels";

const label = (over: Partial<Label>): Label => ({
  id: 1,
  project: 1,
  kind: "span",
  name: "CLAIM",
  colour: "#1f77b4",
  hotkey: "c",
  description: "",
  allowed_sources: [],
  allowed_targets: [],
  cross_article: false,
  symmetric: false,
  ...over,
});

describe("changesOf", () => {
  it("sends only what changed", () => {
    const claim = label({});
    expect(changesOf(claim, draftOf(claim))).toEqual({});
    expect(changesOf(claim, { ...draftOf(claim), name: " Claim ", colour: "#1F77B4" })).toEqual({ name: "Claim" });
  });
  it("sends constraints of relation labels only, as sets", () => {
    const rebuts = label({ id: 2, kind: "relation", name: "REBUTS", allowed_sources: ["REBUTTAL"], allowed_targets: ["CLAIM"] });
    expect(changesOf(rebuts, { ...draftOf(rebuts), allowed_targets: ["CLAIM"] })).toEqual({});
    expect(changesOf(rebuts, { ...draftOf(rebuts), allowed_targets: ["CLAIM", "FIGURE"] })).toEqual({
      allowed_targets: ["CLAIM", "FIGURE"],
    });
    expect(changesOf(rebuts, { ...draftOf(rebuts), allowed_sources: [] })).toEqual({ allowed_sources: [] });
    const claim = label({});
    expect(changesOf(claim, { ...draftOf(claim), allowed_sources: ["X"] })).toEqual({});
  });
});

describe("hotkeyProblem", () => {
  const labels = [label({}), label({ id: 2, name: "FIGURE", hotkey: "f" })];
  it("accepts a free key or none", () => {
    expect(hotkeyProblem("", labels, null)).toBe("");
    expect(hotkeyProblem("q", labels, null)).toBe("");
    expect(hotkeyProblem("c", labels, 1)).toBe("");
  });
  it("names the label that has it, and refuses reserved keys", () => {
    expect(hotkeyProblem("f", labels, 1)).toContain("FIGURE");
    expect(hotkeyProblem("x", labels, null)).toContain("reserved");
    expect(hotkeyProblem("ab", labels, null)).toBe("One character.");
  });
});
