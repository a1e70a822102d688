// The workspace's side panels: the selected span, document labels, suggestions, the layer's
// spans and relations, and the comment threads (on the selected span, else the article).
// Read only (researchers): the lists and the threads, no actions.
import { memo, useCallback, useMemo } from "react";

import type { Label } from "../../lib/api/client";
import { CommentsPanel } from "../comments/CommentsPanel";
import type { Thread } from "../comments/threads";
import { DocumentLabelsPanel } from "./DocumentLabelsPanel";
import type { LayerEditor } from "./editor";
import type { Layer, LocalDocumentLabel } from "./layer";
import type { LocalSpan } from "./model";
import { RelationsPanel } from "./RelationsPanel";
import { SelectedSpanPanel } from "./SelectedSpanPanel";
import { SpansPanel } from "./SpansPanel";
import { SuggestionsPanel } from "./SuggestionsPanel";

interface Props {
  articleId: number;
  editor: LayerEditor;
  /** The layer as of the last paint (useAfterPaint): its lists follow a change a frame later. */
  layer: Layer;
  /** The document labels chosen now (a checkbox shows its click at once). */
  documentLabels: readonly LocalDocumentLabel[];
  labels: Label[];
  colour: (name: string) => string;
  selected: LocalSpan | null;
  selectedId: number | null;
  onSelect: (id: number | null) => void;
  onDecide: (id: number, accept: boolean) => void;
  onLink: (relation: Label) => void;
  onLinkAcross: () => void;
  readOnly: boolean;
  threads: Thread[];
  onThreadsChanged: () => void;
  me: string;
  role: string;
  /** False inside the adjudication page, which shows every thread itself. */
  showComments: boolean;
}

// (memo: the page hands it stable callbacks, so it renders when its values change, not with
// every render of the page)
export const WorkspaceSide = memo(function WorkspaceSide(props: Props) {
  const { articleId, editor, layer, labels, colour, selected, selectedId, onSelect, onDecide, onLink, readOnly } = props;
  const spanLabels = labels.filter((l) => l.kind === "span");
  const relationLabels = labels.filter((l) => l.kind === "relation");
  // (kept while the layer is: a change of the selection renders this, not the lists again)
  const own = useMemo(
    () => layer.spans.filter((s) => !s.suggestion).sort((a, b) => a.start - b.start || a.end - b.end),
    [layer.spans],
  );
  const pending = useMemo(() => layer.spans.filter((s) => s.suggestion).sort((a, b) => a.start - b.start), [layer.spans]);
  const onToggle = useCallback((name: string) => editor.toggleDocumentLabel(name), [editor]);
  const onDeleteRelation = useCallback((id: number) => editor.deleteRelation(id), [editor]);
  const onDecideRelation = useCallback(
    (relation: Parameters<LayerEditor["decideRelationSuggestion"]>[0], accept: boolean) =>
      editor.decideRelationSuggestion(relation, accept),
    [editor],
  );
  const documentLabels = useMemo(() => labels.filter((l) => l.kind === "document"), [labels]);
  // A span saved on the server has a positive id: only those can carry a thread.
  const about = selected && selected.id > 0 ? ({ kind: "span", id: selected.id } as const) : ({ kind: "article" } as const);
  return (
    <aside className="side">
      {selected && !readOnly && (
        <SelectedSpanPanel
          selected={selected}
          spanLabels={spanLabels}
          relationLabels={relationLabels}
          onDecide={onDecide}
          onRelabel={(id, label) => editor.relabelSpan(id, label)}
          onLink={onLink}
          onLinkAcross={props.onLinkAcross}
          onSpeaker={(id, speaker) => editor.setSpeaker(id, speaker)}
          onDelete={(id) => editor.deleteSpan(id)}
        />
      )}
      {!readOnly && (
        <DocumentLabelsPanel documentLabels={documentLabels} chosen={props.documentLabels} onToggle={onToggle} />
      )}
      {!readOnly && (
        <SuggestionsPanel
          pending={pending}
          colour={colour}
          selectedId={selectedId}
          onSelect={onSelect}
          onDecide={onDecide}
          onAcceptAll={(threshold) => editor.acceptAll(threshold)}
        />
      )}
      <SpansPanel own={own} colour={colour} selectedId={selectedId} onSelect={onSelect} />
      {!readOnly && (
        <RelationsPanel
          relations={layer.relations}
          spans={layer.spans}
          onDelete={onDeleteRelation}
          onDecide={onDecideRelation}
        />
      )}
      {props.showComments && (
        <CommentsPanel
          articleId={articleId}
          threads={props.threads}
          about={about}
          title={about.kind === "span" && selected ? `Comments on ${selected.label} “${selected.text.slice(0, 40)}”` : undefined}
          canWrite={!readOnly}
          canResolveAll={props.role === "admin" || props.role === "reviewer"}
          me={props.me}
          onChanged={props.onThreadsChanged}
        />
      )}
    </aside>
  );
});
