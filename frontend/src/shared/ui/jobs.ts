// Pure helpers about background jobs (GET /api/v1/jobs/{id}/).
import type { Job } from "../../lib/api/client";

export const FINISHED: ReadonlySet<string> = new Set(["succeeded", "failed", "cancelled"]);

export function isFinished(job: Pick<Job, "status"> | null | undefined): boolean {
  return !!job && FINISHED.has(job.status);
}

/** 0..100, or null while the total is unknown; a succeeded job is 100 whatever it counted. */
export function progressPercent(job: Pick<Job, "status" | "progress">): number | null {
  if (job.status === "succeeded") return 100;
  const { done, total } = job.progress;
  if (total === null || total === undefined) return null;
  if (total <= 0) return job.status === "queued" ? 0 : null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** How long to wait before the next poll: quick at first, then every few seconds. */
export function pollDelay(attempt: number, failures = 0): number {
  const base = attempt < 5 ? 500 : attempt < 30 ? 1000 : 3000;
  return failures > 0 ? Math.min(30_000, base * 2 ** failures) : base;
}

export function statusText(job: Pick<Job, "status" | "progress" | "message" | "cancel_requested">): string {
  const { done, total } = job.progress;
  const counted = total ? `${done} of ${total}` : done ? `${done}` : "";
  switch (job.status) {
    case "queued":
      return "Waiting for a worker…";
    case "running":
      return [job.cancel_requested ? "Cancelling…" : "Running", counted, job.message].filter(Boolean).join(" · ");
    case "succeeded":
      return "Finished";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
    default:
      return job.status;
  }
}
