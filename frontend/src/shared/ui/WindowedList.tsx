// A long list of one-line rows in a box of its own that scrolls (the annotate page's spans,
// suggestions and relations: thousands of rows on a long article). Only the rows in view, and a
// few either side, are in the page: the rest are empty space of the same height, so adding a
// span lays out and paints a dozen rows, not two thousand. Written here rather than taken from
// a library because fixed-height rows need only the few lines of windowOf. It does not scroll
// itself to the selected row: a label action's scroll of a list this long cost Chromium's
// pre-paint about 20 ms (bench/ui, traced), more than the rest of the action.

import { useState, type ReactNode } from "react";

/** Each row's height in px: styles.css gives `.items.windowed > li` this height. */
export const ROW_PX = 28;
const OVERSCAN = 6;

/** The rows [first, last) to draw of ``count`` rows when the box shows ``viewport`` px from
 * ``scrollTop``, with ``overscan`` more either side. */
export function windowOf(count: number, scrollTop: number, viewport: number, row = ROW_PX, overscan = OVERSCAN) {
  const shown = Math.ceil(viewport / row);
  // (a list that shrank below where its box is scrolled: its last rows, until the box follows)
  const first = Math.max(0, Math.min(Math.floor(scrollTop / row), count - shown) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / row) + overscan);
  return { first, last: Math.max(first, last) };
}

interface Props<T> {
  items: readonly T[];
  /** Each row: an `<li>` with a key. */
  row: (item: T) => ReactNode;
}

// Before the box is laid out its height is not known: the most it can be (16rem, styles.css).
const FIRST_VIEWPORT = 16 * 16;

export function WindowedList<T>({ items, row }: Props<T>) {
  const [view, setView] = useState({ top: 0, height: FIRST_VIEWPORT });

  const { first, last } = windowOf(items.length, view.top, view.height);
  return (
    <ul
      className="items windowed"
      style={{ paddingTop: first * ROW_PX, paddingBottom: (items.length - last) * ROW_PX }}
      onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight || FIRST_VIEWPORT })}
    >
      {items.slice(first, last).map(row)}
    </ul>
  );
}
