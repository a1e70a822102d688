// The article's status for the caller, undo and redo, and skip or submit (then the next article).
interface Props {
  status: string; // "" on the gold layer, which has none
  busy: boolean;
  /** Skip and submit: not on the gold layer, not for researchers. */
  canFinish: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onFinish: (status: "submitted" | "skipped") => void;
}

export function WorkspaceFooter({ status, busy, canFinish, onUndo, onRedo, onFinish }: Props) {
  return (
    <div className="workspace-foot">
      {status && (
        <span>
          Status: <strong data-testid="article-status">{status.replace("_", " ")}</strong>
        </span>
      )}
      <button type="button" onClick={onUndo} title="Ctrl+Z">
        Undo
      </button>
      <button type="button" onClick={onRedo} title="Ctrl+Shift+Z">
        Redo
      </button>
      {canFinish && (
        <>
          <button type="button" onClick={() => onFinish("skipped")} disabled={busy} title="Shift+S">
            Skip
          </button>
          <button type="button" className="primary" onClick={() => onFinish("submitted")} disabled={busy} title="Shift+Enter">
            Submit and next
          </button>
        </>
      )}
    </div>
  );
}
