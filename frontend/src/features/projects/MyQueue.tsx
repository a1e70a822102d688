// The caller's queue on the project home: their counts, and the way in. The next article
// always comes from the server (GET queue/next/: in progress first, then assigned, then one
// claimed for them); nothing here picks articles.
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";

import { queue } from "../../lib/api/workflow";
import { useAction } from "../../shared/hooks/useAction";
import { useLoad } from "../../shared/hooks/useLoad";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";

export function MyQueue({ projectId }: { projectId: number }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const counts = useLoad(() => queue.counts(projectId), [projectId]);
  const opening = useAction();
  const [empty, setEmpty] = useState(false);
  const data = counts.data;
  const open = () =>
    void opening.run(async () => {
      const next = await queue.next(projectId);
      if (next) navigate(`/projects/${projectId}/articles/${next.id}`);
      else setEmpty(true);
    });
  return (
    <section className="card" aria-label="My queue">
      <h2>My queue</h2>
      {params.get("done") && <p role="status">No more articles waiting for you. Well done.</p>}
      {!data ? (
        <NotLoaded loaded={counts} what="your queue" />
      ) : (
        <>
          <dl className="counts">
            <dt>To do</dt>
            <dd data-testid="count-todo">{data.to_do}</dd>
            <dt>In progress</dt>
            <dd data-testid="count-in-progress">{data.in_progress}</dd>
            <dt>Submitted</dt>
            <dd data-testid="count-done">{data.submitted}</dd>
            <dt>Skipped</dt>
            <dd data-testid="count-skipped">{data.skipped}</dd>
          </dl>
          {data.assignment === "overlap" && (
            <p className="hint">Each article goes to {data.annotators_per_article} annotators; you see the ones given to you.</p>
          )}
          {empty || data.to_do + data.in_progress === 0 ? (
            <p>Nothing left to annotate.</p>
          ) : (
            <button type="button" className="primary" onClick={open} disabled={opening.busy}>
              {data.in_progress > 0 ? "Continue annotating" : "Start annotating"}
            </button>
          )}
          <ErrorMessage error={opening.error} />
        </>
      )}
    </section>
  );
}
