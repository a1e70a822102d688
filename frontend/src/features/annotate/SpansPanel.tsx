// The caller's own spans, in text order; a long list draws only the rows in view.
import { WindowedList } from "../../shared/ui/WindowedList";
import type { LocalSpan } from "./model";
import { SpanRow } from "./SpanRow";

interface Props {
  own: readonly LocalSpan[];
  colour: (label: string) => string;
  selectedId: number | null;
  onSelect: (id: number) => void;
}

export function SpansPanel({ own, colour, selectedId, onSelect }: Props) {
  return (
    <section className="card" aria-label="Your spans">
      <h2>Your spans ({own.length})</h2>
      <WindowedList
        items={own}
        row={(s) => <SpanRow key={s.id} span={s} colour={colour(s.label)} selected={s.id === selectedId} onSelect={onSelect} />}
      />
    </section>
  );
}
