// The article's text with spans drawn over it: the one renderer of the annotate page (spans
// underlined on lanes, selectable and clickable) and of the review page (a layer's spans as
// tinted marks, read only). Text is rendered as React text nodes only (never as HTML). Each
// segment of text between span boundaries is one element carrying its start and end in code
// points, so a DOM selection maps back to offsets in the text without measuring; the DOM's
// UTF-16 offsets inside a segment are read through the text's OffsetMap (lib/text).
// The text is drawn in blocks (paragraphs, and long paragraphs cut after a sentence end: see
// OffsetMap.blockStarts), each skipped by the browser while far off screen (content-visibility
// in styles.css) and each re-rendered only when its pieces change (draw.ts, Blocks.tsx): a label
// action lays out and paints one block of a long article, not the whole text (bench/ui, 100 KB
// and 2,000 spans: keydown to the span in the DOM 6 ms p50, painted in the next frame).

import { memo, useMemo, useRef, useState, type MouseEvent } from "react";

import { OffsetMap } from "../../../lib/text/offsets";
import { Block } from "./Blocks";
import { BlockDrawer, type DrawnSpan } from "./draw";

export type { DrawnSpan } from "./draw";

interface Props {
  text: string;
  spans: readonly DrawnSpan[]; // code points
  /** "underline" (the annotate page): one underline per span on its lane. "fill" (the review
   * page): each piece in its innermost span's colour. */
  look?: "underline" | "fill";
  className?: string;
  testId?: string;
  selectedId?: number | null;
  highlight?: { start: number; end: number } | null; // the pending text selection (code points)
  targetIds?: ReadonlySet<number> | null; // while linking: spans that may be the target
  threadIds?: ReadonlySet<number> | null; // spans with an unresolved comment thread: marked
  onSelectText?: (start: number, end: number) => void; // code points, start < end
  onClickAt?: (offset: number) => void; // code points
}

// A block is cut after the first sentence end past this many UTF-16 units (about 15 lines).
const BLOCK_UNITS = 1500;
// For the guess of a block's height before it is laid out.
const UNITS_PER_LINE = 90;

export const ArticleText = memo(function ArticleText(props: Props) {
  const { text, spans, look = "underline", className = "article-text", testId } = props;
  const { selectedId = null, highlight = null, targetIds = null, threadIds = null, onSelectText, onClickAt } = props;
  const container = useRef<HTMLDivElement>(null);
  const map = useMemo(() => new OffsetMap(text), [text]);
  const starts = useMemo(() => map.blockStarts(BLOCK_UNITS), [map]);
  // (held for the page's life: it remembers the last drawing, to draw only what changed)
  const [drawer] = useState(() => new BlockDrawer());
  const blocks = useMemo(
    () => drawer.draw({ map, starts, spans, look, selectedId, highlight, targetIds, threadIds }),
    [drawer, map, starts, spans, look, selectedId, highlight, targetIds, threadIds],
  );

  function offsetOf(node: Node, offset: number, round: "down" | "up"): number | null {
    // A text node: its segment element says where its text starts.
    if (node.nodeType === Node.TEXT_NODE) {
      const segment = node.parentElement?.closest<HTMLElement>("[data-at]");
      return segment ? map.advance(Number(segment.dataset.at), offset, round) : null;
    }
    // An element (a segment, a paragraph, the container): ``offset`` counts its children.
    const element = node as HTMLElement;
    if (element !== container.current && element.dataset.at === undefined) return null;
    const child = element.childNodes[offset];
    if (child instanceof HTMLElement && child.dataset.at !== undefined) return Number(child.dataset.at);
    if (offset === 0 && element.dataset.at !== undefined) return Number(element.dataset.at);
    return element.dataset.end !== undefined ? Number(element.dataset.end) : map.length;
  }

  function mouseUp(event: MouseEvent) {
    if (!onSelectText && !onClickAt) return;
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!container.current?.contains(range.commonAncestorContainer)) return;
    const start = offsetOf(range.startContainer, range.startOffset, "down");
    const end = offsetOf(range.endContainer, range.endOffset, "up");
    if (start === null || end === null) return;
    if (start === end) {
      onClickAt?.(start);
    } else {
      onSelectText?.(Math.min(start, end), Math.max(start, end));
    }
    event.preventDefault();
  }

  return (
    <div ref={container} className={className} data-testid={testId} onMouseUp={mouseUp}>
      {blocks.map(({ at, end, pieces, sig }) => {
        const units = map.toUtf16(end) - map.toUtf16(at);
        return (
          <Block
            key={at}
            at={at}
            end={end}
            look={look}
            pieces={pieces}
            sig={sig}
            lines={Math.max(1, Math.ceil(units / UNITS_PER_LINE))}
          />
        );
      })}
    </div>
  );
});
