// The workspace's local copy of one article's annotations: what is drawn, kept in step with
// the server. What the page makes gets a negative local id and keeps it; the server's id is
// looked up (``Ids.real``) only when a request is sent.

import type { Label, Relation, Span } from "../../lib/api/client";

export interface LocalSpan {
  id: number;
  start: number; // code points, as the API has them
  end: number;
  text: string;
  label: string;
  version: number;
  suggestion: boolean;
  score: number | null;
  recogniser: string;
  /** ``attributes.speaker``: who makes the claim or rebuttal ("" if unknown). */
  speaker?: string;
}

export interface LocalRelation {
  id: number;
  from: number;
  to: number;
  label: string;
  version: number;
  suggestion: boolean;
  score: number | null;
  /** The article of the ``to`` span, when known (another article: a relation across articles). */
  toArticle?: number;
}

export class Ids {
  private next = -1;
  private readonly remade = new Map<number, number>(); // local id -> the local id it was made again as
  private readonly saved = new Map<number, number>(); // local id -> the server's id

  temporary(): number {
    return this.next--;
  }

  /** A deleted span (or relation) was made again, by an undo, as ``next``: whatever still
   * names the old one (an earlier undo step) reaches the new one. */
  remadeAs(old: number, next: number): void {
    if (old !== next) this.remade.set(old, next);
  }

  /** The server gave the thing drawn as ``local`` its id. The page keeps drawing it under the
   * local id (so nothing re-renders when a save comes back); requests ask ``real``. */
  saveAs(local: number, server: number): void {
    this.saved.set(local, server);
  }

  /** The local id ``id`` stands for now (following re-makes). */
  current(id: number): number {
    let at = id;
    for (let hops = 0; this.remade.has(at) && hops < 1000; hops++) at = this.remade.get(at)!;
    return at;
  }

  /** The server's id for ``id``; one not saved yet stays as it is (its request is queued behind
   * the one that saves it, and asks again when it runs). */
  real(id: number): number {
    const local = this.current(id);
    return this.saved.get(local) ?? local;
  }
}

export function fromSpan(span: Span): LocalSpan {
  const provenance = span.provenance as { score?: number | null; recogniser?: string };
  const attributes = (span.attributes ?? {}) as { speaker?: unknown };
  return {
    id: span.id,
    start: span.start,
    end: span.end,
    text: span.text,
    label: span.label,
    version: span.version,
    suggestion: span.layer === "suggestion",
    score: provenance.score ?? null,
    recogniser: provenance.recogniser ?? "",
    speaker: typeof attributes.speaker === "string" ? attributes.speaker : "",
  };
}

export function fromRelation(relation: Relation): LocalRelation {
  const provenance = relation.provenance as { score?: number | null };
  return {
    id: relation.id,
    from: relation.from,
    to: relation.to,
    label: relation.label,
    version: relation.version,
    suggestion: relation.layer === "suggestion",
    score: provenance.score ?? null,
    toArticle: relation.to_article,
  };
}

/** Which layer a workspace edits: the caller's own, or (reviewers, admins) the gold layer. */
export type Target = { layer: "annotator"; username: string } | { layer: "gold" };

/** The layers the workspace shows: the one it edits and the pending suggestions. */
export function isShown(item: { layer: string; annotator?: string | null; suggestion_status: string }, target: Target) {
  if (item.layer === "suggestion") return item.suggestion_status === "pending";
  if (target.layer === "gold") return item.layer === "gold";
  return item.layer === "annotator" && item.annotator === target.username;
}

/** Relation labels the schema allows from a span of ``spanLabel``, and the span labels each may point to. */
export function relationsFrom(labels: readonly Label[], spanLabel: string): Label[] {
  return labels.filter(
    (l) => l.kind === "relation" && (l.allowed_sources.length === 0 || l.allowed_sources.includes(spanLabel)),
  );
}

export function allowsTarget(relation: Label, spanLabel: string): boolean {
  return relation.allowed_targets.length === 0 || relation.allowed_targets.includes(spanLabel);
}
