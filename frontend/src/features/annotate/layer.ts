// The workspace's layer as one value, changed only through `layerReducer`: the caller's spans
// and relations, the pending suggestions, and the document labels. Pure: the editor
// (editor.ts) dispatches here and sends the matching request through the save queue.

import type { Article } from "../../lib/api/client";
import { fromRelation, fromSpan, isShown, type LocalRelation, type LocalSpan, type Target } from "./model";

export interface LocalDocumentLabel {
  id: number;
  label: string;
  version: number;
}

export interface Layer {
  spans: LocalSpan[];
  relations: LocalRelation[];
  documentLabels: LocalDocumentLabel[];
}

export const EMPTY_LAYER: Layer = { spans: [], relations: [], documentLabels: [] };

export type LayerAction =
  | { type: "loaded"; layer: Layer }
  | { type: "spanAdded"; span: LocalSpan }
  /** A span goes, and every relation from or to it. */
  | { type: "spanRemoved"; id: number }
  | { type: "spanRelabelled"; id: number; label: string }
  | { type: "speakerSet"; id: number; speaker: string }
  /** A span suggestion decided: it goes, and the suggested relations from or to it. */
  | { type: "suggestionDecided"; id: number }
  /** The span an accepted suggestion became, unless it is drawn already. */
  | { type: "acceptedSpanArrived"; span: LocalSpan }
  | { type: "relationAdded"; relation: LocalRelation }
  | { type: "relationRemoved"; id: number }
  | { type: "documentLabelAdded"; label: LocalDocumentLabel }
  | { type: "documentLabelRemoved"; id: number };

export function layerReducer(state: Layer, action: LayerAction): Layer {
  switch (action.type) {
    case "loaded":
      return action.layer;
    case "spanAdded":
      return { ...state, spans: [...state.spans, action.span] };
    case "spanRemoved":
      return {
        ...state,
        spans: state.spans.filter((s) => s.id !== action.id),
        relations: state.relations.filter((r) => r.from !== action.id && r.to !== action.id),
      };
    case "spanRelabelled":
      return { ...state, spans: state.spans.map((s) => (s.id === action.id ? { ...s, label: action.label } : s)) };
    case "speakerSet":
      return { ...state, spans: state.spans.map((s) => (s.id === action.id ? { ...s, speaker: action.speaker } : s)) };
    case "suggestionDecided":
      return {
        ...state,
        spans: state.spans.filter((s) => s.id !== action.id),
        relations: state.relations.filter((r) => !(r.suggestion && (r.from === action.id || r.to === action.id))),
      };
    case "acceptedSpanArrived":
      return state.spans.some((s) => s.id === action.span.id) ? state : { ...state, spans: [...state.spans, action.span] };
    case "relationAdded":
      return { ...state, relations: [...state.relations, action.relation] };
    case "relationRemoved":
      return { ...state, relations: state.relations.filter((r) => r.id !== action.id) };
    case "documentLabelAdded":
      return { ...state, documentLabels: [...state.documentLabels, action.label] };
    case "documentLabelRemoved":
      return { ...state, documentLabels: state.documentLabels.filter((d) => d.id !== action.id) };
  }
}

/** What the workspace shows of an article: the layer it edits and the pending suggestions. */
export function layerOf(article: Article, target: Target): Layer {
  return {
    spans: article.spans.filter((s) => isShown(s, target)).map(fromSpan),
    relations: article.relations.filter((r) => isShown(r, target)).map(fromRelation),
    documentLabels: article.document_labels
      .filter((d) => isShown({ ...d, suggestion_status: "" }, target))
      .map((d) => ({ id: d.id, label: d.label, version: d.version })),
  };
}
