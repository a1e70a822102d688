// Pure transforms for the Graph page: the API's node-link JSON (docs/api.md "The argument
// graph") into Cytoscape element definitions, the page's filters to and from the URL, and
// a cheap preset layout for graphs too large for a force-directed one. No React, no DOM.

import type { GraphData, GraphNode } from "../../lib/api/graph";

export type { GraphData, GraphEdge, GraphNode } from "../../lib/api/graph";

export interface GraphFilters {
  layer: string;
  labels: string;
  speaker: string;
}

/** The filters the URL carries (empty: the API's default). */
export function filtersFromParams(params: URLSearchParams): GraphFilters {
  return {
    layer: params.get("layer") ?? "",
    labels: params.get("labels") ?? "",
    speaker: params.get("speaker") ?? "",
  };
}

/** `params` with one filter set (or removed when empty). */
export function withFilter(params: URLSearchParams, key: keyof GraphFilters, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value.trim()) next.set(key, value.trim());
  else next.delete(key);
  return next;
}

/** The API's query: only the filters that are set. */
export function apiQuery(filters: GraphFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
  return query;
}

export interface ElementDef {
  group: "nodes" | "edges";
  data: Record<string, string | number | boolean | null>;
  position?: { x: number; y: number };
  classes?: string;
}

export interface GraphSummary {
  spans: number;
  speakers: number;
  relations: number;
  crossArticle: number;
  clusters: number;
  byLabel: Record<string, number>;
}

export const spanId = (id: number) => `s${id}`;
export const speakerId = (name: string) => `p:${name}`;
export const clusterId = (id: number) => `c${id}`;

/** Relation labels drawn with their own style; others get the default edge style. */
export const EDGE_STYLES: Record<string, { color: string; dashed: boolean }> = {
  REBUTS: { color: "#c0392b", dashed: false },
  SUPPORTS: { color: "#27ae60", dashed: false },
  SAME_CLAIM: { color: "#7f8c8d", dashed: true },
  said: { color: "#95a5a6", dashed: true },
};

const PALETTE = ["#2e86de", "#e67e22", "#8e44ad", "#16a085", "#d35400", "#2c3e50", "#c0392b", "#27ae60"];

/** A stable colour per span label (the legend shows the same). */
export function labelColour(label: string, labels: readonly string[]): string {
  const i = labels.indexOf(label);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length] ?? "#2e86de";
}

const GAP = 60;

/**
 * Cytoscape elements: one node per span (inside its SAME_CLAIM cluster's compound node when it
 * has one), one node per speaker with a "said" edge to each of their spans, and one edge per
 * relation. With `positioned` (large graphs), each cluster, lone span and speaker gets a grid
 * position, so thousands of nodes are drawn without a force layout, and clusters are rings
 * (class `clustered`) rather than compound nodes.
 */
export function toElements(data: GraphData, positioned = false): { elements: ElementDef[]; summary: GraphSummary; spanLabels: string[] } {
  const edges = data.links ?? data.edges ?? [];
  const spanLabels = [...new Set(data.nodes.map((n) => n.label))].sort();
  const members = new Map<number, GraphNode[]>();
  const lone: GraphNode[] = [];
  for (const node of data.nodes) {
    if (node.cluster != null) {
      const list = members.get(node.cluster) ?? [];
      list.push(node);
      members.set(node.cluster, list);
    } else lone.push(node);
  }
  const side = Math.max(1, Math.ceil(Math.sqrt(members.size + lone.length)));
  let slot = 0;
  const place = () => {
    const at = { x: (slot % side) * GAP * 2, y: Math.floor(slot / side) * GAP * 2 };
    slot += 1;
    return at;
  };
  const elements: ElementDef[] = [];
  const spanNode = (n: GraphNode, at?: { x: number; y: number }, parent?: string): ElementDef => ({
    group: "nodes",
    data: {
      id: spanId(n.id),
      span: n.id,
      label: n.label,
      text: n.text,
      article: n.article,
      article_id: n.article_id,
      speaker: n.speaker,
      colour: labelColour(n.label, spanLabels),
      ...(parent ? { parent } : {}),
    },
    classes: "span",
    ...(positioned && at ? { position: at } : {}),
  });
  for (const [cluster, nodes] of members) {
    // Compound nodes are costly to draw by the thousand: a large (positioned) graph shows a
    // cluster as its members drawn together with a ring instead.
    if (!positioned) elements.push({ group: "nodes", data: { id: clusterId(cluster), cluster }, classes: "cluster" });
    const at = place();
    const side = Math.ceil(Math.sqrt(nodes.length));
    nodes.forEach((n, i) => {
      const node = spanNode(n, { x: at.x + (i % side) * 25, y: at.y + Math.floor(i / side) * 25 }, positioned ? undefined : clusterId(cluster));
      if (positioned) node.classes = "span clustered";
      elements.push(node);
    });
  }
  for (const n of lone) elements.push(spanNode(n, place()));
  const speakers = [...new Set(data.nodes.flatMap((n) => (n.speaker ? [n.speaker] : [])))].sort();
  speakers.forEach((name, i) =>
    elements.push({
      group: "nodes",
      data: { id: speakerId(name), name },
      classes: "speaker",
      ...(positioned ? { position: { x: (i % side) * GAP * 2, y: -GAP * 2 - Math.floor(i / side) * GAP } } : {}),
    }),
  );
  for (const n of data.nodes) {
    if (n.speaker) elements.push({ group: "edges", data: { id: `said${n.id}`, source: speakerId(n.speaker), target: spanId(n.id), label: "said" }, classes: "said" });
  }
  const byLabel: Record<string, number> = {};
  let crossArticle = 0;
  for (const e of edges) {
    byLabel[e.label] = (byLabel[e.label] ?? 0) + 1;
    if (e.cross_article) crossArticle += 1;
    elements.push({
      group: "edges",
      data: { id: `r${e.key}`, source: spanId(e.source), target: spanId(e.target), label: e.label, cross: e.cross_article },
      classes: `relation${e.cross_article ? " cross" : ""}`,
    });
  }
  const summary = { spans: data.nodes.length, speakers: speakers.length, relations: edges.length, crossArticle, clusters: members.size, byLabel };
  return { elements, summary, spanLabels };
}

/** The annotate page of a span's article, opened at the span. */
export function spanLink(projectId: number, articleId: number, span: number): string {
  return `/projects/${projectId}/articles/${articleId}?span=${span}`;
}
