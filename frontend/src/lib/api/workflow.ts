// The collaboration's calls (docs/api.md: assignment and the queue, adjudication, comments),
// typed from the OpenAPI paths like the rest of client.ts.
import { call, list } from "./http";
import type { components } from "./schema";

type S = components["schemas"];
export type ReviewStatus = "" | "adjudicated" | "needs_discussion";
export type ReviewQueueItem = S["ReviewQueueItem"];
export type AdjudicateResult = S["AdjudicateResult"];
export type Disagreement = S["Disagreement"];
export type Review = S["Review"];
export type Comment = S["Comment"];
export type Queue = S["Queue"];
export type QueueNext = S["QueueNext"];
export type Assignment = S["Assignment"];
export type AssignResult = S["AssignResult"];
export type Workload = S["Workload"];
export type Job = S["Job"];

export interface ReviewQueueQuery {
  min_submitted?: number;
  review_status?: "none" | "adjudicated" | "needs_discussion";
  ordering?: "id" | "-id" | "disagreements" | "-disagreements" | "agreement" | "-agreement";
  page?: number;
  page_size?: number;
}

export const review = {
  queue: (projectId: number, query: ReviewQueueQuery = {}) =>
    list("/api/v1/projects/{project_id}/review-queue/", { path: { project_id: projectId }, query }),
  adjudicate: (articleId: number, body: { min_agreement: number; layers?: string[] }) =>
    call("post", "/api/v1/articles/{article_id}/adjudicate/", { path: { article_id: articleId }, body }),
  adjudicateProject: (projectId: number, body: { min_agreement: number; min_submitted?: number }) =>
    call("post", "/api/v1/projects/{project_id}/adjudicate/", { path: { project_id: projectId }, body }),
  copySpan: (spanId: number) => call("post", "/api/v1/spans/{object_id}/copy/", { path: { object_id: spanId }, body: { layer: "gold" } }),
  copyRelation: (relationId: number) =>
    call("post", "/api/v1/relations/{object_id}/copy/", { path: { object_id: relationId }, body: { layer: "gold" } }),
  status: (articleId: number) => call("get", "/api/v1/articles/{article_id}/review/", { path: { article_id: articleId } }),
  setStatus: (articleId: number, status: Exclude<ReviewStatus, "">, version: number) =>
    call("put", "/api/v1/articles/{article_id}/review/", { path: { article_id: articleId }, body: { status }, version }),
};

export const comments = {
  list: (articleId: number) => call("get", "/api/v1/articles/{article_id}/comments/", { path: { article_id: articleId } }),
  create: (articleId: number, body: { body: string; span?: number; relation?: number; parent?: number }) =>
    call("post", "/api/v1/articles/{article_id}/comments/", { path: { article_id: articleId }, body }),
  update: (comment: Comment, changes: { body?: string; resolved?: boolean }) =>
    call("patch", "/api/v1/comments/{comment_id}/", { path: { comment_id: comment.id }, body: changes, version: comment.version }),
  remove: (comment: Comment) =>
    call("delete", "/api/v1/comments/{comment_id}/", { path: { comment_id: comment.id }, version: comment.version }),
};

export const queue = {
  counts: (projectId: number) => call("get", "/api/v1/projects/{project_id}/queue/", { path: { project_id: projectId } }),
  /** The next article, or null when nothing is left (204). */
  next: async (projectId: number, exclude: number[] = []): Promise<QueueNext | null> =>
    (await call("get", "/api/v1/projects/{project_id}/queue/next/", {
      path: { project_id: projectId },
      query: exclude.length ? { exclude: exclude.join(",") } : {},
    })) ?? null,
};

export interface AssignBody {
  annotators_per_article?: number;
  articles?: "unassigned" | "all" | number[];
  annotators?: "all" | string[];
  strategy?: "balanced";
}

export const assignments = {
  list: (projectId: number, query: { annotator?: string; article?: number; page?: number; page_size?: number } = {}) =>
    list("/api/v1/projects/{project_id}/assignments/", { path: { project_id: projectId }, query }),
  /** 201 with the result, or 202 with a job (more than 2,000 articles). */
  assign: async (projectId: number, body: AssignBody): Promise<AssignResult | Job> =>
    (await call("post", "/api/v1/projects/{project_id}/assignments/", {
      path: { project_id: projectId },
      body: body as S["AssignRequestRequest"],
    })) as AssignResult | Job,
  move: (id: number, annotator: string) =>
    call("patch", "/api/v1/assignments/{assignment_id}/", { path: { assignment_id: id }, body: { annotator } }),
  remove: (id: number) => call("delete", "/api/v1/assignments/{assignment_id}/", { path: { assignment_id: id } }),
  workload: (projectId: number) => call("get", "/api/v1/projects/{project_id}/workload/", { path: { project_id: projectId } }),
};

export function isJob(answer: AssignResult | Job): answer is Job {
  return "status" in answer && "kind" in answer;
}
