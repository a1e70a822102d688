// The Graph page (issue 16): one layer's argument graph. SAME_CLAIM clusters are compound
// nodes, speakers are nodes of their own joined to the spans they said, rebuts/supports are
// styled edges; filters (layer, labels, speaker) live in the URL and go to the API; a click on
// a span shows its text and links to it in its article.
//
// Drawn with Cytoscape.js: a well-kept canvas library (typed, no WebGL needed, compound nodes
// built in, so clusters need no extra plugin), 147 kB gzipped in this page's own lazy chunk.
// sigma.js + graphology is faster past tens of thousands of nodes but needs WebGL (absent on
// many headless and remote desktops) and has no compound nodes. Past 400 nodes the page skips
// the force layout (a preset grid), compound nodes and arrowheads, and Cytoscape draws 5,000
// spans in about 1.5 s from navigation (python -m bench.ui_graph; target 2 s).
import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";

import type { Project } from "../../lib/api/client";
import { members } from "../../lib/api/client";
import { graph } from "../../lib/api/graph";
import { useLoad } from "../../shared/hooks/useLoad";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { GraphCanvas } from "./GraphCanvas";
import { GraphLegend } from "./GraphLegend";
import { apiQuery, filtersFromParams, spanLink, toElements, withFilter, type GraphData, type GraphFilters, type GraphSummary } from "./graph";

import "./graph.css";

const READS_ALL_LAYERS = ["admin", "reviewer", "researcher"];
const WRITES_A_LAYER = ["admin", "reviewer", "annotator"];
const LARGE = 400;

declare global {
  interface Window {
    /** The drawn graph's counts, for browser tests and the bench (a canvas can't be queried). */
    __graph?: GraphSummary & { drawnMs: number | null; createdMs: number | null; onScreen: Record<string, { x: number; y: number }> };
  }
}

export default function GraphPage() {
  return (
    <ProjectPage title="Graph" roles={["admin", "reviewer", "researcher", "annotator"]}>
      {(project) => <Graph project={project} />}
    </ProjectPage>
  );
}

function Graph({ project }: { project: Project }) {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const readsAll = !!project.role && READS_ALL_LAYERS.includes(project.role);
  const loaded = useLoad(() => graph.get(project.id, apiQuery(filters)), [project.id, filters.layer, filters.labels, filters.speaker]);
  return (
    <>
      <Filters params={params} onChange={setParams} projectId={project.id} readsAll={readsAll} />
      {loaded.data ? <Drawing data={loaded.data} projectId={project.id} /> : <NotLoaded loaded={loaded} what="the graph" />}
    </>
  );
}

function Filters(props: { params: URLSearchParams; onChange: (p: URLSearchParams) => void; projectId: number; readsAll: boolean }) {
  const { params, onChange, projectId, readsAll } = props;
  const current = filtersFromParams(params);
  const [labels, setLabels] = useState(current.labels);
  const [speaker, setSpeaker] = useState(current.speaker);
  const layers = useLoad(
    () => (readsAll ? members.list(projectId).then((page) => page.results.filter((m) => WRITES_A_LAYER.includes(m.role)).map((m) => m.username)) : Promise.resolve([])),
    [projectId, readsAll],
  );
  const set = (key: keyof GraphFilters, value: string) => onChange(withFilter(params, key, value));
  return (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(withFilter(withFilter(params, "labels", labels), "speaker", speaker));
      }}
    >
      {readsAll && (
        <label>
          Layer{" "}
          <select value={current.layer || "gold"} onChange={(e) => set("layer", e.target.value === "gold" ? "" : e.target.value)}>
            <option value="gold">Gold</option>
            {(layers.data ?? []).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}{" "}
      <label>
        Labels <input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="all (span or relation, comma-separated)" />
      </label>{" "}
      <label>
        Speaker <input value={speaker} onChange={(e) => setSpeaker(e.target.value)} placeholder="anyone" />
      </label>{" "}
      <button type="submit">Apply</button>
    </form>
  );
}

function Drawing({ data, projectId }: { data: GraphData; projectId: number }) {
  const { elements, summary, spanLabels } = useMemo(() => toElements(data, data.nodes.length > LARGE), [data]);
  const [selected, setSelected] = useState<Record<string, unknown> | null>(null);
  const [drawn, setDrawn] = useState<{ ms: number; createdMs: number; onScreen: Record<string, { x: number; y: number }> } | null>(null);
  const drawnMs = drawn?.ms ?? null;
  useEffect(() => {
    window.__graph = { ...summary, drawnMs, createdMs: drawn?.createdMs ?? null, onScreen: drawn?.onScreen ?? {} };
  }, [summary, drawnMs, drawn]);
  return (
    <>
      <p
        className="summary"
        data-testid="graph-summary"
        data-spans={summary.spans}
        data-speakers={summary.speakers}
        data-relations={summary.relations}
        data-cross-article={summary.crossArticle}
        data-clusters={summary.clusters}
        data-drawn-ms={drawnMs ?? ""}
      >
        {summary.spans} spans, {summary.speakers} speakers, {summary.relations} relations ({summary.crossArticle} across articles),{" "}
        {summary.clusters} SAME_CLAIM clusters.
      </p>
      {summary.spans === 0 ? (
        <p>No spans in this layer with these filters.</p>
      ) : (
        <div className="graph-layout">
          <GraphCanvas elements={elements} onSelect={setSelected} onDrawn={(ms, onScreen, createdMs) => setDrawn({ ms: Math.round(ms), createdMs: Math.round(createdMs), onScreen })} />
          <aside className="graph-side">
            {selected ? (
              <div className="graph-selected" data-testid="graph-selected">
                <p>
                  <strong>{String(selected.label)}</strong> in {String(selected.article)}
                  {selected.speaker ? `, said by ${String(selected.speaker)}` : ""}
                </p>
                <blockquote>{String(selected.text)}</blockquote>
                <Link to={spanLink(projectId, Number(selected.article_id), Number(selected.span))}>Open in its article</Link>
              </div>
            ) : (
              <p>Click a span to see its text.</p>
            )}
            <GraphLegend spanLabels={spanLabels} relations={summary.byLabel} />
          </aside>
        </div>
      )}
    </>
  );
}
