// The argument graph (docs/api.md "The argument graph"). The schema types the answer loosely
// (it is streamed node-link JSON), so it is given its shape here, once. Also the paged span
// search that "link to another article" uses (typed by the schema).
import { call } from "./http";
import type { components } from "./schema";

export type SpanHit = components["schemas"]["SpanHit"];

export interface SpanSearch {
  layer?: string;
  q?: string;
  label?: string;
  speaker?: string;
  exclude_article?: number;
  page_size?: number;
}

export interface GraphNode {
  id: number;
  article: string;
  article_id: number;
  label: string;
  text: string;
  start: number;
  end: number;
  speaker: string | null;
  cluster?: number | null;
}

export interface GraphEdge {
  source: number;
  target: number;
  key: number;
  id: number;
  label: string;
  cross_article: boolean;
}

export interface GraphData {
  nodes: GraphNode[];
  links?: GraphEdge[];
  edges?: GraphEdge[];
  clusters?: number[][];
}

export interface GraphQuery {
  layer?: string;
  labels?: string;
  speaker?: string;
}

export const graph = {
  get: async (projectId: number, query: GraphQuery): Promise<GraphData> =>
    (await call("get", "/api/v1/projects/{project_id}/graph/", { path: { project_id: projectId }, query })) as unknown as GraphData,
  searchSpans: (projectId: number, query: SpanSearch) =>
    call("get", "/api/v1/projects/{project_id}/spans/", { path: { project_id: projectId }, query }),
};
