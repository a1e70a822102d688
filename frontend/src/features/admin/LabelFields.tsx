// The fields of one label (name, colour, hotkey, description and, for a relation label, which
// span labels it may join), shared by the new-label form and each label's row.
import type { Label, LabelKind } from "../../lib/api/client";
import { isColour } from "../../shared/ui/colours";
import { fieldError } from "../../shared/ui/errors";
import { hotkeyProblem, type LabelDraft } from "./labels";

export function LabelFieldsEditor({
  draft,
  setDraft,
  kind,
  error,
  labels,
  spanLabels,
  exceptId,
}: {
  draft: LabelDraft;
  setDraft: (draft: LabelDraft) => void;
  kind: LabelKind;
  error: unknown;
  labels: Label[];
  spanLabels: Label[];
  exceptId: number | null;
}) {
  const hotkeyHint = hotkeyProblem(draft.hotkey, labels, exceptId) || fieldError(error, "hotkey");
  const colourHint = !isColour(draft.colour) ? "Use #rrggbb." : fieldError(error, "colour");
  const toggle = (field: "allowed_sources" | "allowed_targets", name: string, on: boolean) =>
    setDraft({ ...draft, [field]: on ? [...draft[field], name] : draft[field].filter((n) => n !== name) });
  return (
    <>
      <div className="label-editor">
        <label>
          Name
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} maxLength={100} required />
          {fieldError(error, "name") && <span className="field-error">{fieldError(error, "name")}</span>}
        </label>
        <div>
          <label htmlFor={`colour-${exceptId ?? "new"}`} style={{ margin: "0 0 0.2rem" }}>
            Colour
          </label>
          <div className="colour-input">
            <input
              id={`colour-${exceptId ?? "new"}`}
              type="color"
              value={isColour(draft.colour) ? draft.colour : "#888888"}
              onChange={(e) => setDraft({ ...draft, colour: e.target.value })}
            />
            <input
              type="text"
              aria-label="Hex code"
              value={draft.colour}
              onChange={(e) => setDraft({ ...draft, colour: e.target.value.trim() })}
              maxLength={7}
            />
          </div>
          {colourHint && <span className="field-error">{colourHint}</span>}
        </div>
        <label>
          Hotkey
          <input
            value={draft.hotkey}
            onChange={(e) => setDraft({ ...draft, hotkey: [...e.target.value].slice(-1).join("") })}
            maxLength={2}
            size={2}
          />
          {hotkeyHint && <span className="field-error">{hotkeyHint}</span>}
        </label>
        <label>
          Description
          <input value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
        </label>
      </div>
      {kind === "relation" && (
        <div className="form-grid">
          {(
            [
              ["allowed_sources", "From (source) span labels"],
              ["allowed_targets", "To (target) span labels"],
            ] as const
          ).map(([field, legend]) => (
            <fieldset key={field}>
              <legend>{legend}</legend>
              {spanLabels.length === 0 && <span className="hint">No span labels yet.</span>}
              <div className="constraint-list">
                {spanLabels.map((span) => (
                  <label key={span.id} className="check">
                    <input
                      type="checkbox"
                      checked={draft[field].includes(span.name)}
                      onChange={(e) => toggle(field, span.name, e.target.checked)}
                    />
                    {span.name}
                  </label>
                ))}
              </div>
              <span className="hint">{draft[field].length === 0 ? "Any span label." : `Only ${draft[field].join(", ")}.`}</span>
              {fieldError(error, field) && <span className="field-error">{fieldError(error, field)}</span>}
            </fieldset>
          ))}
        </div>
      )}
    </>
  );
}
