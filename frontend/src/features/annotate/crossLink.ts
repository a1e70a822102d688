// "Link to another article": the spans the server's search finds (GET .../spans/: the shown
// layer, by text, label and speaker, a page at a time) and the relations that may join them.
// Pure: LinkAcrossDialog.tsx fetches and shows.

import type { Label } from "../../lib/api/client";
import type { SpanHit } from "../../lib/api/graph";

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
  speaker: string; // part of the speaker's spelling or name, any case; "" for any
}

/** A span the server's search found, as the dialog and the link it makes read it. */
export function nodeOf(hit: SpanHit): SpanNode {
  return { id: hit.id, article: hit.article_external_id, article_id: hit.article, label: hit.label, text: hit.text, speaker: hit.speaker };
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
