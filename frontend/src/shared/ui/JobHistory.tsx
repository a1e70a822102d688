// A page's recent jobs of one kind (imports, pre-annotation runs) as a table: the job, its
// status, the columns the page adds from its result, who started it and when.
import type { ReactNode } from "react";

import type { Job, Page } from "../../lib/api/client";
import { DataTable } from "./DataTable";
import { ErrorMessage } from "./ErrorMessage";

export interface JobColumn {
  head: string;
  cell: (job: Job) => ReactNode;
  numeric?: boolean;
}

export function JobHistory({
  id,
  title,
  history,
  columns,
}: {
  id: string;
  title: string;
  history: { data: Page<Job> | null | undefined; error: unknown };
  columns: readonly JobColumn[];
}) {
  const jobs = history.data?.results;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ErrorMessage error={history.error} />
      {jobs && jobs.length === 0 && <p className="hint">None yet.</p>}
      {jobs && jobs.length > 0 && (
        <DataTable columns={["Job", "Status", ...columns, "By", "When"]}>
          {jobs.map((job) => (
            <tr key={job.id}>
              <td>{job.id}</td>
              <td>{job.status}</td>
              {columns.map((c) => (
                <td key={c.head} className={c.numeric ? "num" : undefined}>
                  {c.cell(job)}
                </td>
              ))}
              <td>{job.created_by ?? ""}</td>
              <td>{new Date(job.created_at).toLocaleString()}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
