// The agreement report (docs/agreement.md), typed from the OpenAPI paths like client.ts.
import { call, pathUrl } from "./http";
import type { components } from "./schema";

type S = components["schemas"];
export type AgreementReport = S["AgreementReport"];
export type AgreementPair = AgreementReport["pairs"][number];

/** The report's filters, as the API's query string takes them (lists comma-separated). */
export interface AgreementQuery {
  labels?: string;
  status?: "submitted" | "any";
  annotators?: string;
  match?: "exact" | "overlap";
}

export const agreement = {
  report: (projectId: number, query: AgreementQuery) =>
    call("get", "/api/v1/projects/{project_id}/agreement/", { path: { project_id: projectId }, query }),
  csvUrl: (projectId: number, query: AgreementQuery, table: "pairs" | "labels") =>
    pathUrl("/api/v1/projects/{project_id}/agreement/csv/", { project_id: projectId }, { ...query, table }),
};
