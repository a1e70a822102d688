// The annotate page kept current by pushed events: someone else's change to the shown layer,
// suggestions a job adds, new comments. The article is read again once the page's own saves
// are done (its queue idle), so a reload never drops a change waiting to be saved.
import { useEffect, useRef } from "react";

import type { LiveEvent } from "../../lib/live";
import { useLiveEvents, usePresence } from "../../shared/hooks/useLive";
import { presentOn } from "../../shared/hooks/presence";
import type { LayerEditor } from "./editor";
import { changesComments, changesShown, type Shown } from "./live";

const RETRY_MS = 300;

export function useLiveWorkspace(
  projectId: number,
  shown: Shown,
  editor: LayerEditor,
  reloadComments: () => Promise<void>,
): string[] {
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  const reloadWhenIdle = () => {
    if (pending.current) return;
    const attempt = () => {
      if (editor.queue.waiting > 0) {
        pending.current = setTimeout(attempt, RETRY_MS);
        return;
      }
      pending.current = null;
      void editor.reload();
    };
    pending.current = setTimeout(attempt, 0);
  };

  useLiveEvents(projectId, (event: LiveEvent) => {
    if (changesShown(event, shown)) reloadWhenIdle();
    if (changesComments(event, shown.articleId)) void reloadComments();
  });
  const presence = usePresence(projectId, shown.articleId);
  return presentOn(presence, shown.articleId, shown.username);
}
