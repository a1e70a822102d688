// A project's home for its members: my queue (the next article, what is done, skipped, to do),
// the guidelines (Markdown, raw HTML shown as text), the labels and their keys, the articles.
import { useEffect, useState } from "react";
import Markdown from "react-markdown";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { articles, projects, type ArticleListItem, type ArticleStatus, type Label, type Project } from "../../lib/api/client";

const STATUSES = ["not_started", "in_progress", "submitted", "skipped"] as const;
type Counts = Record<(typeof STATUSES)[number], number>;

const ADMIN_PAGES: [string, string][] = [
  ["settings", "Settings"],
  ["labels", "Labels"],
  ["members", "Members"],
  ["import", "Import"],
  ["preannotate", "Pre-annotation"],
  ["progress", "Progress"],
  ["export", "Export"],
];

export function ProjectHomePage() {
  const projectId = Number(useParams().projectId);
  // Another project's page starts afresh: nothing of the last one is shown while it loads.
  return <ProjectHome key={projectId} projectId={projectId} />;
}

function ProjectHome({ projectId }: { projectId: number }) {
  const [params] = useSearchParams();
  const [project, setProject] = useState<Project | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [next, setNext] = useState<ArticleListItem | null>(null);
  const [list, setList] = useState<ArticleListItem[]>([]);
  const [error, setError] = useState("");

  useEffect(() => {
    const countOf = (status: ArticleStatus) => articles.list(projectId, { status, page_size: 1 }).then((p) => p.count);
    Promise.all([
      projects.get(projectId),
      projects.labels(projectId).then((page) => page.results),
      Promise.all(STATUSES.map(countOf)),
      articles.list(projectId, { status: "in_progress", page_size: 1 }),
      articles.list(projectId, { status: "not_started", page_size: 1 }),
      articles.list(projectId, { page_size: 100 }),
    ])
      .then(([p, l, c, started, fresh, all]) => {
        setProject(p);
        setLabels(l);
        setCounts(Object.fromEntries(STATUSES.map((s, i) => [s, c[i]!])) as Counts);
        setNext(started.results[0] ?? fresh.results[0] ?? null);
        setList(all.results);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [projectId]);

  if (error) return <p className="error" role="alert">Could not load the project: {error}</p>;
  if (!project || !counts) return <p className="loading">Loading…</p>;
  const canAnnotate = project.role !== "researcher";

  return (
    <div className="project-home">
      <h1>{project.name}</h1>
      {project.description && <p>{project.description}</p>}
      {project.role === "admin" && (
        <nav className="subnav" aria-label="Project administration">
          {ADMIN_PAGES.map(([path, name]) => (
            <Link key={path} to={`/projects/${projectId}/${path}`}>
              {name}
            </Link>
          ))}
        </nav>
      )}
      {project.role === "reviewer" && (
        <nav className="subnav">
          <Link to={`/projects/${projectId}/progress`}>Progress</Link>
          <Link to={`/projects/${projectId}/export`}>Export</Link>
        </nav>
      )}
      <div className="columns">
        <section className="card" aria-label="My queue">
          <h2>My queue</h2>
          {params.get("done") && <p role="status">No more articles waiting for you. Well done.</p>}
          <dl className="counts">
            <dt>To do</dt>
            <dd data-testid="count-todo">{counts.not_started + counts.in_progress}</dd>
            <dt>Done</dt>
            <dd data-testid="count-done">{counts.submitted}</dd>
            <dt>Skipped</dt>
            <dd data-testid="count-skipped">{counts.skipped}</dd>
          </dl>
          {canAnnotate && next ? (
            <Link className="button primary" to={`/projects/${projectId}/articles/${next.id}`}>
              {next.my_status === "in_progress" ? "Continue" : "Start"}: {next.title || next.external_id}
            </Link>
          ) : (
            <p>{canAnnotate ? "Nothing left to annotate." : "Researchers read; they do not annotate."}</p>
          )}
        </section>
        <section className="card" aria-label="Labels">
          <h2>Labels</h2>
          <ul className="labels">
            {labels.map((l) => (
              <li key={l.id}>
                <span className="swatch" style={{ background: l.colour }} /> {l.name}{" "}
                {l.hotkey && <kbd>{l.hotkey}</kbd>} <small>{l.kind}</small>
                {l.description && <div className="muted">{l.description}</div>}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="card guidelines" aria-label="Guidelines">
        <h2>Guidelines</h2>
        {project.guidelines ? (
          // react-markdown builds React elements; raw HTML in the Markdown stays text.
          <Markdown>{project.guidelines}</Markdown>
        ) : (
          <p className="muted">No guidelines yet.</p>
        )}
      </section>
      <section className="card" aria-label="Articles">
        <h2>Articles</h2>
        <table>
          <thead>
            <tr>
              <th>Article</th>
              <th>My status</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/projects/${projectId}/articles/${a.id}`}>{a.title || a.external_id}</Link>
                  {project.role !== "annotator" && (
                    <>
                      {" "}
                      <Link to={`/projects/${projectId}/articles/${a.id}/review`}>review</Link>
                    </>
                  )}
                </td>
                <td>{a.my_status.replace("_", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
