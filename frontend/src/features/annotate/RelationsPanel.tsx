// The caller's relations (each to delete) and the suggested ones (each to accept or reject);
// a long list draws only the rows in view.
import { memo } from "react";

import { WindowedList } from "../../shared/ui/WindowedList";
import type { LocalRelation, LocalSpan } from "./model";

interface Props {
  relations: readonly LocalRelation[];
  spans: readonly LocalSpan[];
  onDelete: (id: number) => void;
  onDecide: (relation: LocalRelation, accept: boolean) => void;
}

// (memo: the side panel hands it stable callbacks)
export const RelationsPanel = memo(function RelationsPanel({ relations, spans, onDelete, onDecide }: Props) {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const own = relations.filter((r) => !r.suggestion);
  // (one whose span suggestion was decided has lost an end here, and is not offered)
  const suggested = relations.filter((r) => r.suggestion && byId.has(r.from) && byId.has(r.to));
  const end = (id: number, r: LocalRelation) => {
    const span = byId.get(id);
    // (the other end of a relation across articles is not in this article's layer)
    return span ? `${span.label} “${span.text.slice(0, 30)}”` : `a span of article ${r.toArticle ?? "?"}`;
  };
  const describe = (r: LocalRelation) => `${end(r.from, r)} —${r.label}→ ${end(r.to, r)}`;
  return (
    <section className="card" aria-label="Relations">
      <h2>Relations ({own.length})</h2>
      <WindowedList
        items={own}
        row={(r) => (
          <li key={r.id} data-relation-id={r.id}>
            <span className="row-text" title={describe(r)}>
              {describe(r)}
            </span>
            <button type="button" aria-label={`Delete ${r.label} link`} onClick={() => onDelete(r.id)}>
              ✗
            </button>
          </li>
        )}
      />
      {suggested.length > 0 && (
        <>
          <h3>Suggested ({suggested.length})</h3>
          <WindowedList
            items={suggested}
            row={(r) => (
              <li key={r.id} data-relation-suggestion-id={r.id}>
                <span className="row-text" title={describe(r)}>
                  {describe(r)}
                </span>
                <span className="score">{r.score?.toFixed(2) ?? ""}</span>
                <button type="button" aria-label={`Accept ${r.label} suggestion`} onClick={() => onDecide(r, true)}>
                  ✓
                </button>
                <button type="button" aria-label={`Reject ${r.label} suggestion`} onClick={() => onDecide(r, false)}>
                  ✗
                </button>
              </li>
            )}
          />
        </>
      )}
    </section>
  );
});
