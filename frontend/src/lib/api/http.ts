// The one fetch of the app, and the typed calls over it. A call names a path of the API's
// OpenAPI schema and its method; the path's parameters, the JSON body and the answer's type
// come from the generated `paths` (schema.d.ts), so a renamed field or endpoint fails tsc.

import type { paths } from "./schema";

/** An answer other than 2xx: the API's `{detail, code, errors: {field: [message]}}` (api/errors.py). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string[]>;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    const data = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    super(typeof data.detail === "string" ? data.detail : `The server answered ${status}.`);
    this.status = status;
    this.code = typeof data.code === "string" ? data.code : "";
    this.fields = (data.errors as Record<string, string[]>) ?? {};
    this.body = body;
  }

  /** The version check failed (412): someone else changed the object first. */
  get isConflict(): boolean {
    return this.status === 412 || this.status === 409;
  }
}

/** The request never got an answer (offline, server down): worth retrying. */
export class NetworkError extends Error {}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export type Query = Record<string, string | number | boolean | undefined | null>;

type Method = "get" | "post" | "put" | "patch" | "delete";
type Path = keyof paths;
/** The paths that have `method`. */
export type PathsWith<M extends Method> = {
  [P in Path]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[Path];
type Operation<P extends Path, M extends Method> = NonNullable<paths[P][M]>;
type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? ([NonNullable<Q>] extends [never] ? object : NonNullable<Q>) : object;
// Request fields the server gives a default are required in the generated types all the same:
// a call may leave any of them out, and the server fills them in.
type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? Partial<B> : never;
type Json<R> = R extends { content: { "application/json": infer D } } ? D : null;
type AnswerOf<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? Json<R[200]>
    : 201 extends keyof R
      ? Json<R[201]>
      : 202 extends keyof R
        ? Json<R[202]>
        : null
  : never;
/** The item type of a list endpoint: its answer is a page of them, or an array. */
type ItemOf<O> = AnswerOf<O> extends { results: (infer T)[] } ? T : AnswerOf<O> extends (infer T)[] ? T : never;
/** Paging of a list endpoint (the paginated ones document it; the others ignore it). */
interface PageQuery {
  page?: number;
  page_size?: number;
}

export interface CallOptions<O> {
  path?: PathParams<O>;
  query?: QueryOf<O> & PageQuery;
  body?: BodyOf<O>;
  /** The version the object was read at, sent as If-Match (the API's ETag is `"<version>"`). */
  version?: number;
  form?: FormData;
}

/** The URL of a path of the schema, its `{name}` parameters filled in. */
export function pathUrl<P extends Path>(path: P, params?: object, query?: Query): string {
  const values = (params ?? {}) as Record<string, string | number>;
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const qs = search.toString();
  return `${filled}${qs ? `?${qs}` : ""}`;
}

/** One call of the API, typed by its path and method. */
export async function call<M extends Method, P extends PathsWith<M>>(
  method: M,
  path: P,
  options: CallOptions<Operation<P, M>> = {},
): Promise<AnswerOf<Operation<P, M>>> {
  const url = pathUrl(path, options.path ?? {}, options.query as Query | undefined);
  return (await send(method.toUpperCase(), url, options)) as AnswerOf<Operation<P, M>>;
}

/** A list endpoint's answer in the one shape the app uses. Paginated endpoints answer a page,
 * the others (labels, members, tokens, recognisers) the whole list: that is made a page here. */
export async function list<P extends PathsWith<"get">>(
  path: P,
  options: CallOptions<Operation<P, "get">> = {},
): Promise<Page<ItemOf<Operation<P, "get">>>> {
  type Item = ItemOf<Operation<P, "get">>;
  const data = (await call("get", path, options)) as unknown as Item[] | Page<Item>;
  if (!Array.isArray(data)) return data;
  return { count: data.length, next: null, previous: null, results: data };
}

function cookie(name: string): string {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

/** Session cookie auth with Django's CSRF token on every unsafe method. */
async function send(method: string, url: string, options: { body?: unknown; version?: number; form?: FormData }): Promise<unknown> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = cookie("csrftoken");
  if (options.version !== undefined) headers["If-Match"] = `"${options.version}"`;
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, credentials: "same-origin" });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new NetworkError("The server could not be reached.");
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

