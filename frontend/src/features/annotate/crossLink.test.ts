import { describe, expect, it } from "vitest";

import type { Label } from "../../lib/api/client";
import { crossRelations, nodesOf, searchSpans, type SpanNode } from "./crossLink";

const node = (id: number, article_id: number, label: string, text: string, speaker: string | null = null): SpanNode => ({
  id,
  article: `a${article_id}`,
  article_id,
  label,
  text,
  speaker,
});
const NODES = [
  node(1, 1, "CLAIM", "Rates will rise to 4.75%"),
  node(2, 2, "CLAIM", "Rates will fall", "Ann Smith"),
  node(3, 2, "REBUTTAL", "Rates will not rise", "Bob"),
  node(4, 3, "FIGURE", "4.75%"),
];

describe("searchSpans", () => {
  it("finds spans of other articles having every word, any case", () => {
    expect(searchSpans(NODES, 1, { q: "RATES rise", label: "", speaker: "" }).map((n) => n.id)).toEqual([3]);
  });
  it("filters by label and by part of the speaker", () => {
    expect(searchSpans(NODES, 9, { q: "", label: "CLAIM", speaker: "" }).map((n) => n.id)).toEqual([1, 2]);
    expect(searchSpans(NODES, 9, { q: "", label: "", speaker: "smith" }).map((n) => n.id)).toEqual([2]);
  });
  it("stops at the limit", () => {
    expect(searchSpans(NODES, 9, { q: "", label: "", speaker: "" }, 2)).toHaveLength(2);
  });
});

describe("nodesOf", () => {
  it("keeps well-formed nodes and survives a strange answer", () => {
    expect(nodesOf({ nodes: [NODES[0], { id: "x" }] })).toEqual([NODES[0]]);
    expect(nodesOf({})).toEqual([]);
  });
});

describe("crossRelations", () => {
  const label = (name: string, cross: boolean, sources: string[], targets: string[]) =>
    ({ id: name.length, name, kind: "relation", cross_article: cross, allowed_sources: sources, allowed_targets: targets }) as unknown as Label;
  it("offers only cross-article labels whose rule allows the pair", () => {
    const labels = [
      label("REBUTS", true, ["REBUTTAL"], ["CLAIM"]),
      label("LOCAL", false, [], []),
      label("SAME_CLAIM", true, ["CLAIM"], ["CLAIM"]),
    ];
    expect(crossRelations(labels, "REBUTTAL", "CLAIM").map((l) => l.name)).toEqual(["REBUTS"]);
    expect(crossRelations(labels, "CLAIM", "CLAIM").map((l) => l.name)).toEqual(["SAME_CLAIM"]);
  });
});
