// The annotation workspace: one article, the caller's own layer and the pending suggestions.
// Every change is drawn at once and saved through the queue (queue.ts);
// a refused save says why and reloads the article, an unanswered one waits and retries.

import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";

import {
  ApiError,
  annotations,
  articles,
  projects,
  suggestions,
  type Article,
  type Label,
  type Project,
} from "../../lib/api/client";
import { ArticleText, type DrawnSpan } from "../../shared/ui/articleText/ArticleText";
import { ShortcutHelp } from "./ShortcutHelp";
import {
  Ids,
  allowsTarget,
  fromRelation,
  fromSpan,
  isShown,
  relationsFrom,
  type LocalRelation,
  type LocalSpan,
} from "./model";
import { SaveQueue, type QueueState } from "./queue";
import { spanAt, segments } from "../../shared/ui/articleText/layout";
import { OffsetMap } from "../../lib/text/offsets";
import { useSession } from "../../shared/hooks/session";

type Undoable = { undo: () => void; redo: () => void; describe: string };

const SNAP_KEY = "annotator.snapToWords";

export function AnnotatePage() {
  const params = useParams();
  const projectId = Number(params.projectId);
  const articleId = Number(params.articleId);
  const navigate = useNavigate();
  const { me } = useSession();
  const username = me?.username ?? "";

  const [project, setProject] = useState<Project | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [article, setArticle] = useState<Article | null>(null);
  const [spans, setSpans] = useState<LocalSpan[]>([]);
  const [relations, setRelations] = useState<LocalRelation[]>([]);
  const [docLabels, setDocLabels] = useState<{ id: number; label: string; version: number }[]>([]);
  const [loadError, setLoadError] = useState("");
  const [notice, setNotice] = useState("");
  const [saving, setSaving] = useState<QueueState>({ waiting: 0, offline: false, retryIn: 0 });
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null); // code points
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [linking, setLinking] = useState<Label | null>(null);
  const [snapWords, setSnapWords] = useState(() => localStorage.getItem(SNAP_KEY) !== "off");
  const [showHelp, setShowHelp] = useState(false);
  const [threshold, setThreshold] = useState(0.8);
  const [busy, setBusy] = useState(false);

  const ids = useRef(new Ids());
  const spansRef = useRef(spans);
  spansRef.current = spans;
  const relationsRef = useRef(relations);
  relationsRef.current = relations;
  const undoStack = useRef<Undoable[]>([]);
  const redoStack = useRef<Undoable[]>([]);
  const queue = useMemo(() => new SaveQueue(setSaving), []);

  const text = article?.text ?? "";
  const offsets = useMemo(() => new OffsetMap(text), [text]);
  const spanLabels = useMemo(() => labels.filter((l) => l.kind === "span"), [labels]);
  const relationLabels = useMemo(() => labels.filter((l) => l.kind === "relation"), [labels]);
  const documentLabels = useMemo(() => labels.filter((l) => l.kind === "document"), [labels]);
  const colour = useCallback((name: string) => labels.find((l) => l.name === name)?.colour ?? "#888888", [labels]);

  // --- loading -------------------------------------------------------------------------

  const load = useCallback(async () => {
    const loaded = await articles.get(articleId);
    setArticle(loaded);
    setSpans(loaded.spans.filter((s) => isShown(s, username)).map(fromSpan));
    setRelations(loaded.relations.filter((r) => isShown(r, username)).map(fromRelation));
    setDocLabels(loaded.document_labels.filter((d) => d.layer === "annotator" && d.annotator === username));
    undoStack.current = [];
    redoStack.current = [];
  }, [articleId, username]);

  useEffect(() => {
    setLoadError("");
    setSelection(null);
    setSelectedId(null);
    Promise.all([projects.get(projectId), projects.labels(projectId).then((page) => page.results), load()])
      .then(([p, l]) => {
        setProject(p);
        setLabels(l);
      })
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, [projectId, load]);

  // Leaving with changes not saved yet asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (queue.waiting > 0) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    const online = () => queue.retryNow();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("beforeunload", warn);
      window.removeEventListener("online", online);
    };
  }, [queue]);

  const refused = useCallback(
    (what: string) => (error: unknown) => {
      const why = error instanceof ApiError ? error.message : String(error);
      const conflict = error instanceof ApiError && (error.status === 412 || error.status === 409);
      setNotice(
        conflict
          ? `Your change (${what}) was not saved: someone changed this article at the same time. ${why} ` +
              "Your layer has been reloaded from the server; redo the change if it is still needed."
          : `Your change (${what}) was not saved: ${why} The article has been reloaded.`,
      );
      void load();
    },
    [load],
  );

  // --- changes: drawn now, saved in order -------------------------------------------------

  const save = useCallback(
    (describe: string, run: () => Promise<void>) => queue.push({ describe, run, refused: refused(describe) }),
    [queue, refused],
  );

  const record = (action: Undoable) => {
    undoStack.current.push(action);
    redoStack.current = [];
  };

  const replaceSpan = (id: number, next: Partial<LocalSpan>) =>
    setSpans((all) => all.map((s) => (s.id === id ? { ...s, ...next } : s)));

  const createSpan = useCallback(
    (start: number, end: number, label: string, undoable = true): number => {
      const temp = ids.current.temporary();
      const local: LocalSpan = {
        id: temp,
        start,
        end,
        text: offsets.slice(start, end),
        label,
        version: 1,
        suggestion: false,
        score: null,
        recogniser: "",
      };
      setSpans((all) => [...all, local]);
      save(`add ${label} span`, async () => {
        const saved = await annotations.createSpan(articleId, { start, end, label });
        ids.current.saveAs(temp, saved.id);
        versions.current.set(saved.id, saved.version);
      });
      if (undoable) {
        let current = temp;
        record({
          describe: `add ${label}`,
          undo: () => deleteSpan(ids.current.current(current), false),
          redo: () => {
            current = createSpan(start, end, label, false);
          },
        });
      }
      return temp;
    },
    // deleteSpan (below) is reached through the closure when an undo runs, not at render.
    [articleId, save, offsets],
  );

  const deleteSpan = useCallback(
    (id: number, undoable = true) => {
      const span = spansRef.current.find((s) => s.id === id);
      if (!span) return;
      const attached = relationsRef.current.filter((r) => r.from === id || r.to === id);
      setSpans((all) => all.filter((s) => s.id !== id));
      setRelations((all) => all.filter((r) => r.from !== id && r.to !== id));
      setSelectedId((sel) => (sel === id ? null : sel));
      save(`delete ${span.label} span`, async () => {
        const real = ids.current.real(id);
        await annotations.deleteSpan(real, latestVersion(real, span.version));
      });
      if (undoable) {
        let current = id;
        record({
          describe: `delete ${span.label}`,
          undo: () => {
            current = createSpan(span.start, span.end, span.label, false);
            ids.current.remadeAs(id, current);
            for (const r of attached) {
              const other = ids.current.current(r.from === id ? r.to : r.from);
              createRelation(r.from === id ? current : other, r.to === id ? current : other, r.label, false);
            }
          },
          redo: () => deleteSpan(ids.current.current(current), false),
        });
      }
    },
    [save],
  );

  // Versions move with every saved update: the latest one known when the request is sent.
  const versions = useRef(new Map<number, number>());
  const latestVersion = (id: number, fallback: number) => versions.current.get(id) ?? fallback;

  const relabelSpan = useCallback(
    (id: number, label: string, undoable = true) => {
      const span = spansRef.current.find((s) => s.id === id);
      if (!span || span.label === label) return;
      const before = span.label;
      replaceSpan(id, { label });
      save(`relabel ${before} to ${label}`, async () => {
        const real = ids.current.real(id);
        const saved = await annotations.updateSpan(real, latestVersion(real, span.version), { label });
        versions.current.set(real, saved.version);
      });
      if (undoable) {
        record({
          describe: `relabel ${before} to ${label}`,
          undo: () => relabelSpan(ids.current.current(id), before, false),
          redo: () => relabelSpan(ids.current.current(id), label, false),
        });
      }
    },
    [save],
  );

  const createRelation = useCallback(
    (from: number, to: number, label: string, undoable = true): number => {
      const temp = ids.current.temporary();
      setRelations((all) => [...all, { id: temp, from, to, label, version: 1, suggestion: false, score: null }]);
      save(`link ${label}`, async () => {
        const saved = await annotations.createRelation(articleId, {
          from: ids.current.real(from),
          to: ids.current.real(to),
          label,
        });
        ids.current.saveAs(temp, saved.id);
        versions.current.set(saved.id, saved.version);
      });
      if (undoable) {
        let current = temp;
        record({
          describe: `link ${label}`,
          undo: () => deleteRelation(ids.current.current(current), false),
          redo: () => {
            current = createRelation(ids.current.current(from), ids.current.current(to), label, false);
          },
        });
      }
      return temp;
    },
    [articleId, save],
  );

  const deleteRelation = useCallback(
    (id: number, undoable = true) => {
      const relation = relationsRef.current.find((r) => r.id === id);
      if (!relation) return;
      setRelations((all) => all.filter((r) => r.id !== id));
      save(`remove ${relation.label} link`, async () => {
        const real = ids.current.real(id);
        await annotations.deleteRelation(real, latestVersion(real, relation.version));
      });
      if (undoable) {
        let current = id;
        record({
          describe: `remove ${relation.label}`,
          undo: () => {
            current = createRelation(
              ids.current.current(relation.from),
              ids.current.current(relation.to),
              relation.label,
              false,
            );
            ids.current.remadeAs(id, current);
          },
          redo: () => deleteRelation(ids.current.current(current), false),
        });
      }
    },
    [createRelation, save],
  );

  const toggleDocumentLabel = (label: Label) => {
    const existing = docLabels.find((d) => d.label === label.name);
    if (existing) {
      setDocLabels((all) => all.filter((d) => d.id !== existing.id));
      save(`remove document label ${label.name}`, async () => {
        const real = ids.current.real(existing.id);
        await annotations.deleteDocumentLabel(real, latestVersion(real, existing.version));
      });
    } else {
      const temp = ids.current.temporary();
      setDocLabels((all) => [...all, { id: temp, label: label.name, version: 1 }]);
      save(`add document label ${label.name}`, async () => {
        const saved = await annotations.createDocumentLabel(articleId, label.name);
        ids.current.saveAs(temp, saved.id);
        versions.current.set(saved.id, saved.version);
      });
    }
  };

  const decideSuggestion = useCallback(
    (id: number, accept: boolean) => {
      const suggestion = spansRef.current.find((s) => s.id === id && s.suggestion);
      if (!suggestion) return;
      setSelectedId(null);
      setSpans((all) => all.filter((s) => s.id !== id));
      setRelations((all) => all.filter((r) => !(r.suggestion && (r.from === id || r.to === id))));
      if (accept) {
        save(`accept ${suggestion.label} suggestion`, async () => {
          const created = await suggestions.accept(id);
          setSpans((all) => (all.some((s) => s.id === created.id) ? all : [...all, fromSpan(created)]));
        });
      } else {
        save(`reject ${suggestion.label} suggestion`, async () => {
          await suggestions.reject(id);
        });
      }
    },
    [save],
  );

  // A relation suggestion accepted brings its two spans into the layer too: reload to show them.
  const decideRelationSuggestion = (relation: LocalRelation, accept: boolean) => {
    setRelations((all) => all.filter((r) => r.id !== relation.id));
    if (accept) {
      save(`accept ${relation.label} suggestion`, async () => {
        await suggestions.acceptRelation(relation.id);
        await load();
      });
    } else {
      save(`reject ${relation.label} suggestion`, async () => {
        await suggestions.rejectRelation(relation.id);
      });
    }
  };

  const acceptAll = () => {
    save(`accept suggestions scoring at least ${threshold}`, async () => {
      await suggestions.acceptAll(articleId, threshold);
      await load();
    });
  };

  const finish = async (status: "submitted" | "skipped") => {
    if (!article) return;
    setBusy(true);
    try {
      await queue.settled();
      await annotations.setState(articleId, status, article.state.version);
      // The next article: the first not started after this one, else the first not started.
      const after = await articles.list(projectId, { status: "not_started", page_size: 50 });
      const next = after.results.find((a) => a.id > articleId) ?? after.results.find((a) => a.id !== articleId);
      navigate(next ? `/projects/${projectId}/articles/${next.id}` : `/projects/${projectId}?done=1`);
    } catch (error) {
      refused(status === "submitted" ? "submit" : "skip")(error);
    } finally {
      setBusy(false);
    }
  };

  const undo = () => {
    const action = undoStack.current.pop();
    if (!action) return;
    action.undo();
    redoStack.current.push(action);
  };
  const redo = () => {
    const action = redoStack.current.pop();
    if (!action) return;
    action.redo();
    undoStack.current.push(action);
  };

  // --- drawing and pointing -----------------------------------------------------------------

  const drawn: DrawnSpan[] = useMemo(
    () =>
      spans.map((s) => ({
        id: s.id,
        start: s.start,
        end: s.end,
        colour: colour(s.label),
        suggestion: s.suggestion,
        title: s.suggestion ? `${s.label} suggestion (${s.recogniser}, score ${s.score ?? "?"})` : s.label,
      })),
    [spans, colour],
  );
  const segs = useMemo(() => segments(offsets.length, drawn), [offsets, drawn]);
  const selected = spans.find((s) => s.id === selectedId) ?? null;
  const targetIds = useMemo(() => {
    if (!linking) return null;
    return new Set(spans.filter((s) => !s.suggestion && s.id !== selectedId && allowsTarget(linking, s.label)).map((s) => s.id));
  }, [linking, spans, selectedId]);

  const stateRef = useRef({ linking, selectedId, targetIds });
  stateRef.current = { linking, selectedId, targetIds };

  const onSelectText = useCallback(
    (start: number, end: number) => {
      setSelection(offsets.snap(start, end, snapWords));
      setSelectedId(null);
      setLinking(null);
    },
    [offsets, snapWords],
  );

  const onClickAt = useCallback(
    (offset: number) => {
      const { linking: link, selectedId: current, targetIds: targets } = stateRef.current;
      setSelection(null);
      const hit = spanAt(segs, offset, current ?? undefined);
      if (link && current !== null) {
        const target = hit !== null && targets?.has(hit) ? hit : null;
        if (target === null) {
          setNotice(`Pick a span that ${link.name} may point to: ${link.allowed_targets.join(", ") || "any"}.`);
          return;
        }
        createRelation(current, target, link.name);
        setLinking(null);
        return;
      }
      setSelectedId(hit);
    },
    [segs, createRelation],
  );

  const applyLabel = (label: Label) => {
    if (selection) {
      const id = createSpan(selection.start, selection.end, label.name);
      setSelection(null);
      window.getSelection()?.removeAllRanges();
      setSelectedId(id);
    } else if (selected && !selected.suggestion) {
      relabelSpan(selected.id, label.name);
    }
  };

  const startLinking = (relation: Label) => {
    if (!selected || selected.suggestion) return;
    setLinking(relation);
    setNotice("");
  };

  // --- keys ---------------------------------------------------------------------------------

  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => {});
  keyHandler.current = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
    const key = event.key;
    const ctrl = event.ctrlKey || event.metaKey;
    if (key === "?") {
      setShowHelp((v) => !v);
    } else if (key === "Escape") {
      setShowHelp(false);
      setSelection(null);
      setSelectedId(null);
      setLinking(null);
    } else if (ctrl && key.toLowerCase() === "z") {
      if (event.shiftKey) redo();
      else undo();
    } else if (ctrl && key.toLowerCase() === "y") {
      redo();
    } else if (key === "Enter" && event.shiftKey) {
      void finish("submitted");
    } else if (key === "S" && event.shiftKey && !ctrl) {
      void finish("skipped");
    } else if (selected?.suggestion && key === "Enter") {
      decideSuggestion(selected.id, true);
    } else if (selected?.suggestion && (key === "Backspace" || key === "Delete" || key === "x")) {
      decideSuggestion(selected.id, false);
    } else if (selected && !selected.suggestion && (key === "Backspace" || key === "Delete")) {
      deleteSpan(selected.id);
    } else if (!ctrl && !event.altKey && key.length === 1) {
      const pressed = key.toLowerCase();
      const spanLabel = spanLabels.find((l) => l.hotkey && l.hotkey.toLowerCase() === pressed);
      const relation = relationLabels.find((l) => l.hotkey && l.hotkey.toLowerCase() === pressed);
      if (spanLabel && (selection || (selected && !selected.suggestion))) applyLabel(spanLabel);
      else if (relation && selected && !selected.suggestion) startLinking(relation);
      else return;
    } else {
      return;
    }
    event.preventDefault();
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keyHandler.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  // --- page -------------------------------------------------------------------------------

  if (loadError) return <p className="error" role="alert">Could not load the article: {loadError}</p>;
  if (!article || !project) return <p className="loading">Loading the article…</p>;

  const own = spans.filter((s) => !s.suggestion).sort((a, b) => a.start - b.start || a.end - b.end);
  const pending = spans.filter((s) => s.suggestion).sort((a, b) => a.start - b.start);
  const byId = new Map(spans.map((s) => [s.id, s]));
  const ownRelations = relations.filter((r) => !r.suggestion);
  // (one whose span suggestion was decided has lost an end here, and is not offered)
  const suggestedRelations = relations.filter((r) => r.suggestion && byId.has(r.from) && byId.has(r.to));
  const describeRelation = (r: LocalRelation) =>
    `${byId.get(r.from)?.label} “${byId.get(r.from)?.text.slice(0, 30)}” —${r.label}→ ` +
    `${byId.get(r.to)?.label} “${byId.get(r.to)?.text.slice(0, 30)}”`;
  const status = saving.offline
    ? `Offline: ${saving.waiting} change(s) waiting, retrying in ${Math.round(saving.retryIn / 1000)} s`
    : saving.waiting
      ? `Saving ${saving.waiting} change(s)…`
      : "Saved";

  return (
    <div className="workspace">
      <div className="workspace-head">
        <Link to={`/projects/${projectId}`}>← {project.name}</Link>
        <h1>{article.title || article.external_id}</h1>
        <span className={`save-status${saving.offline ? " offline" : ""}`} data-testid="save-status" aria-live="polite">
          {status}
          {saving.offline && (
            <button type="button" onClick={() => queue.retryNow()}>
              Retry now
            </button>
          )}
        </span>
      </div>
      {notice && (
        <div className="notice" role="alert">
          {notice}{" "}
          <button type="button" onClick={() => setNotice("")}>
            Dismiss
          </button>
        </div>
      )}
      <div className="palette" aria-label="Labels">
        {spanLabels.map((l) => (
          <button
            type="button"
            key={l.id}
            data-label={l.name}
            style={{ borderColor: l.colour }}
            onClick={() => applyLabel(l)}
            disabled={!selection && !(selected && !selected.suggestion)}
            title={l.description}
          >
            <span className="swatch" style={{ background: l.colour }} /> {l.name}
            {l.hotkey && <kbd>{l.hotkey}</kbd>}
          </button>
        ))}
        <label className="inline">
          <input
            type="checkbox"
            checked={snapWords}
            onChange={(e) => {
              setSnapWords(e.target.checked);
              localStorage.setItem(SNAP_KEY, e.target.checked ? "on" : "off");
            }}
          />
          Snap selection to words
        </label>
        <button type="button" onClick={() => setShowHelp(true)} title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
      {linking && selected && (
        <p className="linking" role="status">
          Linking {selected.label} “{selected.text.slice(0, 40)}” with {linking.name}: click the target span
          ({linking.allowed_targets.join(", ") || "any label"}); Esc cancels.
        </p>
      )}
      <div className="workspace-body">
        <ArticleText
          testId="article-text"
          text={text}
          spans={drawn}
          selectedId={selectedId}
          highlight={selection}
          targetIds={targetIds}
          onSelectText={onSelectText}
          onClickAt={onClickAt}
        />
        <aside className="side">
          {selected && (
            <section className="card selected-panel" aria-label="Selected span">
              <h2>
                {selected.suggestion ? "Suggestion" : "Span"}: {selected.label}
              </h2>
              <p className="quote">“{selected.text}”</p>
              {selected.suggestion ? (
                <>
                  <p>
                    {selected.recogniser}, score {selected.score ?? "?"}
                  </p>
                  <button type="button" className="primary" onClick={() => decideSuggestion(selected.id, true)}>
                    Accept (Enter)
                  </button>{" "}
                  <button type="button" onClick={() => decideSuggestion(selected.id, false)}>
                    Reject (x)
                  </button>
                </>
              ) : (
                <>
                  <label>
                    Label
                    <select value={selected.label} onChange={(e) => relabelSpan(selected.id, e.target.value)}>
                      {spanLabels.map((l) => (
                        <option key={l.id} value={l.name}>
                          {l.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  {relationsFrom(relationLabels, selected.label).map((r) => (
                    <button type="button" key={r.id} onClick={() => startLinking(r)}>
                      Link {r.name} {r.hotkey && <kbd>{r.hotkey}</kbd>}
                    </button>
                  ))}{" "}
                  <button type="button" className="danger" onClick={() => deleteSpan(selected.id)}>
                    Delete (Backspace)
                  </button>
                </>
              )}
            </section>
          )}
          {documentLabels.length > 0 && (
            <section className="card" aria-label="Document labels">
              <h2>Document labels</h2>
              {documentLabels.map((l) => (
                <label key={l.id} className="inline">
                  <input
                    type="checkbox"
                    checked={docLabels.some((d) => d.label === l.name)}
                    onChange={() => toggleDocumentLabel(l)}
                  />
                  {l.name}
                </label>
              ))}
            </section>
          )}
          <section className="card" aria-label="Suggestions">
            <h2>Suggestions ({pending.length})</h2>
            <div className="accept-all">
              <label className="inline">
                Accept all scoring at least
                <input
                  type="number"
                  min={0}
                  max={1}
                  step={0.05}
                  value={threshold}
                  onChange={(e) => setThreshold(Number(e.target.value))}
                />
              </label>
              <button type="button" onClick={acceptAll} disabled={pending.length === 0}>
                Accept all
              </button>
            </div>
            <ul className="items">
              {pending.map((s) => (
                <SpanRow
                  key={s.id}
                  span={s}
                  colour={colour(s.label)}
                  selected={s.id === selectedId}
                  onSelect={setSelectedId}
                  onDecide={decideSuggestion}
                />
              ))}
            </ul>
          </section>
          <section className="card" aria-label="Your spans">
            <h2>Your spans ({own.length})</h2>
            <ul className="items">
              {own.map((s) => (
                <SpanRow key={s.id} span={s} colour={colour(s.label)} selected={s.id === selectedId} onSelect={setSelectedId} />
              ))}
            </ul>
          </section>
          <section className="card" aria-label="Relations">
            <h2>Relations ({ownRelations.length})</h2>
            <ul className="items">
              {ownRelations.map((r) => (
                <li key={r.id} data-relation-id={r.id}>
                  {describeRelation(r)}{" "}
                  <button type="button" aria-label={`Delete ${r.label} link`} onClick={() => deleteRelation(r.id)}>
                    ✗
                  </button>
                </li>
              ))}
            </ul>
            {suggestedRelations.length > 0 && (
              <>
                <h3>Suggested ({suggestedRelations.length})</h3>
                <ul className="items">
                  {suggestedRelations.map((r) => (
                    <li key={r.id} data-relation-suggestion-id={r.id}>
                      {describeRelation(r)} <span className="score">{r.score?.toFixed(2) ?? ""}</span>
                      <button
                        type="button"
                        aria-label={`Accept ${r.label} suggestion`}
                        onClick={() => decideRelationSuggestion(r, true)}
                      >
                        ✓
                      </button>
                      <button
                        type="button"
                        aria-label={`Reject ${r.label} suggestion`}
                        onClick={() => decideRelationSuggestion(r, false)}
                      >
                        ✗
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </aside>
      </div>
      <div className="workspace-foot">
        <span>
          Status: <strong data-testid="article-status">{article.state.status.replace("_", " ")}</strong>
        </span>
        <button type="button" onClick={undo} title="Ctrl+Z">
          Undo
        </button>
        <button type="button" onClick={redo} title="Ctrl+Shift+Z">
          Redo
        </button>
        <button type="button" onClick={() => void finish("skipped")} disabled={busy} title="Shift+S">
          Skip
        </button>
        <button type="button" className="primary" onClick={() => void finish("submitted")} disabled={busy} title="Shift+Enter">
          Submit and next
        </button>
      </div>
      {showHelp && <ShortcutHelp labels={labels} onClose={() => setShowHelp(false)} />}
    </div>
  );
}

// One row of the span or suggestion list; memoised, so a change re-renders only its rows.
const SpanRow = memo(function SpanRow(props: {
  span: LocalSpan;
  colour: string;
  selected: boolean;
  onSelect: (id: number) => void;
  onDecide?: (id: number, accept: boolean) => void;
}) {
  const { span, colour, selected, onSelect, onDecide } = props;
  const hook = span.suggestion ? { "data-suggestion-id": span.id } : { "data-span-id": span.id };
  return (
    <li {...hook} className={selected ? "selected" : ""}>
      <button type="button" className="link" onClick={() => onSelect(span.id)}>
        <span className="swatch" style={{ background: colour }} /> {span.label} “{span.text.slice(0, 50)}”
      </button>
      {onDecide && (
        <>
          <span className="score">{span.score?.toFixed(2) ?? ""}</span>
          <button type="button" aria-label={`Accept ${span.label} ${span.text}`} onClick={() => onDecide(span.id, true)}>
            ✓
          </button>
          <button type="button" aria-label={`Reject ${span.label} ${span.text}`} onClick={() => onDecide(span.id, false)}>
            ✗
          </button>
        </>
      )}
    </li>
  );
});
