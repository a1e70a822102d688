import { describe, expect, it } from "vitest";

import type { Label } from "../../lib/api/client";
import { crossRelations, nodeOf } from "./crossLink";

describe("nodeOf", () => {
  it("reads a search hit as the node the link is made to", () => {
    const hit = {
      id: 7,
      article: 3,
      article_external_id: "bbc-12",
      article_title: "Rates",
      start: 0,
      end: 5,
      text: "Rates will fall",
      label: "CLAIM",
      speaker: "Ann Smith",
      version: 2,
    };
    expect(nodeOf(hit)).toEqual({ id: 7, article: "bbc-12", article_id: 3, label: "CLAIM", text: "Rates will fall", speaker: "Ann Smith" });
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
