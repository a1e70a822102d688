// Pure: what the Agreement page shows of the report (docs/agreement.md): the headline
// figures with their one-line definitions, the pairwise matrix, the per-label bars, and the
// filters read from and written to the page's URL.
import type { AgreementQuery, AgreementReport } from "../../lib/api/agreement";

/** Where each figure is defined in full, with its sources. */
export const DOCS = "docs/agreement.md";

export interface Figure {
  key: string;
  name: string;
  value: number | null;
  reason: string;
  definition: string;
  anchor: string;
}

/** A figure as text: three decimals, or "n/a" when the report could not compute it. */
export function formatValue(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(3);
}

export function headlineFigures(report: AgreementReport): Figure[] {
  const spans = report.spans;
  const relations = report.relations;
  const docs = report.document_labels;
  const figure = (
    key: string, name: string, value: number | null, reasons: Record<string, string>, reasonKey: string,
    definition: string, anchor: string,
  ): Figure => ({ key, name, value, reason: value === null ? (reasons[reasonKey] ?? "") : "", definition, anchor });
  return [
    figure("alpha_unitized", "Span unitizing alpha", spans.alpha_unitized, spans.reasons, "alpha_unitized",
      "Krippendorff's alpha for unitizing: coded and uncoded stretches both count; 1 perfect, 0 chance.", "alpha-unitized"),
    figure("span_f1_micro", "Span F1 (micro)", spans.f1.micro, spans.reasons, "f1",
      "2|matched| / (|A| + |B|) over every pair of annotators and label, counts pooled.", "span-f1"),
    figure("span_f1_macro", "Span F1 (macro)", spans.f1.macro, spans.reasons, "f1",
      "The mean of the per-label span F1s.", "span-f1"),
    figure("token_kappa", "Token kappa", spans.token_kappa, spans.reasons, "token_kappa",
      "Cohen's kappa over the CoNLL export's BIO tags, averaged over pairs of annotators.", "token-kappa"),
    figure("relation_f1", "Relation F1 (micro)", relations.f1.micro, relations.reasons, "f1",
      "A relation matches when its label and both end spans match; pooled over pairs.", "relation-f1"),
    figure("doc_alpha", "Document labels: Krippendorff's alpha", docs.krippendorff_alpha, docs.reasons,
      "krippendorff_alpha", "Nominal alpha over (article, document label) units; any number of coders.", "document-labels"),
    figure("doc_cohen", "Document labels: Cohen's kappa", docs.cohen_kappa, docs.reasons, "cohen_kappa",
      "Kappa of exactly two coders over the same units.", "document-labels"),
    figure("doc_fleiss", "Document labels: Fleiss' kappa", docs.fleiss_kappa, docs.reasons, "fleiss_kappa",
      "Kappa of n coders when every unit has the same number of coders.", "document-labels"),
  ];
}

export type PairMetric = "span_f1" | "relation_f1" | "token_kappa" | "kappa";
export const PAIR_METRICS: readonly (readonly [PairMetric, string])[] = [
  ["span_f1", "Span F1"],
  ["relation_f1", "Relation F1"],
  ["token_kappa", "Token kappa"],
  ["kappa", "Document-label kappa"],
];

export interface HeatRow {
  id: string;
  data: { x: string; y: number | null }[];
}

/** The symmetric annotator x annotator matrix of one pairwise figure (nothing on the diagonal). */
export function pairMatrix(report: AgreementReport, metric: PairMetric): HeatRow[] {
  const value = new Map<string, number | null>();
  for (const pair of report.pairs) {
    const v = pair[metric] ?? null;
    value.set(`${pair.a}\u0000${pair.b}`, v);
    value.set(`${pair.b}\u0000${pair.a}`, v);
  }
  return report.annotators.map((a) => ({
    id: a,
    data: report.annotators.map((b) => ({ x: b, y: a === b ? null : (value.get(`${a}\u0000${b}`) ?? null) })),
  }));
}

export interface LabelBar {
  label: string;
  value: number;
}

export interface LabelBars {
  title: string;
  bars: LabelBar[];
  /** Labels without a value, with why. */
  missing: { label: string; reason: string }[];
}

function bars<T extends { reasons: Record<string, string> }>(
  title: string, perLabel: Record<string, T>, pick: (entry: T) => number | null | undefined, key: string,
): LabelBars {
  const result: LabelBars = { title, bars: [], missing: [] };
  for (const [label, entry] of Object.entries(perLabel).sort(([a], [b]) => a.localeCompare(b))) {
    const value = pick(entry);
    if (value === null || value === undefined) result.missing.push({ label, reason: entry.reasons[key] ?? "" });
    else result.bars.push({ label, value });
  }
  return result;
}

export function labelBars(report: AgreementReport): LabelBars[] {
  return [
    bars("Spans: unitizing alpha", report.spans.per_label, (e) => e.alpha_unitized, "alpha_unitized"),
    bars("Spans: F1", report.spans.per_label, (e) => e.f1, "f1"),
    bars("Relations: F1", report.relations.per_label, (e) => e.f1, "f1"),
    bars("Document labels: Krippendorff's alpha", report.document_labels.per_label, (e) => e.krippendorff_alpha, "krippendorff_alpha"),
  ].filter((group) => group.bars.length > 0 || group.missing.length > 0);
}

const FILTERS = ["labels", "status", "annotators", "match"] as const;

/** The filters in the page's URL, as the API's query (unknown values left to the API's 400). */
export function queryFromParams(params: URLSearchParams): AgreementQuery {
  const query: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) query[name] = value;
  }
  return query as AgreementQuery;
}

/** The URL's parameters with one filter changed (an empty value removes it). */
export function withFilter(params: URLSearchParams, name: (typeof FILTERS)[number], value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value.trim()) next.set(name, value.trim());
  else next.delete(name);
  return next;
}
