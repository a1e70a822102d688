import { describe, expect, it } from "vitest";

import type { AgreementReport } from "../../lib/api/agreement";
import { formatValue, headlineFigures, labelBars, pairMatrix, queryFromParams, withFilter } from "./agreement";

const report: AgreementReport = {
  match: "exact",
  status: "submitted",
  articles: 2,
  annotators: ["ann2", "ann3", "annotator"],
  spans: {
    count: 9,
    alpha_unitized: 0.61,
    token_kappa: null,
    f1: { micro: 0.625, macro: 0.5556 },
    per_label: {
      CLAIM: { count: 3, alpha_unitized: 1, f1: 1, reasons: {} },
      FIGURE: { count: 4, alpha_unitized: null, f1: 0.5, reasons: { alpha_unitized: "nobody coded 'FIGURE'" } },
    },
    reasons: { token_kappa: "no pair of coders has a token kappa" },
  },
  relations: { count: 2, f1: { micro: 0, macro: 0 }, per_label: { REBUTS: { count: 2, f1: 0, reasons: {} } }, reasons: {} },
  document_labels: {
    units: 2,
    cohen_kappa: null,
    fleiss_kappa: null,
    krippendorff_alpha: 0.333,
    percentage_agreement: 0.667,
    per_label: {},
    reasons: { cohen_kappa: "Cohen's kappa takes exactly two coders; 3 took part." },
  },
  pairs: [
    { a: "ann2", b: "annotator", articles: 2, span_f1: 0.75, relation_f1: 0, kappa: 1, token_kappa: 0.81, reasons: {} },
    { a: "ann2", b: "ann3", articles: 1, span_f1: 0.5, relation_f1: null, kappa: null, token_kappa: null, reasons: {} },
  ],
  hardest_articles: [],
};

describe("the agreement page's figures", () => {
  it("formats values and says n/a for what could not be computed", () => {
    expect(formatValue(0.61)).toBe("0.610");
    expect(formatValue(-0.5)).toBe("-0.500");
    expect(formatValue(null)).toBe("n/a");
    expect(formatValue(Number.NaN)).toBe("n/a");
  });

  it("gives each headline figure its value, or its reason when null, and a definition", () => {
    const figures = Object.fromEntries(headlineFigures(report).map((f) => [f.key, f]));
    expect(figures.alpha_unitized!.value).toBe(0.61);
    expect(figures.token_kappa!.value).toBeNull();
    expect(figures.token_kappa!.reason).toBe("no pair of coders has a token kappa");
    expect(figures.doc_cohen!.reason).toContain("exactly two coders");
    expect(headlineFigures(report).every((f) => f.definition.length > 20)).toBe(true);
  });

  it("builds a symmetric pair matrix with nothing on the diagonal or for pairs without a value", () => {
    const rows = pairMatrix(report, "span_f1");
    const cell = (a: string, b: string) => rows.find((r) => r.id === a)!.data.find((d) => d.x === b)!.y;
    expect(rows.map((r) => r.id)).toEqual(report.annotators);
    expect(cell("ann2", "annotator")).toBe(0.75);
    expect(cell("annotator", "ann2")).toBe(0.75);
    expect(cell("ann2", "ann2")).toBeNull();
    expect(cell("ann3", "annotator")).toBeNull(); // no pair in the report
    expect(pairMatrix(report, "relation_f1").find((r) => r.id === "ann3")!.data.find((d) => d.x === "ann2")!.y).toBeNull();
  });

  it("puts each label in a bar, or among the missing with its reason", () => {
    const groups = Object.fromEntries(labelBars(report).map((g) => [g.title, g]));
    expect(groups["Spans: unitizing alpha"]!.bars).toEqual([{ label: "CLAIM", value: 1 }]);
    expect(groups["Spans: unitizing alpha"]!.missing).toEqual([{ label: "FIGURE", reason: "nobody coded 'FIGURE'" }]);
    expect(groups["Relations: F1"]!.bars).toEqual([{ label: "REBUTS", value: 0 }]);
    expect(groups["Document labels: Krippendorff's alpha"]).toBeUndefined();
  });

  it("reads the filters from the URL and writes one back", () => {
    const params = new URLSearchParams("labels=CLAIM,FIGURE&match=overlap&status=&page=2");
    expect(queryFromParams(params)).toEqual({ labels: "CLAIM,FIGURE", match: "overlap" });
    expect(withFilter(params, "match", "").get("match")).toBeNull();
    expect(withFilter(params, "annotators", " ann2 ").get("annotators")).toBe("ann2");
    expect(params.get("match")).toBe("overlap"); // unchanged
  });
});
