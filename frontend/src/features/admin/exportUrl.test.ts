import { describe, expect, it } from "vitest";

import { absoluteUrl, curlCommand, layerProblem, parseLayers } from "./exportUrl";

describe("export helpers", () => {
  it("parses layers", () => {
    expect(parseLayers("")).toEqual([]);
    expect(parseLayers(" gold, alice ,,alice bob")).toEqual(["gold", "alice", "bob"]);
  });
  it("builds an absolute URL and a curl command with the query kept", () => {
    const url = absoluteUrl("/api/v1/projects/3/export.jsonl?format=native&layers=gold%2Calice", "http://127.0.0.1:8000");
    expect(url).toBe("http://127.0.0.1:8000/api/v1/projects/3/export.jsonl?format=native&layers=gold%2Calice");
    expect(curlCommand(url)).toBe(`curl -H "Authorization: Bearer $TOKEN" '${url}'`);
    expect(curlCommand("http://x/a'b")).toBe(`curl -H "Authorization: Bearer $TOKEN" 'http://x/a'\\''b'`);
  });
  it("knows which formats hold one layer", () => {
    expect(layerProblem("native", [])).toBe("");
    expect(layerProblem("doccano", ["gold"])).toBe("");
    expect(layerProblem("doccano", [])).toContain("exactly one");
    expect(layerProblem("brat", ["all"])).toContain("exactly one");
    expect(layerProblem("brat", ["gold", "alice"])).toContain("exactly one");
  });
});
