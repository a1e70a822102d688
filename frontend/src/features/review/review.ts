// Pure: an article's annotations split into layers, for the reviewer's side-by-side view.
import type { Article, DocumentLabel, Relation, Span } from "../../lib/api/client";

export interface ReviewLayer {
  /** "annotator:<username>", "gold" or "suggestion". */
  key: string;
  title: string;
  kind: "annotator" | "gold" | "suggestion";
  spans: Span[];
  relations: Relation[];
  documentLabels: DocumentLabel[];
}

export function layerKey(item: { layer: string; annotator: string | null }): string {
  return item.layer === "annotator" ? `annotator:${item.annotator ?? "?"}` : item.layer;
}

/** Annotators' layers by name, then gold, then suggestions; gold is there even when empty.
 * `annotators` adds (empty) layers for people who have marked nothing yet. */
export function reviewLayers(article: Pick<Article, "spans" | "relations" | "document_labels">, annotators: string[] = []): ReviewLayer[] {
  const layers = new Map<string, ReviewLayer>();
  const layerFor = (key: string): ReviewLayer => {
    let layer = layers.get(key);
    if (!layer) {
      const kind = key === "gold" ? "gold" : key === "suggestion" ? "suggestion" : "annotator";
      const title = kind === "gold" ? "Gold" : kind === "suggestion" ? "Suggestions" : key.slice("annotator:".length);
      layer = { key, title, kind, spans: [], relations: [], documentLabels: [] };
      layers.set(key, layer);
    }
    return layer;
  };
  layerFor("gold");
  for (const name of annotators) layerFor(`annotator:${name}`);
  for (const span of article.spans) layerFor(layerKey(span)).spans.push(span);
  for (const relation of article.relations) layerFor(layerKey(relation)).relations.push(relation);
  for (const label of article.document_labels) layerFor(layerKey(label)).documentLabels.push(label);
  const order = (l: ReviewLayer) => (l.kind === "annotator" ? 0 : l.kind === "gold" ? 1 : 2);
  return [...layers.values()].sort((a, b) => order(a) - order(b) || a.title.localeCompare(b.title));
}
