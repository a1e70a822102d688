// Pure: how far the annotators' layers of one article agree, span by span, for the
// adjudication page's marks. Two spans are the same when their start, end and label are
// (the server's adjudication uses the same identity: annotations/rules.py span_key).
import type { Relation, Span } from "../../lib/api/client";
import type { ReviewLayer } from "./review";

export type Agreement = "all" | "some" | "one";
type Keyed = Pick<Span, "start" | "end" | "label">;

export function spanKey(span: Keyed): string {
  return `${span.start}:${span.end}:${span.label}`;
}

/** A relation's identity: its label and the identities of its two spans. */
export function relationKey(relation: Pick<Relation, "from" | "to" | "label">, spans: ReadonlyMap<number, Keyed>): string | null {
  const from = spans.get(relation.from);
  const to = spans.get(relation.to);
  return from && to ? `${spanKey(from)}>${relation.label}>${spanKey(to)}` : null;
}

export interface AgreementMap {
  /** How many annotator layers have each span identity. */
  spans: Map<string, number>;
  relations: Map<string, number>;
  layers: number;
}

/** Counts over the annotator layers (gold and suggestions left out). */
export function agreementOf(layers: readonly ReviewLayer[]): AgreementMap {
  const annotators = layers.filter((l) => l.kind === "annotator");
  const spans = new Map<string, number>();
  const relations = new Map<string, number>();
  for (const layer of annotators) {
    const byId = new Map(layer.spans.map((s) => [s.id, s]));
    for (const key of new Set(layer.spans.map(spanKey))) spans.set(key, (spans.get(key) ?? 0) + 1);
    const keys = new Set(layer.relations.map((r) => relationKey(r, byId)).filter((k): k is string => k !== null));
    for (const key of keys) relations.set(key, (relations.get(key) ?? 0) + 1);
  }
  return { spans, relations, layers: annotators.length };
}

export function agreementClass(count: number, layers: number): Agreement {
  if (layers > 1 && count >= layers) return "all";
  return count > 1 ? "some" : "one";
}

export const AGREEMENT_COLOURS: Record<Agreement, string> = {
  all: "#2e7d32", // every layer has it
  some: "#ef8f00", // more than one, not all
  one: "#c62828", // only this layer
};

export const AGREEMENT_TEXT: Record<Agreement, string> = {
  all: "all agree",
  some: "some agree",
  one: "only this layer",
};

/** The share of span identities every annotator layer has (null: no spans at all). */
export function agreementShare(map: AgreementMap): number | null {
  if (map.spans.size === 0) return null;
  let all = 0;
  for (const count of map.spans.values()) if (agreementClass(count, map.layers) === "all") all += 1;
  return all / map.spans.size;
}
