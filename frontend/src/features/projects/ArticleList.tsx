// The project's articles, paged by the server, with the API's filters (search, the caller's
// status, has_label, and for those who see everyone's work assigned_to), kept in the URL.
import { Link, useSearchParams } from "react-router-dom";

import { articles, members, type ArticleQuery, type Label, type Project } from "../../lib/api/client";
import { useLoad } from "../../shared/hooks/useLoad";
import { presentOn } from "../../shared/hooks/presence";
import { useSession } from "../../shared/hooks/session";
import { usePresence } from "../../shared/hooks/useLive";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { PresenceBadges } from "../../shared/ui/PresenceBadges";

const PAGE_SIZE = 50;
const STATUSES = ["not_started", "in_progress", "submitted", "skipped"] as const;

export function ArticleList({ project, labels }: { project: Project; labels: Label[] }) {
  const [params, setParams] = useSearchParams();
  const presence = usePresence(project.id); // who has which article open (docs/live.md)
  const { me } = useSession();
  const seesAll = project.role !== "annotator";
  const search = params.get("search") ?? "";
  const status = params.get("status") ?? "";
  const hasLabel = params.get("has_label") ?? "";
  const assignedTo = seesAll ? (params.get("assigned_to") ?? "") : "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const query = { search, status, has_label: hasLabel, assigned_to: assignedTo, page, page_size: PAGE_SIZE } as ArticleQuery;
  const loaded = useLoad(() => articles.list(project.id, query), [project.id, search, status, hasLabel, assignedTo, page]);
  const people = useLoad(
    () => (seesAll ? members.list(project.id).then((p) => p.results.filter((m) => m.role === "annotator")) : Promise.resolve([])),
    [project.id, seesAll],
  );
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "page") next.delete("page");
    setParams(next, { replace: true });
  };
  const data = loaded.data;
  return (
    <section className="card" aria-label="Articles">
      <h2>Articles</h2>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" defaultValue={search} onChange={(e) => set("search", e.target.value.trim())} placeholder="words or an external id" />
        </label>{" "}
        <label>
          My status
          <select value={status} onChange={(e) => set("status", e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Has label
          <select value={hasLabel} onChange={(e) => set("has_label", e.target.value)}>
            <option value="">any</option>
            {labels
              .filter((l) => l.kind === "span")
              .map((l) => (
                <option key={l.id} value={l.name}>
                  {l.name}
                </option>
              ))}
          </select>
        </label>{" "}
        {seesAll && (
          <label>
            Assigned to
            <select value={assignedTo} onChange={(e) => set("assigned_to", e.target.value)}>
              <option value="">anyone</option>
              {(people.data ?? []).map((m) => (
                <option key={m.id} value={m.username}>
                  {m.username}
                </option>
              ))}
            </select>
          </label>
        )}
      </form>
      {!data ? (
        <NotLoaded loaded={loaded} what="the articles" />
      ) : (
        <>
          <p className="hint" data-testid="article-count">
            {data.count} articles
          </p>
          <table>
            <thead>
              <tr>
                <th>Article</th>
                <th>My status</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/projects/${project.id}/articles/${a.id}`}>{a.title || a.external_id}</Link>
                    {seesAll && (
                      <>
                        {" "}
                        <Link to={`/projects/${project.id}/articles/${a.id}/review`}>review</Link>
                      </>
                    )}
                  </td>
                  <td>
                    {a.my_status.replace("_", " ")}
                    <PresenceBadges users={presentOn(presence, a.id, me?.username)} label="Open now by" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="actions" aria-label="Article pages">
            <button type="button" disabled={!data.previous} onClick={() => set("page", String(page - 1))}>
              Previous page
            </button>
            <span>
              Page {page} of {Math.max(1, Math.ceil(data.count / PAGE_SIZE))}
            </span>
            <button type="button" disabled={!data.next} onClick={() => set("page", String(page + 1))}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
