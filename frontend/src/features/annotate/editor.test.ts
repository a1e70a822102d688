import { beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError, type Article, type Relation, type Span } from "../../lib/api/client";
import { LayerEditor } from "./editor";

const api = vi.hoisted(() => ({
  get: vi.fn(),
  createSpan: vi.fn(),
  deleteSpan: vi.fn(),
  createRelation: vi.fn(),
  deleteRelation: vi.fn(),
  accept: vi.fn(),
  reject: vi.fn(),
  reopen: vi.fn(),
}));

vi.mock("../../lib/api/client", async (original) => ({
  ...(await original<typeof import("../../lib/api/client")>()),
  articles: { get: api.get },
  annotations: {
    createSpan: api.createSpan,
    deleteSpan: api.deleteSpan,
    createRelation: api.createRelation,
    deleteRelation: api.deleteRelation,
  },
  suggestions: { accept: api.accept, reject: api.reject, reopen: api.reopen },
}));

const TEXT = "a👍 claim and a rebuttal";

function span(id: number, start: number, end: number, more: Partial<Span> = {}): Span {
  return {
    id, article: 1, start, end, text: [...TEXT].slice(start, end).join(""), label: "CLAIM", label_id: 1,
    layer: "annotator", annotator: "ann", provenance: { origin: "manual" }, suggestion_status: "",
    attributes: {}, version: 1, created_at: "", updated_at: "", ...more,
  };
}

function article(spans: Span[], relations: Relation[] = []): Article {
  return {
    id: 1, project: 1, external_id: "a1", title: "", source_url: "", published_at: null, meta: {}, text: TEXT,
    text_sha256: "", offsets: "codepoint", state: { status: "in_progress", version: 3 } as Article["state"],
    spans, relations, incoming_relations: [], document_labels: [],
  } as Article;
}

let notices: string[];
let editor: LayerEditor;

beforeEach(async () => {
  vi.clearAllMocks();
  notices = [];
  editor = new LayerEditor(() => {}, (n) => notices.push(n));
  api.get.mockResolvedValue(
    article([
      span(10, 3, 8),
      span(11, 0, 1, { annotator: "someone else" }),
      span(12, 15, 23, { layer: "suggestion", annotator: null, suggestion_status: "pending", label: "REBUTTAL" }),
      span(13, 9, 10, { layer: "suggestion", annotator: null, suggestion_status: "rejected" }),
    ]),
  );
  await editor.open(1, "ann");
});

describe("LayerEditor", () => {
  it("shows the caller's own layer and the pending suggestions only", () => {
    expect(editor.getLayer().spans.map((s) => [s.id, s.suggestion])).toEqual([
      [10, false],
      [12, true],
    ]);
    expect(editor.getArticle()?.id).toBe(1);
  });

  it("draws a new span at once in code points, saves it, and undoes it with the server's id", async () => {
    api.createSpan.mockResolvedValue(span(20, 1, 2, { version: 1 }));
    const id = editor.createSpan(1, 2, "FIGURE");
    expect(id).toBeLessThan(0);
    expect(editor.getLayer().spans.find((s) => s.id === id)?.text).toBe("👍");
    await editor.queue.settled();
    expect(api.createSpan).toHaveBeenCalledWith(1, { start: 1, end: 2, label: "FIGURE", layer: "annotator" });
    editor.history.undo();
    expect(editor.getLayer().spans.some((s) => s.id === id)).toBe(false);
    await editor.queue.settled();
    expect(api.deleteSpan).toHaveBeenCalledWith(20, 1);
  });

  it("deletes a span with its relations, and an undo makes both again", async () => {
    api.createSpan.mockResolvedValue(span(30, 3, 8));
    api.createRelation.mockResolvedValue({ id: 31, version: 1 });
    const other = editor.createSpan(15, 23, "REBUTTAL");
    editor.createRelation(other, 10, "rebuts");
    await editor.queue.settled();
    editor.deleteSpan(10);
    expect(editor.getLayer().relations).toEqual([]);
    editor.history.undo();
    const layer = editor.getLayer();
    const remade = layer.spans.find((s) => s.start === 3 && s.end === 8 && !s.suggestion)!;
    expect(remade.id).toBeLessThan(0);
    expect(layer.relations.map((r) => [r.from, r.to, r.label])).toEqual([[other, remade.id, "rebuts"]]);
    await editor.queue.settled(); // (its saves would otherwise run into the next test's mocks)
  });

  it("says why a refused change was not saved, and reloads the article", async () => {
    api.deleteSpan.mockRejectedValue(new ApiError(412, { detail: "Stale version." }));
    editor.deleteSpan(10);
    await editor.queue.settled();
    await vi.waitFor(() => expect(api.get).toHaveBeenCalledTimes(2));
    expect(notices[0]).toContain("Your change (delete CLAIM span) was not saved: someone changed this article");
    expect(notices[0]).toContain("Stale version.");
    await vi.waitFor(() => expect(editor.getLayer().spans.some((s) => s.id === 10)).toBe(true));
  });

  it("opened on gold, shows and writes the gold layer", async () => {
    api.get.mockResolvedValue(article([span(10, 3, 8), span(40, 0, 1, { layer: "gold", annotator: null })]));
    await editor.open(1, "ann", true);
    expect(editor.getLayer().spans.map((s) => s.id)).toEqual([40]);
    api.createSpan.mockResolvedValue(span(41, 9, 14, { layer: "gold", annotator: null }));
    editor.createSpan(9, 14, "CLAIM");
    await editor.queue.settled();
    expect(api.createSpan).toHaveBeenCalledWith(1, { start: 9, end: 14, label: "CLAIM", layer: "gold" });
  });

  it("undoes an accept by reopening the suggestion, and redoes it by accepting again", async () => {
    api.accept.mockResolvedValue(span(50, 15, 23, { label: "REBUTTAL" }));
    api.reopen.mockResolvedValue({});
    editor.decideSuggestion(12, true);
    await editor.queue.settled();
    expect(api.accept).toHaveBeenCalledWith(12, "annotator");
    expect(editor.getLayer().spans.map((s) => [s.id, s.suggestion])).toEqual([[10, false], [50, false]]);
    editor.history.undo();
    await editor.queue.settled();
    expect(api.reopen).toHaveBeenCalledWith(12);
    expect(editor.getLayer().spans.map((s) => [s.id, s.suggestion]).sort()).toEqual([[10, false], [12, true]]);
    editor.history.redo();
    await editor.queue.settled();
    expect(api.accept).toHaveBeenCalledTimes(2);
    expect(editor.getLayer().spans.some((s) => s.id === 12)).toBe(false);
  });

  it("undoes a reject", async () => {
    api.reject.mockResolvedValue({});
    api.reopen.mockResolvedValue({});
    editor.decideSuggestion(12, false);
    editor.history.undo();
    await editor.queue.settled();
    expect(api.reject).toHaveBeenCalledWith(12);
    expect(api.reopen).toHaveBeenCalledWith(12);
    expect(editor.getLayer().spans.some((s) => s.id === 12 && s.suggestion)).toBe(true);
  });
});
