// The workspace's local copy of one article's annotations: what is drawn, kept in step with
// the server. Ids of things not saved yet are negative; once saved they get the server's id
// (``Ids.real``), and everything that still names the temporary id (undo, selection) asks here.

import type { Label, Relation, Span } from "../../api/client";

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
}

export interface LocalRelation {
  id: number;
  from: number;
  to: number;
  label: string;
  version: number;
  suggestion: boolean;
  score: number | null;
}

export class Ids {
  private next = -1;
  private readonly saved = new Map<number, number>();

  temporary(): number {
    return this.next--;
  }

  /** ``id`` is now known as ``next``: a temporary id saved, or a deleted span made again by
   * an undo (whatever still names the old one, such as an earlier undo step, reaches the new). */
  resolve(id: number, next: number): void {
    if (id !== next) this.saved.set(id, next);
  }

  /** What ``id`` is called now: the server's id once saved; a temporary one not saved yet stays. */
  real(id: number): number {
    let current = id;
    for (let hops = 0; this.saved.has(current) && hops < 1000; hops++) current = this.saved.get(current)!;
    return current;
  }
}

export function fromSpan(span: Span): LocalSpan {
  const provenance = span.provenance as { score?: number | null; recogniser?: string };
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
  };
}

/** The layers the workspace shows: the caller's own and the pending suggestions. */
export function isShown(item: { layer: string; annotator?: string | null; suggestion_status: string }, me: string) {
  if (item.layer === "suggestion") return item.suggestion_status === "pending";
  return item.layer === "annotator" && item.annotator === me;
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
