// Pure readers of job results (the API types them as `unknown`): defensive, so an old or
// partial result shows what it has instead of breaking the page.

export interface LineError {
  line: number | null;
  field: string;
  message: string;
  file: string;
}

export interface ImportReport {
  written: boolean;
  records: number;
  valid: number;
  errorCount: number;
  errors: LineError[];
  counts: [string, number][];
  labelsCreated: string[];
}

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));

const IMPORT_COUNTS: [string, string][] = [
  ["articles_created", "Articles created"],
  ["articles_unchanged", "Articles already there"],
  ["conflicts", "Conflicts"],
  ["spans_created", "Spans created"],
  ["relations_created", "Relations created"],
  ["document_labels_created", "Document labels created"],
  ["states_set", "Article states set"],
  ["annotations_unchanged", "Annotations already there"],
];

export function importReport(result: unknown): ImportReport | null {
  if (typeof result !== "object" || result === null) return null;
  const r = obj(result);
  const errors = Array.isArray(r.errors)
    ? r.errors.map((e): LineError => {
        const item = obj(e);
        return {
          line: typeof item.line === "number" ? item.line : null,
          field: str(item.field),
          message: str(item.message),
          file: str(item.file),
        };
      })
    : [];
  return {
    written: r.written === true,
    records: num(r.records),
    valid: num(r.valid),
    errorCount: Math.max(num(r.error_count), errors.length),
    errors,
    counts: IMPORT_COUNTS.map(([key, text]): [string, number] => [text, num(r[key])]),
    labelsCreated: Array.isArray(r.labels_created) ? r.labels_created.map(str) : [],
  };
}

const PREANNOTATE_COUNTS: [string, string][] = [
  ["articles", "Articles looked at"],
  ["created", "Suggestions created"],
  ["kept", "Suggestions kept (proposed again)"],
  ["removed", "Suggestions removed (no longer proposed)"],
  ["relations_created", "Relation suggestions created"],
  ["relations_removed", "Relation suggestions removed"],
  ["skipped_decided", "Skipped: already accepted or rejected"],
  ["skipped_duplicate", "Skipped: proposed twice"],
  ["skipped_low_score", "Skipped: below the minimum score"],
  ["skipped_not_allowed", "Skipped: not allowed by the schema"],
];

export interface PreannotateReport {
  counts: [string, number][];
  recognisers: [string, string][];
  unknownLabels: [string, number][];
}

export function preannotateReport(result: unknown): PreannotateReport | null {
  if (typeof result !== "object" || result === null) return null;
  const r = obj(result);
  const unknown = r.unknown_labels;
  return {
    counts: PREANNOTATE_COUNTS.filter(([key]) => key in r).map(([key, text]): [string, number] => [text, num(r[key])]),
    recognisers: Object.entries(obj(r.recognisers)).map(([name, version]): [string, string] => [name, str(version)]),
    unknownLabels: Array.isArray(unknown)
      ? unknown.map((name): [string, number] => [str(name), 1])
      : Object.entries(obj(unknown)).map(([name, n]): [string, number] => [name, num(n)]),
  };
}

/** An export job's manifest: what to say about the file. */
export function exportSummary(result: unknown): { articles: number; bytes: number; sha256: string; cursor: string } | null {
  if (typeof result !== "object" || result === null) return null;
  const r = obj(result);
  return { articles: num(obj(r.counts).articles), bytes: num(r.bytes), sha256: str(r.sha256), cursor: str(r.cursor) };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
