// The article's text with spans drawn over it: the one renderer of the annotate page (spans
// underlined on lanes, selectable and clickable) and of the review page (a layer's spans as
// tinted marks, read only). Text is rendered as React text nodes only (never as HTML). Each
// segment of text between span boundaries is one element carrying its start and end in code
// points, so a DOM selection maps back to offsets in the text without measuring; the DOM's
// UTF-16 offsets inside a segment are read through the text's OffsetMap (lib/text).
// The text is drawn in blocks (paragraphs, and long paragraphs cut after a sentence end: see
// OffsetMap.blockStarts), each skipped by the browser while far off screen (content-visibility
// in styles.css) and each re-rendered only when its pieces change (Blocks.tsx): a label action
// lays out and paints one block of a long article, not the whole text.

import { memo, useMemo, useRef, type MouseEvent } from "react";

import { OffsetMap } from "../../../lib/text/offsets";
import { Block, pieceSig, type Piece } from "./Blocks";
import { lanes, segments, type Placed } from "./layout";

export interface DrawnSpan extends Placed {
  colour: string; // "fill": the background as it is drawn
  suggestion: boolean; // drawn dashed
  title: string; // label, and score for suggestions
}

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
// The pending text selection is laid out as one more span under this id, which no span has:
// the server's ids are positive, the page's own (not saved yet) negative.
const SELECTION = 0;

export const ArticleText = memo(function ArticleText(props: Props) {
  const { text, spans, look = "underline", className = "article-text", testId } = props;
  const { selectedId = null, highlight = null, targetIds = null, threadIds = null, onSelectText, onClickAt } = props;
  const container = useRef<HTMLDivElement>(null);
  const map = useMemo(() => new OffsetMap(text), [text]);
  const starts = useMemo(() => map.blockStarts(BLOCK_UNITS), [map]);
  const cuts = useMemo(() => {
    const extra = highlight ? [{ id: SELECTION, start: highlight.start, end: highlight.end }] : [];
    return segments(map.length, [...spans, ...extra], starts);
  }, [map, spans, highlight, starts]);
  const byId = useMemo(() => new Map(spans.map((s) => [s.id, s])), [spans]);
  const laneOf = useMemo(() => lanes(spans), [spans]);

  // Each segment's plain values, grouped by block; a block's values are summed up in its sig.
  const blocks = useMemo(() => {
    const blockAt = new Set(starts);
    const grouped: { pieces: Piece[]; sig: string }[] = [];
    for (const seg of cuts) {
      if (blockAt.has(seg.start) || grouped.length === 0) grouped.push({ pieces: [], sig: "" });
      const covering = seg.covering.filter((id) => id !== SELECTION);
      const drawn = covering.map((id) => byId.get(id)!);
      const discussed = !!threadIds && covering.some((id) => threadIds.has(id));
      const piece: Piece = {
        at: seg.start,
        end: seg.end,
        text: map.slice(seg.start, seg.end),
        spans: covering.join(" "),
        underlines: "",
        dashed: "",
        fill: "",
        className: "",
        title: "",
      };
      if (look === "fill") {
        piece.fill = drawn[0]?.colour ?? "";
        piece.className = [drawn.length > 1 ? "nested" : "", discussed ? "has-thread" : ""].join(" ").trim();
        piece.title = [...drawn].reverse().map((s) => s.title).join(" + ");
      } else {
        const own = drawn.filter((s) => !s.suggestion);
        const suggested = drawn.filter((s) => s.suggestion);
        const classes = ["seg"];
        if (selectedId !== null && covering.includes(selectedId)) classes.push("selected");
        if (highlight !== null && seg.covering.includes(SELECTION)) classes.push("selecting");
        if (targetIds && covering.some((id) => targetIds.has(id))) classes.push("target");
        if (suggested.length && !own.length) classes.push("suggested");
        if (discussed) classes.push("has-thread");
        piece.underlines = own.map((s) => `${s.colour}@${laneOf.get(s.id)!}`).join(" ");
        piece.dashed = suggested[0]?.colour ?? "";
        piece.className = classes.join(" ");
        piece.title = drawn.map((s) => s.title).join("\n");
      }
      grouped[grouped.length - 1]!.pieces.push(piece);
    }
    for (const block of grouped) block.sig = block.pieces.map(pieceSig).join("\u0001");
    return grouped;
  }, [cuts, starts, byId, laneOf, map, look, selectedId, highlight, targetIds, threadIds]);

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
      {blocks.map(({ pieces, sig }) => {
        const first = pieces[0]!;
        const last = pieces[pieces.length - 1]!;
        const units = map.toUtf16(last.end) - map.toUtf16(first.at);
        return (
          <Block
            key={first.at}
            at={first.at}
            end={last.end}
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
