// The workspace's operations on one article's layer. Every change is drawn at once (dispatched
// to layerReducer) and saved through the queue (queue.ts), in order; a refused save says why
// and reloads the article, an unanswered one waits and retries. What the page makes gets a
// negative local id and keeps it (model.ts's Ids); undo and redo go through the same
// operations, so they are saved like any other change. Not React: useLayer.ts holds one per
// page and subscribes to it.

import { ApiError, annotations, articles, suggestions, type Article, type ArticleStatus } from "../../lib/api/client";
import { OffsetMap } from "../../lib/text/offsets";
import { EMPTY_LAYER, layerOf, layerReducer, type Layer, type LayerAction } from "./layer";
import { Ids, fromSpan, type LocalRelation, type LocalSpan, type Target } from "./model";
import { SaveQueue, type QueueState } from "./queue";
import { UndoHistory } from "./undo";

export class LayerEditor {
  readonly queue: SaveQueue;
  readonly history = new UndoHistory();
  private layer: Layer = EMPTY_LAYER;
  private article: Article | null = null;
  private offsets = new OffsetMap("");
  private articleId = 0;
  private target: Target = { layer: "annotator", username: "" };
  private readonly listeners = new Set<() => void>();
  private readonly ids = new Ids();
  // Versions move with every saved update: the latest one known when a request is sent.
  private readonly versions = new Map<number, number>();

  constructor(
    onSaving: (state: QueueState) => void,
    private readonly onNotice: (notice: string) => void,
  ) {
    this.queue = new SaveQueue(onSaving);
  }

  // --- for useSyncExternalStore ------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getLayer = (): Layer => this.layer;

  getArticle = (): Article | null => this.article;

  private dispatch(action: LayerAction): void {
    this.layer = layerReducer(this.layer, action);
    for (const listener of this.listeners) listener();
  }

  // --- loading --------------------------------------------------------------------------------

  /** Opens an article's layer: the caller's own (``username``) or, with ``gold``, the gold layer. */
  /** ``fetching``: the article's GET, when the page started it already (beside the project's). */
  async open(articleId: number, username: string, gold = false, fetching?: Promise<Article>): Promise<void> {
    this.articleId = articleId;
    this.target = gold ? { layer: "gold" } : { layer: "annotator", username };
    await this.reload(fetching);
  }

  /** The layer the API writes into: the caller's own ("annotator") or "gold". */
  private get layerName(): "annotator" | "gold" {
    return this.target.layer;
  }

  async reload(fetching?: Promise<Article>): Promise<void> {
    const loaded = await (fetching ?? articles.get(this.articleId));
    this.article = loaded;
    this.offsets = new OffsetMap(loaded.text);
    this.dispatch({ type: "loaded", layer: layerOf(loaded, this.target) });
    this.history.clear();
  }

  /** What the page says when the server refused a change (``what``), and the reload after it. */
  refused = (what: string) => (error: unknown) => {
    const why = error instanceof ApiError ? error.message : String(error);
    const conflict = error instanceof ApiError && (error.status === 412 || error.status === 409);
    this.onNotice(
      conflict
        ? `Your change (${what}) was not saved: someone changed this article at the same time. ${why} ` +
            "Your layer has been reloaded from the server; redo the change if it is still needed."
        : `Your change (${what}) was not saved: ${why} The article has been reloaded.`,
    );
    void this.reload();
  };

  private save(describe: string, run: () => Promise<void>): void {
    const saveThenShow = async () => {
      await run();
      this.started();
    };
    this.queue.push({ describe, run: saveThenShow, refused: this.refused(describe) });
  }

  /** The server puts an article in progress on the first change to one's own layer (at the
   * same version): the page shows it without reloading. */
  private started(): void {
    const article = this.article;
    if (this.target.layer !== "annotator" || !article || article.state.status !== "not_started") return;
    this.article = { ...article, state: { ...article.state, status: "in_progress" } };
    for (const listener of this.listeners) listener();
  }

  private latestVersion(id: number, fallback: number): number {
    return this.versions.get(id) ?? fallback;
  }

  // --- spans ---------------------------------------------------------------------------------

