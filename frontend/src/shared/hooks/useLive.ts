// React's hold on live updates (src/lib/live.ts): listen to a project's events, and say which
// article this page shows while seeing who else shows it.
import { useEffect, useLayoutEffect, useReducer, useRef } from "react";

import { showPresence, subscribeLive, type LiveEvent } from "../../lib/live";
import { NO_ONE, presenceReducer, type Presence } from "./presence";

/** Calls ``handler`` (the latest one) with each event of the project while mounted. */
export function useLiveEvents(projectId: number, handler: (event: LiveEvent) => void): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!(projectId > 0)) return;
    return subscribeLive(projectId, (event) => latest.current(event));
  }, [projectId]);
}

/** Who shows which article of the project; with ``article``, this page says it shows that one. */
export function usePresence(projectId: number, article: number | null = null): Presence {
  const [presence, dispatch] = useReducer(presenceReducer, NO_ONE);
  useLiveEvents(projectId, dispatch);
  useEffect(() => {
    if (!(projectId > 0) || article === null) return;
    showPresence(projectId, article);
    return () => showPresence(projectId, null);
  }, [projectId, article]);
  return presence;
}
