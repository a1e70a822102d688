// An article's comment threads, loaded once and again after each change the page makes.
import { useMemo } from "react";

import { comments } from "../../lib/api/workflow";
import { useLoad } from "../../shared/hooks/useLoad";
import { threadsOf, unresolvedSpans } from "./threads";

export function useComments(articleId: number) {
  const loaded = useLoad(() => comments.list(articleId), [articleId]);
  const threads = useMemo(() => threadsOf(loaded.data ?? []), [loaded.data]);
  const unresolved = useMemo(() => unresolvedSpans(threads), [threads]);
  return { threads, unresolved, error: loaded.error, reload: loaded.reload };
}
