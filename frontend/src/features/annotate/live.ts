// Which pushed events change what the annotate page shows (docs/live.md): pure, for the hook
// (useLiveWorkspace.ts) and its tests. The server sends only what the caller may read; here the
// page keeps what concerns its article and its layer, and leaves out its own writes (already
// drawn, and their versions kept by the editor).
import type { LiveEvent } from "../../lib/live";

export interface Shown {
  articleId: number;
  /** The layer drawn besides the pending suggestions: the caller's own, or gold. */
  gold: boolean;
  userId: number;
  username: string;
}

const ANNOTATIONS = ["span.", "relation.", "document_label.", "suggestion."];

function aboutArticle(event: LiveEvent, articleId: number): boolean {
  if (event.article === articleId) return true;
  return Array.isArray(event.articles) && event.articles.includes(articleId);
}

/** Whether ``event`` changes the layer the page shows, so it should read the article again. */
export function changesShown(event: LiveEvent, shown: Shown): boolean {
  if (event.type === "reconnected") return true;
  if (!aboutArticle(event, shown.articleId)) return false;
  if (event.type === "suggestions.changed") return true;
  if (event.type === "gold.changed") return shown.gold;
  if (event.actor === shown.username) return false;
  if (event.type === "state.changed") return !shown.gold && event.annotator === shown.userId;
  if (!ANNOTATIONS.some((prefix) => event.type.startsWith(prefix))) return false;
  if (event.layer === "suggestion") return true;
  if (shown.gold) return event.layer === "gold";
  return event.layer === "annotator" && event.annotator === shown.userId;
}

/** Whether ``event`` changes the article's comment threads. */
export function changesComments(event: LiveEvent, articleId: number): boolean {
  return event.type === "reconnected" || (event.type.startsWith("comment.") && event.article === articleId);
}

/** Whether ``event`` changes any annotator's layer or state of the article (the adjudication
 * page, which shows them side by side). */
export function changesLayers(event: LiveEvent, articleId: number, username: string): boolean {
  if (event.type === "reconnected") return true;
  if (!aboutArticle(event, articleId) || event.actor === username) return false;
  return event.type === "state.changed" || (ANNOTATIONS.some((p) => event.type.startsWith(p)) && event.layer === "annotator");
}
