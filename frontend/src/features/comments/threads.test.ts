import { describe, expect, it } from "vitest";

import type { Comment } from "../../lib/api/workflow";
import { isAbout, threadsOf, unresolvedSpans } from "./threads";

function comment(id: number, changes: Partial<Comment> = {}): Comment {
  return {
    id,
    article: 1,
    span: null,
    relation: null,
    parent: null,
    author: "ann",
    body: `comment ${id}`,
    resolved: false,
    layer: "",
    layer_annotator: null,
    created_at: "",
    updated_at: "",
    version: 1,
    ...changes,
  };
}

describe("threadsOf", () => {
  it("groups replies (and replies to replies) under their first comment, in order", () => {
    const threads = threadsOf([comment(1), comment(2, { span: 7 }), comment(3, { parent: 1 }), comment(4, { parent: 3 })]);
    expect(threads.map((t) => [t.root.id, t.replies.map((r) => r.id)])).toEqual([
      [1, [3, 4]],
      [2, []],
    ]);
  });

  it("drops a reply whose thread it cannot see", () => {
    expect(threadsOf([comment(5, { parent: 99 })])).toEqual([]);
  });
});

describe("isAbout and unresolvedSpans", () => {
  const threads = threadsOf([comment(1), comment(2, { span: 7 }), comment(3, { span: 8, resolved: true }), comment(4, { relation: 9 })]);

  it("tells article threads from span and relation threads", () => {
    expect(threads.filter((t) => isAbout(t, { kind: "article" })).map((t) => t.root.id)).toEqual([1]);
    expect(threads.filter((t) => isAbout(t, { kind: "span", id: 7 })).map((t) => t.root.id)).toEqual([2]);
    expect(threads.filter((t) => isAbout(t, { kind: "relation", id: 9 })).map((t) => t.root.id)).toEqual([4]);
    expect(threads.filter((t) => isAbout(t, { kind: "all" })).length).toBe(4);
  });

  it("marks only spans with an open thread", () => {
    expect([...unresolvedSpans(threads)]).toEqual([7]);
  });
});
