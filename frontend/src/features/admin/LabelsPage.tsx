// The label schema editor: span, relation and document labels with colours, hotkeys,
// descriptions and (relation labels) which span labels they may join.
import { useState, type FormEvent } from "react";

import { labelSchema, projects, type Label, type Project } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { ConfirmButton } from "../../shared/ui/ConfirmButton";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useLoad } from "../../shared/hooks/useLoad";
import { isColour } from "../../shared/ui/colours";
import { changesOf, draftOf, hotkeyProblem, KINDS, type LabelDraft } from "./labels";
import { LabelFieldsEditor } from "./LabelFields";
import { NewLabel } from "./NewLabel";

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
  // The delete shares the form's busy flag and error; the Save button says "Saving…" only for a save.
  const [deleting, setDeleting] = useState(false);
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
    setDeleting(true);
    const removed = await run(async () => {
      await labelSchema.remove(label.id);
      onDeleted();
    });
    setDeleting(false);
    return removed;
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
            {busy && !deleting ? "Saving…" : "Save"}
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
          <ConfirmButton question={`Delete ${label.name}?`} confirm="Yes, delete" busy={busy} onConfirm={remove}>
            Delete
          </ConfirmButton>
        </div>
      </fieldset>
    </form>
  );
}
