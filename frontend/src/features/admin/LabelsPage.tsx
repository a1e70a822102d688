// The label schema editor: span, relation and document labels with colours, hotkeys,
// descriptions and (relation labels) which span labels they may join.
import { useState, type FormEvent } from "react";

import { labelSchema, projects, type Label, type LabelKind, type Project } from "../../lib/api/client";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { fieldError } from "../../shared/ui/errors";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useLoad } from "../../shared/hooks/useLoad";
import { changesOf, draftOf, hotkeyProblem, isColour, KINDS, type LabelDraft } from "./labels";
import { useAction } from "../../shared/hooks/useAction";

export function LabelsPage() {
  return (
    <ProjectPage title="Labels" roles={["admin"]}>
      {(project) => <LabelsEditor project={project} />}
    </ProjectPage>
  );
}

function LabelsEditor({ project }: { project: Project }) {
  const labels = useLoad(() => projects.labels(project.id).then((page) => page.results), [project.id]);
  if (!labels.data) return <NotLoaded loaded={labels} what="the labels" />;
  const all = labels.data;
  const spanLabels = all.filter((l) => l.kind === "span");
  const replace = (updated: Label) => labels.setData(all.map((l) => (l.id === updated.id ? updated : l)));
  return (
    <>
      <p className="hint">
        Hotkeys are single keys pressed on the annotation page; “x”, “?” and space are reserved. Relation labels
        may restrict which span labels they join (none ticked: any).
      </p>
      {KINDS.map(({ kind, title }) => {
        const ofKind = all.filter((l) => l.kind === kind);
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`}>{title}</h2>
            {ofKind.length === 0 && <p className="hint">None yet.</p>}
            <div className="card" hidden={ofKind.length === 0}>
              {ofKind.map((label) => (
                <LabelRow
                  key={label.id}
                  label={label}
                  labels={all}
                  spanLabels={spanLabels}
                  onSaved={replace}
                  onDeleted={() => labels.setData(all.filter((l) => l.id !== label.id))}
                />
              ))}
            </div>
          </section>
        );
      })}
      <NewLabel
        projectId={project.id}
        labels={all}
        spanLabels={spanLabels}
        onCreated={(label) => labels.setData([...all, label])}
      />
    </>
  );
}

function LabelFieldsEditor({
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

function LabelRow({
  label,
  labels,
  spanLabels,
  onSaved,
  onDeleted,
}: {
  label: Label;
  labels: Label[];
  spanLabels: Label[];
  onSaved: (label: Label) => void;
  onDeleted: () => void;
}) {
  const [draft, setDraft] = useState<LabelDraft>(() => draftOf(label));
  const { run, busy, error } = useAction();
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const changes = changesOf(label, draft);
  const dirty = Object.keys(changes).length > 0;
  const invalid = !draft.name.trim() || !isColour(draft.colour) || !!hotkeyProblem(draft.hotkey, labels, label.id);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      const updated = await labelSchema.update(label.id, changes);
      onSaved(updated);
      setDraft(draftOf(updated));
      setSaved(true);
    });
  }

  async function remove() {
    const removed = await run(async () => {
      await labelSchema.remove(label.id);
      onDeleted();
    });
    if (!removed) setConfirming(false);
  }

  return (
    <form className="label-card" onSubmit={(e) => void save(e)}>
      <fieldset>
        <legend>
          <span className="swatch" style={{ background: isColour(label.colour) ? label.colour : "#888" }} aria-hidden="true" />
          {label.name}
          {label.hotkey && <span className="hint"> (key {label.hotkey})</span>}
        </legend>
        <LabelFieldsEditor
          draft={draft}
          setDraft={(d) => {
            setDraft(d);
            setSaved(false);
          }}
          kind={label.kind}
          error={error}
          labels={labels}
          spanLabels={spanLabels.filter((s) => s.id !== label.id)}
          exceptId={label.id}
        />
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !dirty || invalid}>
            {busy && !confirming ? "Saving…" : "Save"}
          </button>
          {dirty && (
            <button type="button" onClick={() => setDraft(draftOf(label))} disabled={busy}>
              Undo changes
            </button>
          )}
          {saved && !dirty && (
            <span className="ok" role="status">
              Saved.
            </span>
          )}
          {!confirming ? (
            <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy}>
              Delete
            </button>
          ) : (
            <>
              <span>Delete {label.name}?</span>
              <button type="button" className="danger solid" onClick={() => void remove()} disabled={busy}>
                Yes, delete
              </button>
              <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
                Keep
              </button>
            </>
          )}
        </div>
      </fieldset>
    </form>
  );
}

const EMPTY: LabelDraft = { name: "", colour: "#888888", hotkey: "", description: "", allowed_sources: [], allowed_targets: [] };

function NewLabel({
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
