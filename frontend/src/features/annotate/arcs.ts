// Relations drawn as arcs above the text, and the markers of relations across articles. Pure:
// ArcsOverlay.tsx measures the spans' boxes and draws what these functions decide.

import type { Relation } from "../../lib/api/client";
import type { LocalRelation, LocalSpan } from "./model";

export interface ArcInterval {
  id: number;
  start: number; // code points: the leftmost of the two spans' starts
  end: number; // the rightmost of the two spans' ends
}

/** A level (0 = lowest) for each arc, so that arcs over the same text stay apart: shorter arcs
 * sit lower, an arc goes above every arc it encloses, and overlapping arcs never share a level.
 * Disjoint arcs share level 0, so the height stays that of the deepest nesting, not the count. */
export function arcLevels(arcs: readonly ArcInterval[]): Map<number, number> {
  const order = [...arcs].sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start || a.id - b.id);
  const placed: (ArcInterval & { level: number })[] = [];
  const levels = new Map<number, number>();
  for (const arc of order) {
    const taken = new Set<number>();
    let floor = 0;
    for (const other of placed) {
      if (other.end <= arc.start || other.start >= arc.end) continue; // disjoint
      taken.add(other.level);
      if (other.start >= arc.start && other.end <= arc.end) floor = Math.max(floor, other.level + 1);
    }
    let level = floor;
    while (taken.has(level)) level++;
    placed.push({ ...arc, level });
    levels.set(arc.id, level);
  }
  return levels;
}

/** The arcs of a layer whose two spans are both in this article, each with its text interval. */
export function arcIntervals(relations: readonly LocalRelation[], spans: readonly LocalSpan[]): ArcInterval[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const out: ArcInterval[] = [];
  for (const r of relations) {
    const from = byId.get(r.from);
    const to = byId.get(r.to);
    if (!from || !to || r.suggestion) continue;
    out.push({ id: r.id, start: Math.min(from.start, to.start), end: Math.max(from.end, to.end) });
  }
  return out;
}

export interface CrossMarker {
  relationId: number;
  spanId: number; // the span of this article the marker sits on
  label: string;
  direction: "out" | "in"; // out: this span points to the other article's; in: the other points here
  otherArticle: number;
  otherSpan: number;
}

/** The markers of an article's relations across articles: outgoing ones (``to`` in another
 * article) on their ``from`` span, incoming ones on their ``to`` span; only on spans shown. */
export function crossMarkers(
  articleId: number,
  relations: readonly LocalRelation[],
  incoming: readonly Pick<Relation, "id" | "article" | "from" | "to" | "label">[],
  spans: readonly LocalSpan[],
): CrossMarker[] {
  const shown = new Set(spans.map((s) => s.id));
  const out: CrossMarker[] = [];
  for (const r of relations) {
    if (r.toArticle === undefined || r.toArticle === articleId || !shown.has(r.from)) continue;
    out.push({ relationId: r.id, spanId: r.from, label: r.label, direction: "out", otherArticle: r.toArticle, otherSpan: r.to });
  }
  for (const r of incoming) {
    if (r.article === articleId || !shown.has(r.to)) continue;
    out.push({ relationId: r.id, spanId: r.to, label: r.label, direction: "in", otherArticle: r.article, otherSpan: r.from });
  }
  return out;
}
