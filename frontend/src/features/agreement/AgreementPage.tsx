// The Agreement page (issue 15): the report's headline figures with their definitions, the
// pairwise heatmap, the per-label bars, the hardest articles (to the adjudication page), CSV
// downloads, and the API's filters kept in the URL. Loaded lazily: its charts stay out of the
// annotate page's bundle.
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";

import { agreement, type AgreementReport } from "../../lib/api/agreement";
import type { Project } from "../../lib/api/client";
import { useLoad } from "../../shared/hooks/useLoad";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { LabelBarChart, PairHeatmap } from "./AgreementCharts";
import {
  DOCS,
  formatValue,
  headlineFigures,
  labelBars,
  PAIR_METRICS,
  pairMatrix,
  queryFromParams,
  withFilter,
  type PairMetric,
} from "./agreement";

import "./agreement.css";

export default function AgreementPage() {
  return (
    <ProjectPage title="Agreement" roles={["admin", "reviewer", "researcher"]}>
      {(project) => <Agreement project={project} />}
    </ProjectPage>
  );
}

function Agreement({ project }: { project: Project }) {
  const [params, setParams] = useSearchParams();
  const query = queryFromParams(params);
  const loaded = useLoad(
    () => agreement.report(project.id, query),
    [project.id, query.labels, query.status, query.annotators, query.match],
  );
  return (
    <>
      <Filters params={params} onChange={setParams} />
      <p className="downloads">
        Download CSV: <a href={agreement.csvUrl(project.id, query, "pairs")}>pairs of annotators</a>
        {" · "}
        <a href={agreement.csvUrl(project.id, query, "labels")}>labels</a>
      </p>
      {loaded.data ? (
        <Report report={loaded.data} projectId={project.id} />
      ) : (
        <NotLoaded loaded={loaded} what="the agreement report" />
      )}
    </>
  );
}

function Filters({ params, onChange }: { params: URLSearchParams; onChange: (p: URLSearchParams) => void }) {
  const [labels, setLabels] = useState(params.get("labels") ?? "");
  const [annotators, setAnnotators] = useState(params.get("annotators") ?? "");
  return (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(withFilter(withFilter(params, "labels", labels), "annotators", annotators));
      }}
    >
      <label>
        Labels <input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="all (comma-separated)" />
      </label>{" "}
      <label>
        Annotators{" "}
        <input value={annotators} onChange={(e) => setAnnotators(e.target.value)} placeholder="all (comma-separated)" />
      </label>{" "}
      <button type="submit">Apply</button>{" "}
      <label>
        Layers
        <select value={params.get("status") ?? "submitted"} onChange={(e) => onChange(withFilter(params, "status", e.target.value))}>
          <option value="submitted">Submitted</option>
          <option value="any">Any (in progress too)</option>
        </select>
      </label>{" "}
      <label>
        Span matching
        <select value={params.get("match") ?? "exact"} onChange={(e) => onChange(withFilter(params, "match", e.target.value))}>
          <option value="exact">Exact</option>
          <option value="overlap">Overlap</option>
        </select>
      </label>
    </form>
  );
}

function Report({ report, projectId }: { report: AgreementReport; projectId: number }) {
  const [metric, setMetric] = useState<PairMetric>("span_f1");
  const metricName = PAIR_METRICS.find(([key]) => key === metric)?.[1] ?? metric;
  return (
    <>
      <p className="summary">
        {report.articles} articles compared between {report.annotators.length} annotators
        {report.annotators.length > 0 ? ` (${report.annotators.join(", ")})` : ""}; matching {report.match}, layers {report.status}.
      </p>
      <ul className="headline" aria-label="Headline figures">
        {headlineFigures(report).map((f) => (
          <li key={f.key} data-figure={f.key}>
            <span className="name">{f.name}</span>
            <strong className="value">{formatValue(f.value)}</strong>
            {f.reason && <span className="reason">{f.reason}</span>}
            <details>
              <summary>Definition</summary>
              {f.definition} See {DOCS}#{f.anchor}.
            </details>
          </li>
        ))}
      </ul>
      <h2>Pairs of annotators</h2>
      <label>
        Figure{" "}
        <select value={metric} onChange={(e) => setMetric(e.target.value as PairMetric)}>
          {PAIR_METRICS.map(([key, name]) => (
            <option key={key} value={key}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {report.annotators.length >= 2 ? <PairHeatmap rows={pairMatrix(report, metric)} label={metricName} /> : <p>Fewer than two annotators: no pairs.</p>}
      <h2>Per label</h2>
      <div className="bars">
        {labelBars(report).map((group) => (
          <LabelBarChart key={group.title} group={group} />
        ))}
      </div>
      <h2>Hardest articles</h2>
      {report.hardest_articles.length === 0 ? (
        <p>No article with two layers to compare.</p>
      ) : (
        <table className="hardest">
          <thead>
            <tr>
              <th>Article</th>
              <th>Annotators</th>
              <th>Disagreement</th>
            </tr>
          </thead>
          <tbody>
            {report.hardest_articles.map((a) => (
              <tr key={a.article}>
                <td>
                  <Link to={`/projects/${projectId}/articles/${a.article}/review`}>{a.title || a.external_id}</Link>
                </td>
                <td>{a.annotators}</td>
                <td>{formatValue(a.disagreement)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
