// Watches one background job: polls GET /api/v1/jobs/{id}/ until it succeeds, fails or is
// cancelled. Polling stops on unmount; a lost connection is retried with a growing pause.
import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError, jobs, NetworkError, type Job } from "../../lib/api/client";
import { isFinished, pollDelay } from "../ui/jobs";

export interface JobWatch {
  job: Job | null;
  /** Why polling stopped or is struggling (the job itself may still be running). */
  error: unknown;
  finished: boolean;
  /** Seconds the job has waited in the queue, to tell the user when no worker takes it. */
  queuedFor: number;
  cancel: () => Promise<void>;
  cancelling: boolean;
}

export function useJob(initial: Job | null, onFinish?: (job: Job) => void): JobWatch {
  const [job, setJob] = useState<Job | null>(initial);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const [queuedFor, setQueuedFor] = useState(0);
  const finishRef = useRef(onFinish);
  finishRef.current = onFinish;
  const id = initial?.id ?? null;

  useEffect(() => {
    setJob(initial);
    setError(null);
    setQueuedFor(0);
    if (!initial) return;
    if (isFinished(initial)) {
      finishRef.current?.(initial);
      return;
    }
    const controller = new AbortController();
    const startedAt = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let failures = 0;
    const tick = async () => {
      try {
        const current = await jobs.get(initial.id);
        if (controller.signal.aborted) return;
        failures = 0;
        setError(null);
        setJob(current);
        setQueuedFor(current.status === "queued" ? Math.round((Date.now() - startedAt) / 1000) : 0);
        if (isFinished(current)) {
          finishRef.current?.(current);
          return;
        }
      } catch (caught) {
        if (controller.signal.aborted) return;
        if (caught instanceof ApiError && caught.status !== 429 && caught.status < 500) {
          setError(caught); // 403/404: polling again will not help
          return;
        }
        failures += 1;
        setError(caught instanceof NetworkError || caught instanceof ApiError ? caught : new NetworkError(String(caught)));
      }
      attempt += 1;
      timer = setTimeout(() => void tick(), pollDelay(attempt, failures));
    };
    timer = setTimeout(() => void tick(), pollDelay(0));
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // Only a new job id restarts polling; `initial` objects for the same id do not.
  }, [id]);

  const cancel = useCallback(async () => {
    if (!job || isFinished(job)) return;
    setCancelling(true);
    try {
      setJob(await jobs.cancel(job.id));
    } catch (caught) {
      setError(caught);
    } finally {
      setCancelling(false);
    }
  }, [job]);

  return { job, error, finished: isFinished(job), queuedFor, cancel, cancelling };
}
