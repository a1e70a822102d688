import { describe, expect, it } from "vitest";

import { apiQuery, filtersFromParams, spanLink, toElements, withFilter, type GraphData } from "./graph";

const data: GraphData = {
  nodes: [
    { id: 1, article: "a1", article_id: 10, label: "CLAIM", text: "Taxes rose", start: 0, end: 10, speaker: "Ann", cluster: 1 },
    { id: 2, article: "a2", article_id: 11, label: "CLAIM", text: "Taxes went up", start: 0, end: 13, speaker: "Bob", cluster: 1 },
    { id: 3, article: "a2", article_id: 11, label: "REBUTTAL", text: "They fell", start: 20, end: 29, speaker: "Ann" },
  ],
  links: [
    { source: 1, target: 2, key: 7, id: 7, label: "SAME_CLAIM", cross_article: true },
    { source: 3, target: 1, key: 8, id: 8, label: "REBUTS", cross_article: true },
  ],
  clusters: [[1, 2]],
};

describe("toElements", () => {
  it("makes speakers nodes, clusters compound nodes and relations edges", () => {
    const { elements, summary, spanLabels } = toElements(data);
    const ids = elements.map((e) => e.data.id);
    expect(ids).toContain("p:Ann");
    expect(ids).toContain("p:Bob");
    expect(ids).toContain("c1");
    expect(elements.find((e) => e.data.id === "s1")?.data.parent).toBe("c1");
    expect(elements.find((e) => e.data.id === "s3")?.data.parent).toBeUndefined();
    expect(elements.filter((e) => e.classes === "said")).toHaveLength(3);
    const rebuts = elements.find((e) => e.data.id === "r8");
    expect(rebuts?.data).toMatchObject({ source: "s3", target: "s1", label: "REBUTS", cross: true });
    expect(summary).toEqual({ spans: 3, speakers: 2, relations: 2, crossArticle: 2, clusters: 1, byLabel: { SAME_CLAIM: 1, REBUTS: 1 } });
    expect(spanLabels).toEqual(["CLAIM", "REBUTTAL"]);
  });

  it("positions every node when asked, and none otherwise", () => {
    const placed = toElements(data, true).elements.filter((e) => e.group === "nodes");
    expect(placed.filter((e) => !e.position)).toEqual([]);
    // A large graph's clusters are rings, not compound nodes.
    expect(placed.map((e) => e.data.id)).not.toContain("c1");
    expect(placed.find((e) => e.data.id === "s1")).toMatchObject({ classes: "span clustered" });
    expect(placed.find((e) => e.data.id === "s1")?.data.parent).toBeUndefined();
    expect(toElements(data).elements.some((e) => e.position)).toBe(false);
  });

  it("reads node-link JSON's `edges` key as well as `links`", () => {
    const { summary } = toElements({ nodes: data.nodes, edges: data.links });
    expect(summary.relations).toBe(2);
  });
});

describe("filters", () => {
  it("round-trips through the URL and drops empty ones from the query", () => {
    const params = withFilter(withFilter(new URLSearchParams(), "speaker", " Ann "), "layer", "gold");
    expect(filtersFromParams(params)).toEqual({ layer: "gold", labels: "", speaker: "Ann" });
    expect(apiQuery(filtersFromParams(withFilter(params, "layer", "")))).toEqual({ speaker: "Ann" });
  });

  it("links a span to its article", () => {
    expect(spanLink(3, 11, 2)).toBe("/projects/3/articles/11?span=2");
  });
});
