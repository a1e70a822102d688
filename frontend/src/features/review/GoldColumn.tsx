// The gold layer beside the annotators' on the adjudication page: what adjudication put
// there, with where each came from; edited on the gold page with the annotate page's keys.
import { useMemo } from "react";
import { Link } from "react-router-dom";

import type { Article, Span } from "../../lib/api/client";
import { ArticleText, type DrawnSpan } from "../../shared/ui/articleText/ArticleText";
import { tint } from "../../shared/ui/colours";
import type { ReviewLayer } from "./review";

interface Props {
  article: Article;
  layer: ReviewLayer;
  projectId: number;
  canWrite: boolean;
  threadIds: ReadonlySet<number>;
  onSelectSpan: (span: Span) => void;
}

function origin(span: Span): string {
  const p = span.provenance;
  if (p.origin === "adjudicated") return `from ${(p.from ?? []).join(", ")}${p.by ? ` by ${p.by}` : ""}`;
  return p.origin;
}

export function GoldColumn({ article, layer, projectId, canWrite, threadIds, onSelectSpan }: Props) {
  const drawn: DrawnSpan[] = useMemo(
    () => layer.spans.map((s) => ({ id: s.id, start: s.start, end: s.end, colour: tint("#1565c0", 0.55), suggestion: false, title: s.label })),
    [layer],
  );
  const byId = new Map(layer.spans.map((s) => [s.id, s]));
  const quote = (id: number) => {
    const s = byId.get(id);
    return s ? `${s.label} “${s.text}”` : `span ${id}`;
  };
  const spans = [...layer.spans].sort((a, b) => a.start - b.start || a.end - b.end);
  return (
    <section className="review-layer gold-layer" aria-labelledby="layer-gold">
      <h2 id="layer-gold">
        Gold <span className="hint">{layer.spans.length} spans, {layer.relations.length} relations</span>
      </h2>
      {canWrite && (
        <p>
          <Link className="button-link" to={`/projects/${projectId}/articles/${article.id}/gold`}>
            Edit gold
          </Link>
        </p>
      )}
      {layer.documentLabels.length > 0 && <p className="hint">Document: {layer.documentLabels.map((d) => d.label).join(", ")}</p>}
      <ArticleText text={article.text} spans={drawn} look="fill" className="review-text" threadIds={threadIds} />
      {spans.length > 0 && (
        <ol className="review-list" aria-label="Spans of Gold">
          {spans.map((s) => (
            <li key={s.id}>
              <button type="button" className="link" onClick={() => onSelectSpan(s)} title="Show its comments">
                <strong>{s.label}</strong> “{s.text}”
              </button>{" "}
              <span className="hint">
                [{s.start}, {s.end}) {origin(s)}
              </span>
            </li>
          ))}
        </ol>
      )}
      {layer.relations.length > 0 && (
        <ul className="review-list" aria-label="Relations of Gold">
          {layer.relations.map((r) => (
            <li key={r.id}>
              {quote(r.from)} <strong>{r.label}</strong> {quote(r.to)}
            </li>
          ))}
        </ul>
      )}
      {layer.spans.length === 0 && layer.relations.length === 0 && <p className="hint">Nothing in gold yet.</p>}
    </section>
  );
}
