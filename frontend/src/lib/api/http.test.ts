import { afterEach, describe, expect, it, vi } from "vitest";

import { ApiError, list, pathUrl } from "./http";

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(body === null ? null : JSON.stringify(body), { status }));
}

afterEach(() => vi.unstubAllGlobals());

describe("pathUrl", () => {
  it("fills the path's parameters and leaves empty query values out", () => {
    expect(pathUrl("/api/v1/projects/{project_id}/articles/", { project_id: 7 }, { status: "skipped", search: "" })).toBe(
      "/api/v1/projects/7/articles/?status=skipped",
    );
  });
});

describe("list", () => {
  it("gives a page whether the server answers a page or the whole list", async () => {
    vi.stubGlobal("document", { cookie: "" });
    vi.stubGlobal("fetch", answer(200, [{ id: 1 }, { id: 2 }]));
    const whole = await list("/api/v1/tokens/");
    expect(whole).toEqual({ count: 2, next: null, previous: null, results: [{ id: 1 }, { id: 2 }] });
    const page = { count: 40, next: "/api/v1/projects/?page=2", previous: null, results: [{ id: 3 }] };
    vi.stubGlobal("fetch", answer(200, page));
    expect(await list("/api/v1/projects/", { query: { page_size: 1 } })).toEqual(page);
  });

  it("turns an error answer into an ApiError with the server's message", async () => {
    vi.stubGlobal("document", { cookie: "" });
    vi.stubGlobal("fetch", answer(404, { detail: "Not found.", code: "not_found" }));
    const error = await list("/api/v1/tokens/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe("Not found.");
  });
});
