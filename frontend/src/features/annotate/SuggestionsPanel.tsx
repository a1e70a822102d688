// The pending span suggestions: each to accept or reject, or all scoring at least a threshold;
// a long list draws only the rows in view.
import { useState } from "react";

import { WindowedList } from "../../shared/ui/WindowedList";
import type { LocalSpan } from "./model";
import { SpanRow } from "./SpanRow";

interface Props {
  pending: readonly LocalSpan[];
  colour: (label: string) => string;
  selectedId: number | null;
  onSelect: (id: number) => void;
  onDecide: (id: number, accept: boolean) => void;
  onAcceptAll: (threshold: number) => void;
}

export function SuggestionsPanel({ pending, colour, selectedId, onSelect, onDecide, onAcceptAll }: Props) {
  const [threshold, setThreshold] = useState(0.8);
  return (
    <section className="card" aria-label="Suggestions">
      <h2>Suggestions ({pending.length})</h2>
      <div className="accept-all">
        <label className="inline">
          Accept all scoring at least
          <input
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={threshold}
            onChange={(e) => setThreshold(Number(e.target.value))}
          />
        </label>
        <button type="button" onClick={() => onAcceptAll(threshold)} disabled={pending.length === 0}>
          Accept all
        </button>
      </div>
      <WindowedList
        items={pending}
        row={(s) => (
          <SpanRow key={s.id} span={s} colour={colour(s.label)} selected={s.id === selectedId} onSelect={onSelect} onDecide={onDecide} />
        )}
      />
    </section>
  );
}
