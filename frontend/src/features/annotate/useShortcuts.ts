// The workspace's keys: one keydown listener for the page's life, which asks the latest
// render's `onKey` what a key press means; a key it handles does nothing else.

import { useEffect, useRef } from "react";

/** ``onKey`` returns whether it handled the key. */
export function useShortcuts(onKey: (event: KeyboardEvent) => boolean): void {
  const latest = useRef(onKey);
  useEffect(() => {
    latest.current = onKey;
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (latest.current(event)) event.preventDefault();
    };
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);
}
