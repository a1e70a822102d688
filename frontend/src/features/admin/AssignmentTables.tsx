// The Assignment page's tables: each annotator's load and progress, and the assignments of
// one annotator (or all), each with Unassign and a move to another annotator.
import { useState } from "react";

import type { Member } from "../../lib/api/client";
import { assignments, type Assignment } from "../../lib/api/workflow";
import { useAction } from "../../shared/hooks/useAction";
import { useLoad } from "../../shared/hooks/useLoad";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProgressBar } from "../../shared/ui/ProgressBar";

export function Workload({ projectId, version }: { projectId: number; version: number }) {
  const loaded = useLoad(() => assignments.workload(projectId), [projectId, version]);
  const data = loaded.data;
  return (
    <section className="card" aria-label="Workload">
      <h2>Load and progress</h2>
      {!data ? (
        <NotLoaded loaded={loaded} what="the workload" />
      ) : (
        <>
          <p className="hint">
            {data.articles} articles; {data.short} with fewer than k annotators.
          </p>
          <table className="compact">
            <thead>
              <tr>
                <th>Annotator</th>
                <th>Assigned</th>
                <th>Not started</th>
                <th>In progress</th>
                <th>Submitted</th>
                <th>Skipped</th>
                <th>Done</th>
              </tr>
            </thead>
            <tbody>
              {data.annotators.map((a) => {
                const done = a.assigned ? Math.round(((a.submitted + a.skipped) / a.assigned) * 100) : 0;
                return (
                  <tr key={a.annotator}>
                    <th scope="row">{a.annotator}</th>
                    <td>{a.assigned}</td>
                    <td>{a.not_started}</td>
                    <td>{a.in_progress}</td>
                    <td>{a.submitted}</td>
                    <td>{a.skipped}</td>
                    <td>
                      <ProgressBar value={done} label={`Progress of ${a.annotator}`} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function AssignmentList(props: { projectId: number; annotators: Member[]; version: number; onChanged: () => void }) {
  const { projectId, annotators, version, onChanged } = props;
  const [who, setWho] = useState("");
  const [page, setPage] = useState(1);
  const loaded = useLoad(() => assignments.list(projectId, { annotator: who, page, page_size: 50 }), [projectId, who, page, version]);
  const data = loaded.data;
  return (
    <section className="card" aria-label="Assignments">
      <h2>Assignments</h2>
      <label>
        Annotator
        <select
          value={who}
          onChange={(e) => {
            setWho(e.target.value);
            setPage(1);
          }}
        >
          <option value="">everyone</option>
          {annotators.map((m) => (
            <option key={m.id} value={m.username}>
              {m.username}
            </option>
          ))}
        </select>
      </label>
      {!data ? (
        <NotLoaded loaded={loaded} what="the assignments" />
      ) : data.results.length === 0 ? (
        <p className="hint">No assignments.</p>
      ) : (
        <>
          <table className="compact">
            <thead>
              <tr>
                <th>Article</th>
                <th>Annotator</th>
                <th>Status</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((a) => (
                <AssignmentRow key={a.id} row={a} annotators={annotators} onChanged={onChanged} />
              ))}
            </tbody>
          </table>
          <nav className="actions" aria-label="Assignment pages">
            <button type="button" disabled={!data.previous} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <span>Page {page}</span>
            <button type="button" disabled={!data.next} onClick={() => setPage(page + 1)}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

function AssignmentRow({ row, annotators, onChanged }: { row: Assignment; annotators: Member[]; onChanged: () => void }) {
  const [to, setTo] = useState("");
  const action = useAction();
  const name = row.article_title || row.article_external_id;
  return (
    <tr>
      <td>{name}</td>
      <td>{row.annotator}</td>
      <td>{row.status.replace("_", " ")}</td>
      <td>
        <button type="button" disabled={action.busy} onClick={() => void action.run(async () => {
          await assignments.remove(row.id);
          onChanged();
        })} aria-label={`Unassign ${name} from ${row.annotator}`}>
          Unassign
        </button>{" "}
        <select value={to} onChange={(e) => setTo(e.target.value)} aria-label={`Move ${name} to`}>
          <option value="">move to…</option>
          {annotators.filter((m) => m.username !== row.annotator).map((m) => (
            <option key={m.id} value={m.username}>
              {m.username}
            </option>
          ))}
        </select>{" "}
        <button type="button" disabled={!to || action.busy} onClick={() => void action.run(async () => {
          await assignments.move(row.id, to);
          onChanged();
        })}>
          Move
        </button>
        <ErrorMessage error={action.error} />
      </td>
    </tr>
  );
}
