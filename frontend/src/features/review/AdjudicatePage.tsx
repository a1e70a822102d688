// The adjudication page of one article: every annotator's layer side by side with agreement
// marked, one click to take a version into gold, "merge all with at least m", the gold layer
// (edited with the annotate page's keys on its gold page), the review status, comment threads,
// and the way through the review queue. Researchers see it read only.
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";

import { articles, members, type Article, type Project, type Span } from "../../lib/api/client";
import { review, type Review } from "../../lib/api/workflow";
import { useAction } from "../../shared/hooks/useAction";
import { useLoad } from "../../shared/hooks/useLoad";
import { useLiveEvents } from "../../shared/hooks/useLive";
import { changesLayers } from "../annotate/live";
import { useSession } from "../../shared/hooks/session";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { codePointLength } from "../../lib/text/offsets";
import { GoldWorkspace } from "../annotate/AnnotatePage";
import { useLayer } from "../annotate/useLayer";
import { CommentsPanel } from "../comments/CommentsPanel";
import { useComments } from "../comments/useComments";
import { MergePanel, QueueNav, ReviewStatusControl, rememberVisit } from "./AdjudicateTools";
import { AGREEMENT_COLOURS, AGREEMENT_TEXT, agreementOf, agreementShare, relationKey, spanKey } from "./agreement";
import { CompareLayer } from "./CompareLayer";
import { GoldColumn } from "./GoldColumn";
import { reviewLayers } from "./review";

import "./review.css";

export function AdjudicatePage() {
  const { articleId } = useParams();
  return (
    <ProjectPage title="Adjudication" roles={["admin", "reviewer", "researcher"]}>
      {(project) => <Adjudicate key={articleId} project={project} />}
    </ProjectPage>
  );
}

