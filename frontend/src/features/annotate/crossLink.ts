// "Link to another article": the project's spans of the shown layer (the graph endpoint's
// nodes) searched by text, label and speaker. Pure: LinkAcrossDialog.tsx fetches and shows.

import type { Label } from "../../lib/api/client";

export interface SpanNode {
  id: number;
  article: string; // external id
  article_id: number;
  label: string;
  text: string;
  speaker: string | null;
}

export interface SpanQuery {
  q: string; // words of the span's text, any case
  label: string; // "" for any
  speaker: string; // part of the speaker's name, any case; "" for any
}

/** The graph answer's nodes, checked for the fields the search reads. */
export function nodesOf(graph: unknown): SpanNode[] {
  const nodes = (graph as { nodes?: unknown }).nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.filter(
    (n): n is SpanNode =>
      typeof n === "object" && n !== null && typeof (n as SpanNode).id === "number" && typeof (n as SpanNode).text === "string",
  );
}

/** Spans of other articles than ``articleId`` matching ``query``, at most ``limit``: every word
 * of ``q`` in the text, the label exactly, the speaker containing ``speaker``. */
export function searchSpans(nodes: readonly SpanNode[], articleId: number, query: SpanQuery, limit = 50): SpanNode[] {
  const words = query.q.toLowerCase().split(/\s+/).filter(Boolean);
  const speaker = query.speaker.trim().toLowerCase();
  const out: SpanNode[] = [];
  for (const node of nodes) {
    if (node.article_id === articleId) continue;
    if (query.label && node.label !== query.label) continue;
    if (speaker && !(node.speaker ?? "").toLowerCase().includes(speaker)) continue;
    const text = node.text.toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    out.push(node);
    if (out.length >= limit) break;
  }
  return out;
}

/** The relation labels that may join ``from`` (a span label) to ``to`` across articles. */
export function crossRelations(labels: readonly Label[], from: string, to: string): Label[] {
  return labels.filter(
    (l) =>
      l.kind === "relation" &&
      l.cross_article &&
      (l.allowed_sources.length === 0 || l.allowed_sources.includes(from)) &&
      (l.allowed_targets.length === 0 || l.allowed_targets.includes(to)),
  );
}
