// Import a file of articles (and annotations): upload it, watch the job, read its report with
// per-line errors.
import { useRef, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { imports, type ImportFormat, type ImportOptions, type Job, type Project } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { DataTable } from "../../shared/ui/DataTable";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { JobHistory } from "../../shared/ui/JobHistory";
import { fieldError } from "../../shared/ui/errors";
import { JobPanel } from "../../shared/ui/JobPanel";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useJob } from "../../shared/hooks/useJob";
import { useLoad } from "../../shared/hooks/useLoad";
import { importReport } from "./reports";

const FORMATS: { value: ImportFormat; text: string }[] = [
  { value: "native", text: "native JSONL (this tool's export)" },
  { value: "doccano", text: "doccano" },
  { value: "labelstudio", text: "Label Studio" },
  { value: "brat", text: "brat (.zip of .txt + .ann)" },
];

export function ImportPage() {
  return (
    <ProjectPage title="Import" roles={["admin"]}>
      {(project) => <Importer project={project} />}
    </ProjectPage>
  );
}

function Importer({ project }: { project: Project }) {
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<ImportOptions>({ format: "native", on_error: "abort", create_labels: false, layer: "" });
  const { run, busy, error } = useAction();
  const [started, setStarted] = useState<Job | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const history = useLoad(() => imports.list(project.id), [project.id]);
  const watch = useJob(started, () => void history.reload());
  const running = !!started && !watch.finished;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    await run(async () => {
      setStarted(await imports.start(project.id, file, options));
    });
  }

  return (
    <>
      <form className="card" onSubmit={(e) => void submit(e)} aria-label="Upload articles">
        <p className="hint">
          .jsonl, .json, .txt (one article) or a .zip of those. Every line is checked first; with “write nothing”
          one bad line means nothing is imported. See docs/formats.md for the record shapes.
        </p>
        <label>
          File
          <input
            ref={fileInput}
            type="file"
            accept=".jsonl,.json,.txt,.zip,.ndjson"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            required
          />
          {fieldError(error, "file") && <span className="field-error">{fieldError(error, "file")}</span>}
        </label>
        <div className="form-grid">
          <label>
            Format
            <select value={options.format} onChange={(e) => setOptions({ ...options, format: e.target.value as ImportFormat })}>
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.text}
                </option>
              ))}
            </select>
          </label>
          <label>
            On errors
            <select
              value={options.on_error}
              onChange={(e) => setOptions({ ...options, on_error: e.target.value as "abort" | "skip" })}
            >
              <option value="abort">write nothing (all or nothing)</option>
              <option value="skip">skip bad lines, write the rest</option>
            </select>
          </label>
          <label>
            Layer
            <input
              value={options.layer}
              onChange={(e) => setOptions({ ...options, layer: e.target.value })}
              placeholder="as the file says"
              list="import-layers"
              aria-describedby="layer-hint"
            />
            <datalist id="import-layers">
              <option value="gold" />
              <option value="suggestions" />
              <option value="none" />
            </datalist>
            {fieldError(error, "layer") && <span className="field-error">{fieldError(error, "layer")}</span>}
          </label>
        </div>
        <p className="hint" id="layer-hint">
          Layer: empty (as the file says), gold, suggestions, annotator:&lt;username&gt;, or none (articles only).
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={options.create_labels}
            onChange={(e) => setOptions({ ...options, create_labels: e.target.checked })}
          />
          Create missing labels (ones the upload uses that the project lacks)
        </label>
        <ErrorMessage error={error} prefix="The import did not start:" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || running || !file}>
            {busy ? "Uploading…" : "Start import"}
          </button>
          {started && watch.finished && (
            <button
              type="button"
              onClick={() => {
                setStarted(null);
                setFile(null);
                if (fileInput.current) fileInput.current.value = "";
              }}
            >
              Import another file
            </button>
          )}
        </div>
      </form>

      <JobPanel watch={watch} label="Import progress">
        {(job) => <ImportResult job={job} projectId={project.id} />}
      </JobPanel>

      <JobHistory
        id="import-history"
        title="Recent imports"
        history={history}
        columns={[
          {
            head: "File",
            cell: (job) => {
              const filename = (job.result as { filename?: unknown } | null)?.filename;
              return typeof filename === "string" ? filename : "";
            },
          },
          { head: "Records", numeric: true, cell: (job) => importReport(job.result)?.records ?? "" },
          { head: "Errors", numeric: true, cell: (job) => importReport(job.result)?.errorCount ?? "" },
        ]}
      />
    </>
  );
}

function ImportResult({ job, projectId }: { job: Job; projectId: number }) {
  const report = importReport(job.result);
  if (!report) return job.status === "succeeded" ? <p>Finished.</p> : null;
  const withFiles = report.errors.some((e) => e.file);
  return (
    <div>
      {report.written ? (
        <p className="ok" role="status">
          Imported: {report.valid} of {report.records} records written.{" "}
          <Link to={`/projects/${projectId}`}>Go to the articles</Link>
        </p>
      ) : job.status === "failed" && job.error ? null : (
        <p className="error" role="status">
          Nothing was written: {report.errorCount} of {report.records} records have errors. Fix them and import the file
          again{report.errorCount > 0 ? ", or choose “skip bad lines”" : ""}.
        </p>
      )}
      <table className="compact">
        <caption className="visually-hidden">Import counts</caption>
        <tbody>
          {report.counts
            .filter(([, n], i) => n > 0 || i === 0)
            .map(([text, n]) => (
              <tr key={text}>
                <th scope="row">{text}</th>
                <td className="num">{n}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {report.labelsCreated.length > 0 && <p>Labels created: {report.labelsCreated.join(", ")}</p>}
      {report.errors.length > 0 && (
        <>
          <h3 id="import-errors">
            Errors{report.errorCount > report.errors.length ? ` (the first ${report.errors.length} of ${report.errorCount})` : ""}
          </h3>
          <DataTable
            labelledBy="import-errors"
            columns={[...(withFiles ? ["File"] : []), { head: "Line", numeric: true }, "Field", "Message"]}
          >
            {report.errors.map((e, i) => (
              <tr key={i}>
                {withFiles && <td>{e.file}</td>}
                <td className="num">{e.line ?? ""}</td>
                <td>{e.field}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </div>
  );
}
