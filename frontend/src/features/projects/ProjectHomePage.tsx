// A project's home for its members: my queue (counts and the way in), the guidelines
// (Markdown, raw HTML shown as text), the labels and their keys, and every article, paged.
import Markdown from "react-markdown";
import { Link, useParams } from "react-router-dom";

import { projects, type Project } from "../../lib/api/client";
import { useLoad } from "../../shared/hooks/useLoad";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { adminLinksFor } from "../../shared/ui/ProjectAdminNav";
import { ArticleList } from "./ArticleList";
import { MyQueue } from "./MyQueue";

export function ProjectHomePage() {
  const projectId = Number(useParams().projectId);
  // Another project's page starts afresh: nothing of the last one is shown while it loads.
  return <ProjectHome key={projectId} projectId={projectId} />;
}

function ProjectHome({ projectId }: { projectId: number }) {
  const loaded = useLoad(() => Promise.all([projects.get(projectId), projects.labels(projectId).then((p) => p.results)]), [projectId]);
  if (!loaded.data) return <NotLoaded loaded={loaded} what="the project" />;
  const [project, labels] = loaded.data;
  return (
    <div className="project-home">
      <h1>{project.name}</h1>
      {project.description && <p>{project.description}</p>}
      <ProjectLinks project={project} />
      <div className="columns">
        {project.role === "researcher" ? (
          <section className="card" aria-label="Reading">
            <h2>Reading</h2>
            <p>Researchers read every layer and export; they do not annotate.</p>
          </section>
        ) : (
          <MyQueue projectId={projectId} />
        )}
        <section className="card" aria-label="Labels">
          <h2>Labels</h2>
          <ul className="labels">
            {labels.map((l) => (
              <li key={l.id}>
                <span className="swatch" style={{ background: l.colour }} /> {l.name} {l.hotkey && <kbd>{l.hotkey}</kbd>}{" "}
                <small>{l.kind}</small>
                {l.description && <div className="muted">{l.description}</div>}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="card guidelines" aria-label="Guidelines">
        <h2>Guidelines</h2>
        {project.guidelines ? (
          // react-markdown builds React elements; raw HTML in the Markdown stays text.
          <Markdown>{project.guidelines}</Markdown>
        ) : (
          <p className="muted">No guidelines yet.</p>
        )}
      </section>
      <ArticleList project={project} labels={labels} />
    </div>
  );
}

/** The project pages the caller's role may use (admins: all; reviewers and researchers: the
 * review queue, progress and export). */
function ProjectLinks({ project }: { project: Project }) {
  const links = adminLinksFor(project.role);
  if (links.length === 0) return null;
  return (
    <nav className="subnav" aria-label="Project pages">
      {links.map((link) => (
        <Link key={link.path} to={`/projects/${project.id}/${link.path}`}>
          {link.text}
        </Link>
      ))}
    </nav>
  );
}
