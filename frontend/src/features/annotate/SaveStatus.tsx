// Whether every change is saved: saving, offline with changes waiting (and a way to retry now), or saved.
import type { QueueState } from "./queue";

export function SaveStatus({ saving, onRetry }: { saving: QueueState; onRetry: () => void }) {
  const status = saving.offline
    ? `Offline: ${saving.waiting} change(s) waiting, retrying in ${Math.round(saving.retryIn / 1000)} s`
    : saving.waiting
      ? `Saving ${saving.waiting} change(s)…`
      : "Saved";
  return (
    <span className={`save-status${saving.offline ? " offline" : ""}`} data-testid="save-status" aria-live="polite">
      {status}
      {saving.offline && (
        <button type="button" onClick={onRetry}>
          Retry now
        </button>
      )}
    </span>
  );
}
