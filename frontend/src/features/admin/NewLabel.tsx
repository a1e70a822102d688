// The form that adds a label to the project's schema.
import { useState, type FormEvent } from "react";

import { labelSchema, type Label, type LabelKind } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { isColour } from "../../shared/ui/colours";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { LabelFieldsEditor } from "./LabelFields";
import { hotkeyProblem, type LabelDraft } from "./labels";

const EMPTY: LabelDraft = { name: "", colour: "#888888", hotkey: "", description: "", allowed_sources: [], allowed_targets: [] };

export function NewLabel({
  projectId,
  labels,
  spanLabels,
  onCreated,
}: {
  projectId: number;
  labels: Label[];
  spanLabels: Label[];
  onCreated: (label: Label) => void;
}) {
  const [kind, setKind] = useState<LabelKind>("span");
  const [draft, setDraft] = useState<LabelDraft>(EMPTY);
  const { run, busy, error } = useAction();
  const [created, setCreated] = useState("");
  const invalid = !draft.name.trim() || !isColour(draft.colour) || !!hotkeyProblem(draft.hotkey, labels, null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setCreated("");
    await run(async () => {
      const body = { kind, name: draft.name.trim(), colour: draft.colour, hotkey: draft.hotkey, description: draft.description };
      const label = await labelSchema.create(
        projectId,
        kind === "relation" ? { ...body, allowed_sources: draft.allowed_sources, allowed_targets: draft.allowed_targets } : body,
      );
      onCreated(label);
      setDraft(EMPTY);
      setCreated(label.name);
    });
  }

  return (
    <section aria-labelledby="new-label-heading">
      <h2 id="new-label-heading">Add a label</h2>
      <form className="card" onSubmit={(e) => void submit(e)} aria-label="New label">
        <label style={{ maxWidth: "14rem" }}>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as LabelKind)}>
            <option value="span">span</option>
            <option value="relation">relation</option>
            <option value="document">document</option>
          </select>
        </label>
        <LabelFieldsEditor
          draft={draft}
          setDraft={setDraft}
          kind={kind}
          error={error}
          labels={labels}
          spanLabels={spanLabels}
          exceptId={null}
        />
        <ErrorMessage error={error} prefix="Not added:" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || invalid}>
            {busy ? "Adding…" : "Add label"}
          </button>
          {created && (
            <span className="ok" role="status">
              Added {created}.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
