// The annotation workspace: one article, the caller's own layer (or, for reviewers on the gold
// page, the gold layer) and the pending suggestions; read only for researchers. The layer and
// its operations live in the editor (editor.ts, held by useLayer), which draws every change at
// once and saves it through the queue; this page keeps what is pointed at (the text selection,
// the selected span, a link being made), maps keys to operations (shortcuts.ts) and lays out
// the text and the panels (WorkspaceSide). The next article comes from the server's queue.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";

import { articles, projects, type Label, type Project } from "../../lib/api/client";
import { queue } from "../../lib/api/workflow";
import { OffsetMap } from "../../lib/text/offsets";
import { useAfterPaint } from "../../shared/frame/useAfterPaint";
import { useAction } from "../../shared/hooks/useAction";
import { useSession } from "../../shared/hooks/session";
import type { DrawnSpan } from "../../shared/ui/articleText/ArticleText";
import { PresenceBadges } from "../../shared/ui/PresenceBadges";
import { segments, spanAt } from "../../shared/ui/articleText/layout";
import { LabelPalette } from "./LabelPalette";
import { LinkAcrossDialog } from "./LinkAcrossDialog";
import { DrawnSpans } from "./drawn";
import { allowsTarget } from "./model";
import { SaveStatus } from "./SaveStatus";
import { TextWithArcs } from "./TextWithArcs";
import { useSpanFromUrl } from "./useSpanFromUrl";
import { ShortcutHelp } from "./ShortcutHelp";
import { commandFor } from "./shortcuts";
import { useLayer } from "./useLayer";
import { useLiveWorkspace } from "./useLiveWorkspace";
import { useShortcuts } from "./useShortcuts";
import { WorkspaceFooter } from "./WorkspaceFooter";
import { WorkspaceSide } from "./WorkspaceSide";
import { useComments } from "../comments/useComments";

const SNAP_KEY = "annotator.snapToWords";

type Layered = ReturnType<typeof useLayer>;

// The editor (and its save queue) lasts while the page is open; what is pointed at starts
// afresh with each article.
export function AnnotatePage({ gold = false }: { gold?: boolean }) {
  const params = useParams();
  const projectId = Number(params.projectId);
  const articleId = Number(params.articleId);
  const { me } = useSession();
  const layered = useLayer();
  return (
    <Workspace
      key={`${projectId}/${articleId}/${gold}`}
      projectId={projectId}
      articleId={articleId}
      username={me?.username ?? ""}
      layered={layered}
      gold={gold}
    />
  );
}

interface WorkspaceProps {
  projectId: number;
  articleId: number;
  username: string;
  layered: Layered;
  /** Edit the gold layer (reviewers, admins) instead of the caller's own. */
  gold: boolean;
  /** Inside the adjudication page: no page heading or way back of its own. */
  embedded?: boolean;
}

/** The gold layer's workspace inside the adjudication page: the annotate page's keys and panels. */
export function GoldWorkspace({ projectId, articleId, layered }: { projectId: number; articleId: number; layered: Layered }) {
  const { me } = useSession();
  return <Workspace projectId={projectId} articleId={articleId} username={me?.username ?? ""} layered={layered} gold embedded />;
}

