// The project's members and their roles: add someone who has an account, change a role,
// remove a member (the server keeps at least one admin).
import { useState, type FormEvent } from "react";

import { members, type Member, type Project, type Role } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { ConfirmButton } from "../../shared/ui/ConfirmButton";
import { ACTIONS, DataTable } from "../../shared/ui/DataTable";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { fieldError } from "../../shared/ui/errors";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useLoad } from "../../shared/hooks/useLoad";
import { useSession } from "../../shared/hooks/session";

const ROLES: { value: Role; text: string }[] = [
  { value: "admin", text: "admin: everything in the project" },
  { value: "reviewer", text: "reviewer: reads every layer, writes gold" },
  { value: "annotator", text: "annotator: their own layer" },
  { value: "researcher", text: "researcher: reads everything, writes nothing" },
];

export function MembersPage() {
  return (
    <ProjectPage title="Members" roles={["admin"]}>
      {(project) => <MembersEditor project={project} />}
    </ProjectPage>
  );
}

function MembersEditor({ project }: { project: Project }) {
  const list = useLoad(() => members.list(project.id).then((page) => page.results), [project.id]);
  if (!list.data) return <NotLoaded loaded={list} what="the members" />;
  const rows = list.data;
  return (
    <>
      <DataTable caption={`Members of ${project.name}`} columns={["User", "Role", "Member since", ACTIONS]}>
        {rows.map((member) => (
          <MemberRow
            key={member.id}
            projectId={project.id}
            member={member}
            onChanged={(m) => list.setData(rows.map((r) => (r.id === m.id ? m : r)))}
            onRemoved={() => list.setData(rows.filter((r) => r.id !== member.id))}
          />
        ))}
      </DataTable>
      <AddMember projectId={project.id} onAdded={(m) => list.setData([...rows, m])} />
    </>
  );
}

function MemberRow({
  projectId,
  member,
  onChanged,
  onRemoved,
}: {
  projectId: number;
  member: Member;
  onChanged: (member: Member) => void;
  onRemoved: () => void;
}) {
  const { me, refresh } = useSession();
  const { run, busy, error } = useAction();
  const isMe = me?.id === member.user.id;

  async function setRole(role: Role) {
    await run(async () => {
      onChanged(await members.setRole(projectId, member.id, role));
      if (isMe) await refresh();
    });
  }

  const remove = () =>
    run(async () => {
      await members.remove(projectId, member.id);
      onRemoved();
      if (isMe) await refresh();
    });

  return (
    <tr>
      <th scope="row">
        {member.username}
        {isMe && <span className="hint"> (you)</span>}
      </th>
      <td>
        <select
          aria-label={`Role of ${member.username}`}
          value={member.role}
          disabled={busy}
          onChange={(e) => void setRole(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.value}
            </option>
          ))}
        </select>
        <ErrorMessage error={error} />
      </td>
      <td>{new Date(member.created_at).toLocaleDateString()}</td>
      <td>
        <span className="actions" style={{ margin: 0 }}>
          <ConfirmButton
            question={`Remove ${member.username}? Their annotations stay.`}
            confirm="Yes, remove"
            busy={busy}
            onConfirm={remove}
          >
            Remove
          </ConfirmButton>
        </span>
      </td>
    </tr>
  );
}

function AddMember({ projectId, onAdded }: { projectId: number; onAdded: (member: Member) => void }) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("annotator");
  const { run, busy, error } = useAction();
  const [added, setAdded] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAdded("");
    await run(async () => {
      const member = await members.add(projectId, username.trim(), role);
      onAdded(member);
      setAdded(`${member.username} is now ${member.role === "admin" ? "an" : "a"} ${member.role}.`);
      setUsername("");
    });
  }

  return (
    <section aria-labelledby="add-member-heading">
      <h2 id="add-member-heading">Add a member</h2>
      <form className="card" onSubmit={(e) => void submit(e)}>
        <p className="hint">They need an account first (created by a site administrator in /admin/).</p>
        <div className="form-grid">
          <label>
            Username
            <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" required />
            {fieldError(error, "username") && <span className="field-error">{fieldError(error, "username")}</span>}
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.text}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorMessage error={error} prefix="Not added:" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !username.trim()}>
            {busy ? "Adding…" : "Add member"}
          </button>
          {added && (
            <span className="ok" role="status">
              {added}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
