// A value as the page showed it at its last paint: what is drawn from it (a side panel) follows
// in the frame after the one that draws the change itself, which then holds less work.

import { useEffect, useRef, useState } from "react";

import { afterPaint } from "./afterPaint";

/** ``value``, taken up after the next frame is painted (at once on the first render). */
export function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  useEffect(() => {
    latest.current = value;
    if (value !== shown) afterPaint(() => setShown(latest.current));
  }, [value, shown]);
  return shown;
}
