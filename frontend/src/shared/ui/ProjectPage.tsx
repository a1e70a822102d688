// The frame of a project's admin and researcher pages: loads the project, shows its name and
// the admin navigation, and stops early (with a message) when the caller's role may not use it.
import { useEffect, type ReactNode } from "react";
import { Link, useParams } from "react-router-dom";

import { ApiError, projects, type Project } from "../../lib/api/client";
import { ErrorMessage } from "./ErrorMessage";
import { ProjectAdminNav } from "./ProjectAdminNav";
import { useLoad } from "../hooks/useLoad";

import "./admin.css";

export function useProjectId(): number {
  const { projectId } = useParams();
  return Number(projectId);
}

interface Props {
  title: string;
  /** Roles that may use the page; others are told so instead of getting a 403 later. */
  roles: readonly string[];
  children: (project: Project, reload: () => Promise<void>) => ReactNode;
}

export function ProjectPage({ title, roles, children }: Props) {
  const projectId = useProjectId();
  const valid = Number.isInteger(projectId) && projectId > 0;
  const loaded = useLoad(() => (valid ? projects.get(projectId) : Promise.reject(new Error("No such project."))), [projectId]);
  const project = loaded.data;
  useEffect(() => {
    document.title = project ? `${title} · ${project.name} · annotator` : `${title} · annotator`;
  }, [title, project]);

  if (loaded.loading && !project) return <p className="loading">Loading…</p>;
  if (loaded.error || !project) {
    const notFound = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <section>
        <h1>{title}</h1>
        {notFound ? <p className="error" role="alert">This project does not exist, or you are not a member of it.</p> : <ErrorMessage error={loaded.error} />}
        <p>
          <Link to="/">Back to projects</Link>
        </p>
      </section>
    );
  }
  const allowed = !!project.role && roles.includes(project.role);
  return (
    <section className="project-page">
      <p className="breadcrumb">
        <Link to="/">Projects</Link> / <Link to={`/projects/${project.id}`}>{project.name}</Link>
      </p>
      <h1>{title}</h1>
      <ProjectAdminNav projectId={project.id} role={project.role} />
      {allowed ? (
        children(project, loaded.reload)
      ) : (
        <p className="error" role="alert">
          Only a project {roles.join(" or ")} may use this page; you are {project.role ?? "not a member"}.
        </p>
      )}
    </section>
  );
}