function Workspace({ projectId, articleId, username, layered, gold, embedded = false }: WorkspaceProps) {
  const { editor, layer, article, saving, notice, setNotice } = layered;
  const navigate = useNavigate();
  const [project, setProject] = useState<Project | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [loadError, setLoadError] = useState("");
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null); // code points
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [linking, setLinking] = useState<Label | null>(null);
  const [snapWords, setSnapWords] = useState(() => localStorage.getItem(SNAP_KEY) !== "off");
  const [showHelp, setShowHelp] = useState(false);
  const [linkingAcross, setLinkingAcross] = useState(false);
  const finishing = useAction();

  useEffect(() => {
    // The article (the longest answer) and the labels are asked for beside the project, not
    // after it; which of the article's layers is shown waits for the project: researchers read
    // the gold layer (they have none of their own); reviewers edit it on the gold page.
    const fetching = articles.get(articleId);
    const labelling = projects.labels(projectId);
    // (a failure of either is reported below once the project is read, or not at all)
    fetching.catch(() => undefined);
    labelling.catch(() => undefined);
    projects
      .get(projectId)
      .then((p) => Promise.all([p, labelling, editor.open(articleId, username, gold || p.role === "researcher", fetching)]))
      .then(([p, l]) => {
        setProject(p);
        setLabels(l.results);
      })
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, [editor, projectId, articleId, username, gold]);
  const readOnly = project?.role === "researcher";
  const showsGold = gold || readOnly;
  const comments = useComments(articleId);
  const { me } = useSession();
  const shownLayer = { articleId, gold: showsGold, userId: me?.id ?? 0, username };
  const present = useLiveWorkspace(projectId, shownLayer, editor, comments.reload);

  const shown = article?.id === articleId ? article : null;
  const text = shown?.text ?? "";
  const offsets = useMemo(() => new OffsetMap(text), [text]);
  const spanLabels = useMemo(() => labels.filter((l) => l.kind === "span"), [labels]);
  const relationLabels = useMemo(() => labels.filter((l) => l.kind === "relation"), [labels]);
  const colour = useCallback((name: string) => labels.find((l) => l.name === name)?.colour ?? "#888888", [labels]);
  const { spans } = layer;

  // --- drawing and pointing -----------------------------------------------------------------

  const [drawnSpans] = useState(() => new DrawnSpans());
  const drawn: DrawnSpan[] = useMemo(() => drawnSpans.of(spans, colour), [drawnSpans, spans, colour]);
  useSpanFromUrl(shown !== null && project !== null, spans, setSelectedId);
  // A span deleted (here, by an undo, or by a reload) is no longer selected.
  const selected = spans.find((s) => s.id === selectedId) ?? null;
  const targetIds = useMemo(() => {
    if (!linking) return null;
    return new Set(spans.filter((s) => !s.suggestion && s.id !== selectedId && allowsTarget(linking, s.label)).map((s) => s.id));
  }, [linking, spans, selectedId]);

  const onSelectText = useCallback(
    (start: number, end: number) => {
      if (readOnly) return;
      setSelection(offsets.snap(start, end, snapWords));
      setSelectedId(null);
      setLinking(null);
    },
    [offsets, snapWords, readOnly],
  );

  const onClickAt = useCallback(
    (offset: number) => {
      setSelection(null);
      // (cut here, on a click, not on every change: a label action need not wait for it)
      const hit = spanAt(segments(offsets.length, drawn), offset, selectedId ?? undefined);
      if (linking && selectedId !== null) {
        const target = hit !== null && targetIds?.has(hit) ? hit : null;
        if (target === null) {
          setNotice(`Pick a span that ${linking.name} may point to: ${linking.allowed_targets.join(", ") || "any"}.`);
          return;
        }
        editor.createRelation(selectedId, target, linking.name);
        setLinking(null);
        return;
      }
      setSelectedId(hit);
    },
    [offsets, drawn, selectedId, linking, targetIds, editor, setNotice],
  );

  const applyLabel = (label: Label) => {
    if (selection) {
      const id = editor.createSpan(selection.start, selection.end, label.name);
      setSelection(null);
      window.getSelection()?.removeAllRanges();
      setSelectedId(id);
    } else if (selected && !selected.suggestion) {
      editor.relabelSpan(selected.id, label.name);
    }
  };

  const startLinking = (relation: Label) => {
    if (!selected || selected.suggestion) return;
    setLinking(relation);
    setNotice("");
  };

  const decideSuggestion = useCallback(
    (id: number, accept: boolean) => {
      setSelectedId(null);
      editor.decideSuggestion(id, accept);
    },
    [editor],
  );

  const finish = (status: "submitted" | "skipped") =>
    void finishing.run(async () => {
      if (gold || readOnly) return;
      try {
        await editor.finish(status);
        // The next article is the server's to pick (in progress, then assigned, then claimed).
        const next = await queue.next(projectId, [articleId]);
        navigate(next ? `/projects/${projectId}/articles/${next.id}` : `/projects/${projectId}?done=1`);
      } catch (error) {
        editor.refused(status === "submitted" ? "submit" : "skip")(error);
      }
    });

  // The side panels' lists (memo) follow the layer in the frame after the one that draws a
  // change in the text: a label action's frame holds the text's block, the selected span's
  // panel and little else. (The selection and the document labels are shown at once.) Their
  // callbacks are stable (they call the latest render's), so the lists render only then.
  const sideLayer = useAfterPaint(layer);
  const sideActions = useRef({ startLinking, reloadComments: comments.reload });
  useEffect(() => {
    sideActions.current = { startLinking, reloadComments: comments.reload };
  });
  const onLink = useCallback((relation: Label) => sideActions.current.startLinking(relation), []);
  const onLinkAcross = useCallback(() => setLinkingAcross(true), []);
  const onThreadsChanged = useCallback(() => void sideActions.current.reloadComments(), []);

  // --- keys ---------------------------------------------------------------------------------

  useShortcuts((event) => {
    const { key, ctrlKey, metaKey, shiftKey, altKey } = event;
    const command = commandFor(
      { key, ctrlKey, metaKey, shiftKey, altKey, targetTag: (event.target as HTMLElement | null)?.tagName ?? "" },
      { selected, selecting: selection !== null, spanLabels, relationLabels },
    );
    if (!command) return false;
    if (readOnly && command.kind !== "help" && command.kind !== "escape") return false;
    if (command.kind === "help") setShowHelp((v) => !v);
    else if (command.kind === "escape") {
      setShowHelp(false);
      setSelection(null);
      setSelectedId(null);
      setLinking(null);
    } else if (command.kind === "undo") editor.history.undo();
    else if (command.kind === "redo") editor.history.redo();
    else if (command.kind === "submit") finish("submitted");
    else if (command.kind === "skip") finish("skipped");
    else if (command.kind === "accept" && selected) decideSuggestion(selected.id, true);
    else if (command.kind === "reject" && selected) decideSuggestion(selected.id, false);
    else if (command.kind === "delete" && selected) editor.deleteSpan(selected.id);
    else if (command.kind === "label") applyLabel(command.label);
    else if (command.kind === "link") startLinking(command.relation);
    else if (command.kind === "linkAcross") setLinkingAcross(true);
    return true;
  });

  // --- page -------------------------------------------------------------------------------

  if (loadError) return <p className="error" role="alert">Could not load the article: {loadError}</p>;
  if (!shown || !project) return <p className="loading">Loading the article…</p>;

  return (
    <div className="workspace">
      <div className="workspace-head">
        {embedded ? (
          <h2>Gold layer: select text and press a label's key, as on the annotate page</h2>
        ) : (
          <>
            {showsGold ? (
              <Link to={`/projects/${projectId}/articles/${articleId}/review`}>← Adjudication</Link>
            ) : (
              <Link to={`/projects/${projectId}`}>← {project.name}</Link>
            )}
            <h1>
              {showsGold ? "Gold: " : ""}
              {shown.title || shown.external_id}
              <PresenceBadges users={present} />
            </h1>
          </>
        )}
        {embedded && <PresenceBadges users={present} />}
        {readOnly && <span className="hint">read only</span>}
        <SaveStatus saving={saving} onRetry={() => editor.queue.retryNow()} />
      </div>
      {notice && (
        <div className="notice" role="alert">
          {notice}{" "}
          <button type="button" onClick={() => setNotice("")}>
            Dismiss
          </button>
        </div>
      )}
      {!readOnly && (
        <LabelPalette
          spanLabels={spanLabels}
          canApply={!!selection || (!!selected && !selected.suggestion)}
          onApply={applyLabel}
          snapWords={snapWords}
          onSnapWords={(on) => {
            setSnapWords(on);
            localStorage.setItem(SNAP_KEY, on ? "on" : "off");
          }}
          onHelp={() => setShowHelp(true)}
        />
      )}
      {linking && selected && (
        <p className="linking" role="status">
          Linking {selected.label} “{selected.text.slice(0, 40)}” with {linking.name}: click the target span
          ({linking.allowed_targets.join(", ") || "any label"}); Esc cancels.
        </p>
      )}
      <div className="workspace-body">
        <TextWithArcs
          projectId={projectId}
          article={shown}
          layer={layer}
          labels={labels}
          testId="article-text"
          text={text}
          spans={drawn}
          selectedId={selectedId}
          highlight={selection}
          targetIds={targetIds}
          threadIds={comments.unresolved}
          onSelectText={onSelectText}
          onClickAt={onClickAt}
        />
        <WorkspaceSide
          articleId={articleId}
          editor={editor}
          layer={sideLayer}
          documentLabels={layer.documentLabels}
          labels={labels}
          colour={colour}
          selected={selected}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onDecide={decideSuggestion}
          onLink={onLink}
          onLinkAcross={onLinkAcross}
          readOnly={readOnly}
          threads={comments.threads}
          onThreadsChanged={onThreadsChanged}
          me={username}
          role={project.role ?? ""}
          showComments={!embedded}
        />
      </div>
      <WorkspaceFooter
        status={showsGold ? "" : shown.state.status}
        busy={finishing.busy}
        canFinish={!showsGold && !readOnly}
        onUndo={() => editor.history.undo()}
        onRedo={() => editor.history.redo()}
        onFinish={finish}
      />
      {linkingAcross && selected && !selected.suggestion && (
        <LinkAcrossDialog
          projectId={projectId}
          articleId={articleId}
          layer={showsGold ? "gold" : username}
          from={selected}
          labels={labels}
          onLink={(target, relation) => {
            editor.createRelation(selected.id, target.id, relation.name, true, target.article_id);
            setLinkingAcross(false);
          }}
          onClose={() => setLinkingAcross(false)}
        />
      )}
      {showHelp && <ShortcutHelp labels={labels} onClose={() => setShowHelp(false)} />}
    </div>
  );
}
