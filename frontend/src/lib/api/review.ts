// Adjudication, the review queue, review status and comments (issue 14's API): the calls of the
// reviewer's pages and of the comment threads. Types follow docs/api.md's sections.

import { callUrl, type Page, type Query } from "./http";
import type { Relation, Span } from "./client";

export type ReviewStatus = "" | "adjudicated" | "needs_discussion";

export interface ReviewQueueItem {
  id: number;
  external_id: string;
  title: string;
  annotators: { username: string; status: string }[];
  submitted: number;
  agreement: number | null;
  disagreements: number;
  review_status: ReviewStatus;
  gold_spans: number;
}

export interface ReviewQueueQuery extends Query {
  min_submitted?: number;
  review_status?: "none" | "adjudicated" | "needs_discussion";
  ordering?: "id" | "disagreements" | "-disagreements" | "agreement" | "-agreement";
  page?: number;
  page_size?: number;
}

export interface Version {
  annotators: string[];
  ids: number[];
  label: string;
  start?: number;
  end?: number;
  text?: string;
}

export interface Disagreement {
  kind: "span" | "relation" | "document_label";
  versions: Version[];
}

export interface AdjudicateResult {
  added: { spans: number; relations: number; document_labels: number };
  disagreements: Disagreement[];
}

export interface Review {
  status: ReviewStatus;
  reviewed_by: string | null;
  version: number;
  updated_at: string | null;
}

export interface Comment {
  id: number;
  article: number;
  span: number | null;
  relation: number | null;
  parent: number | null;
  author: string | null;
  body: string;
  resolved: boolean;
  layer: string;
  layer_annotator: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

const v1 = "/api/v1";

function queryString(query: Query): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `?${qs}` : "";
}

export const review = {
  queue: (projectId: number, query: ReviewQueueQuery = {}) =>
    callUrl<Page<ReviewQueueItem>>("get", `${v1}/projects/${projectId}/review-queue/${queryString(query)}`),
  adjudicate: (articleId: number, body: { min_agreement: number; layers?: string[] }) =>
    callUrl<AdjudicateResult>("post", `${v1}/articles/${articleId}/adjudicate/`, { body }),
  adjudicateProject: (projectId: number, body: { min_agreement: number; min_submitted?: number }) =>
    callUrl<{ id: number; status: string }>("post", `${v1}/projects/${projectId}/adjudicate/`, { body }),
  copySpan: (spanId: number) => callUrl<Span>("post", `${v1}/spans/${spanId}/copy/`, { body: { layer: "gold" } }),
  copyRelation: (relationId: number) =>
    callUrl<Relation>("post", `${v1}/relations/${relationId}/copy/`, { body: { layer: "gold" } }),
  status: (articleId: number) => callUrl<Review>("get", `${v1}/articles/${articleId}/review/`),
  setStatus: (articleId: number, status: Exclude<ReviewStatus, "">, version: number) =>
    callUrl<Review>("put", `${v1}/articles/${articleId}/review/`, { body: { status }, version }),
};

export const comments = {
  list: (articleId: number) => callUrl<Comment[]>("get", `${v1}/articles/${articleId}/comments/`),
  create: (articleId: number, body: { body: string; span?: number; relation?: number; parent?: number }) =>
    callUrl<Comment>("post", `${v1}/articles/${articleId}/comments/`, { body }),
  update: (comment: Comment, changes: { body?: string; resolved?: boolean }) =>
    callUrl<Comment>("patch", `${v1}/comments/${comment.id}/`, { body: changes, version: comment.version }),
  remove: (comment: Comment) => callUrl<null>("delete", `${v1}/comments/${comment.id}/`, { version: comment.version }),
};
