// The selected span: a suggestion to accept or reject, or an own span to relabel, link (in
// this article or to another), give a speaker (CLAIM, REBUTTAL) or delete.
import { useState } from "react";

import type { Label } from "../../lib/api/client";
import { relationsFrom, type LocalSpan } from "./model";

interface Props {
  selected: LocalSpan;
  spanLabels: readonly Label[];
  relationLabels: readonly Label[];
  onDecide: (id: number, accept: boolean) => void;
  onRelabel: (id: number, label: string) => void;
  onLink: (relation: Label) => void;
  onLinkAcross: () => void;
  onSpeaker: (id: number, speaker: string) => void;
  onDelete: (id: number) => void;
}

/** The span labels whose spans have a speaker. */
const SPOKEN = ["CLAIM", "REBUTTAL"];

export function SelectedSpanPanel(props: Props) {
  const { selected, spanLabels, relationLabels, onDecide, onRelabel, onLink, onLinkAcross, onSpeaker, onDelete } = props;
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
          {relationLabels.some((r) => r.cross_article) && (
            <button type="button" onClick={onLinkAcross}>
              Link to another article <kbd>L</kbd>
            </button>
          )}{" "}
          {SPOKEN.includes(selected.label) && (
            <SpeakerField key={selected.id} initial={selected.speaker ?? ""} onSave={(v) => onSpeaker(selected.id, v)} />
          )}
          <button type="button" className="danger" onClick={() => onDelete(selected.id)}>
            Delete (Backspace)
          </button>
        </>
      )}
    </section>
  );
}

// Saved on Enter or on leaving the field; Esc puts back what was saved.
function SpeakerField({ initial, onSave }: { initial: string; onSave: (speaker: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <label className="speaker">
      Speaker
      <input
        value={value}
        placeholder="who says it"
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => onSave(value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") onSave(value);
          if (e.key === "Escape") setValue(initial);
        }}
      />
    </label>
  );
}
