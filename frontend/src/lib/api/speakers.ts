// The project's speakers (docs/api.md, "Speakers"), typed from the OpenAPI paths like client.ts.
import { call } from "./http";
import type { components } from "./schema";

type S = components["schemas"];
export type Speaker = S["Speaker"];
export type Spelling = S["Spelling"];

export const speakers = {
  list: (projectId: number) => call("get", "/api/v1/projects/{project_id}/speakers/", { path: { project_id: projectId } }),
  spellings: (projectId: number) =>
    call("get", "/api/v1/projects/{project_id}/speakers/spellings/", { path: { project_id: projectId } }),
  create: (projectId: number, name: string, spellings: string[]) =>
    call("post", "/api/v1/projects/{project_id}/speakers/", { path: { project_id: projectId }, body: { name, spellings } }),
  update: (speakerId: number, changes: { name?: string; spellings?: string[] }) =>
    call("patch", "/api/v1/speakers/{speaker_id}/", { path: { speaker_id: speakerId }, body: changes }),
  remove: (speakerId: number) => call("delete", "/api/v1/speakers/{speaker_id}/", { path: { speaker_id: speakerId } }),
};
