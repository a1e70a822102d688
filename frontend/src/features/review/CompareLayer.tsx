// One annotator's layer on the adjudication page: its spans marked in the text by how many
// layers share them (all / some / only this one), listed with a button that takes a version
// into gold, and its relations likewise. Read only: the layer stays the annotator's.
import { useMemo } from "react";

import type { Article, Span } from "../../lib/api/client";
import { ArticleText, type DrawnSpan } from "../../shared/ui/articleText/ArticleText";
import { tint } from "../../shared/ui/colours";
import { AGREEMENT_COLOURS, AGREEMENT_TEXT, agreementClass, relationKey, spanKey, type AgreementMap } from "./agreement";
import type { ReviewLayer } from "./review";

interface Props {
  article: Article;
  layer: ReviewLayer;
  agreement: AgreementMap;
  /** Span and relation identities gold has already. */
  gold: { spans: ReadonlySet<string>; relations: ReadonlySet<string> };
  threadIds: ReadonlySet<number>;
  canCopy: boolean;
  busy: boolean;
  onCopySpan: (span: Span) => void;
  onCopyRelation: (id: number) => void;
  onSelectSpan: (span: Span) => void;
}

export function CompareLayer({ article, layer, agreement, gold, threadIds, canCopy, busy, onCopySpan, onCopyRelation, onSelectSpan }: Props) {
  const byId = useMemo(() => new Map(layer.spans.map((s) => [s.id, s])), [layer]);
  const classOf = (s: Span) => agreementClass(agreement.spans.get(spanKey(s)) ?? 0, agreement.layers);
  const drawn: DrawnSpan[] = useMemo(
    () =>
      layer.spans.map((s) => {
        const cls = agreementClass(agreement.spans.get(spanKey(s)) ?? 0, agreement.layers);
        return { id: s.id, start: s.start, end: s.end, colour: tint(AGREEMENT_COLOURS[cls], 0.55), suggestion: false, title: `${s.label}: ${AGREEMENT_TEXT[cls]}` };
      }),
    [layer, agreement],
  );
  const quote = (id: number) => {
    const span = byId.get(id);
    return span ? `${span.label} “${span.text}”` : `span ${id}`;
  };
  const headingId = `layer-${layer.key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const spans = [...layer.spans].sort((a, b) => a.start - b.start || a.end - b.end);
  return (
    <section className="review-layer" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {layer.title}{" "}
        <span className="hint">
          {layer.spans.length} spans, {layer.relations.length} relations
        </span>
      </h2>
      {layer.documentLabels.length > 0 && <p className="hint">Document: {layer.documentLabels.map((d) => d.label).join(", ")}</p>}
      <ArticleText text={article.text} spans={drawn} look="fill" className="review-text" threadIds={threadIds} />
      {spans.length > 0 && (
        <ol className="review-list" aria-label={`Spans of ${layer.title}`}>
          {spans.map((s) => {
            const cls = classOf(s);
            const inGold = gold.spans.has(spanKey(s));
            return (
              <li key={s.id} className={`agree-${cls}`}>
                <span className="swatch" style={{ background: AGREEMENT_COLOURS[cls] }} aria-hidden="true" />
                <button type="button" className="link" onClick={() => onSelectSpan(s)} title="Show its comments">
                  <strong>{s.label}</strong> “{s.text}”
                </button>{" "}
                <span className="hint">
                  [{s.start}, {s.end}) {AGREEMENT_TEXT[cls]}
                  {threadIds.has(s.id) ? " · open thread" : ""}
                </span>{" "}
                {inGold ? (
                  <span className="hint">· in gold</span>
                ) : (
                  canCopy && (
                    <button type="button" disabled={busy} onClick={() => onCopySpan(s)} aria-label={`Take ${s.label} “${s.text}” of ${layer.title} into gold`}>
                      To gold
                    </button>
                  )
                )}
              </li>
            );
          })}
        </ol>
      )}
      {layer.relations.length > 0 && (
        <ul className="review-list" aria-label={`Relations of ${layer.title}`}>
          {layer.relations.map((r) => {
            const key = relationKey(r, byId);
            const inGold = key !== null && gold.relations.has(key);
            const cls = agreementClass(key ? (agreement.relations.get(key) ?? 0) : 0, agreement.layers);
            return (
              <li key={r.id} className={`agree-${cls}`}>
                {quote(r.from)} <strong>{r.label}</strong> {quote(r.to)} <span className="hint">{AGREEMENT_TEXT[cls]}</span>{" "}
                {inGold ? (
                  <span className="hint">· in gold</span>
                ) : (
                  canCopy && (
                    <button type="button" disabled={busy} onClick={() => onCopyRelation(r.id)} aria-label={`Take ${r.label} of ${layer.title} into gold`}>
                      To gold
                    </button>
                  )
                )}
              </li>
            );
          })}
        </ul>
      )}
      {layer.spans.length === 0 && layer.relations.length === 0 && <p className="hint">Nothing marked.</p>}
    </section>
  );
}
