import { describe, expect, it } from "vitest";

import type { Relation, Span } from "../../lib/api/client";
import { reviewLayers } from "./review";

const span = (id: number, layer: string, annotator: string | null): Span =>
  ({ id, layer, annotator, start: 0, end: 1, text: "x", label: "CLAIM", label_id: 1 }) as unknown as Span;

describe("reviewLayers", () => {
  it("puts annotators first by name, then gold (even empty), then suggestions", () => {
    const layers = reviewLayers(
      {
        spans: [span(1, "suggestion", null), span(2, "annotator", "zoe"), span(3, "annotator", "al"), span(4, "annotator", "zoe")],
        relations: [{ id: 9, layer: "annotator", annotator: "zoe", from: 2, to: 4 } as unknown as Relation],
        document_labels: [],
      },
      ["bo"],
    );
    expect(layers.map((l) => l.key)).toEqual(["annotator:al", "annotator:bo", "annotator:zoe", "gold", "suggestion"]);
    const zoe = layers.find((l) => l.title === "zoe")!;
    expect(zoe.spans.map((s) => s.id)).toEqual([2, 4]);
    expect(zoe.relations.map((r) => r.id)).toEqual([9]);
    expect(layers.find((l) => l.key === "gold")!.spans).toEqual([]);
  });
});