function Adjudicate({ project }: { project: Project }) {
  const articleId = Number(useParams().articleId);
  const { me } = useSession();
  const canWrite = project.role === "admin" || project.role === "reviewer";
  const loaded = useLoad(
    () =>
      Promise.all([
        articles.get(articleId),
        members.list(project.id).then((page) => page.results, () => []),
        review.status(articleId),
      ]),
    [articleId, project.id],
  );
  const comments = useComments(articleId);
  // Annotators' work appears as they save it (docs/live.md); gold follows in its workspace.
  useLiveEvents(project.id, (event) => {
    if (changesLayers(event, articleId, me?.username ?? "")) void loaded.reload();
  });
  const layered = useLayer(); // the gold layer, edited in place below
  const goldLayer = layered.layer;
  const [status, setStatus] = useState<Review | null>(null);
  const [about, setAbout] = useState<Span | null>(null);
  const copying = useAction();
  useEffect(() => rememberVisit(articleId), [articleId]);

  const data = loaded.data;
  const layers = useMemo(() => {
    if (!data) return [];
    const [article, people] = data;
    return reviewLayers(article, people.filter((m) => m.role === "annotator").map((m) => m.username));
  }, [data]);
  const annotatorLayers = layers.filter((l) => l.kind === "annotator");
  const goldAsLoaded = layers.find((l) => l.kind === "gold");
  const agreement = useMemo(() => agreementOf(layers), [layers]);
  // What gold has, from the gold workspace (live, as the reviewer edits it).
  const gold = useMemo(() => {
    const saved = goldLayer.spans.filter((s) => !s.suggestion);
    const byId = new Map(saved.map((s) => [s.id, s]));
    return {
      spans: new Set(saved.map(spanKey)),
      relations: new Set(goldLayer.relations.filter((r) => !r.suggestion).map((r) => relationKey(r, byId)).filter((k): k is string => k !== null)),
    };
  }, [goldLayer]);
  // The side-by-side view is read again once the workspace has saved what the reviewer did.
  const waiting = layered.saving.waiting;
  const wasWaiting = useRef(0);
  const reloadLayers = loaded.reload;
  useEffect(() => {
    if (wasWaiting.current > 0 && waiting === 0) void reloadLayers();
    wasWaiting.current = waiting;
  }, [waiting, reloadLayers]);

  if (!data) return <NotLoaded loaded={loaded} what="the article" />;
  const [article, , loadedStatus] = data;
  if (article.project !== project.id) return <p className="error" role="alert">This article belongs to another project.</p>;
  const shownStatus = status ?? loadedStatus;
  const share = agreementShare(agreement);
  const copy = (work: () => Promise<unknown>) =>
    void copying.run(async () => {
      await work();
      await Promise.all([loaded.reload(), layered.editor.reload()]);
    });

  return (
    <>
      <h2>{article.title || article.external_id}</h2>
      <p className="hint">
        {article.external_id} · {codePointLength(article.text)} characters · {annotatorLayers.length} annotator layers · agreement{" "}
        {share === null ? "n/a" : `${Math.round(share * 100)}%`} · <Link to={`/projects/${project.id}/articles/${article.id}`}>Open in the annotate page</Link>
      </p>
      <QueueNav projectId={project.id} articleId={article.id} />
      <ReviewStatusControl articleId={article.id} status={shownStatus} canWrite={canWrite} onSaved={setStatus} />
      {canWrite && (
        <MergePanel
          articleId={article.id}
          layers={annotatorLayers.length}
          onMerged={() => void Promise.all([loaded.reload(), layered.editor.reload()])}
        />
      )}
      <p className="legend" aria-label="Agreement">
        {(["all", "some", "one"] as const).map((cls) => (
          <span key={cls}>
            <span className="swatch" style={{ background: AGREEMENT_COLOURS[cls] }} aria-hidden="true" />
            {AGREEMENT_TEXT[cls]}
          </span>
        ))}
      </p>
      <ErrorMessage error={copying.error} prefix="Not taken into gold:" />
      <div className="review-layers">
        {annotatorLayers.map((layer) => (
          <CompareLayer
            key={layer.key}
            article={article}
            layer={layer}
            agreement={agreement}
            gold={gold}
            threadIds={comments.unresolved}
            canCopy={canWrite}
            busy={copying.busy}
            onCopySpan={(s) => copy(() => review.copySpan(s.id))}
            onCopyRelation={(id) => copy(() => review.copyRelation(id))}
            onSelectSpan={setAbout}
          />
        ))}
        {goldAsLoaded && (
          <GoldColumn article={article} layer={goldAsLoaded} projectId={project.id} canWrite={canWrite} threadIds={comments.unresolved} onSelectSpan={setAbout} />
        )}
      </div>
      {canWrite && (
        <section className="gold-workspace" aria-label="Gold workspace">
          <GoldWorkspace projectId={project.id} articleId={article.id} layered={layered} />
        </section>
      )}
      <Threads article={article} about={about} comments={comments} canWrite={canWrite} me={me?.username ?? ""} onClear={() => setAbout(null)} />
    </>
  );
}

function Threads(props: { article: Article; about: Span | null; comments: ReturnType<typeof useComments>; canWrite: boolean; me: string; onClear: () => void }) {
  const { article, about, comments, canWrite, me, onClear } = props;
  const reload = () => void comments.reload();
  return (
    <div className="review-threads">
      <ErrorMessage error={comments.error} prefix="Comments could not be loaded:" />
      {about && (
        <>
          <CommentsPanel
            articleId={article.id}
            threads={comments.threads}
            about={{ kind: "span", id: about.id }}
            title={`Comments on ${about.label} “${about.text.slice(0, 60)}” (${about.layer === "gold" ? "gold" : about.annotator})`}
            canWrite={canWrite}
            canResolveAll={canWrite}
            me={me}
            onChanged={reload}
          />
          <button type="button" onClick={onClear}>
            Close span comments
          </button>
        </>
      )}
      <CommentsPanel articleId={article.id} threads={comments.threads} about={{ kind: "all" }} canWrite={canWrite} canResolveAll={canWrite} me={me} onChanged={reload} />
    </div>
  );
}
