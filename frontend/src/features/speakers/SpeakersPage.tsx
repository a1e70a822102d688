// The project's speakers: one name for the many spellings of attributes.speaker. Reviewers and
// admins give each spelling in use a speaker (or make a new one from it), rename and delete;
// researchers read the list. The argument graph shows the speaker a spelling names.
import { useState, type FormEvent } from "react";

import type { Project } from "../../lib/api/client";
import { speakers, type Speaker, type Spelling } from "../../lib/api/speakers";
import { useAction } from "../../shared/hooks/useAction";
import { useLoad } from "../../shared/hooks/useLoad";
import { DataTable } from "../../shared/ui/DataTable";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { moveSpelling, parseSpellings } from "./speakers";

const EDITORS = ["admin", "reviewer"];

export function SpeakersPage() {
  return (
    <ProjectPage title="Speakers" roles={["admin", "reviewer", "researcher"]}>
      {(project) => <SpeakersEditor project={project} />}
    </ProjectPage>
  );
}

function SpeakersEditor({ project }: { project: Project }) {
  const loaded = useLoad(
    () => Promise.all([speakers.list(project.id), speakers.spellings(project.id)]),
    [project.id],
  );
  const editable = EDITORS.includes(project.role ?? "");
  if (!loaded.data) return <NotLoaded loaded={loaded} what="the speakers" />;
  const [list, spellings] = loaded.data;
  const reload = () => void loaded.reload();
  return (
    <>
      <p className="hint">
        Spans keep the speaker as it was written; the argument graph shows the speaker each spelling names.
      </p>
      <section aria-labelledby="spellings-heading">
        <h2 id="spellings-heading">Spellings in use</h2>
        {spellings.length === 0 ? (
          <p>No span names a speaker yet (a claim or rebuttal&apos;s speaker field).</p>
        ) : (
          <DataTable columns={["Spelling", "Spans", "Speaker"]}>
            {spellings.map((row) => (
              <SpellingRow key={row.spelling} projectId={project.id} row={row} list={list} editable={editable} onChanged={reload} />
            ))}
          </DataTable>
        )}
      </section>
      <section aria-labelledby="speakers-heading">
        <h2 id="speakers-heading">Speakers</h2>
        {list.length === 0 ? (
          <p>No speakers yet.</p>
        ) : (
          <ul className="projects-list">
            {list.map((speaker) => (
              <SpeakerItem key={speaker.id} speaker={speaker} editable={editable} onChanged={reload} />
            ))}
          </ul>
        )}
        {editable && <AddSpeaker projectId={project.id} onAdded={reload} />}
      </section>
    </>
  );
}

function SpellingRow(props: { projectId: number; row: Spelling; list: Speaker[]; editable: boolean; onChanged: () => void }) {
  const { projectId, row, list, editable, onChanged } = props;
  const { run, busy, error } = useAction();
  const current = list.find((s) => s.id === row.speaker);
  const ownName = current?.name === row.spelling;

  async function choose(value: string) {
    await run(async () => {
      if (value === "new") {
        await speakers.create(projectId, row.spelling, []);
      } else {
        for (const patch of moveSpelling(list, row.spelling, value ? Number(value) : null) ?? []) {
          await speakers.update(patch.id, { spellings: patch.spellings });
        }
      }
      onChanged();
    });
  }

  return (
    <tr>
      <th scope="row">{row.spelling}</th>
      <td>{row.spans}</td>
      <td>
        {editable && !ownName ? (
          <select
            aria-label={`Speaker of ${row.spelling}`}
            value={row.speaker ?? ""}
            disabled={busy}
            onChange={(e) => void choose(e.target.value)}
          >
            <option value="">(none)</option>
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            {!current && <option value="new">New speaker &ldquo;{row.spelling}&rdquo;</option>}
          </select>
        ) : (
          (current?.name ?? "(none)")
        )}
        <ErrorMessage error={error} />
      </td>
    </tr>
  );
}

function SpeakerItem({ speaker, editable, onChanged }: { speaker: Speaker; editable: boolean; onChanged: () => void }) {
  const { run, busy, error } = useAction();
  const [name, setName] = useState(speaker.name);

  async function rename(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await speakers.update(speaker.id, { name });
      onChanged();
    });
  }

  async function remove() {
    await run(async () => {
      await speakers.remove(speaker.id);
      onChanged();
    });
  }

  return (
    <li className="card">
      {editable ? (
        <form className="actions" onSubmit={(e) => void rename(e)}>
          <input aria-label={`Name of ${speaker.name}`} value={name} onChange={(e) => setName(e.target.value)} required />
          <button type="submit" disabled={busy || !name.trim() || name === speaker.name}>
            Rename
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
            Delete
          </button>
        </form>
      ) : (
        <strong>{speaker.name}</strong>
      )}
      <p className="hint">Spellings: {speaker.spellings.join(" · ")}</p>
      <ErrorMessage error={error} />
    </li>
  );
}

function AddSpeaker({ projectId, onAdded }: { projectId: number; onAdded: () => void }) {
  const [name, setName] = useState("");
  const [others, setOthers] = useState("");
  const { run, busy, error } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const added = await run(async () => {
      await speakers.create(projectId, name, parseSpellings(others));
    });
    if (added) {
      setName("");
      setOthers("");
      onAdded();
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="add-speaker-heading">
      <h3 id="add-speaker-heading">Add a speaker</h3>
      <div className="form-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Other spellings (one per line)
          <textarea value={others} onChange={(e) => setOthers(e.target.value)} rows={3} />
        </label>
      </div>
      <ErrorMessage error={error} prefix="Not added:" />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !name.trim()}>
          {busy ? "Adding…" : "Add speaker"}
        </button>
      </div>
    </form>
  );
}
