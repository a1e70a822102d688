// Project settings (name, description, overlap rule), the guidelines editor with a sanitised
// Markdown preview, and deleting the project.
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";

import { projectAdmin, type Project } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { fieldError } from "../../shared/ui/errors";
import { Markdown } from "../../shared/ui/Markdown";
import { ProjectPage } from "../../shared/ui/ProjectPage";

export function SettingsPage() {
  return (
    <ProjectPage title="Settings" roles={["admin"]}>
      {(project, reload) => <SettingsForm key={project.id} project={project} onSaved={reload} />}
    </ProjectPage>
  );
}

function SettingsForm({ project, onSaved }: { project: Project; onSaved: () => Promise<void> }) {
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [guidelines, setGuidelines] = useState(project.guidelines);
  const [overlap, setOverlap] = useState(project.allow_overlapping_spans);
  const { run, busy, error } = useAction();
  const [saved, setSaved] = useState(false);
  const [stored, setStored] = useState(project);

  const changed =
    name !== stored.name ||
    description !== stored.description ||
    guidelines !== stored.guidelines ||
    overlap !== stored.allow_overlapping_spans;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      const updated = await projectAdmin.update(project.id, {
        name: name.trim(),
        description,
        guidelines,
        allow_overlapping_spans: overlap,
      });
      setStored(updated);
      setName(updated.name);
      setSaved(true);
      await onSaved();
    });
  }

  return (
    <>
      <form onSubmit={(e) => void submit(e)} aria-label="Project settings">
        <div className="form-grid">
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
            {fieldError(error, "name") && <span className="field-error">{fieldError(error, "name")}</span>}
          </label>
          <label className="check">
            <input type="checkbox" checked={overlap} onChange={(e) => setOverlap(e.target.checked)} />
            Allow overlapping spans
          </label>
        </div>
        <label>
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <h2 id="guidelines-heading">Guidelines</h2>
        <p className="hint">
          Markdown. Annotators see these beside the article. HTML is shown as text, not run.
        </p>
        <div className="guidelines-editor">
          <label>
            Guidelines (Markdown)
            <textarea value={guidelines} onChange={(e) => setGuidelines(e.target.value)} spellCheck />
          </label>
          <div>
            <div className="hint" id="guidelines-preview-label">
              Preview
            </div>
            <div className="guidelines-preview" role="region" aria-labelledby="guidelines-preview-label">
              {guidelines.trim() ? <Markdown source={guidelines} /> : <p className="hint">No guidelines yet.</p>}
            </div>
          </div>
        </div>
        <ErrorMessage error={error} prefix="Not saved:" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !changed || !name.trim()}>
            {busy ? "Saving…" : "Save settings"}
          </button>
          {saved && !changed && (
            <span className="ok" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
      <DeleteProject project={stored} />
    </>
  );
}

function DeleteProject({ project }: { project: Project }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const { run, busy, error } = useAction();
  const navigate = useNavigate();

  async function remove() {
    await run(async () => {
      await projectAdmin.remove(project.id);
      navigate("/", { replace: true });
    });
  }

  return (
    <section aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete the project</h2>
      {!open ? (
        <button type="button" className="danger" onClick={() => setOpen(true)}>
          Delete project…
        </button>
      ) : (
        <div className="card">
          <p>
            This deletes the project with all its articles, annotations and jobs. It cannot be undone. Type the
            project's name to confirm.
          </p>
          <label>
            Project name
            <input value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
          </label>
          <ErrorMessage error={error} prefix="Not deleted:" />
          <div className="actions">
            <button
              type="button"
              className="danger solid"
              disabled={busy || typed !== project.name}
              onClick={() => void remove()}
            >
              {busy ? "Deleting…" : "Delete this project"}
            </button>
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
