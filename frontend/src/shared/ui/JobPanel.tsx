// A running (or finished) job: its progress bar, status, a Cancel button, and when it ends,
// whatever the page shows of its result.
import type { ReactNode } from "react";

import type { Job } from "../../lib/api/client";
import { ErrorMessage } from "./ErrorMessage";
import { progressPercent, statusText } from "./jobs";
import { ProgressBar } from "./ProgressBar";
import type { JobWatch } from "../hooks/useJob";

const QUEUED_TOO_LONG_S = 20;

export function JobPanel({
  watch,
  label,
  children,
}: {
  watch: JobWatch;
  /** The progress bar's accessible name, e.g. "Import progress". */
  label: string;
  children?: (job: Job) => ReactNode;
}) {
  const { job, error, finished, queuedFor, cancel, cancelling } = watch;
  if (!job) return null;
  const percent = progressPercent(job);
  return (
    <div className="card job-panel" aria-live="polite">
      <p>
        <strong>Job {job.id}</strong>: <span>{statusText(job)}</span>
      </p>
      <ProgressBar value={percent} label={label} text={percent === null ? statusText(job) : `${percent}%`} />
      {!finished && queuedFor >= QUEUED_TOO_LONG_S && (
        <p className="hint" role="status">
          Still waiting after {queuedFor} s: no worker has taken the job. Is a Celery worker running (make run starts
          one)?
        </p>
      )}
      {job.status === "failed" && job.error && (
        <p className="error" role="alert">
          {job.error}
        </p>
      )}
      <ErrorMessage error={error} prefix={finished ? undefined : "Lost track of the job:"} />
      {!finished && (
        <div className="actions">
          <button type="button" onClick={() => void cancel()} disabled={cancelling || job.cancel_requested}>
            {job.cancel_requested ? "Cancelling…" : "Cancel job"}
          </button>
        </div>
      )}
      {finished && children?.(job)}
    </div>
  );
}
