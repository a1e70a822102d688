// The caller's projects, each linking to its home and (by role) its admin pages; and a form
// to create one from a preset label schema.
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { projects, type Project } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { fieldError } from "../../shared/ui/errors";
import { adminLinksFor } from "../../shared/ui/ProjectAdminNav";
import { useLoad } from "../../shared/hooks/useLoad";

import "../../shared/ui/admin.css";

const PRESETS = [
  { value: "argument", text: "argument (CLAIM, REBUTTAL, FIGURE; REBUTS, SUPPORTS)" },
  { value: "empty", text: "empty (no labels yet)" },
] as const;

export function ProjectsPage() {
  const list = useLoad(() => projects.list(), []);
  useEffect(() => {
    document.title = "Projects · annotator";
  }, []);
  const [created, setCreated] = useState<Project | null>(null);

  const rows = list.data?.results ?? [];
  return (
    <section>
      <h1>Projects</h1>
      {list.loading && !list.data && <p className="loading">Loading…</p>}
      <ErrorMessage error={list.error} prefix="The projects could not be loaded:" />
      {list.error !== null && (
        <button type="button" onClick={() => void list.reload()}>
          Try again
        </button>
      )}
      {list.data && rows.length === 0 && <p>You are not a member of any project yet. Create one below.</p>}
      {rows.length > 0 && (
        <ul className="projects-list" aria-label="Your projects">
          {rows.map((project) => (
            <li key={project.id} className="card">
              <h2>
                <Link to={`/projects/${project.id}`}>{project.name}</Link>
                {project.role && <span className="role-badge">{project.role}</span>}
              </h2>
              {project.description && <p className="hint">{project.description}</p>}
              {adminLinksFor(project.role).length > 0 && (
                <nav className="admin-links" aria-label={`Administer ${project.name}`}>
                  {adminLinksFor(project.role).map((link) => (
                    <Link key={link.path} to={`/projects/${project.id}/${link.path}`}>
                      {link.text}
                    </Link>
                  ))}
                </nav>
              )}
            </li>
          ))}
        </ul>
      )}
      {list.data && list.data.count > rows.length && (
        <p className="hint">
          Showing {rows.length} of {list.data.count} projects.
        </p>
      )}
      <CreateProject
        onCreated={(project) => {
          setCreated(project);
          void list.reload();
        }}
      />
      {created && (
        <p className="ok" role="status">
          Created <Link to={`/projects/${created.id}`}>{created.name}</Link>.{" "}
          <Link to={`/projects/${created.id}/import`}>Import articles</Link> or{" "}
          <Link to={`/projects/${created.id}/members`}>add members</Link>.
        </p>
      )}
    </section>
  );
}

function CreateProject({ onCreated }: { onCreated: (project: Project) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [preset, setPreset] = useState<string>("argument");
  const { run, busy, error } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const project = await projects.create({ name: name.trim(), description, preset });
      setName("");
      setDescription("");
      onCreated(project);
    });
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="create-project-heading">
      <h2 id="create-project-heading">Create a project</h2>
      <div className="form-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
          {fieldError(error, "name") && <span className="field-error">{fieldError(error, "name")}</span>}
        </label>
        <label>
          Preset
          <select value={preset} onChange={(e) => setPreset(e.target.value)}>
            {PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.text}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <ErrorMessage error={error} prefix="The project was not created:" />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !name.trim()}>
          {busy ? "Creating…" : "Create project"}
        </button>
      </div>
    </form>
  );
}
