// The one table markup of the admin and account pages: a horizontally scrolling box, a table
// named either by a caption that only screen readers see or by a heading on the page, a row
// of column headers, and the rows the page renders itself.
import type { ReactNode } from "react";

export interface Column {
  head: string;
  /** Right-aligned tabular figures, for counts. */
  numeric?: boolean;
  /** Read out but not shown, for a column of buttons. */
  hidden?: boolean;
}

/** The last column of a table whose rows end in buttons. */
export const ACTIONS: Column = { head: "Actions", hidden: true };

export function DataTable({
  caption,
  labelledBy,
  columns,
  children,
}: {
  /** The table's name when no heading on the page names it. */
  caption?: ReactNode;
  /** The id of the heading that names the table. */
  labelledBy?: string;
  columns: readonly (string | Column)[];
  /** The rows: `<tr>`s, each with a cell per column. */
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table aria-labelledby={labelledBy}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) => {
              const { head, numeric, hidden } = typeof column === "string" ? { head: column } : column;
              return (
                // Headers never move, so their place is their key (two may share a text).
                <th key={i} scope="col" className={numeric ? "num" : undefined}>
                  {hidden ? <span className="visually-hidden">{head}</span> : head}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
