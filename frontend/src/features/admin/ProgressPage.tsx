// Progress overview: each annotator's article states and annotation counts, and how often each
// label is used per annotator, in gold and among suggestions (GET /projects/{id}/progress/).
import { projectAdmin, type Project, type ProjectProgress } from "../../lib/api/client";
import { DataTable, type Column } from "../../shared/ui/DataTable";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProgressBar } from "../../shared/ui/ProgressBar";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { useLoad } from "../../shared/hooks/useLoad";
import { isColour } from "../../shared/ui/colours";

export function ProgressPage() {
  return (
    <ProjectPage title="Progress" roles={["admin", "reviewer", "researcher"]}>
      {(project) => <Overview project={project} />}
    </ProjectPage>
  );
}

const STATUSES = [
  ["not_started", "Not started"],
  ["in_progress", "In progress"],
  ["submitted", "Submitted"],
  ["skipped", "Skipped"],
] as const;

const num = (head: string): Column => ({ head, numeric: true });

const ANNOTATOR_COLUMNS: (string | Column)[] = [
  "Annotator",
  "Role",
  ...STATUSES.map(([, text]) => num(text)),
  "Done",
  num("Spans"),
  num("Relations"),
  num("Document labels"),
];

const labelColumns = (people: string[]): (string | Column)[] => [
  "Label",
  "Kind",
  ...people.map(num),
  num("Gold"),
  num("Suggestions pending"),
  num("accepted"),
  num("rejected"),
];

function Overview({ project }: { project: Project }) {
  const loaded = useLoad(() => projectAdmin.progress(project.id), [project.id]);
  if (!loaded.data) return <NotLoaded loaded={loaded} what="the progress" />;
  const data = loaded.data;
  return (
    <>
      <div className="actions">
        <span>
          {data.articles} article{data.articles === 1 ? "" : "s"} in the project.
        </span>
        <button type="button" onClick={() => void loaded.reload()} disabled={loaded.loading}>
          {loaded.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <ErrorMessage error={loaded.error} />
      <Annotators data={data} />
      <Labels data={data} />
    </>
  );
}

function Annotators({ data }: { data: ProjectProgress }) {
  return (
    <section aria-labelledby="per-annotator">
      <h2 id="per-annotator">Per annotator</h2>
      {data.annotators.length === 0 ? (
        <p className="hint">No one annotates in this project yet.</p>
      ) : (
        <DataTable labelledBy="per-annotator" columns={ANNOTATOR_COLUMNS}>
          {data.annotators.map((a) => {
            const done = a.statuses.submitted + a.statuses.skipped;
            const percent = data.articles ? Math.round((done / data.articles) * 100) : 0;
            return (
              <tr key={a.username}>
                <th scope="row">{a.username}</th>
                <td>{a.role ?? <span className="hint">former member</span>}</td>
                {STATUSES.map(([key]) => (
                  <td key={key} className="num">
                    {a.statuses[key]}
                  </td>
                ))}
                <td style={{ minWidth: "9rem" }}>
                  <ProgressBar value={percent} label={`${a.username}: submitted or skipped`} text={`${percent}%`} />
                </td>
                <td className="num">{a.spans}</td>
                <td className="num">{a.relations}</td>
                <td className="num">{a.document_labels}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}

function Labels({ data }: { data: ProjectProgress }) {
  const people = data.annotators.map((a) => a.username);
  return (
    <section aria-labelledby="per-label">
      <h2 id="per-label">Per label</h2>
      <p className="hint">How often each label is used in each annotator's layer, in gold and among suggestions.</p>
      {data.labels.length === 0 ? (
        <p className="hint">The project has no labels.</p>
      ) : (
        <DataTable labelledBy="per-label" columns={labelColumns(people)}>
          {data.labels.map((label) => (
            <tr key={label.id}>
              <th scope="row">
                <span className="swatch" style={{ background: isColour(label.colour) ? label.colour : "#888" }} aria-hidden="true" />
                {label.name}
              </th>
              <td>{label.kind}</td>
              {people.map((name) => (
                <td key={name} className="num">
                  {label.annotators[name] ?? 0}
                </td>
              ))}
              <td className="num">{label.gold}</td>
              <td className="num">{label.suggestions.pending}</td>
              <td className="num">{label.suggestions.accepted}</td>
              <td className="num">{label.suggestions.rejected}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
