// Pre-annotation: choose recognisers and articles, start the job, watch it, read the counts.
import { useState, type FormEvent } from "react";

import { preannotation, projects, type Job, type Project } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { JobHistory } from "../../shared/ui/JobHistory";
import { fieldError } from "../../shared/ui/errors";
import { JobPanel } from "../../shared/ui/JobPanel";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useJob } from "../../shared/hooks/useJob";
import { useLoad } from "../../shared/hooks/useLoad";
import { preannotateReport } from "./reports";

export function PreannotatePage() {
  return (
    <ProjectPage title="Pre-annotate" roles={["admin"]}>
      {(project) => <Preannotator project={project} />}
    </ProjectPage>
  );
}

function Preannotator({ project }: { project: Project }) {
  const available = useLoad(
    () => Promise.all([preannotation.recognisers().then((page) => page.results), projects.labels(project.id).then((page) => page.results)]),
    [project.id],
  );
  const [chosen, setChosen] = useState<string[]>([]);
  const [articles, setArticles] = useState<"all" | "unannotated">("unannotated");
  const [minScore, setMinScore] = useState("0");
  const { run, busy, error } = useAction();
  const [started, setStarted] = useState<Job | null>(null);
  const history = useLoad(() => preannotation.list(project.id), [project.id]);
  const watch = useJob(started, () => void history.reload());
  const running = !!started && !watch.finished;

  const score = Number(minScore);
  const scoreOk = minScore.trim() !== "" && Number.isFinite(score) && score >= 0 && score <= 1;

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      setStarted(await preannotation.start(project.id, { recognisers: chosen, articles, min_score: score }));
    });
  }

  if (!available.data) return <NotLoaded loaded={available} what="the recognisers" />;
  const [recognisers, labels] = available.data;
  const spanLabels = new Set(labels.filter((l) => l.kind === "span").map((l) => l.name));

  return (
    <>
      <form className="card" onSubmit={(e) => void submit(e)} aria-label="Pre-annotation">
        <fieldset>
          <legend>Recognisers</legend>
          <p className="hint">They run in the order ticked. Annotators then accept or reject what they propose.</p>
          {recognisers.map((r) => {
            const missing = r.labels.filter((name) => !spanLabels.has(name));
            const id = `recogniser-${r.name}`;
            return (
              <div key={r.name} className="recogniser">
                <label className="check" htmlFor={id}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={chosen.includes(r.name)}
                    onChange={(e) =>
                      setChosen(e.target.checked ? [...chosen, r.name] : chosen.filter((n) => n !== r.name))
                    }
                    aria-describedby={`${id}-about`}
                  />
                  {r.name}
                </label>
                <p className="hint" id={`${id}-about`}>
                  {r.description} (version {r.version}
                  {r.labels.length ? `; proposes ${r.labels.join(", ")}` : "; proposes the project's own labels"}
                  {r.relations.length ? ` and ${r.relations.join(", ")} links` : ""})
                  {missing.length > 0 && <span className="field-error"> The project has no {missing.join(", ")} label.</span>}
                </p>
              </div>
            );
          })}
          {fieldError(error, "recognisers") && <span className="field-error">{fieldError(error, "recognisers")}</span>}
        </fieldset>
        <div className="form-grid">
          <label>
            Articles
            <select value={articles} onChange={(e) => setArticles(e.target.value as "all" | "unannotated")}>
              <option value="unannotated">unannotated (no one has marked or submitted them)</option>
              <option value="all">all</option>
            </select>
          </label>
          <label>
            Minimum score
            <input
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={minScore}
              onChange={(e) => setMinScore(e.target.value)}
              aria-invalid={!scoreOk}
            />
            {!scoreOk && <span className="field-error">A number from 0 to 1.</span>}
            {fieldError(error, "min_score") && <span className="field-error">{fieldError(error, "min_score")}</span>}
          </label>
        </div>
        <ErrorMessage error={error} prefix="Pre-annotation did not start:" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || running || chosen.length === 0 || !scoreOk}>
            {busy ? "Starting…" : "Start"}
          </button>
          {chosen.length === 0 && <span className="hint">Tick at least one recogniser.</span>}
        </div>
      </form>

      <JobPanel watch={watch} label="Pre-annotation progress">
        {(job) => <PreannotateResult job={job} />}
      </JobPanel>

      <JobHistory
        id="preannotate-history"
        title="Recent runs"
        history={history}
        columns={[
          {
            head: "Recognisers",
            cell: (job) => preannotateReport(job.result)?.recognisers.map(([name]) => name).join(", "),
          },
          {
            head: "Created",
            numeric: true,
            cell: (job) =>
              preannotateReport(job.result)?.counts.find(([text]) => text === "Suggestions created")?.[1] ?? "",
          },
        ]}
      />
    </>
  );
}

function PreannotateResult({ job }: { job: Job }) {
  const report = preannotateReport(job.result);
  if (!report) return null;
  return (
    <div>
      {job.status === "succeeded" && (
        <p className="ok" role="status">
          Done. Annotators now see the new suggestions on their articles.
        </p>
      )}
      <table className="compact">
        <caption className="visually-hidden">Pre-annotation result</caption>
        <tbody>
          {report.counts.map(([text, n]) => (
            <tr key={text}>
              <th scope="row">{text}</th>
              <td className="num">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.recognisers.length > 0 && (
        <p className="hint">Ran: {report.recognisers.map(([name, version]) => `${name} ${version}`).join(", ")}</p>
      )}
      {report.unknownLabels.length > 0 && (
        <p className="error">
          Proposals of labels the project lacks (not written):{" "}
          {report.unknownLabels.map(([name, n]) => `${name} (${n})`).join(", ")}
        </p>
      )}
    </div>
  );
}
