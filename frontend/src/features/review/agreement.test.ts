import { describe, expect, it } from "vitest";

import type { Relation, Span } from "../../lib/api/client";
import { agreementClass, agreementOf, agreementShare, relationKey, spanKey } from "./agreement";
import { reviewLayers } from "./review";

const span = (id: number, annotator: string | null, start: number, end: number, label = "CLAIM"): Span =>
  ({ id, layer: annotator ? "annotator" : "gold", annotator, start, end, label, text: "", label_id: 1 }) as unknown as Span;
const rel = (id: number, annotator: string, from: number, to: number, label = "REBUTS"): Relation =>
  ({ id, layer: "annotator", annotator, from, to, label }) as unknown as Relation;

describe("agreementOf", () => {
  const layers = reviewLayers({
    spans: [
      span(1, "al", 0, 5),
      span(2, "bo", 0, 5),
      span(3, "cy", 0, 5),
      span(4, "al", 10, 15),
      span(5, "bo", 10, 15),
      span(6, "cy", 10, 16), // a boundary differs
      span(7, "cy", 20, 25, "FIGURE"),
      span(8, null, 0, 5), // gold does not count
    ],
    relations: [rel(20, "al", 4, 1), rel(21, "bo", 5, 2), rel(22, "cy", 6, 3)],
    document_labels: [],
  });
  const map = agreementOf(layers);

  it("counts the annotator layers having each span and relation", () => {
    expect(map.layers).toBe(3);
    expect(map.spans.get("0:5:CLAIM")).toBe(3);
    expect(map.spans.get("10:15:CLAIM")).toBe(2);
    expect(map.spans.get("10:16:CLAIM")).toBe(1);
    expect(map.spans.get("20:25:FIGURE")).toBe(1);
    // cy's relation starts from a span with other offsets: another relation.
    expect(map.relations.get("10:15:CLAIM>REBUTS>0:5:CLAIM")).toBe(2);
    expect(map.relations.size).toBe(2);
  });

  it("classes and shares", () => {
    expect(agreementClass(3, 3)).toBe("all");
    expect(agreementClass(2, 3)).toBe("some");
    expect(agreementClass(1, 3)).toBe("one");
    expect(agreementClass(1, 1)).toBe("one");
    expect(agreementShare(map)).toBeCloseTo(1 / 4);
    expect(agreementShare(agreementOf([]))).toBeNull();
  });

  it("keys", () => {
    const spans = new Map([[1, span(1, "al", 0, 5)]]);
    expect(spanKey(span(1, "al", 0, 5))).toBe("0:5:CLAIM");
    expect(relationKey(rel(2, "al", 1, 99), spans)).toBeNull();
  });
});
