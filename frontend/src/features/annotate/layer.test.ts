import { describe, expect, it } from "vitest";

import { EMPTY_LAYER, layerReducer, type Layer } from "./layer";
import type { LocalRelation, LocalSpan } from "./model";

const span = (id: number, suggestion = false): LocalSpan => ({
  id, start: id, end: id + 1, text: "x", label: "CLAIM", version: 1, suggestion, score: null, recogniser: "",
});
const relation = (id: number, from: number, to: number, suggestion = false): LocalRelation => ({
  id, from, to, label: "rebuts", version: 1, suggestion, score: null,
});

describe("layerReducer", () => {
  const start: Layer = {
    spans: [span(1), span(2), span(3, true)],
    relations: [relation(10, 1, 2), relation(11, 3, 1, true), relation(12, 2, 3)],
    documentLabels: [],
  };

  it("removes a span with every relation from or to it", () => {
    const next = layerReducer(start, { type: "spanRemoved", id: 1 });
    expect(next.spans.map((s) => s.id)).toEqual([2, 3]);
    expect(next.relations.map((r) => r.id)).toEqual([12]);
  });

  it("a decided suggestion takes only the suggested relations with it", () => {
    const next = layerReducer(start, { type: "suggestionDecided", id: 3 });
    expect(next.spans.map((s) => s.id)).toEqual([1, 2]);
    expect(next.relations.map((r) => r.id)).toEqual([10, 12]);
  });

  it("adds an accepted suggestion's span once", () => {
    const once = layerReducer(EMPTY_LAYER, { type: "acceptedSpanArrived", span: span(5) });
    expect(layerReducer(once, { type: "acceptedSpanArrived", span: span(5) })).toBe(once);
  });

  it("relabels one span and leaves the rest as they were", () => {
    const next = layerReducer(start, { type: "spanRelabelled", id: 2, label: "FIGURE" });
    expect(next.spans.map((s) => s.label)).toEqual(["CLAIM", "FIGURE", "CLAIM"]);
    expect(next.spans[0]).toBe(start.spans[0]);
  });

  it("adds and removes document labels", () => {
    const added = layerReducer(EMPTY_LAYER, { type: "documentLabelAdded", label: { id: -1, label: "OPINION", version: 1 } });
    expect(added.documentLabels).toHaveLength(1);
    expect(layerReducer(added, { type: "documentLabelRemoved", id: -1 }).documentLabels).toEqual([]);
  });
});
