// Export: choose format, layers and status; download the stream at once (a plain link: the
// session cookie authenticates it), copy the same URL for scripts, or export into a file as a job.
import { useState } from "react";
import { Link } from "react-router-dom";

import { exporting, members, type ExportFormat, type ExportQuery, type Job, type Project } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { CopyButton } from "../../shared/ui/CopyButton";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { JobPanel } from "../../shared/ui/JobPanel";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useJob } from "../../shared/hooks/useJob";
import { useLoad } from "../../shared/hooks/useLoad";
import { absoluteUrl, curlCommand, layerProblem, parseLayers, STREAM_FORMATS } from "./exportUrl";
import { exportSummary, formatBytes } from "./reports";

const FORMATS: { value: ExportFormat; text: string }[] = [
  { value: "native", text: "native JSONL (every layer, provenance)" },
  { value: "doccano", text: "doccano (one layer, UTF-16 offsets)" },
  { value: "labelstudio", text: "Label Studio (one JSON array)" },
  { value: "conll", text: "CoNLL (tokens, BIO per layer)" },
  { value: "brat", text: "brat (.zip, one layer; export job only)" },
];

export function ExportPage() {
  return (
    <ProjectPage title="Export" roles={["admin", "reviewer", "researcher"]}>
      {(project) => <Exporter project={project} />}
    </ProjectPage>
  );
}

function Exporter({ project }: { project: Project }) {
  const [format, setFormat] = useState<ExportFormat>("native");
  const [layersText, setLayersText] = useState("all");
  const [status, setStatus] = useState("");
  const { run, busy, error } = useAction();
  const [started, setStarted] = useState<Job | null>(null);
  const people = useLoad(() => members.list(project.id).then((page) => page.results), [project.id]);
  const watch = useJob(started);
  const running = !!started && !watch.finished;

  const layers = parseLayers(layersText);
  const query: ExportQuery = { format, layers: layers.length ? layers : ["all"], status };
  const streamable = (STREAM_FORMATS as readonly string[]).includes(format);
  const path = exporting.streamUrl(project.id, query);
  const apiUrl = absoluteUrl(path, window.location.origin);
  const problem = layerProblem(format, layers);
  const usernames = (people.data ?? []).filter((m) => m.role !== "researcher").map((m) => m.username);

  async function startJob() {
    await run(async () => {
      setStarted(await exporting.start(project.id, query));
    });
  }

  return (
    <>
      <form className="card" onSubmit={(e) => e.preventDefault()} aria-label="Export">
        <div className="form-grid">
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.text}
                </option>
              ))}
            </select>
          </label>
          <label>
            Layers
            <input
              value={layersText}
              onChange={(e) => setLayersText(e.target.value)}
              aria-describedby="layers-hint"
              spellCheck={false}
            />
          </label>
          <label>
            Status
            <select value={status} onChange={(e) => setStatus(e.target.value)} aria-describedby="status-hint">
              <option value="">any</option>
              <option value="submitted">submitted</option>
              <option value="in_progress">in progress</option>
              <option value="skipped">skipped</option>
            </select>
          </label>
        </div>
        <p className="hint" id="layers-hint">
          Layers, comma-separated: all, gold, suggestions
          {usernames.length > 0 ? `, or annotators: ${usernames.join(", ")}` : ", or annotator usernames"}.
        </p>
        <p className="hint" id="status-hint">
          Status keeps only annotator layers whose article state is that (articles without one are left out).
        </p>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}

        <h2>Download now</h2>
        {streamable ? (
          <div className="actions">
            {problem ? (
              <span className="button-link disabled" aria-disabled="true">
                Download
              </span>
            ) : (
              <a className="button-link primary" href={path} download>
                Download
              </a>
            )}
            <span className="hint">Streams the export (one snapshot); large projects take a while.</span>
          </div>
        ) : (
          <p className="hint">brat is a zip of files: use “Export to a file” below.</p>
        )}
        <label>
          API URL
          <input className="url-box" readOnly value={apiUrl} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <div className="actions">
          <CopyButton text={apiUrl}>Copy API URL</CopyButton>
        </div>
        <p className="hint">
          With a personal token (<Link to="/tokens">API tokens</Link>): <code>{curlCommand(apiUrl)}</code>. The response's
          X-Export-Cursor header, passed back as since=, gives only what changed.
        </p>

        <h2>Export to a file</h2>
        <p className="hint">Runs as a job on a worker and keeps the file, with a manifest (counts, SHA-256, cursor).</p>
        <ErrorMessage error={error} prefix="The export did not start:" />
        <div className="actions">
          <button type="button" onClick={() => void startJob()} disabled={busy || running || !!problem}>
            {busy ? "Starting…" : "Export to a file"}
          </button>
        </div>
      </form>
      <JobPanel watch={watch} label="Export progress">
        {(job) => <ExportResult job={job} projectId={project.id} />}
      </JobPanel>
    </>
  );
}

function ExportResult({ job, projectId }: { job: Job; projectId: number }) {
  if (job.status !== "succeeded") return null;
  const summary = exportSummary(job.result);
  return (
    <div>
      <p className="ok" role="status">
        The file is ready
        {summary ? `: ${summary.articles} articles, ${formatBytes(summary.bytes)}` : ""}.
      </p>
      <div className="actions">
        <a className="button-link" href={exporting.downloadUrl(projectId, job.id)} download>
          Save the exported file
        </a>
      </div>
      {summary?.sha256 && (
        <p className="hint">
          SHA-256 <code>{summary.sha256}</code>; cursor <code>{summary.cursor}</code>
        </p>
      )}
    </div>
  );
}
