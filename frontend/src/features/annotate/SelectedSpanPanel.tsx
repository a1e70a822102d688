// The selected span: a suggestion to accept or reject, or an own span to relabel, link or delete.
import type { Label } from "../../lib/api/client";
import { relationsFrom, type LocalSpan } from "./model";

interface Props {
  selected: LocalSpan;
  spanLabels: readonly Label[];
  relationLabels: readonly Label[];
  onDecide: (id: number, accept: boolean) => void;
  onRelabel: (id: number, label: string) => void;
  onLink: (relation: Label) => void;
  onDelete: (id: number) => void;
}

export function SelectedSpanPanel({ selected, spanLabels, relationLabels, onDecide, onRelabel, onLink, onDelete }: Props) {
  return (
    <section className="card selected-panel" aria-label="Selected span">
      <h2>
        {selected.suggestion ? "Suggestion" : "Span"}: {selected.label}
      </h2>
      <p className="quote">“{selected.text}”</p>
      {selected.suggestion ? (
        <>
          <p>
            {selected.recogniser}, score {selected.score ?? "?"}
          </p>
          <button type="button" className="primary" onClick={() => onDecide(selected.id, true)}>
            Accept (Enter)
          </button>{" "}
          <button type="button" onClick={() => onDecide(selected.id, false)}>
            Reject (x)
          </button>
        </>
      ) : (
        <>
          <label>
            Label
            <select value={selected.label} onChange={(e) => onRelabel(selected.id, e.target.value)}>
              {spanLabels.map((l) => (
                <option key={l.id} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          {relationsFrom(relationLabels, selected.label).map((r) => (
            <button type="button" key={r.id} onClick={() => onLink(r)}>
              Link {r.name} {r.hotkey && <kbd>{r.hotkey}</kbd>}
            </button>
          ))}{" "}
          <button type="button" className="danger" onClick={() => onDelete(selected.id)}>
            Delete (Backspace)
          </button>
        </>
      )}
    </section>
  );
}
