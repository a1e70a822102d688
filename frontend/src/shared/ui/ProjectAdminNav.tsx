import { NavLink } from "react-router-dom";

import "./admin.css";

export interface AdminLink {
  path: string;
  text: string;
  /** The roles that may use the page (the server checks again). */
  roles: readonly string[];
}

const ALL_READERS = ["admin", "reviewer", "researcher"] as const;

export const ADMIN_LINKS: readonly AdminLink[] = [
  { path: "settings", text: "Settings", roles: ["admin"] },
  { path: "labels", text: "Labels", roles: ["admin"] },
  { path: "members", text: "Members", roles: ["admin"] },
  { path: "assignment", text: "Assignment", roles: ["admin"] },
  { path: "import", text: "Import", roles: ["admin"] },
  { path: "preannotate", text: "Pre-annotate", roles: ["admin"] },
  { path: "webhooks", text: "Webhooks", roles: ["admin"] },
  { path: "review", text: "Review", roles: ALL_READERS },
  { path: "agreement", text: "Agreement", roles: ALL_READERS },
  { path: "graph", text: "Graph", roles: [...ALL_READERS, "annotator"] },
  { path: "speakers", text: "Speakers", roles: ALL_READERS },
  { path: "progress", text: "Progress", roles: ALL_READERS },
  { path: "export", text: "Export", roles: ALL_READERS },
];

export function adminLinksFor(role: string | null | undefined): AdminLink[] {
  return ADMIN_LINKS.filter((link) => !!role && link.roles.includes(role));
}

/** The project's admin pages that the caller's role may use. */
export function ProjectAdminNav({ projectId, role }: { projectId: number; role: string | null | undefined }) {
  const links = adminLinksFor(role);
  return (
    <nav className="admin-nav" aria-label="Project administration">
      <NavLink to={`/projects/${projectId}`} end>
        Project home
      </NavLink>
      {links.map((link) => (
        <NavLink key={link.path} to={`/projects/${projectId}/${link.path}`}>
          {link.text}
        </NavLink>
      ))}
    </nav>
  );
}
