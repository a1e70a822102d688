// Watches one background job: reads GET /api/v1/jobs/{id}/ until it succeeds, fails or is
// cancelled. Where the server pushes (docs/live.md) it reads again when a job.progress or
// job.finished event names the job, and otherwise only every few seconds as a safety net;
// elsewhere it polls. Stops on unmount; a lost connection is retried with a growing pause.
import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError, jobs, NetworkError, type Job } from "../../lib/api/client";
import { liveAvailable, subscribeLive } from "../../lib/live";
import { isFinished, pollDelay } from "../ui/jobs";

const PUSHED_SAFETY_POLL_MS = 5000;

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

interface Watched {
  id: number | null; // the job this state is about
  job: Job | null;
  error: unknown;
  queuedFor: number;
}

export function useJob(initial: Job | null, onFinish?: (job: Job) => void): JobWatch {
  const id = initial?.id ?? null;
  const [watched, setWatched] = useState<Watched>({ id, job: initial, error: null, queuedFor: 0 });
  const [cancelling, setCancelling] = useState(false);
  const latest = useRef({ initial, onFinish });
  useEffect(() => {
    latest.current = { initial, onFinish };
  });
  // A new job: what is shown starts from it until its first poll answers.
  const current = watched.id === id ? watched : { id, job: initial, error: null, queuedFor: 0 };
  const { job, error, queuedFor } = current;

  useEffect(() => {
    const first = latest.current.initial;
    if (!first || first.id !== id) return;
    if (isFinished(first)) {
      latest.current.onFinish?.(first);
      return;
    }
    const controller = new AbortController();
    const startedAt = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let failures = 0;
    const withError = (caught: unknown) =>
      setWatched((w) => ({ ...(w.id === first.id ? w : { id: first.id, job: first, queuedFor: 0 }), error: caught }));
    let inFlight = false; // a read is under way: a pushed event asks for one more after it
    let again = false;
    const tick = async () => {
      inFlight = true;
      try {
        const polled = await jobs.get(first.id);
        if (controller.signal.aborted) return;
        failures = 0;
        const waited = polled.status === "queued" ? Math.round((Date.now() - startedAt) / 1000) : 0;
        setWatched({ id: first.id, job: polled, error: null, queuedFor: waited });
        if (isFinished(polled)) {
          latest.current.onFinish?.(polled);
          return;
        }
      } catch (caught) {
        if (controller.signal.aborted) return;
        if (caught instanceof ApiError && caught.status !== 429 && caught.status < 500) {
          withError(caught); // 403/404: polling again will not help
          return;
        }
        failures += 1;
        withError(caught instanceof NetworkError || caught instanceof ApiError ? caught : new NetworkError(String(caught)));
      } finally {
        inFlight = false;
      }
      attempt += 1;
      const pause = pushed && failures === 0 ? PUSHED_SAFETY_POLL_MS : pollDelay(attempt, failures);
      timer = setTimeout(() => void tick(), again ? 0 : pause);
      again = false;
    };
    const pushed = liveAvailable();
    const stopListening = subscribeLive(first.project, (event) => {
      if ((event.type !== "job.progress" && event.type !== "job.finished") || event.id !== first.id) return;
      if (inFlight) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void tick(), 0);
    });
    timer = setTimeout(() => void tick(), pollDelay(0));
    return () => {
      controller.abort();
      stopListening();
      if (timer) clearTimeout(timer);
    };
    // Only a new job id restarts polling; `initial` objects for the same id do not.
  }, [id]);

  const cancel = useCallback(async () => {
    if (!job || isFinished(job)) return;
    setCancelling(true);
    try {
      const cancelled = await jobs.cancel(job.id);
      setWatched((w) => ({ ...(w.id === cancelled.id ? w : { id: cancelled.id, error: null, queuedFor: 0 }), job: cancelled }));
    } catch (caught) {
      setWatched((w) => ({ ...(w.id === job.id ? w : { id: job.id, job, queuedFor: 0 }), error: caught }));
    } finally {
      setCancelling(false);
    }
  }, [job]);

  return { job, error, finished: isFinished(job), queuedFor, cancel, cancelling };
}
