// The reviewer's view of one article: every annotator's layer, gold and the suggestions side
// by side, each with its spans marked in the text and listed with its relations. (Adjudicating
// into gold comes later; this shows the layers.)
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";

import { articles, members, projects, recogniserVersion, type Article, type Label, type Project, type Span } from "../../lib/api/client";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { codePointLength } from "../../lib/text/offsets";
import { ArticleText, type DrawnSpan } from "../../shared/ui/articleText/ArticleText";
import { isColour, tint } from "../../shared/ui/colours";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useLoad } from "../../shared/hooks/useLoad";
import { neighbours, reviewLayers, type ReviewLayer } from "./review";

export function ReviewPage() {
  return (
    <ProjectPage title="Review" roles={["admin", "reviewer", "researcher"]}>
      {(project) => <Review project={project} />}
    </ProjectPage>
  );
}

function Review({ project }: { project: Project }) {
  const articleId = Number(useParams().articleId);
  const loaded = useLoad(
    () =>
      Promise.all([
        articles.get(articleId),
        projects.labels(project.id).then((page) => page.results),
        members.list(project.id).then((page) => page.results, () => []),
      ]),
    [articleId, project.id],
  );
  const list = useLoad(() => articles.list(project.id, { page_size: 1000 }), [project.id]);
  // null until the reviewer ticks a box: then suggestions and empty annotator layers start hidden.
  const [chosenHidden, setHidden] = useState<Set<string> | null>(null);

  const data = loaded.data;
  const layers = useMemo(() => {
    if (!data) return [];
    const [article, , people] = data;
    const annotating = people.filter((m) => m.role !== "researcher").map((m) => m.username);
    return reviewLayers(article, annotating);
  }, [data]);

  if (!data) return <NotLoaded loaded={loaded} what="the article" />;
  const [article, labels] = data;
  if (article.project !== project.id) {
    return (
      <p className="error" role="alert">
        This article belongs to another project.
      </p>
    );
  }
  const hidden =
    chosenHidden ??
    new Set(layers.filter((l) => l.kind === "suggestion" || (l.kind === "annotator" && l.spans.length === 0 && l.relations.length === 0 && l.documentLabels.length === 0)).map((l) => l.key));
  const { previous, next } = neighbours(list.data?.results.map((a) => a.id) ?? [], article.id);
  const shown = layers.filter((l) => !hidden.has(l.key));

  return (
    <>
      <h2>{article.title || article.external_id}</h2>
      <p className="hint">
        {article.external_id} · {codePointLength(article.text)} characters ·{" "}
        <Link to={`/projects/${project.id}/articles/${article.id}`}>Annotate it yourself</Link>
        {previous !== null && (
          <>
            {" · "}
            <Link to={`/projects/${project.id}/articles/${previous}/review`}>Previous article</Link>
          </>
        )}
        {next !== null && (
          <>
            {" · "}
            <Link to={`/projects/${project.id}/articles/${next}/review`}>Next article</Link>
          </>
        )}
      </p>
      <div className="actions">
        <button type="button" onClick={() => void loaded.reload()} disabled={loaded.loading}>
          {loaded.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <fieldset>
        <legend>Layers shown</legend>
        <div className="constraint-list">
          {layers.map((layer) => (
            <label key={layer.key} className="check">
              <input
                type="checkbox"
                checked={!hidden.has(layer.key)}
                onChange={(e) => {
                  const nextHidden = new Set(hidden);
                  if (e.target.checked) nextHidden.delete(layer.key);
                  else nextHidden.add(layer.key);
                  setHidden(nextHidden);
                }}
              />
              {layer.title} ({layer.spans.length})
            </label>
          ))}
        </div>
      </fieldset>
      <Legend labels={labels} />
      {shown.length === 0 ? (
        <p className="hint">No layer is shown.</p>
      ) : (
        <div className="review-layers">
          {shown.map((layer) => (
            <LayerColumn key={layer.key} article={article} layer={layer} labels={labels} />
          ))}
        </div>
      )}
    </>
  );
}

function colourOf(labels: Label[], id: number): string {
  const colour = labels.find((l) => l.id === id)?.colour ?? "";
  return isColour(colour) ? colour : "#888888";
}

function Legend({ labels }: { labels: Label[] }) {
  const spanLabels = labels.filter((l) => l.kind === "span");
  if (spanLabels.length === 0) return null;
  return (
    <p className="legend" aria-label="Span labels">
      {spanLabels.map((l) => (
        <span key={l.id}>
          <span className="swatch" style={{ background: colourOf(labels, l.id) }} aria-hidden="true" />
          {l.name}
        </span>
      ))}
    </p>
  );
}

function LayerColumn({ article, layer, labels }: { article: Article; layer: ReviewLayer; labels: Label[] }) {
  const drawn: DrawnSpan[] = useMemo(
    () =>
      layer.spans.map((s) => {
        const colour = colourOf(labels, s.label_id);
        return {
          id: s.id,
          start: s.start,
          end: s.end,
          colour: layer.kind === "suggestion" ? tint(colour, 0.6) : tint(colour, 0.35),
          suggestion: false,
          title: s.label,
        };
      }),
    [layer, labels],
  );
  const byId = new Map<number, Span>(layer.spans.map((s) => [s.id, s]));
  const headingId = `layer-${layer.key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const quote = (id: number) => {
    const span = byId.get(id);
    return span ? `${span.label} “${span.text}”` : `span ${id}`;
  };
  return (
    <section className="review-layer" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {layer.title}{" "}
        <span className="hint">
          {layer.spans.length} spans, {layer.relations.length} relations
        </span>
      </h2>
      {layer.documentLabels.length > 0 && (
        <p className="hint">Document: {layer.documentLabels.map((d) => d.label).join(", ")}</p>
      )}
      <ArticleText text={article.text} spans={drawn} look="fill" className="review-text" />
      {layer.spans.length > 0 && (
        <ol className="review-list" aria-label={`Spans of ${layer.title}`}>
          {layer.spans.map((s) => (
            <li key={s.id}>
              <span className="swatch" style={{ background: colourOf(labels, s.label_id) }} aria-hidden="true" />
              <strong>{s.label}</strong> “{s.text}”{" "}
              <span className="hint">
                [{s.start}, {s.end})
                {s.provenance.origin !== "manual" ? ` ${s.provenance.origin}` : ""}
                {s.provenance.recogniser ? ` by ${s.provenance.recogniser} ${recogniserVersion(s)}` : ""}
                {typeof s.provenance.score === "number" ? ` ${s.provenance.score.toFixed(2)}` : ""}
                {s.suggestion_status && s.suggestion_status !== "pending" ? ` (${s.suggestion_status})` : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
      {layer.relations.length > 0 && (
        <ul className="review-list" aria-label={`Relations of ${layer.title}`}>
          {layer.relations.map((r) => (
            <li key={r.id}>
              {quote(r.from)} <strong>{r.label}</strong> {quote(r.to)}
            </li>
          ))}
        </ul>
      )}
      {layer.spans.length === 0 && layer.relations.length === 0 && <p className="hint">Nothing marked.</p>}
    </section>
  );
}
