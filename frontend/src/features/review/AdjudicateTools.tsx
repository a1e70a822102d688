// The adjudication page's controls: merge what at least m layers share into gold, the
// article's review status (saved with the version it was read at), and the way through the
// review queue (the next unreviewed article comes from the server, never from a long list).
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";

import { review, type AdjudicateResult, type Review, type ReviewStatus } from "../../lib/api/workflow";
import { useAction } from "../../shared/hooks/useAction";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";

export function MergePanel({ articleId, layers, onMerged }: { articleId: number; layers: number; onMerged: () => void }) {
  const [m, setM] = useState(Math.max(1, Math.min(2, layers)));
  const [result, setResult] = useState<AdjudicateResult | null>(null);
  const action = useAction();
  return (
    <form
      className="merge-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          setResult(await review.adjudicate(articleId, { min_agreement: m }));
          onMerged();
        });
      }}
    >
      <label>
        Layers that must agree (m)
        <input type="number" min={1} max={Math.max(1, layers)} value={m} onChange={(e) => setM(Number(e.target.value) || 1)} />
      </label>
      <button type="submit" className="primary" disabled={action.busy} title="m">
        Merge all with at least {m}
      </button>
      {result && (
        <span role="status">
          Added {result.added.spans} spans, {result.added.relations} relations, {result.added.document_labels} document labels;{" "}
          {result.disagreements.length} disagreements left.
        </span>
      )}
      <ErrorMessage error={action.error} />
    </form>
  );
}

const STATUS_TEXT = { "": "not reviewed", adjudicated: "adjudicated", needs_discussion: "needs discussion" } as const;

export function ReviewStatusControl({ articleId, status, canWrite, onSaved }: { articleId: number; status: Review; canWrite: boolean; onSaved: (r: Review) => void }) {
  const action = useAction();
  const set = (value: "adjudicated" | "needs_discussion") =>
    void action.run(async () => onSaved(await review.setStatus(articleId, value, status.version)));
  return (
    <div className="review-status">
      Review status: <strong data-testid="review-status">{STATUS_TEXT[status.status as ReviewStatus] ?? status.status}</strong>
      {status.reviewed_by ? <span className="hint"> by {status.reviewed_by}</span> : null}
      {canWrite && (
        <>
          {" "}
          <button type="button" disabled={action.busy || status.status === "adjudicated"} onClick={() => set("adjudicated")}>
            Mark adjudicated
          </button>{" "}
          <button type="button" disabled={action.busy || status.status === "needs_discussion"} onClick={() => set("needs_discussion")}>
            Needs discussion
          </button>
        </>
      )}
      <ErrorMessage error={action.error} />
    </div>
  );
}

const VISITED = "annotator.reviewVisited";

/** The articles this tab reviewed, for "Previous": kept per tab. */
export function visitedBefore(articleId: number): number | null {
  const seen: number[] = JSON.parse(sessionStorage.getItem(VISITED) ?? "[]");
  const at = seen.lastIndexOf(articleId);
  return at > 0 ? seen[at - 1]! : null;
}

export function rememberVisit(articleId: number): void {
  const seen: number[] = JSON.parse(sessionStorage.getItem(VISITED) ?? "[]");
  if (seen[seen.length - 1] !== articleId) seen.push(articleId);
  sessionStorage.setItem(VISITED, JSON.stringify(seen.slice(-200)));
}

export function QueueNav({ projectId, articleId }: { projectId: number; articleId: number }) {
  const navigate = useNavigate();
  const action = useAction();
  const [empty, setEmpty] = useState(false);
  const previous = visitedBefore(articleId);
  const next = () =>
    void action.run(async () => {
      const page = await review.queue(projectId, { review_status: "none", ordering: "-disagreements", page_size: 2 });
      const found = page.results.find((a) => a.id !== articleId);
      if (found) navigate(`/projects/${projectId}/articles/${found.id}/review`);
      else setEmpty(true);
    });
  return (
    <nav className="actions" aria-label="Review queue">
      <Link to={`/projects/${projectId}/review`}>Review queue</Link>
      {previous !== null && <Link to={`/projects/${projectId}/articles/${previous}/review`}>Previous article</Link>}
      <button type="button" onClick={next} disabled={action.busy} title="n">
        Next to review
      </button>
      {empty && <span role="status">Nothing else is waiting for review.</span>}
      <ErrorMessage error={action.error} />
    </nav>
  );
}
