// Assignment (admins): how the project hands out articles (open, or k annotators each from a
// pool), assigning up front (a job with a progress bar for big projects), each annotator's
// load and progress, and one annotator's or one article's assignments to undo or move.
import { useState, type FormEvent } from "react";

import { members, projectAdmin, type Member, type Project } from "../../lib/api/client";
import { assignments, isJob, type AssignResult, type Job } from "../../lib/api/workflow";
import { useAction } from "../../shared/hooks/useAction";
import { useJob } from "../../shared/hooks/useJob";
import { useLoad } from "../../shared/hooks/useLoad";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { JobPanel } from "../../shared/ui/JobPanel";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { AssignmentList, Workload } from "./AssignmentTables";

export function AssignmentPage() {
  return (
    <ProjectPage title="Assignment" roles={["admin"]}>
      {(project, reload) => <Assignment project={project} reload={reload} />}
    </ProjectPage>
  );
}

function Assignment({ project, reload }: { project: Project; reload: () => Promise<void> }) {
  const people = useLoad(() => members.list(project.id).then((p) => p.results.filter((m) => m.role === "annotator")), [project.id]);
  const [version, setVersion] = useState(0); // bumped when assignments change: the tables reload
  const annotators = people.data ?? [];
  return (
    <>
      <Settings project={project} annotators={annotators} onSaved={reload} />
      <AssignForm project={project} annotators={annotators} onDone={() => setVersion((v) => v + 1)} />
      <Workload projectId={project.id} version={version} />
      <AssignmentList projectId={project.id} annotators={annotators} version={version} onChanged={() => setVersion((v) => v + 1)} />
    </>
  );
}

function Settings({ project, annotators, onSaved }: { project: Project; annotators: Member[]; onSaved: () => Promise<void> }) {
  const [mode, setMode] = useState(project.assignment);
  const [k, setK] = useState(project.annotators_per_article);
  const [pool, setPool] = useState<string[] | null>(project.annotator_pool);
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void action.run(async () => {
      await projectAdmin.update(project.id, { assignment: mode, annotators_per_article: k, annotator_pool: pool });
      setSaved(true);
      await onSaved();
    });
  };
  const toggle = (name: string, on: boolean) => {
    const now = new Set(pool ?? annotators.map((m) => m.username));
    if (on) now.add(name);
    else now.delete(name);
    setPool([...now].sort());
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Assignment settings">
      <h2>How articles are handed out</h2>
      <fieldset>
        <legend>Mode</legend>
        <label className="check">
          <input type="radio" name="mode" checked={mode === "open"} onChange={() => setMode("open")} /> Open: every annotator sees every
          article
        </label>
        <label className="check">
          <input type="radio" name="mode" checked={mode === "overlap"} onChange={() => setMode("overlap")} /> Overlap: each article goes to k
          annotators, who see only theirs
        </label>
      </fieldset>
      <label>
        Annotators per article (k)
        <input type="number" min={1} max={10} value={k} onChange={(e) => setK(Math.max(1, Math.min(10, Number(e.target.value) || 1)))} />
      </label>
      <fieldset>
        <legend>Pool</legend>
        <label className="check">
          <input type="checkbox" checked={pool === null} onChange={(e) => setPool(e.target.checked ? null : annotators.map((m) => m.username))} />{" "}
          Every annotator of the project
        </label>
        {pool !== null && (
          <div className="constraint-list">
            {annotators.map((m) => (
              <label key={m.id} className="check">
                <input type="checkbox" checked={pool.includes(m.username)} onChange={(e) => toggle(m.username, e.target.checked)} /> {m.username}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          Save settings
        </button>
        {saved && <span role="status">Saved.</span>}
      </div>
      <ErrorMessage error={action.error} />
    </form>
  );
}

function AssignForm({ project, annotators, onDone }: { project: Project; annotators: Member[]; onDone: () => void }) {
  const [articles, setArticles] = useState<"unassigned" | "all">("unassigned");
  const [k, setK] = useState(project.annotators_per_article);
  const [result, setResult] = useState<AssignResult | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const watch = useJob(job, onDone);
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    void action.run(async () => {
      const answer = await assignments.assign(project.id, { articles, annotators_per_article: k });
      if (isJob(answer)) setJob(answer);
      else {
        setResult(answer);
        onDone();
      }
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Assign up front">
      <h2>Assign up front</h2>
      <p className="hint">
        Every chosen article gets k distinct annotators from the pool ({project.annotator_pool?.join(", ") ?? `all ${annotators.length}`}),
        the least loaded first.
      </p>
      <label>
        Articles
        <select value={articles} onChange={(e) => setArticles(e.target.value as "unassigned" | "all")}>
          <option value="unassigned">those not assigned yet</option>
          <option value="all">all (top each up to k)</option>
        </select>
      </label>{" "}
      <label>
        k
        <input type="number" min={1} max={10} value={k} onChange={(e) => setK(Math.max(1, Math.min(10, Number(e.target.value) || 1)))} />
      </label>{" "}
      <button type="submit" className="primary" disabled={action.busy || (!!job && !watch.finished)}>
        Assign
      </button>
      {result && (
        <p role="status">
          Made {result.created} assignments over {result.articles} articles.
        </p>
      )}
      <ErrorMessage error={action.error} />
      <JobPanel watch={watch} label="Assignment progress">
        {(done) => (done.result ? <p role="status">Made {String((done.result as { created?: number }).created ?? 0)} assignments.</p> : null)}
      </JobPanel>
    </form>
  );
}