  createSpan(start: number, end: number, label: string, undoable = true): number {
    const articleId = this.articleId;
    const temp = this.ids.temporary();
    const local: LocalSpan = {
      id: temp,
      start,
      end,
      text: this.offsets.slice(start, end),
      label,
      version: 1,
      suggestion: false,
      score: null,
      recogniser: "",
    };
    this.dispatch({ type: "spanAdded", span: local });
    this.save(`add ${label} span`, async () => {
      const saved = await annotations.createSpan(articleId, { start, end, label, layer: this.layerName });
      this.ids.saveAs(temp, saved.id);
      this.versions.set(saved.id, saved.version);
    });
    if (undoable) {
      let current = temp;
      this.history.record({
        describe: `add ${label}`,
        undo: () => this.deleteSpan(this.ids.current(current), false),
        redo: () => {
          current = this.createSpan(start, end, label, false);
        },
      });
    }
    return temp;
  }

  deleteSpan(id: number, undoable = true): void {
    const span = this.layer.spans.find((s) => s.id === id);
    if (!span) return;
    const attached = this.layer.relations.filter((r) => r.from === id || r.to === id);
    this.dispatch({ type: "spanRemoved", id });
    this.save(`delete ${span.label} span`, async () => {
      const real = this.ids.real(id);
      await annotations.deleteSpan(real, this.latestVersion(real, span.version));
    });
    if (undoable) {
      let current = id;
      this.history.record({
        describe: `delete ${span.label}`,
        undo: () => {
          current = this.createSpan(span.start, span.end, span.label, false);
          this.ids.remadeAs(id, current);
          for (const r of attached) {
            const other = this.ids.current(r.from === id ? r.to : r.from);
            this.createRelation(r.from === id ? current : other, r.to === id ? current : other, r.label, false, r.toArticle);
          }
        },
        redo: () => this.deleteSpan(this.ids.current(current), false),
      });
    }
  }

  relabelSpan(id: number, label: string, undoable = true): void {
    const span = this.layer.spans.find((s) => s.id === id);
    if (!span || span.label === label) return;
    const before = span.label;
    this.dispatch({ type: "spanRelabelled", id, label });
    this.save(`relabel ${before} to ${label}`, async () => {
      const real = this.ids.real(id);
      const saved = await annotations.updateSpan(real, this.latestVersion(real, span.version), { label });
      this.versions.set(real, saved.version);
    });
    if (undoable) {
      this.history.record({
        describe: `relabel ${before} to ${label}`,
        undo: () => this.relabelSpan(this.ids.current(id), before, false),
        redo: () => this.relabelSpan(this.ids.current(id), label, false),
      });
    }
  }

  /** Sets (or, with "", removes) the span's ``attributes.speaker``. */
  setSpeaker(id: number, speaker: string, undoable = true): void {
    const span = this.layer.spans.find((s) => s.id === id);
    const next = speaker.trim();
    if (!span || (span.speaker ?? "") === next) return;
    const before = span.speaker ?? "";
    this.dispatch({ type: "speakerSet", id, speaker: next });
    this.save(`set the speaker of ${span.label}`, async () => {
      const real = this.ids.real(id);
      const saved = await annotations.updateSpan(real, this.latestVersion(real, span.version), { speaker: next });
      this.versions.set(real, saved.version);
    });
    if (undoable) {
      this.history.record({
        describe: `set the speaker of ${span.label}`,
        undo: () => this.setSpeaker(this.ids.current(id), before, false),
        redo: () => this.setSpeaker(this.ids.current(id), next, false),
      });
    }
  }

  // --- relations -----------------------------------------------------------------------------

  /** ``toArticle``: the article of ``to`` when it is another one (a relation across articles). */
  createRelation(from: number, to: number, label: string, undoable = true, toArticle?: number): number {
    const articleId = this.articleId;
    const temp = this.ids.temporary();
    this.dispatch({
      type: "relationAdded",
      relation: { id: temp, from, to, label, version: 1, suggestion: false, score: null, toArticle: toArticle ?? articleId },
    });
    this.save(`link ${label}`, async () => {
      const saved = await annotations.createRelation(articleId, {
        from: this.ids.real(from),
        to: this.ids.real(to),
        label,
      });
      this.ids.saveAs(temp, saved.id);
      this.versions.set(saved.id, saved.version);
    });
    if (undoable) {
      let current = temp;
      this.history.record({
        describe: `link ${label}`,
        undo: () => this.deleteRelation(this.ids.current(current), false),
        redo: () => {
          current = this.createRelation(this.ids.current(from), this.ids.current(to), label, false, toArticle);
        },
      });
    }
    return temp;
  }

