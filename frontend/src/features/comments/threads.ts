// Pure: an article's comments (the API's flat list, by id) as threads: a first comment and
// its replies. What a thread is about: the article, a span or a relation.
import type { Comment } from "../../lib/api/workflow";

export interface Thread {
  root: Comment;
  replies: Comment[];
}

export function threadsOf(comments: readonly Comment[]): Thread[] {
  const threads = new Map<number, Thread>();
  const rootOf = new Map<number, number>();
  for (const c of comments) {
    if (c.parent === null) {
      threads.set(c.id, { root: c, replies: [] });
      rootOf.set(c.id, c.id);
    }
  }
  for (const c of comments) {
    if (c.parent === null) continue;
    const root = rootOf.get(c.parent) ?? c.parent;
    rootOf.set(c.id, root);
    threads.get(root)?.replies.push(c);
  }
  return [...threads.values()];
}

export type About = { kind: "all" } | { kind: "article" } | { kind: "span"; id: number } | { kind: "relation"; id: number };

export function isAbout(thread: Thread, about: About): boolean {
  const { span, relation } = thread.root;
  if (about.kind === "all") return true;
  if (about.kind === "span") return span === about.id;
  if (about.kind === "relation") return relation === about.id;
  return span === null && relation === null;
}

/** The spans with a thread not resolved yet: the texts mark them. */
export function unresolvedSpans(threads: readonly Thread[]): Set<number> {
  return new Set(threads.filter((t) => !t.root.resolved && t.root.span !== null).map((t) => t.root.span!));
}
