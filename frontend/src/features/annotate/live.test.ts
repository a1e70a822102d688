import { describe, expect, it } from "vitest";

import { changesComments, changesLayers, changesShown, type Shown } from "./live";

const mine: Shown = { articleId: 7, gold: false, userId: 3, username: "ann" };
const gold: Shown = { articleId: 7, gold: true, userId: 9, username: "rev" };

describe("which pushed events change the annotate page", () => {
  it("keeps its article's changes to its own layer, by someone else (another tab's echo aside)", () => {
    const span = { type: "span.created", article: 7, layer: "annotator", annotator: 3, actor: "admin" };
    expect(changesShown(span, mine)).toBe(true);
    expect(changesShown({ ...span, actor: "ann" }, mine)).toBe(false); // its own write, drawn already
    expect(changesShown({ ...span, article: 8 }, mine)).toBe(false);
    expect(changesShown({ ...span, annotator: 4 }, mine)).toBe(false);
    expect(changesShown(span, gold)).toBe(false);
    expect(changesShown({ ...span, layer: "gold", annotator: null, actor: "rev2" }, gold)).toBe(true);
  });

  it("reads suggestions a job adds, and gold that adjudication adds, on the pages that show them", () => {
    expect(changesShown({ type: "suggestions.changed", articles: [5, 7] }, mine)).toBe(true);
    expect(changesShown({ type: "suggestions.changed", articles: [5] }, mine)).toBe(false);
    expect(changesShown({ type: "gold.changed", articles: [7] }, gold)).toBe(true);
    expect(changesShown({ type: "gold.changed", articles: [7] }, mine)).toBe(false);
    expect(changesShown({ type: "suggestion.updated", article: 7, layer: "suggestion", actor: "ann2" }, mine)).toBe(true);
  });

  it("reads everything again after a reconnect, and ignores what is not about annotations", () => {
    expect(changesShown({ type: "reconnected" }, mine)).toBe(true);
    expect(changesShown({ type: "presence", article: 7, user: "x", state: "open" }, mine)).toBe(false);
    expect(changesShown({ type: "job.progress", id: 1 }, mine)).toBe(false);
    expect(changesShown({ type: "state.changed", article: 7, annotator: 3, actor: "admin" }, mine)).toBe(true);
  });

  it("reloads comments for its article only", () => {
    expect(changesComments({ type: "comment.created", article: 7 }, 7)).toBe(true);
    expect(changesComments({ type: "comment.created", article: 8 }, 7)).toBe(false);
    expect(changesComments({ type: "span.created", article: 7 }, 7)).toBe(false);
  });
});

describe("which pushed events change the adjudication page", () => {
  it("follows every annotator's layer and state of its article", () => {
    const span = { type: "span.created", article: 7, layer: "annotator", annotator: 3, actor: "ann" };
    expect(changesLayers(span, 7, "rev")).toBe(true);
    expect(changesLayers({ ...span, layer: "gold", actor: "rev2" }, 7, "rev")).toBe(false); // the gold workspace's
    expect(changesLayers({ ...span, article: 8 }, 7, "rev")).toBe(false);
    expect(changesLayers({ type: "state.changed", article: 7, actor: "ann" }, 7, "rev")).toBe(true);
  });
});
