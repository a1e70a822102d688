// A button for what cannot be undone (remove a member, delete a label or a webhook): the first
// press only asks, a second button does it, "Keep" steps back. If the work fails, the question
// goes away again and the page shows the error beside its other ones.
import { useState, type ReactNode } from "react";

export function ConfirmButton({
  children,
  question,
  confirm,
  busy,
  onConfirm,
}: {
  /** The first button's label, e.g. "Delete". */
  children: ReactNode;
  /** Shown beside the two buttons while asking, e.g. "Delete CLAIM?". */
  question?: ReactNode;
  /** The label of the button that does it, e.g. "Yes, delete". */
  confirm: ReactNode;
  /** The page's action is running: every button waits. */
  busy: boolean;
  /** Does it; resolves to whether it worked (useAction's `run`). */
  onConfirm: () => Promise<boolean>;
}) {
  const [asking, setAsking] = useState(false);

  async function act() {
    if (!(await onConfirm())) setAsking(false);
  }

  if (!asking)
    return (
      <button type="button" className="danger" disabled={busy} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  return (
    <>
      {question && <span>{question}</span>}
      <button type="button" className="danger solid" disabled={busy} onClick={() => void act()}>
        {confirm}
      </button>
      <button type="button" disabled={busy} onClick={() => setAsking(false)}>
        Keep
      </button>
    </>
  );
}
