import { describe, expect, it } from "vitest";

import { exportSummary, formatBytes, importReport, preannotateReport } from "./reports";

describe("importReport", () => {
  it("reads a failed all-or-nothing report with per-line errors", () => {
    const report = importReport({
      records: 3,
      valid: 2,
      error_count: 1,
      written: false,
      articles_created: 0,
      errors: [{ line: 2, field: "text", message: "may not be blank" }],
    })!;
    expect(report.written).toBe(false);
    expect(report.errorCount).toBe(1);
    expect(report.errors).toEqual([{ line: 2, field: "text", message: "may not be blank", file: "" }]);
    expect(report.counts[0]).toEqual(["Articles created", 0]);
  });
  it("is null without a result and tolerates odd values", () => {
    expect(importReport(null)).toBeNull();
    const report = importReport({ errors: [{ line: "x", message: 5 }], error_count: "many" })!;
    expect(report.errors[0]).toEqual({ line: null, field: "", message: "5", file: "" });
    expect(report.errorCount).toBe(1);
  });
});

it("preannotateReport", () => {
  const report = preannotateReport({
    articles: 7,
    created: 12,
    kept: 0,
    recognisers: { figures: "1.0" },
    unknown_labels: { QUOTE: 2 },
  })!;
  expect(report.counts).toContainEqual(["Suggestions created", 12]);
  expect(report.counts).not.toContainEqual(["Relation suggestions created", 0]);
  expect(report.recognisers).toEqual([["figures", "1.0"]]);
  expect(report.unknownLabels).toEqual([["QUOTE", 2]]);
});

it("exportSummary and formatBytes", () => {
  expect(exportSummary({ counts: { articles: 4 }, bytes: 2048, sha256: "ab", cursor: "3-1" })).toEqual({
    articles: 4,
    bytes: 2048,
    sha256: "ab",
    cursor: "3-1",
  });
  expect(formatBytes(2048)).toBe("2.0 KiB");
  expect(formatBytes(10)).toBe("10 B");
});
