// The review queue: articles whose annotators have submitted, with their agreement and
// disagreements, sorted as the reviewer picks, paged by the server.
import { Link, useSearchParams } from "react-router-dom";

import type { Project } from "../../lib/api/client";
import { review, type ReviewQueueQuery } from "../../lib/api/workflow";
import { useLoad } from "../../shared/hooks/useLoad";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProjectPage } from "../../shared/ui/ProjectPage";

import "./review.css";

const PAGE_SIZE = 50;
const ORDERINGS = [
  ["-disagreements", "Most disagreements first"],
  ["disagreements", "Fewest disagreements first"],
  ["agreement", "Lowest agreement first"],
  ["id", "Article order"],
] as const;
const STATUSES = [
  ["none", "Not reviewed"],
  ["needs_discussion", "Needs discussion"],
  ["adjudicated", "Adjudicated"],
  ["", "Any"],
] as const;

export function ReviewQueuePage() {
  return (
    <ProjectPage title="Review queue" roles={["admin", "reviewer", "researcher"]}>
      {(project) => <ReviewQueue project={project} />}
    </ProjectPage>
  );
}

function ReviewQueue({ project }: { project: Project }) {
  const [params, setParams] = useSearchParams();
  const ordering = (params.get("ordering") ?? "-disagreements") as ReviewQueueQuery["ordering"];
  // "any" in the URL: no filter (the select's empty value).
  const statusParam = params.get("review_status") ?? "none";
  const status = (statusParam === "any" ? "" : statusParam) as ReviewQueueQuery["review_status"] | "";
  const minSubmitted = params.get("min_submitted") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const query: ReviewQueueQuery = {
    ordering,
    review_status: status || undefined,
    min_submitted: minSubmitted ? Number(minSubmitted) : undefined,
    page,
    page_size: PAGE_SIZE,
  };
  const loaded = useLoad(() => review.queue(project.id, query), [project.id, ordering, status, minSubmitted, page]);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "page") next.delete("page");
    setParams(next);
  };
  const data = loaded.data;
  return (
    <>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Order
          <select value={ordering} onChange={(e) => set("ordering", e.target.value)}>
            {ORDERINGS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Review status
          <select value={status ?? ""} onChange={(e) => set("review_status", e.target.value || "any")}>
            {STATUSES.map(([value, text]) => (
              <option key={text} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          At least this many submitted
          <input type="number" min={1} max={10} value={minSubmitted} placeholder="all assigned" onChange={(e) => set("min_submitted", e.target.value)} />
        </label>
      </form>
      {!data ? (
        <NotLoaded loaded={loaded} what="the review queue" />
      ) : data.results.length === 0 ? (
        <p className="hint">No article is waiting here.</p>
      ) : (
        <>
          <p className="hint">{data.count} articles</p>
          <table className="review-queue">
            <thead>
              <tr>
                <th>Article</th>
                <th>Annotators</th>
                <th>Agreement</th>
                <th>Disagreements</th>
                <th>Gold spans</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/projects/${project.id}/articles/${a.id}/review`}>{a.title || a.external_id}</Link>
                  </td>
                  <td>{a.annotators.map((p) => `${p.username} (${p.status.replace("_", " ")})`).join(", ")}</td>
                  <td className="num">{a.agreement === null ? "n/a" : `${Math.round(a.agreement * 100)}%`}</td>
                  <td className="num">{a.disagreements}</td>
                  <td className="num">{a.gold_spans}</td>
                  <td>{a.review_status ? a.review_status.replace("_", " ") : "not reviewed"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="actions" aria-label="Pages">
            <button type="button" disabled={!data.previous} onClick={() => set("page", String(page - 1))}>
              Previous page
            </button>
            <span>Page {page}</span>
            <button type="button" disabled={!data.next} onClick={() => set("page", String(page + 1))}>
              Next page
            </button>
          </nav>
        </>
      )}
    </>
  );
}
