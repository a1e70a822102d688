// Comment threads of one article: those on the article, or those on one span or relation
// (`about`). Anyone who may read the article's layer reads its threads; the server decides
// which threads a caller gets (an annotator never gets another annotator's). Bodies are
// plain text shown through the Markdown component (React elements, never HTML).
import { useState } from "react";

import { comments as api, type Comment } from "../../lib/api/workflow";
import { useAction } from "../../shared/hooks/useAction";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { Markdown } from "../../shared/ui/Markdown";
import { isAbout, type About, type Thread } from "./threads";

interface Props {
  articleId: number;
  threads: Thread[];
  about: About;
  /** The caller may comment (researchers read only). */
  canWrite: boolean;
  /** Reviewers and admins resolve any thread; others only their own. */
  canResolveAll: boolean;
  me: string;
  onChanged: () => void;
  title?: string;
}

export function CommentsPanel({ articleId, threads, about, canWrite, canResolveAll, me, onChanged, title }: Props) {
  const shown = threads.filter((t) => isAbout(t, about));
  const heading =
    title ?? (about.kind === "all" ? "All comments" : about.kind === "article" ? "Comments on the article" : `Comments on the ${about.kind}`);
  return (
    <section className="panel comments" aria-label={heading}>
      <h2>{heading}</h2>
      {shown.length === 0 && <p className="hint">No comments yet.</p>}
      {shown.map((thread) => (
        <ThreadView
          key={thread.root.id}
          articleId={articleId}
          thread={thread}
          canWrite={canWrite}
          canResolve={canResolveAll || thread.root.author === me}
          me={me}
          onChanged={onChanged}
        />
      ))}
      {canWrite && (
        <CommentForm
          label={about.kind === "article" || about.kind === "all" ? "New comment" : `New comment on this ${about.kind}`}
          button="Comment"
          onSend={(body) =>
            api.create(articleId, {
              body,
              ...(about.kind === "span" ? { span: about.id } : {}),
              ...(about.kind === "relation" ? { relation: about.id } : {}),
            })
          }
          onSent={onChanged}
        />
      )}
    </section>
  );
}

function ThreadView(props: { articleId: number; thread: Thread; canWrite: boolean; canResolve: boolean; me: string; onChanged: () => void }) {
  const { articleId, thread, canWrite, canResolve, me, onChanged } = props;
  const action = useAction();
  const { root } = thread;
  return (
    <article className={`thread${root.resolved ? " resolved" : ""}`} aria-label={`Thread by ${root.author ?? "someone"}`}>
      <p className="hint">{root.span !== null ? `On span ${root.span}` : root.relation !== null ? `On relation ${root.relation}` : "On the article"}{root.layer_annotator ? ` · ${root.layer_annotator}'s layer` : root.layer === "gold" ? " · gold" : ""}</p>
      {[root, ...thread.replies].map((c) => (
        <CommentView key={c.id} comment={c} mine={c.author === me} onChanged={onChanged} />
      ))}
      <div className="actions">
        {canResolve && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() => void action.run(async () => {
              await api.update(root, { resolved: !root.resolved });
              onChanged();
            })}
          >
            {root.resolved ? "Reopen thread" : "Resolve thread"}
          </button>
        )}
        {root.resolved && <span className="hint">Resolved</span>}
      </div>
      <ErrorMessage error={action.error} />
      {canWrite && !root.resolved && (
        <CommentForm label="Reply" button="Reply" onSend={(body) => api.create(articleId, { body, parent: root.id })} onSent={onChanged} />
      )}
    </article>
  );
}

function CommentView({ comment, mine, onChanged }: { comment: Comment; mine: boolean; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const action = useAction();
  if (editing) {
    return (
      <CommentForm
        label="Edit comment"
        button="Save"
        initial={comment.body}
        onSend={(body) => api.update(comment, { body })}
        onSent={() => {
          setEditing(false);
          onChanged();
        }}
        onCancel={() => setEditing(false)}
      />
    );
  }
  return (
    <div className="comment">
      <p className="hint">
        <strong>{comment.author ?? "(deleted user)"}</strong> · {new Date(comment.created_at).toLocaleString()}
        {comment.version > 1 ? " (edited)" : ""}
      </p>
      <Markdown source={comment.body} />
      {mine && (
        <div className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button
            type="button"
            disabled={action.busy}
            onClick={() => void action.run(async () => {
              if (!window.confirm("Delete this comment?")) return;
              await api.remove(comment);
              onChanged();
            })}
          >
            Delete
          </button>
        </div>
      )}
      <ErrorMessage error={action.error} />
    </div>
  );
}

interface FormProps {
  label: string;
  button: string;
  initial?: string;
  onSend: (body: string) => Promise<unknown>;
  onSent: () => void;
  onCancel?: () => void;
}

function CommentForm({ label, button, initial = "", onSend, onSent, onCancel }: FormProps) {
  const [body, setBody] = useState(initial);
  const action = useAction();
  return (
    <form
      className="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await onSend(body.trim());
          setBody("");
          onSent();
        });
      }}
    >
      <label>
        {label}
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={2} maxLength={10000} />
      </label>
      <div className="actions">
        <button type="submit" disabled={action.busy || body.trim() === ""}>
          {button}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorMessage error={action.error} />
    </form>
  );
}
