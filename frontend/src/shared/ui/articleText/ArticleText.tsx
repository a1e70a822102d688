// The article's text with spans drawn over it: the one renderer of the annotate page (spans
// underlined on lanes, selectable and clickable) and of the review page (a layer's spans as
// tinted marks, read only). Text is rendered as React text nodes only (never as HTML). Each
// segment of text between span boundaries is one element carrying its start and end in code
// points, so a DOM selection maps back to offsets in the text without measuring; the DOM's
// UTF-16 offsets inside a segment are read through the text's OffsetMap (lib/text).
// Each paragraph is a block of its own: a label action lays out one paragraph again, not a
// whole long article.

import { memo, useMemo, useRef, type MouseEvent } from "react";

import { OffsetMap } from "../../../lib/text/offsets";
import { textColourOn } from "../colours";
import { lanes, segments, type Placed, type Segment as Cut } from "./layout";

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

const LANE_PX = 3;
// The pending text selection is laid out as one more span under this id, which no span has:
// the server's ids are positive, the page's own (not saved yet) negative.
const SELECTION = 0;

export const ArticleText = memo(function ArticleText(props: Props) {
  const { text, spans, look = "underline", className = "article-text", testId } = props;
  const { selectedId = null, highlight = null, targetIds = null, threadIds = null, onSelectText, onClickAt } = props;
  const container = useRef<HTMLDivElement>(null);
  const map = useMemo(() => new OffsetMap(text), [text]);
  const paragraphs = useMemo(() => map.paragraphStarts(), [map]);
  const cuts = useMemo(() => {
    const extra = highlight ? [{ id: SELECTION, start: highlight.start, end: highlight.end }] : [];
    return segments(map.length, [...spans, ...extra], paragraphs);
  }, [map, spans, highlight, paragraphs]);
  const byId = useMemo(() => new Map(spans.map((s) => [s.id, s])), [spans]);
  const laneOf = useMemo(() => lanes(spans), [spans]);
  const blocks = useMemo(() => {
    const starts = new Set(paragraphs);
    const grouped: Cut[][] = [];
    for (const cut of cuts) {
      if (starts.has(cut.start) || grouped.length === 0) grouped.push([]);
      grouped[grouped.length - 1]!.push(cut);
    }
    return grouped;
  }, [cuts, paragraphs]);

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
      {blocks.map((block) => (
        <div key={block[0]!.start} className="para" data-at={block[0]!.start} data-end={block[block.length - 1]!.end}>
          {block.map((seg) => {
            const covering = seg.covering.filter((id) => id !== SELECTION);
            const drawn = covering.map((id) => byId.get(id)!);
            const piece = map.slice(seg.start, seg.end);
            const discussed = !!threadIds && covering.some((id) => threadIds.has(id));
            if (look === "fill") {
              return <Filled key={seg.start} at={seg.start} end={seg.end} text={piece} drawn={drawn} discussed={discussed} />;
            }
            const own = drawn.filter((s) => !s.suggestion);
            const suggested = drawn.filter((s) => s.suggestion);
            const classes = ["seg"];
            if (selectedId !== null && covering.includes(selectedId)) classes.push("selected");
            if (highlight !== null && seg.covering.includes(SELECTION)) classes.push("selecting");
            if (targetIds && covering.some((id) => targetIds.has(id))) classes.push("target");
            if (suggested.length && !own.length) classes.push("suggested");
            if (discussed) classes.push("has-thread");
            return (
              <Segment
                key={seg.start}
                at={seg.start}
                end={seg.end}
                text={piece}
                spans={covering.join(" ")}
                underlines={own.map((s) => `${s.colour}@${laneOf.get(s.id)!}`).join(" ")}
                dashed={suggested[0]?.colour ?? ""}
                className={classes.join(" ")}
                title={drawn.map((s) => s.title).join("\n")}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
});

interface SegmentProps {
  at: number;
  end: number;
  text: string;
  spans: string; // the covering span ids, innermost first
  underlines: string; // "colour@lane ..." of the own spans covering it, innermost first
  dashed: string; // a suggestion's colour, if one covers it
  className: string;
  title: string;
}

// Plain values only: a label action re-renders the segments it changed, not all of them.
const Segment = memo(function Segment({ at, end, text, spans, underlines, dashed, className, title }: SegmentProps) {
  if (!spans) {
    return (
      <span data-at={at} data-end={end} className={className}>
        {text}
      </span>
    );
  }
  const style: Record<string, string> = {};
  if (underlines) {
    const lines = underlines.split(" ").map((part) => {
      const [colour, lane] = part.split("@");
      return { colour: colour!, lane: Number(lane) };
    });
    style.background = `${lines[0]!.colour}33`;
    // One underline per span, on its lane: nested and crossing spans stay visible.
    // The first shadow is drawn on top: lower lanes (shorter) first, so each shows as a stripe.
    style.boxShadow = [...lines]
      .sort((a, b) => a.lane - b.lane)
      .map((l) => `inset 0 -${(l.lane + 1) * LANE_PX}px 0 0 ${l.colour}`)
      .join(", ");
    style.paddingBottom = `${Math.max(...lines.map((l) => l.lane + 1)) * LANE_PX}px`;
  }
  if (dashed) {
    style.textDecoration = `underline dashed ${dashed}`;
    style.textUnderlineOffset = "4px";
  }
  return (
    <span data-at={at} data-end={end} data-spans={spans} className={className} style={style} title={title}>
      {text}
    </span>
  );
});

// A piece of a read-only layer: marked in its innermost span's colour, with the text readable
// on it; one covered by more than one span is marked as nested.
function Filled({ at, end, text, drawn, discussed }: { at: number; end: number; text: string; drawn: DrawnSpan[]; discussed: boolean }) {
  if (drawn.length === 0) {
    return (
      <span data-at={at} data-end={end}>
        {text}
      </span>
    );
  }
  const background = drawn[0]!.colour;
  return (
    <mark
      data-at={at}
      data-end={end}
      className={[drawn.length > 1 ? "nested" : "", discussed ? "has-thread" : ""].join(" ").trim() || undefined}
      style={{ background, color: textColourOn(background) }}
      title={[...drawn].reverse().map((s) => s.title).join(" + ")}
    >
      {text}
    </mark>
  );
}