  deleteRelation(id: number, undoable = true): void {
    const relation = this.layer.relations.find((r) => r.id === id);
    if (!relation) return;
    this.dispatch({ type: "relationRemoved", id });
    this.save(`remove ${relation.label} link`, async () => {
      const real = this.ids.real(id);
      await annotations.deleteRelation(real, this.latestVersion(real, relation.version));
    });
    if (undoable) {
      let current = id;
      this.history.record({
        describe: `remove ${relation.label}`,
        undo: () => {
          current = this.createRelation(
            this.ids.current(relation.from),
            this.ids.current(relation.to),
            relation.label,
            false,
            relation.toArticle,
          );
          this.ids.remadeAs(id, current);
        },
        redo: () => this.deleteRelation(this.ids.current(current), false),
      });
    }
  }

  // --- document labels -----------------------------------------------------------------------

  toggleDocumentLabel(name: string): void {
    const articleId = this.articleId;
    const existing = this.layer.documentLabels.find((d) => d.label === name);
    if (existing) {
      this.dispatch({ type: "documentLabelRemoved", id: existing.id });
      this.save(`remove document label ${name}`, async () => {
        const real = this.ids.real(existing.id);
        await annotations.deleteDocumentLabel(real, this.latestVersion(real, existing.version));
      });
    } else {
      const temp = this.ids.temporary();
      this.dispatch({ type: "documentLabelAdded", label: { id: temp, label: name, version: 1 } });
      this.save(`add document label ${name}`, async () => {
        const saved = await annotations.createDocumentLabel(articleId, name, this.layerName);
        this.ids.saveAs(temp, saved.id);
        this.versions.set(saved.id, saved.version);
      });
    }
  }

  // --- suggestions ---------------------------------------------------------------------------

  /** Accept or reject a span suggestion; undone by taking the decision back on the server
   * (reopen), which removes the span an accept made. ``made`` holds that span's id, shared by
   * the history step's undo and redo. */
  decideSuggestion(id: number, accept: boolean, made: { id: number | null } = { id: null }, undoable = true): void {
    const suggestion = this.layer.spans.find((s) => s.id === id && s.suggestion);
    if (!suggestion) return;
    this.dispatch({ type: "suggestionDecided", id });
    if (accept) {
      this.save(`accept ${suggestion.label} suggestion`, async () => {
        const created = await suggestions.accept(id, this.layerName);
        made.id = created.id;
        this.dispatch({ type: "acceptedSpanArrived", span: fromSpan(created) });
      });
    } else {
      this.save(`reject ${suggestion.label} suggestion`, async () => {
        await suggestions.reject(id);
      });
    }
    if (undoable) {
      this.history.record({
        describe: `${accept ? "accept" : "reject"} ${suggestion.label} suggestion`,
        undo: () => this.reopenSuggestion(suggestion, made),
        redo: () => this.decideSuggestion(id, accept, made, false),
      });
    }
  }

  private reopenSuggestion(suggestion: LocalSpan, made: { id: number | null }): void {
    this.dispatch({ type: "spanAdded", span: suggestion });
    this.save(`take back the ${suggestion.label} suggestion`, async () => {
      await suggestions.reopen(suggestion.id);
      if (made.id !== null) this.dispatch({ type: "spanRemoved", id: made.id });
      made.id = null;
    });
  }

  // A relation suggestion accepted brings its two spans into the layer too: reload to show them.
  decideRelationSuggestion(relation: LocalRelation, accept: boolean, undoable = true): void {
    this.dispatch({ type: "relationRemoved", id: relation.id });
    if (accept) {
      this.save(`accept ${relation.label} suggestion`, async () => {
        await suggestions.acceptRelation(relation.id, this.layerName);
        await this.reload();
      });
      return;
    }
    this.save(`reject ${relation.label} suggestion`, async () => {
      await suggestions.rejectRelation(relation.id);
    });
    if (undoable) {
      this.history.record({
        describe: `reject ${relation.label} suggestion`,
        undo: () => {
          this.dispatch({ type: "relationAdded", relation });
          this.save(`take back the ${relation.label} suggestion`, async () => {
            await suggestions.reopenRelation(relation.id);
          });
        },
        redo: () => this.decideRelationSuggestion(relation, false, false),
      });
    }
  }

  acceptAll(threshold: number): void {
    const articleId = this.articleId;
    this.save(`accept suggestions scoring at least ${threshold}`, async () => {
      await suggestions.acceptAll(articleId, threshold, this.layerName);
      await this.reload();
    });
  }

  // --- the article's state -------------------------------------------------------------------

  /** Once every change is saved: the caller's state of the article set to ``status``. */
  async finish(status: ArticleStatus): Promise<void> {
    if (!this.article) return;
    const version = this.article.state.version;
    await this.queue.settled();
    await annotations.setState(this.articleId, status, version);
  }
}
