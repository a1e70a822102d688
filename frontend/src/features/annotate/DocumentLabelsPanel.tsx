// The project's document labels as checkboxes: ticked when the caller's layer has it.
import { memo } from "react";

import type { Label } from "../../lib/api/client";
import type { LocalDocumentLabel } from "./layer";

interface Props {
  documentLabels: readonly Label[];
  chosen: readonly LocalDocumentLabel[];
  onToggle: (name: string) => void;
}

// (memo: the side panel hands it stable callbacks)
export const DocumentLabelsPanel = memo(function DocumentLabelsPanel({ documentLabels, chosen, onToggle }: Props) {
  if (documentLabels.length === 0) return null;
  return (
    <section className="card" aria-label="Document labels">
      <h2>Document labels</h2>
      {documentLabels.map((l) => (
        <label key={l.id} className="inline">
          <input type="checkbox" checked={chosen.some((d) => d.label === l.name)} onChange={() => onToggle(l.name)} />
          {l.name}
        </label>
      ))}
    </section>
  );
});
