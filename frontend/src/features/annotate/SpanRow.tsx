// One row of the span or suggestion list; memoised, so a change re-renders only its rows.
import { memo } from "react";

import type { LocalSpan } from "./model";

interface Props {
  span: LocalSpan;
  colour: string;
  selected: boolean;
  onSelect: (id: number) => void;
  onDecide?: (id: number, accept: boolean) => void;
}

export const SpanRow = memo(function SpanRow({ span, colour, selected, onSelect, onDecide }: Props) {
  const hook = span.suggestion ? { "data-suggestion-id": span.id } : { "data-span-id": span.id };
  return (
    <li {...hook} className={selected ? "selected" : ""}>
      <button type="button" className="link" onClick={() => onSelect(span.id)}>
        <span className="swatch" style={{ background: colour }} /> {span.label} “{span.text.slice(0, 50)}”
      </button>
      {onDecide && (
        <>
          <span className="score">{span.score?.toFixed(2) ?? ""}</span>
          <button type="button" aria-label={`Accept ${span.label} ${span.text}`} onClick={() => onDecide(span.id, true)}>
            ✓
          </button>
          <button type="button" aria-label={`Reject ${span.label} ${span.text}`} onClick={() => onDecide(span.id, false)}>
            ✗
          </button>
        </>
      )}
    </li>
  );
});
