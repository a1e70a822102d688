// What to show for a failed request: the API's message, and its per-field messages.
import { ApiError, NetworkError } from "../../lib/api/client";

export interface Described {
  message: string;
  /** [field, messages] in the order the server gave them; "non_field_errors" is shown as "". */
  fields: [string, string[]][];
  /** A batch's per-item errors: [index, messages]. */
  items: [number, string[]][];
}

function messagesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (value === undefined || value === null) return [];
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => messagesOf(v).map((m) => `${k}: ${m}`));
  }
  return [String(value)];
}

function fieldsOf(value: unknown): [string, string[]][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .map(([field, messages]): [string, string[]] => [field === "non_field_errors" ? "" : field, messagesOf(messages)])
    .filter(([, messages]) => messages.length > 0);
}

/** Turns anything thrown by the API client (or elsewhere) into text to show. */
export function describeError(error: unknown): Described {
  if (error instanceof ApiError) {
    const body = (typeof error.body === "object" && error.body !== null ? error.body : {}) as Record<string, unknown>;
    // The server sends per-field messages as `errors` (api/errors.py); older shapes as `fields`.
    const fields = fieldsOf(body.errors ?? body.fields ?? error.fields);
    const items = Array.isArray(body.items)
      ? (body.items as { index?: unknown; errors?: unknown }[]).map((item): [number, string[]] => [
          Number(item.index),
          messagesOf(item.errors),
        ])
      : [];
    let message = error.message;
    if (error.status === 404 && !message) message = "Not found.";
    if (error.status === 413 && !body.detail) message = "The upload is too large.";
    return { message, fields, items };
  }
  if (error instanceof NetworkError) return { message: error.message, fields: [], items: [] };
  if (error instanceof Error) return { message: error.message || "Something went wrong.", fields: [], items: [] };
  return { message: "Something went wrong.", fields: [], items: [] };
}

/** The message for one field, e.g. to show beside its input. */
export function fieldError(error: unknown, field: string): string {
  if (!error) return "";
  const found = describeError(error).fields.find(([name]) => name === field);
  return found ? found[1].join(" ") : "";
}
