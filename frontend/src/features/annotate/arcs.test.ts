import { describe, expect, it } from "vitest";

import { arcIntervals, arcLevels, crossMarkers } from "./arcs";
import type { LocalRelation, LocalSpan } from "./model";

const span = (id: number, start: number, end: number): LocalSpan => ({
  id,
  start,
  end,
  text: "x".repeat(end - start),
  label: "CLAIM",
  version: 1,
  suggestion: false,
  score: null,
  recogniser: "",
});
const rel = (id: number, from: number, to: number, extra: Partial<LocalRelation> = {}): LocalRelation => ({
  id,
  from,
  to,
  label: "REBUTS",
  version: 1,
  suggestion: false,
  score: null,
  ...extra,
});

describe("arcLevels", () => {
  it("puts disjoint arcs on the lowest level", () => {
    const levels = arcLevels([
      { id: 1, start: 0, end: 10 },
      { id: 2, start: 10, end: 20 },
      { id: 3, start: 30, end: 40 },
    ]);
    expect([...levels.values()]).toEqual([0, 0, 0]);
  });

  it("lifts an arc above every arc it encloses", () => {
    const levels = arcLevels([
      { id: 1, start: 0, end: 100 },
      { id: 2, start: 10, end: 20 },
      { id: 3, start: 30, end: 60 },
      { id: 4, start: 35, end: 40 },
    ]);
    expect(levels.get(2)).toBe(0);
    expect(levels.get(4)).toBe(0);
    expect(levels.get(3)).toBe(1);
    expect(levels.get(1)).toBe(2);
  });

  it("never gives two overlapping arcs the same level", () => {
    const arcs = Array.from({ length: 200 }, (_, i) => {
      const start = (i * 37) % 500;
      return { id: i, start, end: start + 1 + ((i * 13) % 80) };
    });
    const levels = arcLevels(arcs);
    for (const a of arcs) {
      for (const b of arcs) {
        if (a.id !== b.id && a.start < b.end && b.start < a.end) expect(levels.get(a.id)).not.toBe(levels.get(b.id));
      }
    }
  });
});

describe("arcIntervals", () => {
  it("spans both ends and skips relations leaving the article and suggestions", () => {
    const spans = [span(1, 50, 60), span(2, 5, 9)];
    const got = arcIntervals([rel(10, 1, 2), rel(11, 1, 99, { toArticle: 7 }), rel(12, 2, 1, { suggestion: true })], spans);
    expect(got).toEqual([{ id: 10, start: 5, end: 60 }]);
  });
});

describe("crossMarkers", () => {
  it("marks outgoing relations on their from span and incoming ones on their to span", () => {
    const spans = [span(1, 0, 5), span(2, 10, 15)];
    const relations = [rel(10, 1, 2, { toArticle: 3 }), rel(11, 1, 500, { toArticle: 4 })];
    const incoming = [{ id: 20, article: 8, from: 800, to: 2, label: "SUPPORTS" }];
    expect(crossMarkers(3, relations, incoming, spans)).toEqual([
      { relationId: 11, spanId: 1, label: "REBUTS", direction: "out", otherArticle: 4, otherSpan: 500 },
      { relationId: 20, spanId: 2, label: "SUPPORTS", direction: "in", otherArticle: 8, otherSpan: 800 },
    ]);
  });

  it("leaves out markers on spans not shown (another layer)", () => {
    const incoming = [{ id: 20, article: 8, from: 800, to: 99, label: "SUPPORTS" }];
    expect(crossMarkers(3, [], incoming, [span(1, 0, 5)])).toEqual([]);
  });
});
