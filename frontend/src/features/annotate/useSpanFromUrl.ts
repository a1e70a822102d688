// `?span=<id>` (a cross-article marker's link): once the article is shown, that span is
// selected and scrolled to. Read once per article; a span not in the shown layer is ignored.

import { useEffect, useRef } from "react";
import { useSearchParams } from "react-router-dom";

import type { LocalSpan } from "./model";

export function useSpanFromUrl(ready: boolean, spans: readonly LocalSpan[], select: (id: number) => void): void {
  const [params] = useSearchParams();
  const wanted = Number(params.get("span"));
  const done = useRef(false);
  useEffect(() => {
    if (!ready || done.current || !wanted) return;
    if (!spans.some((s) => s.id === wanted)) return;
    done.current = true;
    select(wanted);
    requestAnimationFrame(() => {
      const element = [...document.querySelectorAll<HTMLElement>("[data-spans]")].find((e) =>
        e.dataset.spans!.split(" ").includes(String(wanted)),
      );
      element?.scrollIntoView({ block: "center" });
    });
  }, [ready, wanted, spans, select]);
}
